"""Two `send-due` runs at the same moment (as on two hosts) send each reminder once: the
notification's unique dedupe key records it once, and the delivery queue is claimed with
SELECT ... FOR UPDATE SKIP LOCKED. PostgreSQL only: SQLite has no row locks and runs a
single runner."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.domain.reminders import Candidate, Reason
from app.extensions import db
from app.models import DeliveryState, Notification, PushDelivery
from app.push import service
from app.push.sender import WebPushSender
from tests.fake_push import FakePushService
from tests.test_push import PRIVATE, PUBLIC, Clock, noon

REMINDERS_EACH = 6


@pytest.fixture
def app_settings():
    return {
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": True,
        "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
    }


@pytest.fixture
def push():
    fake = FakePushService(expected_key=PUBLIC, delay=0.01).start()
    yield fake
    fake.stop()
    assert fake.problems == []


def test_two_runners_at_once_send_each_reminder_once(app, demo, push):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks (SKIP LOCKED) need PostgreSQL; SQLite runs one runner")
        for user_id in demo.values():
            service.save_subscription(user_id, push.subscription(), "", noon())
        db.session.commit()
    # A staff reason, so quiet hours never hold any of them.
    candidates = [
        Candidate(user_id, Reason.SIGN_OFF_WAITING, f"progress:{n}:1", None)
        for user_id in demo.values()
        for n in range(REMINDERS_EACH)
    ]
    sources = {"all": lambda now: list(candidates)}
    start = threading.Barrier(2)
    reports, errors = [], []

    def runner():
        try:
            with app.app_context():
                start.wait()
                reports.append(
                    service.send_due(
                        end_batch=db.session.commit,
                        sender=WebPushSender(PRIVATE, "mailto:test@example.com"),
                        clock=Clock(noon()),
                        sources=sources,
                        batch_size=5,
                        max_wait=0,
                    )
                )
        except Exception as error:  # reported below, with the thread's traceback lost
            errors.append(error)
            raise

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []

    total = len(candidates)
    received = Counter(r.payload["tag"] for r in push.delivered())
    assert len(received) == total
    assert set(received.values()) == {1}, "a reminder was pushed twice"
    assert sum(r.sent for r in reports) == total
    assert all(r.sent for r in reports), "both runners should have sent some: they ran together"
    assert sum(r.recorded for r in reports) == total
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == total
        states = Counter(db.session.scalars(select(PushDelivery.state)))
    assert states == {DeliveryState.SENT: total}
