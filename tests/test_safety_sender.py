"""An urgent alert reaches staff's phones within seconds: the safety sender runs as its own
process (as `make run` starts it) against the same database; a push service on 127.0.0.1
checks every VAPID signature and decrypts every message, and a Notify API on 127.0.0.1
checks the client's JWT and records the SMS and emails. When the sender is down,
`reminders send-due` sends the same alerts, and nothing is sent twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import NotifyDelivery, PushDelivery
from app.push import devices
from app.push.sender import generate_keys
from app.timeutil import now_utc
from tests.conftest import csrf_token, sign_in
from tests.fake_notify import FakeNotify
from tests.fake_push import FakePushService

REPO = Path(__file__).resolve().parents[1]
PRIVATE, PUBLIC = generate_keys()
# Whoever the rule tells at this moment (Priya in her hours, else duty or out of hours).
STAFF = ("priya", "nia", "ezra", "hana", "kim")


@pytest.fixture
def notify():
    fake = FakeNotify().start()
    yield fake
    fake.stop()
    assert fake.rejected == [], fake.rejected


def _notify_settings(fake: FakeNotify) -> dict[str, str]:
    return {
        "NOTIFY_API_KEY": fake.api_key,
        "NOTIFY_BASE_URL": fake.url,
        "NOTIFY_SMS_TEMPLATE_ID": fake.sms_template.id,
        "NOTIFY_EMAIL_TEMPLATE_ID": fake.email_template.id,
        "PUBLIC_URL": "https://care.northshire.example",
    }


@pytest.fixture
def app_settings(notify):
    return {
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": True,
        "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
        **_notify_settings(notify),
    }


@pytest.fixture
def push():
    fake = FakePushService(expected_key=PUBLIC).start()
    yield fake
    fake.stop()
    assert fake.problems == [], fake.problems


def _subscribe_staff(app, demo, push) -> dict[str, str]:
    endpoints = {}
    with app.app_context():
        for name in STAFF:
            info = push.subscription()
            devices.save_subscription(demo[name], info, "Mozilla/5.0 (Android) Chrome/140.0", now_utc())
            endpoints[name] = info["endpoint"]
        db.session.commit()
    return endpoints


def _send_not_safe(app) -> float:
    maya = app.test_client()
    assert sign_in(maya, "maya").status_code == 302
    token = csrf_token(maya, "/not-safe")
    pressed = time.monotonic()
    response = maya.post("/not-safe", data={"csrf_token": token, "place": "", "body": "Help"})
    assert response.status_code == 302
    return pressed


def _told_endpoints(push, endpoints) -> list:
    """Pushes about an alert (others, such as reviews due, go to /notifications)."""
    return [
        r
        for url in endpoints.values()
        for r in push.delivered(url)
        if r.payload["url"].startswith("/alerts/")
    ]


@pytest.fixture
def sender_process(database_url, push, notify):
    env = {
        **os.environ,
        "APP_ENV": "development",
        "DATABASE_URL": database_url,
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": "1",
        "PUSH_SERVICE_HOSTS": "127.0.0.1",
        **_notify_settings(notify),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "safety", "sender", "--interval", "0.5"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    print(output)


def test_push_sms_and_email_leave_within_ten_seconds_of_pressing_send(
    app, demo, push, notify, sender_process
):
    endpoints = _subscribe_staff(app, demo, push)
    pressed = _send_not_safe(app)
    deadline = pressed + 10

    def arrived():
        channels = {m.channel for m in notify.messages()}
        # Every member of staff the rule can tell has a work mobile on their card.
        return _told_endpoints(push, endpoints) and "sms" in channels

    while time.monotonic() < deadline and not arrived():
        assert sender_process.poll() is None, "the sender stopped"
        time.sleep(0.1)
    received = _told_endpoints(push, endpoints)
    assert received, "no push within 10 seconds"
    assert all(r.urgency == "high" for r in received)
    assert all(r.payload["body"] == "Urgent: please open the app now." for r in received)
    assert all(r.payload["url"].startswith("/alerts/") for r in received)
    messages = notify.messages()
    assert "sms" in {m.channel for m in messages}, "no SMS within 10 seconds"
    for message in messages:
        assert "https://care.northshire.example/alerts/" in message.body
        assert "Maya" not in message.body and "Fenwick" not in message.body


def test_with_the_sender_down_send_due_sends_it_and_nothing_twice(app, demo, push, notify, runner):
    endpoints = _subscribe_staff(app, demo, push)
    _send_not_safe(app)
    assert not _told_endpoints(push, endpoints)
    first = runner.invoke(args=["reminders", "send-due", "--max-wait", "0"])
    assert first.exit_code == 0, first.output
    sent = len(_told_endpoints(push, endpoints))
    assert sent >= 1
    again = runner.invoke(args=["safety", "sender", "--once"])
    assert again.exit_code == 0, again.output
    assert runner.invoke(args=["reminders", "send-due", "--max-wait", "0"]).exit_code == 0
    assert len(_told_endpoints(push, endpoints)) == sent
    with app.app_context():
        states = set(db.session.scalars(select(PushDelivery.state)))
        queued = db.session.scalar(select(func.count(NotifyDelivery.id)))
    assert {s.value for s in states} == {"sent"}
    assert len(notify.messages()) == queued >= 1
