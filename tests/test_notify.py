"""SMS and email to staff about urgent alerts, through the official GOV.UK Notify client
against a fake Notify on 127.0.0.1 that checks what the real one checks."""

from __future__ import annotations

import logging
import socket
import threading
import time
import uuid
from collections import Counter
from datetime import date, timedelta

import jwt
import pytest
import requests
from sqlalchemy import select

from app.domain.reminders import Reason
from app.domain.roles import AllocationKind, CareStatus, Role
from app.domain.safety import Because
from app.extensions import db
from app.models import (
    Allocation,
    DeliveryState,
    Notification,
    NotifyDelivery,
    SafetyAlert,
    SafetyAlertRecipient,
    StaffCard,
    User,
    YoungPersonProfile,
)
from app.safety import notify
from app.safety.notify import NotifyResult, NotifySender, deliver_notify, queue_for
from app.timeutil import london_today
from tests.fake_notify import FakeNotify
from tests.test_push import Clock, noon

PUBLIC_URL = "https://care.northshire.example"
CHILD = "Maya Fenwick-Adeyemi"


@pytest.fixture
def fake():
    service = FakeNotify().start()
    yield service
    service.stop()


@pytest.fixture
def channels() -> tuple[str, ...]:
    """The channels the council set a template for (parametrized by some tests)."""
    return ("sms", "email")


@pytest.fixture
def app_settings(fake, channels):
    return {
        "NOTIFY_API_KEY": fake.api_key,
        "NOTIFY_BASE_URL": fake.url,
        "NOTIFY_SMS_TEMPLATE_ID": fake.sms_template.id if "sms" in channels else None,
        "NOTIFY_EMAIL_TEMPLATE_ID": fake.email_template.id if "email" in channels else None,
        "PUBLIC_URL": PUBLIC_URL,
    }


class People:
    """Builds staff with their staff cards, a young person, and urgent alerts for staff."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        with app.app_context():
            child = User(username="child", full_name=CHILD, role=Role.YOUNG_PERSON)
            profile = YoungPersonProfile(
                user=child,
                preferred_name="Maya",
                date_of_birth=date(2013, 1, 1),
                care_status=CareStatus.IN_CARE,
            )
            db.session.add_all([child, profile])
            db.session.commit()
            self.child_id = child.id

    def staff(self, phone: str | None = None, email: str | None = None, card: bool = True, **extra) -> int:
        self.count += 1
        with self.app.app_context():
            user = User(
                username=f"worker{self.count}",
                full_name=f"Worker {self.count}",
                role=Role.SOCIAL_WORKER,
                **extra,
            )
            db.session.add(user)
            db.session.flush()
            if card:
                db.session.add(StaffCard(user_id=user.id, phone=phone, email=email))
            db.session.commit()
            return user.id

    def alert(
        self, user_id: int, reason: Reason = Reason.URGENT_ALERT, because: Because = Because.DUTY
    ) -> int:
        self.count += 1
        with self.app.app_context():
            # A real alert the worker was told about (by default as the duty team, who may
            # see it whoever works with the young person).
            alert = SafetyAlert(young_person_id=self.child_id, raised_at=noon())
            alert.recipients.append(SafetyAlertRecipient(user_id=user_id, because=because, told_at=noon()))
            db.session.add(alert)
            db.session.flush()
            note = Notification(
                user_id=user_id,
                reason=reason,
                subject=f"alert:{alert.id}",
                dedupe_key=f"alert:{self.count}:{user_id}",
                young_person_id=self.child_id,
                url=f"/alerts/{alert.id}",
                created_at=noon(),
            )
            db.session.add(note)
            db.session.commit()
            return note.id


@pytest.fixture
def people(app):
    return People(app)


def queue(app, ids: list[int]) -> int:
    with app.app_context():
        added = queue_for(ids, noon())
        db.session.commit()
        return added


def queued(app) -> list[NotifyDelivery]:
    with app.app_context():
        return list(db.session.scalars(select(NotifyDelivery).order_by(NotifyDelivery.id)))


def deliver(app, clock: Clock, **options):
    with app.app_context():
        return deliver_notify(
            end_batch=db.session.commit, sender=NotifySender.from_config(app.config), clock=clock, **options
        )


# The fake checks what Notify checks --------------------------------------------------------


def post(fake: FakeNotify, authorization: str | None, data: dict | None = None, channel: str = "sms"):
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    body = data or {
        "phone_number": "07700 900123",
        "template_id": fake.sms_template.id,
        "personalisation": {"link": "https://x.example/a", "who": "a young person"},
    }
    return requests.post(f"{fake.url}/v2/notifications/{channel}", json=body, headers=headers, timeout=5)


def test_the_fake_accepts_a_token_made_as_the_official_client_makes_it(fake):
    answer = post(fake, f"Bearer {fake.token()}")
    assert answer.status_code == 201
    body = answer.json()
    assert set(body) >= {"id", "reference", "content", "uri", "template"}
    assert (
        body["content"]["body"] == "Care Companion: a young person needs help now. Open https://x.example/a"
    )
    assert body["template"]["id"] == fake.sms_template.id
    (message,) = fake.messages("+44 7700 900123")
    assert message.id == body["id"] and message.received_at <= message.answered_at


@pytest.mark.parametrize(
    ("make_header", "status", "message"),
    [
        (lambda f: None, 401, "Unauthorized: authentication token must be provided"),
        (lambda f: f"Basic {f.token()}", 401, "Unauthorized: authentication bearer scheme must be used"),
        (
            lambda f: (
                "Bearer " + jwt.encode({"iss": f.service_id, "iat": int(time.time())}, str(uuid.uuid4()))
            ),
            403,
            "Invalid token: API key not found",
        ),
        (lambda f: f"Bearer {f.token(iss=str(uuid.uuid4()))}", 403, "Invalid token: service not found"),
        (
            lambda f: "Bearer " + jwt.encode({"iat": int(time.time())}, f.secret, "HS256"),
            403,
            "Invalid token: iss field not provided",
        ),
        (
            lambda f: f"Bearer {f.token(iat=int(time.time()) - 60)}",
            403,
            "Error: Your system clock must be accurate to within 30 seconds",
        ),
        (
            lambda f: f"Bearer {f.token(iat=int(time.time()) + 60)}",
            403,
            "Error: Your system clock must be accurate to within 30 seconds",
        ),
        (
            lambda f: (
                "Bearer " + jwt.encode({"iss": f.service_id, "iat": int(time.time())}, f.secret, "HS512")
            ),
            403,
            "Invalid token: algorithm used is not HS256",
        ),
        (
            lambda f: "Bearer " + jwt.encode({"iss": f.service_id}, f.secret, "HS256"),
            403,
            "Invalid token: iat field not provided",
        ),
    ],
    ids=[
        "no-header",
        "not-bearer",
        "bad-signature",
        "wrong-iss",
        "no-iss",
        "old-iat",
        "future-iat",
        "hs512",
        "no-iat",
    ],
)
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the HS512 token
def test_the_fake_refuses_what_notify_refuses(fake, make_header, status, message):
    answer = post(fake, make_header(fake))
    assert answer.status_code == status
    assert answer.json() == {"status_code": status, "errors": [{"error": "AuthError", "message": message}]}
    assert fake.received == []


def test_a_token_29_seconds_old_is_still_good(fake):
    assert post(fake, f"Bearer {fake.token(iat=int(time.time()) - 29)}").status_code == 201


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone_number": "01632 960001"}, "phone_number Not a UK mobile number"),
        ({"phone_number": "07700 9001"}, "phone_number Not enough digits"),
        ({"phone_number": "call me"}, "phone_number Must not contain letters or symbols"),
        ({"template_id": "not-a-uuid"}, "template_id is not a valid UUID"),
        ({"template_id": "0b3f1f0e-7a3e-4b7e-9c55-9d2f0f8e2a11"}, "Template not found"),
        ({"personalisation": {"link": "https://x.example/a"}}, "Missing personalisation: who"),
    ],
)
def test_the_fake_validates_the_message_as_notify_does(fake, change, message):
    data = {
        "phone_number": "07700 900123",
        "template_id": fake.sms_template.id,
        "personalisation": {"link": "https://x.example/a", "who": "a young person"},
        **change,
    }
    answer = post(fake, f"Bearer {fake.token()}", data)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"] == message
    assert answer.json()["status_code"] == 400


def test_the_fake_checks_the_email_address_and_template_kind(fake):
    good = {"link": "https://x.example/a", "who": "a young person"}
    bad_address = {"email_address": "nobody@", "template_id": fake.email_template.id, "personalisation": good}
    wrong_kind = {
        "email_address": "a@b.example",
        "template_id": fake.sms_template.id,
        "personalisation": good,
    }
    first = post(fake, f"Bearer {fake.token()}", bad_address, channel="email")
    second = post(fake, f"Bearer {fake.token()}", wrong_kind, channel="email")
    assert (first.status_code, first.json()["errors"][0]["message"]) == (
        400,
        "email_address Not a valid email address",
    )
    assert (second.status_code, second.json()["errors"][0]["message"]) == (
        400,
        "sms template is not suitable for email notification",
    )


# The sender --------------------------------------------------------------------------------


def test_the_sender_gives_notifys_id_or_its_refusal_and_never_raises(fake):
    templates = {"sms": fake.sms_template.id, "email": fake.email_template.id}
    personalisation = {"link": "https://x.example/a", "who": "a young person"}
    sender = NotifySender(fake.api_key, templates, base_url=fake.url)
    sent = sender.send("email", "duty@northshire.example", personalisation, "notification-1-email")
    assert sent.ok and sent.status == 201
    (message,) = fake.messages()
    assert sent.notify_id == message.id and message.reference == "notification-1-email"

    other_key = f"other-{fake.service_id}-{uuid.uuid4()}"
    refused = NotifySender(other_key, templates, base_url=fake.url).send(
        "sms", "07700900123", personalisation, "r"
    )
    assert refused == NotifyResult(403, None, "AuthError: Invalid token: API key not found")

    fake.fail("07700900123", 500)
    assert sender.send("sms", "07700900123", personalisation, "r").status == 500

    with socket.socket() as sock:  # a port that nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    unreachable = NotifySender(fake.api_key, templates, base_url=f"http://127.0.0.1:{port}").send(
        "sms", "07700900123", personalisation, "r"
    )
    assert unreachable.status is None and "ConnectionError" in unreachable.error


def test_a_key_that_is_not_a_notify_key_is_refused_at_once():
    with pytest.raises(ValueError, match="NOTIFY_API_KEY"):
        NotifySender("not-a-key", {"sms": str(uuid.uuid4())}, base_url="https://api.example")


# Queueing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("channels", [("sms", "email"), ("sms",), ("email",)])
def test_queue_for_queues_each_configured_channel_the_card_has_once(app, people, channels):
    both = people.staff(phone="07700 900001", email="both@northshire.example")
    phone_only = people.staff(phone="07700 900002")
    email_only = people.staff(email="email@northshire.example")
    no_card = people.staff(card=False)
    blank = people.staff(phone="  ", email="")
    alerts = {who: people.alert(who) for who in (both, phone_only, email_only, no_card, blank)}
    reminder = people.alert(both, Reason.SIGN_OFF_WAITING)  # not an urgent alert: no SMS

    first = queue(app, [*alerts.values(), reminder])
    again = queue(app, list(alerts.values()))

    expected = {
        (alerts[both], "sms", "07700 900001"),
        (alerts[both], "email", "both@northshire.example"),
        (alerts[phone_only], "sms", "07700 900002"),
        (alerts[email_only], "email", "email@northshire.example"),
    }
    expected = {row for row in expected if row[1] in channels}
    rows = queued(app)
    assert {(r.notification_id, r.channel, r.address) for r in rows} == expected
    assert (first, again) == (len(expected), 0)
    assert all(r.state is DeliveryState.PENDING and r.attempts == 0 and r.due_at == noon() for r in rows)


def test_someone_whose_account_is_turned_off_gets_no_sms(app, people):
    gone = people.staff(phone="07700 900001", email="left@northshire.example", is_active=False)
    assert queue(app, [people.alert(gone)]) == 0


@pytest.mark.parametrize("channels", [()])
def test_without_a_template_nothing_is_queued(app, people, channels):
    worker = people.staff(phone="07700 900001", email="w@northshire.example")
    assert queue(app, [people.alert(worker)]) == 0
    assert queued(app) == []


@pytest.mark.parametrize(
    "app_settings", [{"NOTIFY_API_KEY": None, "NOTIFY_SMS_TEMPLATE_ID": str(uuid.uuid4())}]
)
def test_without_a_key_nothing_is_queued(app, people):
    worker = people.staff(phone="07700 900001", email="w@northshire.example")
    assert queue(app, [people.alert(worker)]) == 0
    assert queued(app) == []


# Delivering --------------------------------------------------------------------------------


def test_deliver_sends_through_notify_and_marks_rows_sent_with_notifys_id(app, people, fake):
    worker = people.staff(phone="07700 900001", email="priya@northshire.example")
    alert = people.alert(worker)
    queue(app, [alert])
    clock = Clock(noon())

    report = deliver(app, clock)
    again = deliver(app, clock)

    by_channel = {m.channel: m for m in fake.messages()}
    assert set(by_channel) == {"sms", "email"} and len(fake.received) == 2
    with app.app_context():
        url = db.session.get(Notification, alert).url
    for channel, message in by_channel.items():
        assert message.personalisation == {"link": PUBLIC_URL + url, "who": "a young person"}
        assert message.reference == f"notification-{alert}-{channel}"
    assert by_channel["sms"].to == "07700 900001"
    assert by_channel["sms"].template_id == fake.sms_template.id
    assert by_channel["email"].to == "priya@northshire.example"
    assert by_channel["email"].subject == "Urgent alert in Care Companion"
    assert (report.sent, report.retried, report.failed, again.sent) == (2, 0, 0, 0)
    for row in queued(app):
        assert row.state is DeliveryState.SENT and row.attempts == 1 and row.last_status == 201
        assert row.notify_id == by_channel[row.channel].id and row.sent_at == clock.now


def test_an_sms_for_a_worker_who_no_longer_works_with_the_young_person_is_not_sent(app, people, fake):
    worker = people.staff(phone="07700 900001", email="w@northshire.example")
    with app.app_context():
        allocation = Allocation(
            young_person_id=people.child_id,
            worker_id=worker,
            kind=AllocationKind.SOCIAL_WORKER,
            starts_on=london_today() - timedelta(days=10),
        )
        db.session.add(allocation)
        db.session.commit()
        allocation_id = allocation.id
    queue(app, [people.alert(worker, because=Because.SOCIAL_WORKER)])
    with app.app_context():
        db.session.get(Allocation, allocation_id).ends_on = london_today()
        db.session.commit()

    report = deliver(app, Clock(noon()))

    assert fake.messages() == [] and (report.sent, report.withheld) == (0, 2)
    assert {(row.state, row.attempts) for row in queued(app)} == {(DeliveryState.FAILED, 0)}


def test_no_sms_or_email_names_the_young_person(app, people, fake):
    workers = [people.staff(phone=f"07700 90000{n}", email=f"w{n}@northshire.example") for n in range(3)]
    queue(app, [people.alert(w) for w in workers])
    deliver(app, Clock(noon()))
    assert len(fake.messages()) == 6
    words = [part for part in CHILD.replace("-", " ").split()] + [CHILD]
    for message in fake.messages():
        text = " ".join(
            [
                message.body,
                message.subject or "",
                message.reference or "",
                *map(str, message.personalisation.values()),
            ]
        )
        assert not any(word.lower() in text.lower() for word in words), text


def test_a_failing_address_is_retried_then_failed_and_does_not_stop_the_others(app, people, fake, caplog):
    failing = people.staff(phone="07700 900001")
    fine = [people.staff(phone=f"07700 90001{n}", email=f"w{n}@northshire.example") for n in range(3)]
    queue(app, [people.alert(w) for w in [failing, *fine]])
    fake.fail("07700 900001", always=500)
    clock = Clock(noon())

    first = deliver(app, clock)
    assert (first.sent, first.retried) == (6, 1)
    (row,) = [r for r in queued(app) if r.address == "07700 900001"]
    assert row.state is DeliveryState.PENDING and row.attempts == 1 and row.last_status == 500
    assert row.due_at == clock.now + timedelta(seconds=30)
    assert "Internal server error" in row.last_error
    assert deliver(app, clock).retried == 0  # not due yet

    with caplog.at_level(logging.WARNING, logger="app.safety.notify"):
        for _ in range(4):
            clock.now += timedelta(hours=2)
            deliver(app, clock)
    (row,) = [r for r in queued(app) if r.address == "07700 900001"]
    assert row.state is DeliveryState.FAILED and row.attempts == notify.MAX_ATTEMPTS == 5
    assert Counter(r.state for r in queued(app)) == {DeliveryState.SENT: 6, DeliveryState.FAILED: 1}
    assert Counter(status for _, status, _ in fake.rejected) == {500: 5}
    assert any(
        "failed after 5 attempts" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR
    )


def test_too_many_requests_is_retried_and_then_sent(app, people, fake):
    worker = people.staff(phone="07700 900001")
    queue(app, [people.alert(worker)])
    fake.fail("07700 900001", 429)
    clock = Clock(noon())
    assert deliver(app, clock).retried == 1
    clock.now += timedelta(minutes=1)
    assert deliver(app, clock).sent == 1
    (row,) = queued(app)
    assert row.state is DeliveryState.SENT and row.attempts == 2


def test_a_number_notify_refuses_fails_at_once_with_notifys_reason(app, people, fake, caplog):
    landline = people.staff(phone="01632 960001", email="w@northshire.example")
    queue(app, [people.alert(landline)])
    with caplog.at_level(logging.ERROR, logger="app.safety.notify"):
        report = deliver(app, Clock(noon()))
    assert (report.sent, report.failed, report.retried) == (1, 1, 0)
    sms = next(r for r in queued(app) if r.channel == "sms")
    assert sms.state is DeliveryState.FAILED and sms.last_status == 400 and sms.attempts == 1
    assert sms.last_error == "ValidationError: phone_number Not a UK mobile number"
    assert any("refused" in r.getMessage() for r in caplog.records)


def test_notify_out_of_reach_is_retried(app, people):
    worker = people.staff(phone="07700 900001")
    queue(app, [people.alert(worker)])

    class Unreachable:
        def send(self, channel, address, personalisation, reference):
            return NotifyResult(None, error="ConnectionError: refused")

    with app.app_context():
        report = deliver_notify(end_batch=db.session.commit, sender=Unreachable(), clock=Clock(noon()))
    (row,) = queued(app)
    assert report.retried == 1 and row.state is DeliveryState.PENDING and row.last_status is None


def test_a_slow_address_does_not_delay_the_others(app, people, fake):
    slow = people.staff(phone="07700 900001")  # first in the queue
    others = [people.staff(phone=f"07700 90001{n}", email=f"w{n}@northshire.example") for n in range(4)]
    queue(app, [people.alert(w) for w in [slow, *others]])
    fake.slow("07700 900001", 2.0)

    started = time.monotonic()
    report = deliver(app, Clock(noon()), batch_size=50, max_workers=8)
    took = time.monotonic() - started

    (late,) = fake.messages("07700 900001")
    prompt = [m for m in fake.messages() if m is not late]
    assert report.sent == 9 and len(prompt) == 8
    assert late.answered_at - late.received_at >= 2.0
    assert all(m.received_at < late.answered_at - 1.0 for m in prompt), "the others waited for the slow one"
    assert took < 3.5


def test_only_sends_for_the_given_notifications(app, people, fake):
    first, second = people.staff(phone="07700 900001"), people.staff(phone="07700 900002")
    one, two = people.alert(first), people.alert(second)
    queue(app, [one, two])
    assert deliver(app, Clock(noon()), only=[two]).sent == 1
    assert [m.to for m in fake.messages()] == ["07700 900002"]


def test_two_runners_at_once_send_each_message_once(app, people, fake):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks (SKIP LOCKED) need PostgreSQL; SQLite runs one runner")
    workers = [people.staff(phone=f"07700 9001{n:02d}", email=f"w{n}@northshire.example") for n in range(12)]
    queue(app, [people.alert(w) for w in workers])
    for worker in range(12):
        fake.slow(f"07700 9001{worker:02d}", 0.05)
    start = threading.Barrier(2)
    reports, errors = [], []

    def runner():
        try:
            with app.app_context():
                start.wait()
                reports.append(
                    deliver_notify(
                        end_batch=db.session.commit,
                        sender=NotifySender.from_config(app.config),
                        clock=Clock(noon()),
                        batch_size=4,
                    )
                )
        except Exception as error:
            errors.append(error)
            raise

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert Counter(m.reference for m in fake.messages()).most_common(1)[0][1] == 1
    assert len(fake.messages()) == 24 == sum(r.sent for r in reports)
    assert all(r.sent for r in reports), "both runners should have sent some"
