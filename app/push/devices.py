"""The devices a person gets reminders on: their browsers' push subscriptions, checked
before they are kept (a push service's address, keys that encrypt), at most MAX_DEVICES."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import logging
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from sqlalchemy import CursorResult, delete, func, select

from app import audit
from app.domain.problems import Problem
from app.extensions import db
from app.models import (
    PushSubscription,
)

log = logging.getLogger("app.push")

MAX_DEVICES = 20


def device_label(user_agent: str) -> str:
    """A short, recognisable name for a device from its browser's user agent: product
    names only (such as "Chrome · Android"), so it needs no translating; "" if unknown."""
    ua = user_agent or ""
    device = next(
        (
            name
            for name, token in (
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("Chromebook", "CrOS"),
                ("Windows", "Windows"),
                ("Mac", "Macintosh"),
                ("Linux", "Linux"),
            )
            if token in ua
        ),
        "",
    )
    browser = next(
        (
            name
            for name, token in (
                ("Edge", "Edg/"),
                ("Firefox", "Firefox/"),
                ("Chrome", "Chrome/"),
                ("Safari", "Safari/"),
            )
            if token in ua
        ),
        "",
    )
    return " · ".join(part for part in (browser, device) if part)


class SubscriptionProblem(Problem):
    """A rule about phones' push subscriptions said no."""


_HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")


def allowed_hosts(config: Mapping) -> tuple[str, ...]:
    """PUSH_SERVICE_HOSTS as a tuple, whether it was set as a list or a comma-separated
    string (the environment's form)."""
    hosts = config.get("PUSH_SERVICE_HOSTS") or ()
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return tuple(h.strip().lower() for h in hosts if h and h.strip())


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def host_allowed(host: str, hosts: Iterable[str]) -> bool:
    """True if `host` is one of `hosts` exactly, or under a "*.example.com" one (a name
    under it, never example.com itself, never an IP address)."""
    for rule in hosts:
        if rule.startswith("*."):
            suffix = rule[1:]
            if host.endswith(suffix) and len(host) > len(suffix) and not _is_ip(host):
                return True
        elif host == rule:
            return True
    return False


def endpoint_problem(endpoint: str, hosts: Iterable[str], allow_http: bool = False) -> str | None:
    """Why the server must not post to this push endpoint, or None if it may: it must be
    https on port 443 (or, with PUSH_ALLOW_HTTP, for the tests, http and any port), with
    no user name or password, on one of the push services' hosts (PUSH_SERVICE_HOSTS)."""
    if not 0 < len(endpoint) <= 1000:
        return "the address is empty or too long"
    if not endpoint.isascii() or any(c.isspace() or c == "\\" or not c.isprintable() for c in endpoint):
        return "the address has characters a push service's never has"
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return "the address is not a URL"
    if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
        return "the address is not https"
    if "@" in parts.netloc:
        return "the address has a user name or password"
    host = parts.hostname or ""
    if not _HOST_NAME.fullmatch(host):
        return "the address's host is not a host name"
    if port is not None and port != 443 and not allow_http:
        return f"the address uses port {port}, not 443"
    if not host_allowed(host, hosts):
        return f"{host} is not a browser's push service (PUSH_SERVICE_HOSTS)"
    return None


def _b64url(text: str) -> bytes | None:
    if not _BASE64URL.fullmatch(text):
        return None
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except (binascii.Error, ValueError):
        return None


def keys_problem(p256dh: str, auth: str) -> str | None:
    """Why a subscription's keys cannot be encrypted for, or None: p256dh must be an
    uncompressed P-256 point and auth 16 bytes, both base64url (RFC 8291, section 3)."""
    raw = _b64url(p256dh) if len(p256dh) <= 200 else None
    if raw is None or len(raw) != 65 or raw[0] != 4:
        return "p256dh is not an uncompressed P-256 public key in base64url"
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "p256dh is not a point on P-256"
    secret = _b64url(auth) if len(auth) <= 100 else None
    if secret is None or len(secret) != 16:
        return "auth is not 16 bytes in base64url"
    return None


def save_subscription(user_id: int, data: Mapping, user_agent: str, now: datetime) -> PushSubscription:
    """Stores (or refreshes) this browser's subscription for the person using it now. A
    browser has one subscription; on a shared phone it follows whoever opened the app last.
    Raises SubscriptionProblem("bad_subscription") for one the server must not (an address
    that is not a browser's push service) or cannot (keys that do not encrypt) send to, and
    SubscriptionProblem("too_many")."""
    try:
        endpoint = str(data["endpoint"])
        keys = data["keys"]
        p256dh, auth = str(keys["p256dh"]), str(keys["auth"])
    except (KeyError, TypeError):
        raise SubscriptionProblem("bad_subscription", "no endpoint or keys") from None
    config = current_app.config
    problem = endpoint_problem(endpoint, allowed_hosts(config), bool(config.get("PUSH_ALLOW_HTTP"))) or (
        keys_problem(p256dh, auth)
    )
    if problem:
        raise SubscriptionProblem("bad_subscription", problem)
    row = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if row is None:
        count = db.session.execute(
            select(func.count()).where(PushSubscription.user_id == user_id)
        ).scalar_one()
        if count >= MAX_DEVICES:
            raise SubscriptionProblem("too_many")
        row = PushSubscription(endpoint=endpoint, created_at=now, user_id=user_id)
        db.session.add(row)
    new = row.id is None
    row.user_id, row.p256dh, row.auth = user_id, p256dh, auth
    row.device_label = device_label(user_agent)[:120]
    row.last_seen_at = now
    if new:
        db.session.flush()
        audit.record("push_device_added", actor_id=user_id, detail={"device": row.id})
    return row


def devices(user_id: int) -> list[PushSubscription]:
    return list(
        db.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.last_seen_at.desc())
        )
    )


def remove_device(user_id: int, subscription_id: int) -> bool:
    """Turns reminders off on one of the person's own devices."""
    # A DELETE gives a CursorResult; SQLAlchemy's types say Result.
    result = cast(
        CursorResult[Any],
        db.session.execute(
            delete(PushSubscription).where(
                PushSubscription.id == subscription_id, PushSubscription.user_id == user_id
            )
        ),
    )
    if result.rowcount:
        audit.record("push_device_removed", actor_id=user_id, detail={"device": subscription_id})
    return bool(result.rowcount)
