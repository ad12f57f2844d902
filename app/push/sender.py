"""Sending one push message with pywebpush and VAPID (RFC 8030, 8291, 8292)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

# A VAPID token may live up to 24 hours (RFC 8292, section 2); each send gets a new one.
CLAIMS_LIFETIME = 12 * 60 * 60


@dataclass(frozen=True)
class PushResult:
    """What the push service said. `status` is None when it could not be reached."""

    status: int | None
    retry_after: float | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait, from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


class WebPushSender:
    """Encrypts a payload for one subscription (aes128gcm) and posts it with a freshly
    signed VAPID token. Never raises for what the push service answers: the caller decides
    what a status means."""

    def __init__(
        self,
        private_key: str,
        subject: str,
        *,
        session: requests.Session | None = None,
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ):
        if not private_key:
            raise ValueError("VAPID_PRIVATE_KEY is not set; make one with `flask push keys`")
        self.vapid = Vapid.from_string(private_key)
        self.subject = subject
        self.session = session or requests.Session()
        self.timeout = timeout
        self.clock = clock

    def claims_for(self, endpoint: str) -> dict:
        parts = urlsplit(endpoint)
        return {
            "sub": self.subject,
            "aud": f"{parts.scheme}://{parts.netloc}",
            "exp": int(self.clock()) + CLAIMS_LIFETIME,
        }

    def send(self, subscription: dict, payload: bytes, *, ttl: int, urgency: str) -> PushResult:
        try:
            webpush(
                subscription,
                data=payload,
                vapid_private_key=self.vapid,
                vapid_claims=self.claims_for(subscription["endpoint"]),
                ttl=ttl,
                headers={"Urgency": urgency},
                requests_session=self.session,
                timeout=self.timeout,
            )
        except WebPushException as error:
            response = error.response
            if response is None:
                return PushResult(None, error=str(error)[:500])
            return PushResult(
                response.status_code,
                parse_retry_after(response.headers.get("Retry-After"), self.clock()),
                (response.text or response.reason or "")[:500],
            )
        except requests.RequestException as error:
            return PushResult(None, error=f"{type(error).__name__}: {error}"[:500])
        return PushResult(201)


def generate_keys() -> tuple[str, str]:
    """A new VAPID key pair: (private key, public key), both base64url as the environment
    and the browser's applicationServerKey want them."""
    from cryptography.hazmat.primitives import serialization
    from py_vapid.utils import b64urlencode

    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64urlencode(private), b64urlencode(public)
