"""GOV.UK Notify: an SMS or email to staff told about an urgent alert, so a duty worker
without the app installed is reached.

`queue_for` puts one row per notification and channel in the queue (NotifyDelivery) when
the council set a template for the channel and the person's staff card has a work phone or
email. `deliver_notify` sends what is due, like app.push.delivery.deliver: rows are claimed
with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL), so runners on several hosts never send
the same row twice, each claim is committed before sending and each result after (a runner
that dies leaves only what it had in flight), and the sends run side by side in threads,
so one slow or failing call to Notify delays nobody else.

Nothing sent says who the young person is: the templates get a link into the app and a
discreet phrase ("a young person"). Templates take ((link)) and ((who)).

Services take their collaborators (the sender, the clock) as arguments and never commit;
`deliver_notify` ends each claim and each result with what its caller passes (the senders
pass a commit, as for push delivery).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import requests
from flask import current_app
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import select

from app.clean_input import clean_text
from app.domain.reminders import Reason
from app.extensions import db
from app.models import DeliveryState, Notification, NotifyDelivery, StaffCard, User
from app.push import visibility
from app.push.delivery import (  # the same claims, retry rule and limit as push
    MAX_ATTEMPTS,  # noqa: F401 (the limit, re-exported: a Notify message is tried as often)
    DeliveryReport,
    Outcome,
    claim_due,
    flush,
    insert_ignoring_duplicates,
    retry_or_give_up,
    runner_name,
    send_in_flight,
    take,
    worth_retrying,
    write_outcomes,
)
from app.timeutil import london_date

log = logging.getLogger("app.safety.notify")

CHANNELS = ("sms", "email")
WITHHELD = "not sent: the person may no longer see this"
# What the SMS or email says about who needs help. Never a name: a text message shows on a
# locked phone's screen, and an email may be read by whoever shares the inbox. In English,
# like the council's templates in Notify that it goes into.
WHO = "a young person"
# A key is "{name}-{service id}-{secret}"; the client reads the last 73 characters.
_UUID = r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}"
API_KEY = re.compile(rf"^.+-{_UUID}-{_UUID}$", re.IGNORECASE)
CHUNK = 500

Clock = Callable[[], datetime]


def notify_configured(config: Mapping) -> bool:
    """True when the council gave an API key and at least one template."""
    return bool(
        config.get("NOTIFY_API_KEY")
        and (config.get("NOTIFY_SMS_TEMPLATE_ID") or config.get("NOTIFY_EMAIL_TEMPLATE_ID"))
    )


def _templates(config: Mapping) -> dict[str, str]:
    """The channels the council set a template for, with their template ids."""
    found = {"sms": config.get("NOTIFY_SMS_TEMPLATE_ID"), "email": config.get("NOTIFY_EMAIL_TEMPLATE_ID")}
    return {channel: str(template) for channel, template in found.items() if template}


# Sending one message ---------------------------------------------------------------------


@dataclass(frozen=True)
class NotifyResult:
    """What Notify said. `status` is None when it could not be reached; `notify_id` is
    Notify's id for an accepted message."""

    status: int | None
    notify_id: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Sender(Protocol):
    """What deliver_notify needs from a sender (NotifySender, or a test's own). Called from
    several threads at once."""

    def send(self, channel: str, address: str, personalisation: dict, reference: str) -> NotifyResult: ...


def _describe(error: APIError, response: requests.Response) -> str:
    """Notify's own words for a refusal: "ValidationError: phone_number Not a UK mobile
    number", joined when there are several; the page itself when it is not Notify's JSON
    (a proxy's error page, say)."""
    try:
        response.json()
    except ValueError:
        # Stored with the delivery: cleaned like any text from outside (PostgreSQL refuses a NUL).
        return clean_text(f"{response.reason or ''} {response.text or ''}").strip()[:500]
    message = error.message
    if isinstance(message, list):
        message = "; ".join(
            f"{item.get('error', '')}: {item.get('message', '')}" if isinstance(item, dict) else str(item)
            for item in message
        )
    return str(message)[:500]


class NotifySender:
    """Sends one SMS or email with the official client. The client keeps a requests
    session and is not thread-safe, so each send makes its own (sends run in threads).
    Never raises for what Notify answers: the caller decides what a status means."""

    def __init__(self, api_key: str, templates: Mapping[str, str], *, base_url: str, timeout: float = 10.0):
        if not api_key or not API_KEY.match(api_key):
            raise ValueError("NOTIFY_API_KEY is not a Notify API key ({name}-{service id}-{secret})")
        self.api_key = api_key
        self.templates = dict(templates)
        self.base_url = base_url
        self.timeout = timeout

    @classmethod
    def from_config(cls, config: Mapping, *, timeout: float = 10.0) -> NotifySender:
        return cls(
            config.get("NOTIFY_API_KEY") or "",
            _templates(config),
            base_url=config["NOTIFY_BASE_URL"],
            timeout=timeout,
        )

    def client(self) -> NotificationsAPIClient:
        return NotificationsAPIClient(self.api_key, base_url=self.base_url, timeout=self.timeout)

    def send(self, channel: str, address: str, personalisation: dict, reference: str) -> NotifyResult:
        template = self.templates.get(channel)
        if template is None:
            return NotifyResult(None, error=f"no template for {channel}")
        client = self.client()
        try:
            if channel == "sms":
                answer = client.send_sms_notification(
                    address, template, personalisation=personalisation, reference=reference
                )
            elif channel == "email":
                answer = client.send_email_notification(
                    address, template, personalisation=personalisation, reference=reference
                )
            else:
                raise ValueError(f"unknown channel {channel!r}")
        except APIError as error:
            # HTTPError for an error status, or no answer at all (no response: the client
            # then says 503, but nothing was heard); InvalidResponse for a 2xx without JSON.
            if error.response is None:
                cause = error.__cause__
                return NotifyResult(None, error=f"{type(cause or error).__name__}: {cause or error}"[:500])
            return NotifyResult(error.response.status_code, error=_describe(error, error.response))
        except requests.RequestException as error:
            return NotifyResult(None, error=f"{type(error).__name__}: {error}"[:500])
        finally:
            client.request_session.close()
        notify_id = answer.get("id") if isinstance(answer, dict) else None
        return NotifyResult(201, str(notify_id) if notify_id else None)


# Queueing --------------------------------------------------------------------------------


def queue_for(notification_ids: Iterable[int], now: datetime) -> int:
    """Queues an SMS (when the council set an SMS template and the person's staff card has a
    work phone) and an email (an email template and a work email) for each urgent-alert
    notification given. Other reasons, and people whose account is turned off, are skipped.
    Queued once per notification and channel, however often it is called (ON CONFLICT DO
    NOTHING). Nothing when Notify is not configured. Returns how many rows it added."""
    config = current_app.config
    if not notify_configured(config):
        return 0
    templates = _templates(config)
    ids = sorted(set(notification_ids))
    added = 0
    for start in range(0, len(ids), CHUNK):
        found = db.session.execute(
            select(Notification.id, StaffCard.phone, StaffCard.email)
            .join(User, User.id == Notification.user_id)
            .join(StaffCard, StaffCard.user_id == Notification.user_id)
            .where(
                Notification.id.in_(ids[start : start + CHUNK]),
                Notification.reason == Reason.URGENT_ALERT,
                User.is_active.is_(True),
            )
        )
        rows = [
            {
                "notification_id": notification_id,
                "channel": channel,
                "address": address.strip()[:200],
                "state": DeliveryState.PENDING.value,
                "due_at": now,
                "attempts": 0,
            }
            for notification_id, phone, email in found
            for channel, address in (("sms", phone), ("email", email))
            if channel in templates and address and address.strip()
        ]
        if not rows:
            continue
        statement = (
            insert_ignoring_duplicates()(NotifyDelivery)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["notification_id", "channel"])
            .returning(NotifyDelivery.id)
        )
        added += len(db.session.execute(statement).all())
    return added


# Delivering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """Everything one send needs, gathered when it is claimed (the threads never touch the
    database or the session)."""

    row_id: int
    attempts: int
    channel: str
    address: str
    personalisation: dict
    reference: str


def _send_one(sender: Sender, job: _Job) -> NotifyResult:
    try:
        return sender.send(job.channel, job.address, job.personalisation, job.reference)
    except Exception as error:  # a bug in one send must not lose the others' results
        log.exception("notify delivery %s: the sender failed", job.row_id)
        return NotifyResult(None, error=f"{type(error).__name__}: {error}"[:500])


def deliver_notify(
    *,
    sender: Sender,
    clock: Clock,
    batch_size: int = 50,
    max_workers: int = 8,
    only: Iterable[int] | None = None,
    public_url: str | None = None,
    report: DeliveryReport | None = None,
    end_batch: Callable[[], None] = flush,
) -> DeliveryReport:
    """Sends every queued SMS and email that is due, each once.

    As app.push.delivery.deliver does: rows are claimed a few at a time (locked; other
    runners skip them), marked SENDING with the attempt counted and a lease, and the claim
    ended with `end_batch` (a commit in the senders) before they are sent side by side in up
    to `max_workers` threads; each result is ended as soon as it is known. A runner that
    dies leaves only the messages it had in flight, taken again when their lease is over.
    2xx: sent, with Notify's id. 429, 5xx and no answer at all: tried again later
    (app.push.delivery.backoff) up to MAX_ATTEMPTS, then failed. Any other answer (a bad
    number or address, a bad key): failed, with Notify's reason. Every failure is logged.
    Retries wait for the next run."""
    report = report or DeliveryReport()
    only = list(only) if only is not None else None
    base = (public_url if public_url is not None else current_app.config["PUBLIC_URL"]).rstrip("/")
    runner = runner_name()

    def claim(n: int) -> list[_Job] | None:
        now = clock()
        rows = claim_due(NotifyDelivery, now, min(n, batch_size), only)
        if not rows:
            return None
        notes = list(
            db.session.scalars(
                select(Notification).where(Notification.id.in_({row.notification_id for row in rows}))
            )
        )
        urls = {n.id: n.url for n in notes}
        # Queued while the person could see the young person; they may not any more.
        readable = {n.id for n in visibility.readable(notes, london_date(now))}
        jobs = []
        for row in rows:
            if row.notification_id not in readable:
                row.state, row.last_error = DeliveryState.FAILED, WITHHELD
                report.withheld += 1
            elif take(row, now, runner, report, f"notify delivery {row.id} ({row.channel})"):
                jobs.append(
                    _Job(
                        row.id,
                        row.attempts,
                        row.channel,
                        row.address,
                        {"link": base + urls[row.notification_id], "who": WHO},
                        f"notification-{row.notification_id}-{row.channel}",
                    )
                )
        db.session.flush()
        return jobs

    def finish(done: list[tuple[_Job, NotifyResult]]) -> None:
        now = clock()
        write_outcomes(NotifyDelivery, [_outcome(job, result, now, report) for job, result in done])

    send_in_flight(claim, lambda job: _send_one(sender, job), finish, end_batch, max_workers)
    end_batch()
    return report


def _outcome(job: _Job, result: NotifyResult, now: datetime, report: DeliveryReport) -> Outcome:
    row = Outcome(job.row_id, job.attempts, last_status=result.status)
    report.count(result.status)
    if result.ok:
        # An error on a 2xx is Notify's answer without JSON: accepted, so never sent again.
        row.state, row.sent_at, row.extra["notify_id"] = DeliveryState.SENT, now, result.notify_id
        row.last_error = result.error
        report.sent += 1
    elif worth_retrying(result.status):
        retry_or_give_up(
            row, report, f"notify delivery {row.id} ({job.channel})", result.status, result.error, now
        )
    else:
        row.state, row.last_error = DeliveryState.FAILED, result.error
        report.failed += 1
        log.error("notify delivery %s (%s) refused: %s %s", row.id, job.channel, result.status, result.error)
    return row
