"""Reminders recorded and sent.

`send_due` is what `flask reminders send-due` runs: ask every source for candidates, let
the rule decide, record each reminder once (a unique dedupe key; a runner only queues
pushes for the rows it inserted itself), then deliver the queue. Delivery claims rows with
SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so runners on several hosts never send the
same row twice; SQLite has no row locks, so run one runner there. Each claim is committed
before its pushes are sent, and each result after, so a runner that dies leaves only the
pushes it had in flight, taken again when their lease is over.

Services take their collaborators (the clock, the push sender, sleep) as arguments.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import queue
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Protocol, cast

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.domain import reminders as rules
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
from app.push.devices import allowed_hosts, endpoint_problem
from app.push.sender import CANNOT_BE_MADE, PushResult, WebPushSender
from app.push.sources import SOURCES, Source
from app.push.words import DISCREET, SAYS, URGENT_DISCREET
from app.timeutil import london_date

log = logging.getLogger("app.push")

MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# How long a claim holds a row: far longer than a send can take (PUSH_TIMEOUT_SECONDS,
# NOTIFY's 10 seconds). A row still being sent after it was claimed by a runner that died.
LEASE = timedelta(minutes=5)
CHUNK = 500
# How urgently a push service should wake the phone (RFC 8030, section 5.3).
URGENCY = {
    Reason.URGENT_ALERT: "high",
    Reason.ALERT_TAKEN_ON: "high",
    Reason.REVIEW_TOMORROW: "high",
    Reason.TEST: "high",
    Reason.PRACTISE_SKILLS: "low",
}

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


def runner_name() -> str:
    """Who claims a delivery ("host:pid"), kept with the claim for whoever reads the queue."""
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def claim_due(queue, now: datetime, batch_size: int, only: Iterable[int] | None) -> list:
    """Locks up to `batch_size` due rows of a delivery queue (PushDelivery, or Notify's
    NotifyDelivery); other runners skip them (SKIP LOCKED on PostgreSQL). Due means pending
    and due, or claimed by a runner whose lease (due_at) has passed: it died while sending."""
    query = (
        select(queue)
        .where(queue.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]), queue.due_at <= now)
        .order_by(queue.due_at, queue.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
        # In a request the session still holds rows from the last claim, as they were then.
        .execution_options(populate_existing=True)
    )
    if only is not None:
        query = query.where(queue.notification_id.in_(list(only)))
    return list(db.session.scalars(query))


def take(row, now: datetime, runner: str, report: DeliveryReport, what: str) -> bool:
    """Marks a claimed row as being sent: SENDING, the attempt counted, a lease until
    now + LEASE (then another runner may take it). False, and the row failed, when a runner
    died sending it for the last of its MAX_ATTEMPTS (it may have arrived; it is not sent
    again). The caller commits the claim before sending."""
    if row.state is DeliveryState.SENDING:
        log.warning("%s: %s stopped while sending it (claimed at %s)", what, row.claimed_by, row.claimed_at)
        if row.attempts >= MAX_ATTEMPTS:
            row.state = DeliveryState.FAILED
            row.last_error = f"gave up: the runner stopped while sending it, {row.attempts} times"
            report.failed += 1
            log.error("%s failed after %s attempts: its runners stopped while sending it", what, row.attempts)
            return False
    row.state, row.claimed_at, row.claimed_by = DeliveryState.SENDING, now, runner
    row.attempts += 1
    row.due_at = now + LEASE
    return True


@dataclass
class Outcome:
    """What became of one send, as the columns to write (the row itself stays in the session
    that claimed it: the results are written by primary key, in one statement for many)."""

    id: int
    attempts: int
    state: DeliveryState = DeliveryState.SENDING
    due_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    extra: dict = field(default_factory=dict)

    def values(self) -> dict:
        found = {
            "id": self.id,
            "state": self.state,
            "last_status": self.last_status,
            "last_error": self.last_error,
        }
        if self.due_at is not None:
            found["due_at"] = self.due_at
        if self.sent_at is not None:
            found["sent_at"] = self.sent_at
        return found | self.extra


def write_outcomes(model, outcomes: list[Outcome]) -> None:
    """The results of some sends, by primary key (PushDelivery or NotifyDelivery)."""
    if outcomes:
        db.session.execute(update(model), [o.values() for o in outcomes])


def send_in_flight(
    claim: Callable[[int], list | None],
    send: Callable,
    finish: Callable[[list], None],
    end_batch: Callable[[], None],
    max_workers: int,
) -> None:
    """Keeps up to `max_workers` sends going side by side in threads, so one slow or failing
    service delays nobody else, and claims only what it can send at once: `claim(n)` claims
    up to n rows and gives their jobs (None when nothing was due); the claim is ended with
    `end_batch` (committed) before they are sent. As sends finish, `finish(done)` writes their
    results, committed (end_batch) at once, or with the claim that follows at once (one
    commit for both: SQLite waits for the disk at each), so a runner that dies leaves only
    the sends it had in flight to be tried again after their lease. The threads never touch
    the database. Something other than an Exception from a send (the runner stopping) goes
    up after the sends not yet started are cancelled."""
    finished: queue.SimpleQueue = queue.SimpleQueue()
    pending: set[Future] = set()
    in_flight, more = 0, True

    def may_claim() -> bool:
        return more and in_flight <= max_workers // 2

    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="deliver") as pool:
        try:
            while more or in_flight:
                if may_claim():
                    jobs = claim(max(1, max_workers - in_flight))
                    end_batch()  # the claim is kept before anything is sent
                    if jobs is None:
                        more = False
                    for job in jobs or []:
                        future = pool.submit(send, job)
                        future.add_done_callback(functools.partial(_put, finished, job))
                        pending.add(future)
                        in_flight += 1
                    continue
                done = [finished.get()]
                while True:
                    try:
                        done.append(finished.get_nowait())
                    except queue.Empty:
                        break
                in_flight -= len(done)
                pending.difference_update(future for _, future in done)
                finish([(job, future.result()) for job, future in done])
                if not may_claim():
                    end_batch()
        except BaseException:
            for future in pending:
                future.cancel()
            raise


def _put(finished: queue.SimpleQueue, job, future: Future) -> None:
    finished.put((job, future))


def worth_retrying(status: int | None) -> bool:
    """No answer, too many requests, or the service's own fault: it may work later."""
    return status is None or status == 429 or status >= 500


def retry_or_give_up(row, report, what: str, status, error, now: datetime, retry_after=None) -> None:
    """For a delivery (push or Notify) that may work later: back in the queue after a
    backoff, up to MAX_ATTEMPTS, then marked failed. Every outcome is logged."""
    row.last_error = error
    if row.attempts >= MAX_ATTEMPTS:
        row.state = DeliveryState.FAILED
        report.failed += 1
        log.error("%s failed after %s attempts: %s %s", what, row.attempts, status, error)
    else:
        row.state = DeliveryState.PENDING
        row.due_at = now + backoff(row.attempts, retry_after)
        report.retried += 1
        log.warning("%s: %s %s; trying again at %s", what, status, error, row.due_at.isoformat())


@dataclass(frozen=True)
class _Push:
    """Everything one send needs, gathered when it is claimed."""

    row_id: int
    attempts: int
    subscription_id: int
    info: dict
    payload: bytes
    urgency: str


def deliver(
    *,
    sender: Sender,
    clock: Clock,
    sleep: Callable[[float], None] = time.sleep,
    ttl: int = 24 * 60 * 60,
    app_name: str = "Care Companion",
    default_locale: str = "en_GB",
    batch_size: int = 100,
    max_workers: int = 16,
    max_wait: float = 30.0,
    only: Iterable[int] | None = None,
    report: DeliveryReport | None = None,
    end_batch: Callable[[], None] = flush,
) -> DeliveryReport:
    """Sends every queued push that is due, each exactly once.

    Rows are claimed a few at a time (at most `batch_size`, and no more than the
    `max_workers` threads can send at once): locked, so other runners skip them, checked,
    and marked SENDING with the attempt counted and a lease of LEASE; the claim is ended
    with `end_batch` before anything is sent, and each result as soon as it is known. The
    senders (CLI commands) pass a commit, so a runner that dies leaves only the pushes it
    had in flight, taken again when their lease is over (such a push may arrive twice;
    nothing is lost). In a request it is a flush, and the request commits once: a request
    that fails keeps nothing, its notification included. 2xx: sent. 404/410: the device is
    gone; its subscription is deleted. 429 and 5xx (and no answer at all): tried again
    later, backing off and respecting Retry-After, up to MAX_ATTEMPTS; a retry due within
    `max_wait` seconds is waited for in this run. Any other answer: failed. A message that
    cannot be made (a stored key that does not encrypt, an endpoint not on
    PUSH_SERVICE_HOSTS) fails at once, without stopping the others. Every failure is
    logged."""
    report = report or DeliveryReport()
    only = list(only) if only is not None else None
    make_payload = PayloadMaker(app_name, default_locale)
    runner = runner_name()

    def send(job: _Push) -> PushResult:
        try:
            return sender.send(job.info, job.payload, ttl=ttl, urgency=job.urgency)
        except Exception as error:  # one send that fails must not lose the others' results
            log.exception("push delivery %s: the sender failed", job.row_id)
            # A key or encoding error fails the same way every time; anything else (the
            # network, say) may not.
            permanent = isinstance(error, CANNOT_BE_MADE) and not isinstance(error, OSError)
            return PushResult(None, error=f"{type(error).__name__}: {error}"[:500], permanent=permanent)

    gone: set[int] = set()

    def claim(n: int) -> list[_Push] | None:
        return _claim_pushes(clock, min(n, batch_size), only, make_payload, report, runner)

    def finish(done: list[tuple[_Push, PushResult]]) -> None:
        now = clock()
        write_outcomes(PushDelivery, [_outcome(job, result, now, report, gone) for job, result in done])

    while True:
        send_in_flight(claim, send, finish, end_batch, max_workers)
        if gone:
            # Deleted in a transaction of its own, so two runners that both learn a device
            # is gone never wait on each other's claims.
            db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(gone)))
            gone.clear()
        end_batch()
        wait = _next_retry_within(clock(), max_wait, only)
        if wait is None:
            return report
        sleep(wait)


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


def _claim_pushes(clock, batch_size, only, make_payload, report, runner) -> list[_Push] | None:
    """Claims up to `batch_size` due pushes and gathers what each send needs. A push that
    must not be sent (its reader may no longer see the young person, its device is gone,
    its endpoint is not allowed) is finished here, never sent nor counted as an attempt.
    None when nothing was due."""
    now = clock()
    rows = claim_due(PushDelivery, now, batch_size, only)
    if not rows:
        return None
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
    still_readable = {n.id for n in visibility.readable(notes.values(), london_date(now))}
    jobs = []
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
        if not take(row, now, runner, report, f"push delivery {row.id}"):
            continue
        show, locale = people.get(note.user_id, (False, None))
        payload = make_payload(note, bool(show), locale)
        jobs.append(
            _Push(row.id, row.attempts, sub.id, sub.info(), payload, URGENCY.get(note.reason, "normal"))
        )
    db.session.flush()
    return jobs


def _outcome(
    job: _Push, result: PushResult, now: datetime, report: DeliveryReport, gone: set[int]
) -> Outcome:
    row = Outcome(job.row_id, job.attempts, last_status=result.status)
    report.count(result.status)
    if result.permanent:
        row.state = DeliveryState.FAILED
        row.last_error = (result.error or "the message could not be made")[:500]
        report.failed += 1
        log.error(
            "push delivery %s (subscription %s) failed: %s", row.id, job.subscription_id, row.last_error
        )
    elif result.ok:
        row.state, row.sent_at = DeliveryState.SENT, now
        report.sent += 1
    elif result.status in (404, 410):
        row.state, row.last_error = DeliveryState.GONE, result.error
        report.gone += 1
        if job.subscription_id not in gone:
            log.info("push subscription %s is gone (%s); deleting it", job.subscription_id, result.status)
        gone.add(job.subscription_id)
    elif worth_retrying(result.status):
        retry_or_give_up(
            row, report, f"push delivery {row.id}", result.status, result.error, now, result.retry_after
        )
    else:
        row.state, row.last_error = DeliveryState.FAILED, result.error
        report.failed += 1
        log.error("push delivery %s refused: %s %s", row.id, result.status, result.error)
    return row


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
