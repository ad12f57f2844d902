"""Pushes and Notify messages are sent once, even when a runner dies (issue 14, part 5).

A runner's death is a BaseException from the sender (`RunnerDied`): nothing in the
delivery code catches it, so it goes up as a kill would stop the process, and the test
then throws away whatever the runner had not committed. Each claim is committed before
its send and each result after, so what is left is only what was in flight: taken again
when its lease is over, and counted as an attempt."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.reminders import Candidate, Reason
from app.extensions import db
from app.models import DeliveryState, NotifyDelivery, PushDelivery
from app.push import delivery
from app.push.sender import PushResult
from app.safety.notify import NotifySender, deliver_notify
from tests import factories
from tests.fake_notify import FakeNotify
from tests.fake_push import FakePushService
from tests.test_notify import PUBLIC_URL, People, queue, queued
from tests.test_push import PRIVATE, PUBLIC, Clock, deliveries, noon, sender, subscribe


class RunnerDied(BaseException):
    """The process stopping (a kill, the machine going down) in the middle of a run."""


@pytest.fixture
def notify():
    service = FakeNotify().start()
    yield service
    service.stop()


@pytest.fixture
def app_settings(notify):
    return {
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": True,
        "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
        "NOTIFY_API_KEY": notify.api_key,
        "NOTIFY_BASE_URL": notify.url,
        "NOTIFY_SMS_TEMPLATE_ID": notify.sms_template.id,
        "NOTIFY_EMAIL_TEMPLATE_ID": notify.email_template.id,
        "PUBLIC_URL": PUBLIC_URL,
    }


@pytest.fixture
def push():
    fake = FakePushService(expected_key=PUBLIC).start()
    yield fake
    fake.stop()
    assert fake.problems == [], fake.problems


class Dying:
    """A sender that sends the first `sends` messages with `real`, then dies at the next
    one, after waiting (at most 10 seconds) for `ready`: the results before it committed."""

    def __init__(self, real, sends: int = 0, ready: threading.Event | None = None):
        self.real, self.sends, self.ready = real, sends, ready
        self.calls = 0
        self.lock = threading.Lock()

    def send(self, *args, **kwargs):
        with self.lock:
            self.calls += 1
            call = self.calls
        if call > self.sends:
            if self.ready is not None:
                self.ready.wait(10)
            raise RunnerDied
        return self.real.send(*args, **kwargs)


def carer_with_devices(app, push: FakePushService, how_many: int) -> tuple[int, list[str]]:
    with factories.records(app):
        carer = factories.create_carer().id
    return carer, [subscribe(app, carer, push)["endpoint"] for _ in range(how_many)]


def a_reminder(person_id: int):
    # A staff reason: quiet hours never hold it.
    return {"t": lambda now: [Candidate(person_id, Reason.SIGN_OFF_WAITING, "progress:1:1", None)]}


def send_due(app, clock: Clock, sender, **options):
    with app.app_context():
        return delivery.send_due(
            end_batch=db.session.commit, sender=sender, clock=clock, sleep=clock.sleep, max_wait=0, **options
        )


def dies(app, fn) -> None:
    """Runs `fn` in an app context until its runner dies, then loses what it had not committed."""
    with app.app_context():
        with pytest.raises(RunnerDied):
            fn()
        db.session.rollback()


def states(app) -> Counter:
    return Counter(d.state for d in deliveries(app))


# Web push ----------------------------------------------------------------------------------


def test_a_runner_that_dies_after_claiming_and_before_sending_leaves_nothing_sent_twice(app, push):
    carer, endpoints = carer_with_devices(app, push, 3)
    clock = Clock(noon())
    dies(app, lambda: send_due(app, clock, Dying(sender()), sources=a_reminder(carer)))

    assert push.delivered() == []
    rows = deliveries(app)
    assert {(d.state, d.attempts) for d in rows} == {(DeliveryState.SENDING, 1)}
    assert all(d.claimed_at == clock.now and d.claimed_by for d in rows)
    assert all(d.due_at == clock.now + delivery.LEASE for d in rows)

    # Another run before the lease is over leaves them alone: they may still be on their way.
    assert send_due(app, clock, sender()).sent == 0
    assert push.delivered() == []

    clock.now += delivery.LEASE
    report = send_due(app, clock, sender())
    assert report.sent == 3
    assert Counter(r.token for r in push.delivered()) == {e.rsplit("/", 1)[1]: 1 for e in endpoints}
    assert {(d.state, d.attempts) for d in deliveries(app)} == {(DeliveryState.SENT, 2)}
    assert send_due(app, clock, sender()).sent == 0


def test_a_runner_that_dies_after_sending_some_leaves_only_the_one_in_flight(app, push):
    carer, endpoints = carer_with_devices(app, push, 4)
    clock = Clock(noon())
    two_sent = threading.Event()

    def end_batch():
        db.session.commit()
        sent = db.session.scalar(
            select(func.count()).select_from(PushDelivery).where(PushDelivery.state == DeliveryState.SENT)
        )
        if sent >= 2:
            two_sent.set()

    def run():
        delivery.send_due(
            end_batch=end_batch,
            sender=Dying(sender(), sends=2, ready=two_sent),
            clock=clock,
            max_wait=0,
            max_workers=1,  # one at a time, so "in flight" is exactly one
            sources=a_reminder(carer),
        )

    dies(app, run)

    assert len(push.delivered()) == 2
    # Two sent and kept, one in flight when it died, one never claimed.
    assert states(app) == {DeliveryState.SENT: 2, DeliveryState.SENDING: 1, DeliveryState.PENDING: 1}

    assert send_due(app, clock, sender()).sent == 1  # the one never claimed
    clock.now += delivery.LEASE
    assert send_due(app, clock, sender()).sent == 1  # the one in flight, after its lease
    assert Counter(r.token for r in push.delivered()) == {e.rsplit("/", 1)[1]: 1 for e in endpoints}
    assert states(app) == {DeliveryState.SENT: 4}
    (retried,) = [d for d in deliveries(app) if d.attempts == 2]
    assert retried.sent_at == clock.now


def test_a_push_whose_runner_died_on_its_last_attempt_is_failed_not_sent_again(app, push):
    carer, _ = carer_with_devices(app, push, 1)
    clock = Clock(noon())
    send_due(app, clock, sender(), sources={"t": lambda now: []})
    with app.app_context():
        delivery.record(
            delivery.rules.decide(a_reminder(carer)["t"](clock.now), delivery.recipients([carer]), clock.now),
            clock.now,
        )
        row = db.session.scalars(select(PushDelivery)).one()
        row.state, row.attempts, row.due_at = DeliveryState.SENDING, delivery.MAX_ATTEMPTS, clock.now
        db.session.commit()

    report = send_due(app, clock, sender())

    assert (report.sent, report.failed) == (0, 1)
    assert push.delivered() == []
    (row,) = deliveries(app)
    assert (row.state, row.attempts) == (DeliveryState.FAILED, delivery.MAX_ATTEMPTS)
    assert "stopped while sending" in row.last_error


def test_a_retried_push_goes_back_to_the_queue_with_its_attempt_counted_once(app, push):
    carer, (endpoint,) = carer_with_devices(app, push, 1)
    push.answer(endpoint, 503)
    clock = Clock(noon())
    assert send_due(app, clock, sender(), sources=a_reminder(carer)).retried == 1
    (row,) = deliveries(app)
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.PENDING, 1, 503)
    assert row.due_at == clock.now + delivery.backoff(1, None)


def test_a_send_that_raises_an_error_is_a_result_not_a_dead_runner(app, push):
    carer, _ = carer_with_devices(app, push, 2)

    class Broken:
        def send(self, *args, **kwargs) -> PushResult:
            raise ConnectionError("network down")

    report = send_due(app, Clock(noon()), Broken(), sources=a_reminder(carer))
    assert report.retried == 2
    assert states(app) == {DeliveryState.PENDING: 2}


# GOV.UK Notify -------------------------------------------------------------------------------


def notify_run(app, clock: Clock, sender, **options):
    with app.app_context():
        return deliver_notify(end_batch=db.session.commit, sender=sender, clock=clock, **options)


def test_notify_a_runner_that_dies_before_sending_leaves_nothing_sent_twice(app, notify):
    people = People(app)
    workers = [people.staff(phone=f"07700 90010{n}", email=f"w{n}@northshire.example") for n in range(2)]
    queue(app, [people.alert(w) for w in workers])
    clock = Clock(noon())
    real = NotifySender.from_config(app.config)

    dies(app, lambda: deliver_notify(end_batch=db.session.commit, sender=Dying(real), clock=clock))

    assert notify.messages() == []
    assert {(r.state, r.attempts) for r in queued(app)} == {(DeliveryState.SENDING, 1)}
    assert all(r.claimed_by for r in queued(app))
    assert notify_run(app, clock, real).sent == 0

    clock.now += delivery.LEASE
    assert notify_run(app, clock, real).sent == 4
    assert Counter(m.reference for m in notify.messages()).most_common(1)[0][1] == 1
    assert len(notify.messages()) == 4
    assert {(r.state, r.attempts) for r in queued(app)} == {(DeliveryState.SENT, 2)}


def test_notify_a_runner_that_dies_after_sending_some_leaves_only_the_one_in_flight(app, notify):
    people = People(app)
    workers = [people.staff(phone=f"07700 90010{n}", email=f"w{n}@northshire.example") for n in range(2)]
    queue(app, [people.alert(w) for w in workers])
    clock = Clock(noon())
    real = NotifySender.from_config(app.config)
    two_sent = threading.Event()

    def end_batch():
        db.session.commit()
        if sum(r.state is DeliveryState.SENT for r in db.session.scalars(select(NotifyDelivery))) >= 2:
            two_sent.set()

    dies(
        app,
        lambda: deliver_notify(
            end_batch=end_batch, sender=Dying(real, sends=2, ready=two_sent), clock=clock, max_workers=1
        ),
    )

    assert len(notify.messages()) == 2
    assert Counter(r.state for r in queued(app)) == {
        DeliveryState.SENT: 2,
        DeliveryState.SENDING: 1,
        DeliveryState.PENDING: 1,
    }
    assert notify_run(app, clock, real).sent == 1
    clock.now += delivery.LEASE
    assert notify_run(app, clock, real).sent == 1
    assert len(notify.messages()) == 4
    assert Counter(m.reference for m in notify.messages()).most_common(1)[0][1] == 1
    assert Counter(r.state for r in queued(app)) == {DeliveryState.SENT: 4}


def test_notify_a_message_past_its_lease_is_counted_as_an_attempt(app, notify):
    people = People(app)
    queue(app, [people.alert(people.staff(phone="07700 900101"))])
    clock = Clock(noon())
    with app.app_context():
        (row,) = db.session.scalars(select(NotifyDelivery)).all()
        row.state, row.attempts, row.due_at = DeliveryState.SENDING, 2, clock.now - timedelta(seconds=1)
        db.session.commit()
    assert notify_run(app, clock, NotifySender.from_config(app.config)).sent == 1
    (row,) = queued(app)
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.SENT, 3, 201)
