"""One bad push subscription never stops push for everyone, and the server posts only to
the browsers' push services (issue 12, findings 2 and 3)."""

from __future__ import annotations

import base64
import logging
import socket

import pytest
from sqlalchemy import select

from app.config import _list
from app.domain.reminders import Candidate, Reason
from app.extensions import db
from app.models import DeliveryState, PushDelivery, PushSubscription, User
from app.push import service
from app.push.sender import PushResult
from tests.conftest import csrf_token
from tests.fake_push import FakePushService, b64url
from tests.test_push import PRIVATE, PUBLIC, Clock, deliveries, noon, post_json, run, subscribe

REAL_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.notify.windows.com",
    "web.push.apple.com",
)
GOOD_KEYS = FakePushService.keys_sample()
# 65 bytes that start like an uncompressed point but are not on the curve.
OFF_CURVE = b64url(b"\x04" + b"\x01" * 64)


@pytest.fixture
def app_settings():
    return {
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": True,
        "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
        # Short, so that a push service that hangs is given up on quickly in the tests.
        "PUSH_TIMEOUT_SECONDS": 1.5,
    }


@pytest.fixture
def push():
    fake = FakePushService(expected_key=PUBLIC).start()
    yield fake
    fake.stop()
    assert fake.problems == [], fake.problems


def store_unchecked(app, user_id: int, endpoint: str, p256dh: str, auth: str) -> int:
    """A row saved before these checks existed: straight into the table."""
    with app.app_context():
        row = PushSubscription(
            user_id=user_id,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            device_label="",
            created_at=noon(),
            last_seen_at=noon(),
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def delivery_for(app, subscription_id: int) -> PushDelivery:
    with app.app_context():
        return db.session.scalar(select(PushDelivery).where(PushDelivery.subscription_id == subscription_id))


# Keys are checked when a browser saves them ---------------------------------------------------


@pytest.mark.parametrize(
    ("p256dh", "auth", "what"),
    [
        ("not base64!", GOOD_KEYS["auth"], "p256dh"),
        (b64url(b"\x04" + b"\x01" * 10), GOOD_KEYS["auth"], "p256dh"),  # too short
        (OFF_CURVE, GOOD_KEYS["auth"], "p256dh"),
        (GOOD_KEYS["p256dh"][:-4], GOOD_KEYS["auth"], "p256dh"),
        (GOOD_KEYS["p256dh"], b64url(b"x" * 15), "auth"),
        (GOOD_KEYS["p256dh"], "not base64!", "auth"),
        (GOOD_KEYS["p256dh"], "", "auth"),
    ],
)
def test_keys_that_cannot_be_encrypted_for_are_refused_on_save(client, login_as, push, p256dh, auth, what):
    login_as("maya")
    token = csrf_token(client, "/reminders")
    info = {**push.subscription(), "keys": {"p256dh": p256dh, "auth": auth}}
    response = post_json(client, "/reminders/subscriptions", info, token)
    body = response.get_json()
    assert response.status_code == 400
    assert body["reason"] == "bad_subscription"
    assert body["message"] == "This browser sent something we could not use."
    assert what in body["detail"]


def test_a_compressed_point_is_refused_as_browsers_send_uncompressed_ones(app):
    raw = base64.urlsafe_b64decode(GOOD_KEYS["p256dh"] + "=" * (-len(GOOD_KEYS["p256dh"]) % 4))
    compressed = b64url(bytes([2 + raw[-1] % 2]) + raw[1:33])
    assert service.keys_problem(compressed, GOOD_KEYS["auth"])
    assert service.keys_problem(GOOD_KEYS["p256dh"], GOOD_KEYS["auth"]) is None
    padded = GOOD_KEYS["p256dh"] + "=" * (-len(GOOD_KEYS["p256dh"]) % 4)
    assert service.keys_problem(padded, GOOD_KEYS["auth"]) is None


# A bad key already in the database ------------------------------------------------------------


def test_send_due_with_a_bad_stored_key_delivers_the_others_and_fails_that_one(app, runner, demo, push):
    alex = demo["alex"]
    good = subscribe(app, alex, push)
    off_curve = store_unchecked(app, alex, push.subscription()["endpoint"], OFF_CURVE, GOOD_KEYS["auth"])
    not_base64 = store_unchecked(app, alex, push.subscription()["endpoint"], "@@@", GOOD_KEYS["auth"])
    result = runner.invoke(args=["reminders", "send-due", "--max-wait", "0"])
    assert result.exit_code == 0, result.output
    assert push.delivered(good["endpoint"])  # alex has skills to practise with maya and jordan
    rows = deliveries(app)
    bad_rows = [d for d in rows if d.subscription_id in (off_curve, not_base64)]
    good_rows = [d for d in rows if d not in bad_rows]
    assert bad_rows and all((d.state, d.attempts) == (DeliveryState.FAILED, 1) for d in bad_rows)
    assert {d.last_error for d in bad_rows} == {
        "ValueError: Invalid EC key.",
        "IndexError: index out of range",
    }
    assert good_rows and all(d.state is DeliveryState.SENT for d in good_rows)
    assert f"sent {len(good_rows)}," in result.output and f"failed {len(bad_rows)}" in result.output
    # The next run neither tries them again nor fails.
    sent_before = len(push.delivered())
    again = runner.invoke(args=["reminders", "send-due", "--max-wait", "0"])
    assert again.exit_code == 0, again.output
    assert len(push.delivered()) == sent_before


def closed_port() -> int:
    """A port on this machine that nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_send_due_with_every_kind_of_broken_subscription_exits_0_and_delivers_the_good_ones(
    app, runner, demo, push
):
    alex, maya = demo["alex"], demo["maya"]
    slow = FakePushService(expected_key=PUBLIC, delay=4).start()
    try:
        good = subscribe(app, alex, push)
        endpoint = lambda: push.subscription()["endpoint"]  # noqa: E731
        broken = {
            "not a point": store_unchecked(app, alex, endpoint(), OFF_CURVE, GOOD_KEYS["auth"]),
            "too short": store_unchecked(
                app, alex, endpoint(), b64url(b"\x04" + b"\x01" * 10), GOOD_KEYS["auth"]
            ),
            "not base64": store_unchecked(app, alex, endpoint(), "not base64!", GOOD_KEYS["auth"]),
            "bad auth": store_unchecked(app, alex, endpoint(), GOOD_KEYS["p256dh"], "not base64!"),
            "host not allowed": store_unchecked(app, alex, "https://metadata.internal/v1/x", **GOOD_KEYS),
            "refused": store_unchecked(app, alex, f"http://127.0.0.1:{closed_port()}/push/x", **GOOD_KEYS),
        }
        answering = {status: push.subscription() for status in (404, 410, 500)}
        for status, info in answering.items():
            push.answer(info["endpoint"], *[status] * 10)
            broken[f"answers {status}"] = store_unchecked(app, alex, info["endpoint"], **info["keys"])
        hanging = slow.subscription()
        broken["times out"] = store_unchecked(app, alex, hanging["endpoint"], **hanging["keys"])
        # Someone whose account was turned off: their phone is still subscribed, with good keys.
        left = subscribe(app, maya, push)
        with app.app_context():
            db.session.get(User, maya).is_active = False
            db.session.commit()

        result = runner.invoke(args=["reminders", "send-due", "--max-wait", "0"])

        assert result.exit_code == 0, result.output
        assert result.exception is None, result.exception
        assert push.delivered(good["endpoint"])  # alex has skills to practise with maya and jordan
        assert not push.delivered(left["endpoint"])
        with app.app_context():
            remaining = set(db.session.scalars(select(PushSubscription.id)))
            rows = {d.subscription_id: d for d in db.session.scalars(select(PushDelivery))}
            mayas_phone = db.session.scalar(
                select(PushSubscription.id).where(PushSubscription.user_id == maya)
            )
        assert mayas_phone not in rows
        # The push service said they are gone: the subscriptions are deleted.
        assert broken["answers 404"] not in remaining and broken["answers 410"] not in remaining
        # Keys nobody can encrypt for, and a host we never post to, fail for good.
        for what in ("not a point", "too short", "not base64", "bad auth", "host not allowed"):
            assert rows[broken[what]].state is DeliveryState.FAILED, what
        # A server error, a hang and a refused connection are tried again later.
        for what in ("answers 500", "times out", "refused"):
            assert rows[broken[what]].state is DeliveryState.PENDING, (what, rows[broken[what]].last_error)
    finally:
        slow.stop()


def test_send_me_a_test_with_a_bad_stored_key_answers_and_still_reaches_the_good_phone(
    app, client, login_as, demo, push
):
    jordan = demo["jordan"]
    bad = store_unchecked(app, jordan, push.subscription()["endpoint"], OFF_CURVE, GOOD_KEYS["auth"])
    login_as("jordan")
    token = csrf_token(client, "/reminders")
    response = client.post("/reminders/test", data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert "We could not reach your devices just now" in response.get_data(as_text=True)
    assert delivery_for(app, bad).state is DeliveryState.FAILED

    good = subscribe(app, jordan, push)
    response = client.post("/reminders/test", data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert "We sent a test" in response.get_data(as_text=True)
    assert len(push.delivered(good["endpoint"])) == 1


class Raising:
    """A sender that raises for one endpoint and records the rest."""

    def __init__(self, bad_endpoint: str, error: Exception):
        self.bad_endpoint, self.error = bad_endpoint, error
        self.sent: list[str] = []

    def send(self, subscription, payload, *, ttl, urgency):
        if subscription["endpoint"] == self.bad_endpoint:
            raise self.error
        self.sent.append(subscription["endpoint"])
        return PushResult(201)


def _two_devices(app, demo, push):
    maya = demo["maya"]
    good, bad = subscribe(app, maya, push), subscribe(app, maya, push)
    return maya, good["endpoint"], bad["endpoint"]


def test_a_key_error_from_the_sender_fails_at_once_and_the_others_are_sent(app, demo, push, caplog):
    maya, good, bad = _two_devices(app, demo, push)
    sender = Raising(bad, ValueError("Invalid EC key."))
    with app.app_context(), caplog.at_level(logging.ERROR, logger="app.push"):
        report = service.send_due(
            end_batch=db.session.commit,
            sender=sender,
            clock=Clock(noon()),
            sources={"t": lambda now: [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)]},
            max_wait=3600,
        )
    assert sender.sent == [good]
    assert (report.sent, report.failed, report.retried) == (1, 1, 0)
    failed = [d for d in deliveries(app) if d.state is DeliveryState.FAILED]
    assert len(failed) == 1 and failed[0].attempts == 1
    assert "ValueError: Invalid EC key." in failed[0].last_error


def test_a_network_error_from_the_sender_is_still_retried(app, demo, push):
    maya, good, bad = _two_devices(app, demo, push)
    sender = Raising(bad, ConnectionError("network down"))
    clock = Clock(noon())
    with app.app_context():
        report = service.send_due(
            end_batch=db.session.commit,
            sender=sender,
            clock=clock,
            sleep=clock.sleep,
            sources={"t": lambda now: [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)]},
            max_wait=0,
        )
    assert sender.sent == [good] and (report.sent, report.retried, report.failed) == (1, 1, 0)
    (waiting,) = [d for d in deliveries(app) if d.state is DeliveryState.PENDING]
    assert waiting.attempts == 1 and "ConnectionError: network down" in waiting.last_error


# Only the browsers' push services -------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc:def",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
        "https://wns2-by3p.notify.windows.com/w/?token=BQYAAA",
        "https://db5p.notify.windows.com/w/?token=x",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://fcm.googleapis.com:443/fcm/send/abc",
        "https://FCM.googleapis.com/fcm/send/abc",
    ],
)
def test_the_browsers_push_services_are_allowed(endpoint):
    assert service.endpoint_problem(endpoint, REAL_HOSTS) is None


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "https"),
        ("https://127.0.0.1/push", "not a browser's push service"),
        ("https://10.0.0.5/push", "not a browser's push service"),
        ("https://169.254.169.254/latest/meta-data/", "not a browser's push service"),
        ("https://[::1]/push", "host"),
        ("https://2130706433/push", "not a browser's push service"),
        ("https://localhost/push", "not a browser's push service"),
        ("https://db.internal/push", "not a browser's push service"),
        ("https://fcm.googleapis.com@evil.example/", "user name"),
        ("https://user:pw@fcm.googleapis.com/fcm/send/abc", "user name"),
        ("https://fcm.googleapis.com\\@evil.example/", "characters"),
        ("https://fcm.googleapis.com.evil.example/", "not a browser's push service"),
        ("https://evil.example/?fcm.googleapis.com", "not a browser's push service"),
        ("https://fcm.googleapis.com:8443/fcm/send/abc", "port 8443"),
        ("https://fcm.googleapis.com:22/", "port 22"),
        ("https://fcm.googleapis.com:99999/", "not a URL"),
        ("https://notify.windows.com/w/", "not a browser's push service"),  # the suffix needs a name
        ("https://evilnotify.windows.com/w/", "not a browser's push service"),
        ("https://fcm.googleapis.com./fcm/send/abc", "host"),
        ("https:// fcm.googleapis.com/", "characters"),
        ("", "empty"),
    ],
)
def test_anything_else_is_refused_with_a_reason(endpoint, why):
    problem = service.endpoint_problem(endpoint, REAL_HOSTS)
    assert problem and why in problem, problem


def test_http_and_other_ports_only_with_the_tests_switch():
    assert service.endpoint_problem("http://127.0.0.1:8123/push/x", ("127.0.0.1",), allow_http=True) is None
    assert "https" in service.endpoint_problem("http://127.0.0.1:8123/push/x", ("127.0.0.1",))
    assert "port" in service.endpoint_problem("https://127.0.0.1:8123/push/x", ("127.0.0.1",))
    assert service.endpoint_problem("http://127.0.0.2:8123/", ("127.0.0.1",), allow_http=True)


def test_the_hosts_come_from_the_environment_with_the_real_ones_by_default(monkeypatch):
    monkeypatch.delenv("PUSH_SERVICE_HOSTS", raising=False)
    default = "fcm.googleapis.com,updates.push.services.mozilla.com,*.notify.windows.com,web.push.apple.com"
    assert _list("PUSH_SERVICE_HOSTS", default) == REAL_HOSTS
    monkeypatch.setenv("PUSH_SERVICE_HOSTS", " push.example , *.Push.Example,")
    assert _list("PUSH_SERVICE_HOSTS", default) == ("push.example", "*.push.example")
    assert service.allowed_hosts({"PUSH_SERVICE_HOSTS": "a.example,*.b.example"}) == (
        "a.example",
        "*.b.example",
    )
    assert service.host_allowed("x.b.example", ("*.b.example",))
    assert not service.host_allowed("b.example", ("*.b.example",))
    assert not service.host_allowed("127.0.0.1", ("*.0.0.1",))


def test_the_real_defaults_are_the_configs(app):
    import os

    from app.config import Config

    if "PUSH_SERVICE_HOSTS" not in os.environ:
        assert Config.PUSH_SERVICE_HOSTS == REAL_HOSTS


def test_saving_an_internal_endpoint_is_refused_with_the_message(client, login_as):
    login_as("maya")
    token = csrf_token(client, "/reminders")
    for endpoint in (
        "https://169.254.169.254/latest/meta-data",
        "http://localhost:6379/",
        "https://10.1.2.3/",
    ):
        info = {"endpoint": endpoint, "keys": GOOD_KEYS}
        response = post_json(client, "/reminders/subscriptions", info, token)
        body = response.get_json()
        assert response.status_code == 400 and body["reason"] == "bad_subscription"
        assert body["message"] == "This browser sent something we could not use."
        assert "not a browser's push service" in body["detail"]


def test_a_stored_endpoint_that_is_not_allowed_is_never_posted_to(app, demo, push):
    maya = demo["maya"]
    good = subscribe(app, maya, push)
    internal = store_unchecked(app, maya, "https://metadata.internal/computeMetadata/v1/", **GOOD_KEYS)
    sender = Raising("(none)", ValueError("unused"))
    with app.app_context():
        report = service.send_due(
            end_batch=db.session.commit,
            sender=sender,
            clock=Clock(noon()),
            sources={"t": lambda now: [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)]},
        )
    assert sender.sent == [good["endpoint"]]
    assert (report.sent, report.failed) == (1, 1)
    row = delivery_for(app, internal)
    assert row.state is DeliveryState.FAILED and row.attempts == 0
    assert "not sent" in row.last_error and "metadata.internal" in row.last_error


def test_a_real_send_to_a_stored_bad_key_is_one_failure_not_five(app, demo, push):
    maya = demo["maya"]
    bad = store_unchecked(app, maya, push.subscription()["endpoint"], OFF_CURVE, GOOD_KEYS["auth"])
    clock = Clock(noon())
    report = run(app, clock, [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)], max_wait=3600)
    assert clock.slept == [] and report.failed == 1 and report.retried == 0
    row = delivery_for(app, bad)
    assert (row.state, row.attempts) == (DeliveryState.FAILED, 1)


class _Answers:
    """A requests session whose every POST gets the same answer (no network)."""

    def __init__(self, status: int, body: bytes):
        self.status, self.body = status, body

    def post(self, *args, **kwargs):
        import requests

        response = requests.Response()
        response.status_code, response._content, response.reason = self.status, self.body, "Bad"
        return response


def test_a_push_services_answer_is_kept_without_control_characters():
    from app.push.sender import WebPushSender

    sender = WebPushSender(
        PRIVATE, "mailto:test@example.com", session=_Answers(400, b"no\x00 such\x1b thing")
    )
    info = {"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": GOOD_KEYS}
    result = sender.send(info, b"{}", ttl=60, urgency="normal")
    assert (result.status, result.error) == (400, "no such thing")
