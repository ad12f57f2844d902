"""Reminders in the database: devices, settings, the notification centre, and sending.

`send_due` is what `flask reminders send-due` runs: ask every source for candidates, let
the rule decide, record each reminder once (a unique dedupe key; a runner only queues
pushes for the rows it inserted itself), then deliver the queue. Delivery claims rows with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so runners on several hosts never send the
same row twice; SQLite has no row locks, so run one runner there.

Services take their collaborators (the clock, the push sender, sleep) as arguments.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import CursorResult, Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app import audit
from app.domain import reminders as rules
from app.domain.problems import Problem
from app.domain.reminders import Candidate, Kind, Reason, Recipient, Reminder
from app.extensions import db
from app.models import (
    DeliveryState,
    Notification,
    PushDelivery,
    PushSubscription,
    ReminderSettings,
    User,
    YoungPersonProfile,
)
from app.push import visibility
from app.push.sender import CANNOT_BE_MADE, PushResult, WebPushSender
from app.push.sources import SOURCES, Source
from app.push.words import DISCREET, SAYS, URGENT_DISCREET
from app.timeutil import london_date

log = logging.getLogger("app.push")

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
CHUNK = 500
# How urgently a push service should wake the phone (RFC 8030, section 5.3).
URGENCY = {
    Reason.URGENT_ALERT: "high",
    Reason.ALERT_TAKEN_ON: "high",
    Reason.REVIEW_TOMORROW: "high",
    Reason.TEST: "high",
    Reason.PRACTISE_SKILLS: "low",
}
MAX_DEVICES = 20

Clock = Callable[[], datetime]


class Sender(Protocol):
    """What the services need from a push sender (WebPushSender, or a test's own)."""

    def send(self, subscription: dict, payload: bytes, *, ttl: int, urgency: str) -> PushResult: ...


def sender_from_config(config: Mapping) -> WebPushSender:
    return WebPushSender(
        config.get("VAPID_PRIVATE_KEY") or "",
        config["VAPID_SUBJECT"],
        timeout=config.get("PUSH_TIMEOUT_SECONDS", 10.0),
    )


def push_configured(config: Mapping) -> bool:
    return bool(config.get("VAPID_PRIVATE_KEY") and config.get("VAPID_PUBLIC_KEY"))


# Devices ---------------------------------------------------------------------------------


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


# Settings --------------------------------------------------------------------------------


def settings_for(user_id: int) -> ReminderSettings:
    row = db.session.get(ReminderSettings, user_id)
    return row or ReminderSettings(user_id=user_id, show_details=False, muted=[])


def save_settings(user_id: int, show_details: bool, muted: Iterable[str], now: datetime) -> None:
    row = db.session.get(ReminderSettings, user_id)
    if row is None:
        row = ReminderSettings(user_id=user_id)
        db.session.add(row)
    row.show_details = bool(show_details)
    row.muted = sorted({Kind(k).value for k in muted})
    row.updated_at = now
    audit.record("reminder_settings", actor_id=user_id)


# The notification centre ------------------------------------------------------------------


def unread_count(user_id: int, today: date) -> int:
    """Unread notifications the person may still follow (visibility.readable): one
    statement, and a few more (not one a row) only when some are about a young person."""
    unread = db.session.execute(
        select(
            Notification.user_id, Notification.reason, Notification.young_person_id, Notification.subject
        ).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).all()
    return len(visibility.readable(unread, today))


def notifications(user_id: int, today: date, limit: int = 50) -> list[Notification]:
    """The person's newest notifications that they may still follow."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return visibility.readable(rows, today)


def mark_read(user_id: int, notification_id: int | None, now: datetime, today: date) -> Notification | None:
    """Marks one notification read (or all, with None). Another person's, or one about a
    young person they may no longer see, is not found."""
    if notification_id is None:
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=now)
        )
        return None
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user_id or not visibility.readable([row], today):
        return None
    if row.read_at is None:
        row.read_at = now
    return row


# Collecting and recording ------------------------------------------------------------------


def collect(now: datetime, sources: Mapping[str, Source] | None = None) -> list[Candidate]:
    """Every candidate from every source. A source that fails is logged, and the others
    still run (a bug in one reminder must not stop all the others)."""
    found: list[Candidate] = []
    for name, fn in (SOURCES if sources is None else sources).items():
        try:
            # A savepoint each: on PostgreSQL a failed query spoils the transaction it ran in.
            with db.session.begin_nested():
                found.extend(fn(now))
        except Exception:
            log.exception("reminder source %s failed", name)
    return found


def recipients(person_ids: Iterable[int]) -> dict[int, Recipient]:
    ids = sorted(set(person_ids))
    people: dict[int, Recipient] = {}
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            select(
                User.id,
                User.role,
                User.is_active,
                YoungPersonProfile.date_of_birth,
                ReminderSettings.muted,
            )
            .outerjoin(YoungPersonProfile, YoungPersonProfile.user_id == User.id)
            .outerjoin(ReminderSettings, ReminderSettings.user_id == User.id)
            .where(User.id.in_(ids[start : start + CHUNK]))
        )
        for uid, role, active, dob, muted in rows:
            kinds = frozenset(Kind(k) for k in (muted or []) if k in Kind._value2member_map_)
            people[uid] = Recipient(uid, role, dob, kinds, active)
    return people


def recorded_keys(keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(
            db.session.scalars(
                select(Notification.dedupe_key).where(
                    Notification.dedupe_key.in_(keys[start : start + CHUNK])
                )
            )
        )
    return found


def flush() -> None:
    """How a batch ends inside a request: written, and committed with the request."""
    db.session.flush()


def insert_ignoring_duplicates():
    """The dialect's INSERT that takes ON CONFLICT DO NOTHING (PostgreSQL or SQLite)."""
    return pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert


def record(reminders: list[Reminder], now: datetime) -> list[int]:
    """Records each reminder once and queues a push for each of the person's devices.
    A reminder another runner recorded first is skipped (ON CONFLICT DO NOTHING), so its
    pushes are queued by that runner only. Returns the new notifications' ids. They are
    part of what the caller is doing (an urgent alert's notifications are committed with
    the alert, or not at all)."""
    created: list[int] = []
    for start in range(0, len(reminders), CHUNK):
        chunk = reminders[start : start + CHUNK]
        by_key = {r.dedupe_key: r for r in chunk}
        rows = [
            {
                "user_id": r.candidate.person_id,
                "reason": r.candidate.reason.value,
                "subject": r.candidate.subject[:200],
                "dedupe_key": r.dedupe_key,
                "young_person_id": r.candidate.young_person_id,
                "url": r.candidate.url[:255],
                "created_at": now,
            }
            for r in chunk
        ]
        statement = (
            insert_ignoring_duplicates()(Notification)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Notification.id, Notification.user_id, Notification.dedupe_key)
        )
        inserted = db.session.execute(statement).all()
        if not inserted:
            continue
        user_ids = {user_id for _, user_id, _ in inserted}
        devices_of: dict[int, list[int]] = {}
        for sub_id, user_id in db.session.execute(
            select(PushSubscription.id, PushSubscription.user_id).where(
                PushSubscription.user_id.in_(user_ids)
            )
        ):
            devices_of.setdefault(user_id, []).append(sub_id)
        queue = [
            {
                "notification_id": notification_id,
                "subscription_id": sub_id,
                "state": DeliveryState.PENDING.value,
                "due_at": by_key[key].send_after,
                "attempts": 0,
            }
            for notification_id, user_id, key in inserted
            for sub_id in devices_of.get(user_id, [])
        ]
        if queue:
            db.session.execute(cast(Table, PushDelivery.__table__).insert(), queue)
        created.extend(notification_id for notification_id, _, _ in inserted)
    return created


def remind(candidates: Iterable[Candidate], now: datetime) -> tuple[list[Reminder], list[int]]:
    """Decides which candidates are due (rules.decide) and records them."""
    # A source's facts can be older than a relationship's end (or end today).
    candidates = visibility.readable(candidates, london_date(now), person=attrgetter("person_id"))
    people = recipients(c.person_id for c in candidates)
    known = recorded_keys({c.dedupe_key for c in candidates})
    due = rules.decide(candidates, people, now, already_sent=known.__contains__)
    return due, record(due, now)


# Delivering --------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    sent: int = 0
    gone: int = 0
    retried: int = 0
    failed: int = 0
    withheld: int = 0  # the reader may no longer see the young person it is about
    recorded: int = 0
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, status: int | None) -> None:
        key = status or 0
        self.statuses[key] = self.statuses.get(key, 0) + 1


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """Doubling from 30 seconds, at most an hour; never sooner than the push service asked."""
    wait = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


class PayloadMaker:
    """The bytes each push carries: the app's name and "You have something new", unless the
    person chose to show details. Built in the person's language; cached per language,
    reason and choice, since the words are the same for everyone."""

    def __init__(self, app_name: str, default_locale: str):
        self.app_name = app_name
        self.default_locale = default_locale
        self._cache: dict[tuple, str] = {}

    def body(self, reason: Reason, show_details: bool, locale: str | None) -> str:
        urgent = reason is Reason.URGENT_ALERT
        key = (locale or self.default_locale, reason if show_details or urgent else None, show_details)
        if key not in self._cache:
            words = SAYS[reason] if show_details else URGENT_DISCREET if urgent else DISCREET
            with force_locale(key[0]):
                self._cache[key] = str(words)
        return self._cache[key]

    def __call__(self, notification: Notification, show_details: bool, locale: str | None) -> bytes:
        body = self.body(notification.reason, show_details, locale)
        # An alert's address says nothing about who it is for, and saves a tap.
        urgent = notification.reason is Reason.URGENT_ALERT
        url = notification.url if show_details or urgent else "/notifications"
        return json.dumps(
            {"title": self.app_name, "body": body, "url": url, "tag": f"n{notification.id}"},
            ensure_ascii=False,
        ).encode()


def claim_due(queue, now: datetime, batch_size: int, only: Iterable[int] | None) -> list:
    """Locks up to `batch_size` due rows of a delivery queue (PushDelivery, or Notify's
    NotifyDelivery); other runners skip them (SKIP LOCKED on PostgreSQL)."""
    query = (
        select(queue)
        .where(queue.state == DeliveryState.PENDING, queue.due_at <= now)
        .order_by(queue.due_at, queue.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    if only is not None:
        query = query.where(queue.notification_id.in_(list(only)))
    return list(db.session.scalars(query))


def worth_retrying(status: int | None) -> bool:
    """No answer, too many requests, or the service's own fault: it may work later."""
    return status is None or status == 429 or status >= 500


def retry_or_give_up(row, report, what: str, status, error, now: datetime, retry_after=None) -> None:
    """For a delivery (push or Notify) that may work later: try again after a backoff, up
    to MAX_ATTEMPTS, then mark it failed. Every outcome is logged."""
    row.last_error = error
    if row.attempts >= MAX_ATTEMPTS:
        row.state = DeliveryState.FAILED
        report.failed += 1
        log.error("%s failed after %s attempts: %s %s", what, row.attempts, status, error)
    else:
        row.due_at = now + backoff(row.attempts, retry_after)
        report.retried += 1
        log.warning("%s: %s %s; trying again at %s", what, status, error, row.due_at.isoformat())


def _claim(now: datetime, batch_size: int, only: Iterable[int] | None) -> list[PushDelivery]:
    return claim_due(PushDelivery, now, batch_size, only)


def deliver(
    *,
    sender: Sender,
    clock: Clock,
    sleep: Callable[[float], None] = time.sleep,
    ttl: int = 24 * 60 * 60,
    app_name: str = "Care Companion",
    default_locale: str = "en_GB",
    batch_size: int = 100,
    max_wait: float = 30.0,
    only: Iterable[int] | None = None,
    report: DeliveryReport | None = None,
    end_batch: Callable[[], None] = flush,
) -> DeliveryReport:
    """Sends every queued push that is due, each exactly once.

    A batch of rows is claimed (locked; other runners skip them), sent, marked and ended
    with `end_batch`: the senders (CLI commands) pass a commit, so each batch's locks are
    released and what was sent is kept however the run ends; in a request it is a flush,
    and the request commits once. 2xx: sent. 404/410: the device is gone; its subscription
    is deleted. 429 and 5xx (and no answer at all): tried again later, backing off and
    respecting Retry-After, up to MAX_ATTEMPTS; a retry due within `max_wait` seconds is
    waited for in this run. Any other answer: failed. A message that cannot be made (a
    stored key that does not encrypt, an endpoint not on PUSH_SERVICE_HOSTS) fails at once,
    without stopping the rest of the batch. Every failure is logged."""
    report = report or DeliveryReport()
    only = list(only) if only is not None else None
    make_payload = PayloadMaker(app_name, default_locale)
    while True:
        rows = _claim(clock(), batch_size, only)
        if not rows:
            end_batch()
            wait = _next_retry_within(clock(), max_wait, only)
            if wait is None:
                return report
            sleep(wait)
            continue
        gone = _send_batch(rows, sender, clock, ttl, make_payload, report)
        end_batch()
        if gone:
            # Deleted after the batch's locks are released, so two runners that both
            # learn a device is gone never wait on each other.
            db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
            end_batch()


def _next_retry_within(now: datetime, max_wait: float, only) -> float | None:
    if max_wait <= 0:
        return None
    query = select(func.min(PushDelivery.due_at)).where(
        PushDelivery.state == DeliveryState.PENDING,
        PushDelivery.due_at <= now + timedelta(seconds=max_wait),
    )
    if only is not None:
        query = query.where(PushDelivery.notification_id.in_(only))
    soonest = db.session.scalar(query)
    if soonest is None:
        return None
    return max((soonest - now).total_seconds(), 0.0)


def _send_batch(rows, sender, clock, ttl, make_payload, report, max_workers: int = 8) -> set[int]:
    """Sends one claimed batch side by side in up to `max_workers` threads, so one slow or
    failing push service delays nobody else. Everything a send needs is gathered first and
    the rows are marked afterwards, here: the threads never touch the database."""
    notification_ids = {row.notification_id for row in rows}
    subscription_ids = {row.subscription_id for row in rows}
    notes = {
        n.id: n for n in db.session.scalars(select(Notification).where(Notification.id.in_(notification_ids)))
    }
    subs = {
        s.id: s
        for s in db.session.scalars(select(PushSubscription).where(PushSubscription.id.in_(subscription_ids)))
    }
    people = {
        uid: (show, locale)
        for uid, show, locale in db.session.execute(
            select(User.id, ReminderSettings.show_details, User.locale)
            .outerjoin(ReminderSettings, ReminderSettings.user_id == User.id)
            .where(User.id.in_({n.user_id for n in notes.values()}))
        )
    }
    config = current_app.config
    hosts, allow_http = allowed_hosts(config), bool(config.get("PUSH_ALLOW_HTTP"))
    # Queued while the person could see the young person; they may not any more.
    still_readable = {n.id for n in visibility.readable(notes.values(), london_date(clock()))}
    jobs = []  # (row, subscription id, the send's arguments)
    for row in rows:
        note = notes[row.notification_id]
        sub = subs.get(row.subscription_id)
        if note.id not in still_readable:
            row.state, row.last_error = DeliveryState.FAILED, "not sent: the person may no longer see this"
            report.withheld += 1
            log.info("push delivery %s withheld: its reader may no longer see the young person", row.id)
            continue
        if sub is None or sub.user_id != note.user_id:
            # Turned off, or the phone now belongs to someone else.
            row.state = DeliveryState.GONE
            report.gone += 1
            continue
        # Saved before these checks, or PUSH_SERVICE_HOSTS has changed since: never posted to.
        problem = endpoint_problem(sub.endpoint, hosts, allow_http)
        if problem:
            _fail(row, report, f"not sent: {problem}")
            continue
        show, locale = people.get(note.user_id, (False, None))
        payload = make_payload(note, bool(show), locale)
        jobs.append((row, sub.id, (sub.info(), payload, URGENCY.get(note.reason, "normal"))))

    def send(job) -> PushResult:
        info, payload, urgency = job[2]
        try:
            return sender.send(info, payload, ttl=ttl, urgency=urgency)
        except Exception as error:  # one send that fails must not lose the others' results
            log.exception("push delivery %s: the sender failed", job[0].id)
            # A key or encoding error fails the same way every time; anything else (the
            # network, say) may not.
            permanent = isinstance(error, CANNOT_BE_MADE) and not isinstance(error, OSError)
            return PushResult(None, error=f"{type(error).__name__}: {error}"[:500], permanent=permanent)

    results: list[PushResult] = []
    if jobs:
        with ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs)))) as pool:
            results = list(pool.map(send, jobs))
    gone: set[int] = set()
    for (row, sub_id, _), result in zip(jobs, results, strict=True):
        now = clock()
        row.attempts += 1
        row.last_status = result.status
        report.count(result.status)
        if result.permanent:
            _fail(row, report, result.error or "the message could not be made")
        elif result.ok:
            row.state, row.sent_at, row.last_error = DeliveryState.SENT, now, None
            report.sent += 1
        elif result.status in (404, 410):
            row.state, row.last_error = DeliveryState.GONE, result.error
            report.gone += 1
            if sub_id not in gone:
                log.info("push subscription %s is gone (%s); deleting it", sub_id, result.status)
            gone.add(sub_id)
        elif worth_retrying(result.status):
            retry_or_give_up(
                row, report, f"push delivery {row.id}", result.status, result.error, now, result.retry_after
            )
        else:
            row.state, row.last_error = DeliveryState.FAILED, result.error
            report.failed += 1
            log.error("push delivery %s refused: %s %s", row.id, result.status, result.error)
    return gone


def _fail(row: PushDelivery, report: DeliveryReport, reason: str) -> None:
    row.state, row.last_error = DeliveryState.FAILED, reason[:500]
    report.failed += 1
    log.error("push delivery %s (subscription %s) failed: %s", row.id, row.subscription_id, reason)


def send_due(
    *,
    sender: Sender,
    clock: Clock,
    sleep: Callable[[float], None] = time.sleep,
    sources: Mapping[str, Source] | None = None,
    end_batch: Callable[[], None] = flush,
    **deliver_options,
) -> DeliveryReport:
    """What `flask reminders send-due` does: collect, decide, record, deliver. What is
    recorded is ended as a batch of its own before anything is sent."""
    now = clock()
    _, created = remind(collect(now, sources), now)
    end_batch()
    report = DeliveryReport(recorded=len(created))
    return deliver(
        sender=sender, clock=clock, sleep=sleep, report=report, end_batch=end_batch, **deliver_options
    )


def send_test(user_id: int, *, sender: Sender, clock: Clock, **deliver_options) -> DeliveryReport:
    """ "Send me a test": a notification now (never held or muted) to every device."""
    now = clock()
    candidate = Candidate(user_id, Reason.TEST, f"test:{now.isoformat()}", None, "/reminders")
    reminders = rules.decide([candidate], recipients([user_id]), now)
    created = record(reminders, now)
    return deliver(sender=sender, clock=clock, only=created, max_wait=0, **deliver_options)


def deliver_options(config: Mapping) -> dict:
    return {
        "ttl": int(config.get("PUSH_TTL_SECONDS", 24 * 60 * 60)),
        "app_name": config["APP_NAME"],
        "default_locale": config.get("BABEL_DEFAULT_LOCALE", "en_GB"),
    }
