"""Reminders end to end against a fake push service on 127.0.0.1: real pywebpush, real
VAPID signatures and real encryption, checked and decrypted on the other side."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.reminders import LONDON, Candidate, Reason
from app.domain.roles import Role
from app.extensions import db
from app.models import DeliveryState, Notification, PushDelivery, PushSubscription, Review, User
from app.push import service
from app.push.sender import WebPushSender, generate_keys, parse_retry_after
from app.push.sources import SOURCES
from tests.conftest import csrf_token
from tests.fake_push import FakePushService

PRIVATE, PUBLIC = generate_keys()
APP_NAME = "Northshire Care Companion"


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
    fake = FakePushService(expected_key=PUBLIC).start()
    yield fake
    fake.stop()
    assert fake.problems == [], fake.problems


class Clock:
    """A clock the test moves; sleeping moves it too."""

    def __init__(self, now: datetime):
        self.now = now
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += timedelta(seconds=seconds)


def noon() -> datetime:
    today = datetime.now(LONDON).date()
    return datetime(today.year, today.month, today.day, 12, tzinfo=LONDON).astimezone(UTC)


def subscribe(app, user_id: int, push: FakePushService) -> dict:
    info = push.subscription()
    with app.app_context():
        service.save_subscription(user_id, info, "Mozilla/5.0 (iPhone) Safari/605.1", noon())
        db.session.commit()
    return info


def sender(clock=None) -> WebPushSender:
    return WebPushSender(PRIVATE, "mailto:test@example.com", **({"clock": clock} if clock else {}))


def source_of(*candidates: Candidate):
    return {"test": lambda now: list(candidates)}


def run(app, clock: Clock, candidates=None, sources=None, **options):
    with app.app_context():
        return service.send_due(
            end_batch=db.session.commit,
            sender=sender(),
            clock=clock,
            sleep=clock.sleep,
            sources=source_of(*candidates) if candidates is not None else sources,
            app_name=APP_NAME,
            **options,
        )


def deliveries(app) -> list[PushDelivery]:
    with app.app_context():
        return list(db.session.scalars(select(PushDelivery).order_by(PushDelivery.id)))


# Sending -----------------------------------------------------------------------------------


def test_a_review_next_week_reaches_the_phone_once_and_says_nothing_about_care(app, demo, push):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    clock = Clock(noon())
    with app.app_context():
        db.session.add(
            Review(young_person_id=maya, booked_for=clock.now.astimezone(LONDON).date() + timedelta(days=7))
        )
        db.session.commit()

    # Only the review source: the demo's messages and complaints have reminders of their own.
    reviews_only = {"booked_reviews": SOURCES["booked_reviews"]}
    first = run(app, clock, sources=reviews_only)
    second = run(app, clock, sources=reviews_only)

    (message,) = [r for r in push.delivered(info["endpoint"])]
    assert message.payload == {
        "title": APP_NAME,
        "body": "You have something new",
        "url": "/notifications",
        "tag": message.payload["tag"],
    }
    assert message.ttl == 24 * 60 * 60 and message.urgency == "normal"
    assert message.claims["sub"] == "mailto:test@example.com"
    assert (first.sent, second.sent, second.recorded) == (1, 0, 0)
    with app.app_context():
        (note,) = db.session.scalars(select(Notification).where(Notification.user_id == maya)).all()
        assert note.reason is Reason.REVIEW_IN_7_DAYS and note.read_at is None


def test_with_details_turned_on_the_push_says_what_it_is_and_where_to_go(app, demo, push):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    with app.app_context():
        service.save_settings(maya, True, [], noon())
        db.session.commit()
    run(app, Clock(noon()), [Candidate(maya, Reason.REVIEW_TOMORROW, "review:x", maya, "/review")])
    (message,) = push.delivered(info["endpoint"])
    assert message.payload["body"] == "Your review is tomorrow."
    assert message.payload["url"] == "/review"
    assert message.urgency == "high"


def test_every_device_gets_it_and_each_send_has_fresh_vapid_claims(app, demo, push):
    alex = demo["alex"]
    phone, laptop = subscribe(app, alex, push), subscribe(app, alex, push)
    times = iter([1_000_000_000.0, 1_000_000_100.0])
    fixed = WebPushSender(PRIVATE, "mailto:test@example.com", clock=lambda: next(times))
    assert fixed.claims_for("https://push.example:8443/x/y") == {
        "sub": "mailto:test@example.com",
        "aud": "https://push.example:8443",
        "exp": 1_000_000_000 + 12 * 3600,
    }
    clock = Clock(noon())
    run(app, clock, [Candidate(alex, Reason.PRACTISE_SKILLS, "practise:1:w", None)])
    got = push.delivered()
    assert {r.token for r in got} == {
        phone["endpoint"].rsplit("/", 1)[1],
        laptop["endpoint"].rsplit("/", 1)[1],
    }
    assert all(r.urgency == "low" for r in got)
    # Real sends: each token is signed at its own moment with a new exp.
    assert len({(r.claims["exp"], r.at) for r in got}) == 2


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted(app, demo, push, status):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    push.answer(info["endpoint"], status)
    report = run(app, Clock(noon()), [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)])
    assert report.gone == 1 and report.sent == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0
    assert [d.state for d in deliveries(app)] == [DeliveryState.GONE]


def test_too_many_requests_waits_as_long_as_the_push_service_asks(app, demo, push, caplog):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    push.answer(info["endpoint"], 429, retry_after="45")
    clock = Clock(noon())
    with caplog.at_level(logging.WARNING, logger="app.push"):
        report = run(app, clock, [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)], max_wait=60)
    assert clock.slept == [45.0]
    assert report.retried == 1 and report.sent == 1
    assert len(push.delivered(info["endpoint"])) == 1
    assert "429" in caplog.text
    (row,) = deliveries(app)
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)


def test_server_errors_are_retried_with_backoff_then_given_up_and_logged(app, demo, push, caplog):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    push.answer(info["endpoint"], 500, 503, 502, 500, 500)
    clock = Clock(noon())
    with caplog.at_level(logging.WARNING, logger="app.push"):
        report = run(app, clock, [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)], max_wait=3600)
    assert clock.slept == [30.0, 60.0, 120.0, 240.0]
    assert report.failed == 1 and report.sent == 0
    (row,) = deliveries(app)
    assert (row.state, row.attempts, row.last_status) == (DeliveryState.FAILED, 5, 500)
    assert any(
        r.levelno == logging.ERROR and "failed after 5 attempts" in r.getMessage() for r in caplog.records
    )


def test_a_retry_later_than_this_run_waits_for_the_next_run(app, demo, push):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    push.answer(info["endpoint"], 503, retry_after="600")
    clock = Clock(noon())
    run(app, clock, [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)], max_wait=30)
    assert clock.slept == [] and push.delivered() == []
    clock.now += timedelta(minutes=11)
    report = run(app, clock, [])
    assert report.sent == 1 and len(push.delivered()) == 1


def test_an_unreachable_push_service_is_retried_and_logged(app, demo, caplog):
    maya = demo["maya"]
    with app.app_context():
        service.save_subscription(
            maya, {"endpoint": "http://127.0.0.1:9/push/x", "keys": FakePushService.keys_sample()}, "", noon()
        )
        db.session.commit()
    with caplog.at_level(logging.WARNING, logger="app.push"):
        report = run(
            app, Clock(noon()), [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)], max_wait=0
        )
    assert report.retried == 1
    assert "ConnectionError" in caplog.text


def test_a_slow_push_service_does_not_delay_the_other_devices(app, push):
    slow = FakePushService(expected_key=PUBLIC, delay=2.0).start()
    try:
        with app.app_context():
            workers = [
                User(username=f"worker{n}", full_name=f"Worker {n}", role=Role.SOCIAL_WORKER)
                for n in range(5)
            ]
            db.session.add_all(workers)
            db.session.commit()
            ids = [w.id for w in workers]
        subscribe(app, ids[0], slow)  # the first in the queue
        for user_id in ids[1:]:
            subscribe(app, user_id, push)
        candidates = [Candidate(uid, Reason.SIGN_OFF_WAITING, f"progress:{uid}:1", None) for uid in ids]

        started = time.monotonic()
        report = run(app, Clock(noon()), candidates, max_wait=0)
        took = time.monotonic() - started

        (late,) = slow.delivered()  # received at late.at, answered two seconds later
        prompt = push.delivered()
        assert report.sent == 5 and len(prompt) == 4
        assert all(r.at < late.at + 1.0 for r in prompt), "the others waited for the slow push service"
        assert took < 3.5
    finally:
        slow.stop()
    assert slow.problems == []


def test_a_young_person_gets_no_push_at_night_but_it_comes_in_the_morning(app, demo, push):
    maya = demo["maya"]
    info = subscribe(app, maya, push)
    today = datetime.now(LONDON).date()
    night = Clock(datetime(today.year, today.month, today.day, 22, tzinfo=LONDON).astimezone(UTC))
    report = run(app, night, [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)])
    assert report.recorded == 1 and push.delivered() == []
    with app.app_context():
        assert service.unread_count(maya, today) == 1  # the bell shows it: nothing buzzes there
    morning = Clock((night.now.astimezone(LONDON) + timedelta(hours=10)).astimezone(UTC))
    assert run(app, morning, []).sent == 1
    (message,) = push.delivered(info["endpoint"])
    assert datetime.fromtimestamp(message.at, UTC)  # sent, once


def test_a_muted_kind_is_not_recorded_or_sent(app, demo, push):
    maya = demo["maya"]
    subscribe(app, maya, push)
    with app.app_context():
        service.save_settings(maya, False, ["plans"], noon())
        db.session.commit()
    report = run(
        app,
        Clock(noon()),
        [
            Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya),
            Candidate(maya, Reason.REVIEW_TOMORROW, "r", maya),
        ],
    )
    assert report.recorded == 1 and report.sent == 1


def test_a_broken_source_is_logged_and_the_others_still_run(app, demo, push, caplog):
    maya = demo["maya"]
    subscribe(app, maya, push)

    def broken(now):
        raise RuntimeError("boom")

    sources = {
        "broken": broken,
        "fine": lambda now: [Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:1", maya)],
    }
    with app.app_context(), caplog.at_level(logging.ERROR, logger="app.push"):
        report = service.send_due(
            end_batch=db.session.commit, sender=sender(), clock=Clock(noon()), sources=sources
        )
    assert report.sent == 1
    assert "reminder source broken failed" in caplog.text


def test_the_real_sources_find_what_the_demo_has(app, demo):
    with app.app_context():
        found = service.collect(noon())
    reasons = {c.reason for c in found}
    assert Reason.PRACTISE_SKILLS in reasons  # alex practises with maya and jordan
    practise = {(c.person_id, c.young_person_id) for c in found if c.reason is Reason.PRACTISE_SKILLS}
    assert (demo["alex"], demo["maya"]) in practise
    assert all(person != demo["maya"] for person, _ in practise)


def test_retry_after_as_a_date_or_seconds():
    assert parse_retry_after("120", 0) == 120.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:02:00 GMT", 60) == 60.0
    assert parse_retry_after("soon", 0) is None
    assert service.backoff(1, None) == timedelta(seconds=30)
    assert service.backoff(20, None) == timedelta(hours=1)
    assert service.backoff(1, 300) == timedelta(seconds=300)


# Pages -------------------------------------------------------------------------------------


def post_json(client, path, data, token):
    return client.post(path, json=data, headers={"X-CSRFToken": token, "Accept": "application/json"})


def test_the_settings_page_explains_and_asks_for_nothing_until_pressed(login_as):
    client = login_as("maya")
    html = client.get("/reminders").get_data(as_text=True)
    assert "Turn on reminders on this phone" in html
    assert "Home Screen" in html
    assert "data-push-enable hidden" in html  # shown (by push.js) only where it can work
    assert "<script>" not in html and "onclick" not in html
    assert f'<meta name="vapid-public-key" content="{PUBLIC}">' in html
    assert "/static/js/push.js" in html


def test_a_device_is_saved_once_and_refreshed_each_time_the_app_opens(app, client, login_as, demo, push):
    login_as("maya")
    token = csrf_token(client, "/reminders")
    info = push.subscription()
    assert post_json(client, "/reminders/subscriptions", info, token).status_code == 200
    renewed = {**info, "keys": push.subscription()["keys"]}
    response = post_json(client, "/reminders/subscriptions", renewed, token)
    assert response.get_json() == {"status": "ok", "device": ""}
    with app.app_context():
        (row,) = db.session.scalars(select(PushSubscription)).all()
        assert row.user_id == demo["maya"] and row.p256dh == renewed["keys"]["p256dh"]
    html = client.get("/reminders").get_data(as_text=True)
    assert "Send me a test" in html and "Turn off on this device" in html


def test_devices_are_named_by_browser_and_system():
    iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1"
    android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
    assert service.device_label(iphone) == "Safari · iPhone"
    assert service.device_label(android) == "Chrome · Android"
    assert service.device_label("") == ""


def test_a_subscription_without_the_csrf_header_is_refused(client, login_as, push):
    login_as("maya")
    assert client.post("/reminders/subscriptions", json=push.subscription()).status_code == 400


def test_a_broken_subscription_is_refused(client, login_as):
    login_as("maya")
    token = csrf_token(client, "/reminders")
    response = post_json(client, "/reminders/subscriptions", {"endpoint": "https://x"}, token)
    assert response.status_code == 400 and response.get_json()["reason"] == "bad_subscription"


def test_send_me_a_test_reaches_every_device_with_no_detail(app, client, login_as, demo, push):
    login_as("jordan")
    info = subscribe(app, demo["jordan"], push)
    token = csrf_token(client, "/reminders")
    response = client.post("/reminders/test", data={"csrf_token": token}, follow_redirects=True)
    assert "We sent a test" in response.get_data(as_text=True)
    (message,) = push.delivered(info["endpoint"])
    assert message.payload["body"] == "You have something new"
    assert message.urgency == "high"


def test_turning_a_device_off_deletes_it_and_nobody_else_can(app, client, login_as, demo, push):
    subscribe(app, demo["maya"], push)
    with app.app_context():
        device_id = db.session.scalar(select(PushSubscription.id))
    login_as("riley")
    token = csrf_token(client, "/reminders")
    assert (
        client.post(f"/reminders/devices/{device_id}/remove", data={"csrf_token": token}).status_code == 404
    )
    client.post("/logout", data={"csrf_token": token})
    login_as("maya")
    token = csrf_token(client, "/reminders")
    response = client.post(f"/reminders/devices/{device_id}/remove", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_choices_are_saved(app, client, login_as, demo):
    login_as("maya")
    token = csrf_token(client, "/reminders")
    response = client.post(
        "/reminders/preferences",
        data={"csrf_token": token, "show_details": "y", "muted": ["plans", "reviews"]},
    )
    assert response.status_code == 302
    with app.app_context():
        settings = service.settings_for(demo["maya"])
        assert settings.show_details and settings.muted == ["plans", "reviews"]
    html = client.get("/reminders").get_data(as_text=True)
    assert 'value="plans" checked' in html or 'checked id="muted-' in html or "checked" in html


def test_a_carer_cannot_mute_what_carers_never_get(client, login_as):
    login_as("alex")
    token = csrf_token(client, "/reminders")
    response = client.post("/reminders/preferences", data={"csrf_token": token, "muted": ["complaints"]})
    assert response.status_code == 400


def test_the_bell_counts_unread_and_the_centre_lists_and_marks_read(app, client, login_as, demo):
    maya = demo["maya"]
    with app.app_context():
        service.record(
            service.remind(
                [
                    Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:9", maya, "/plan"),
                    Candidate(maya, Reason.SKILL_SIGNED_OFF, "skill_event:1", maya, "/passport"),
                ],
                noon(),
            )[0],
            noon(),
        )
        db.session.commit()  # as the sender would
    login_as("maya")
    home = client.get("/").get_data(as_text=True)
    assert '<span class="bell__count">2</span>' in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "There is a new version of your plan to read." in page
    assert "A skill in your passport is signed off." in page
    with app.app_context():
        plan_note = db.session.scalar(select(Notification).where(Notification.subject == "plan:9"))
    token = csrf_token(client, "/notifications")
    response = client.post(f"/notifications/{plan_note.id}/read", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/plan"
    assert '<span class="bell__count">1</span>' in client.get("/").get_data(as_text=True)
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert "bell__count" not in client.get("/").get_data(as_text=True)


def test_nobody_can_open_someone_elses_notification(app, client, login_as, demo):
    maya = demo["maya"]
    with app.app_context():
        _, created = service.remind([Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:9", maya)], noon())
        db.session.commit()  # as the sender would
    login_as("riley")
    token = csrf_token(client, "/notifications")
    assert client.post(f"/notifications/{created[0]}/read", data={"csrf_token": token}).status_code == 404
    assert "new version of your plan" not in client.get("/notifications").get_data(as_text=True)


def test_staff_see_who_a_notification_is_about(app, login_as, demo):
    priya = demo["priya"]
    with app.app_context():
        service.remind([Candidate(priya, Reason.SIGN_OFF_WAITING, "progress:1:1", demo["maya"])], noon())
        db.session.commit()  # as the sender would
    html = login_as("priya").get("/notifications").get_data(as_text=True)
    assert "About Maya." in html


def test_the_service_worker_shows_pushes_and_opens_the_right_page(client):
    script = client.get("/sw.js").get_data(as_text=True)
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert "You have something new" in script and APP_NAME in script
    assert "/static/js/push.js" in script


# Commands ----------------------------------------------------------------------------------


def test_push_keys_makes_a_key_pair_for_the_environment(runner):
    result = runner.invoke(args=["push", "keys"])
    lines = result.output.splitlines()
    assert lines[0].startswith("VAPID_PRIVATE_KEY=") and lines[1].startswith("VAPID_PUBLIC_KEY=B")
    WebPushSender(lines[0].split("=", 1)[1], "mailto:x@example.com")  # the key loads


def test_send_due_command_sends_to_the_push_service(app, runner, demo, push):
    info = subscribe(app, demo["alex"], push)
    result = runner.invoke(args=["reminders", "send-due", "--max-wait", "0"])
    assert result.exit_code == 0, result.output
    assert "sent" in result.output
    assert push.delivered(info["endpoint"])  # alex has skills to practise with maya and jordan


def test_on_sqlite_a_second_send_due_waits_its_turn(app, runner):
    import fcntl
    from pathlib import Path

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL runners share the queue with SKIP LOCKED")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    with open(Path(app.instance_path) / "send-due.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        result = runner.invoke(args=["reminders", "send-due"])
    assert "another send-due is running" in result.output


def test_the_bell_costs_one_statement_however_many_notifications(app, login_as, demo):
    from tests.conftest import count_statements

    client = login_as("alex")
    client.get("/")
    with count_statements(app) as before:
        client.get("/")
    with app.app_context():
        service.remind(
            [Candidate(demo["alex"], Reason.PRACTISE_SKILLS, f"practise:{n}", None) for n in range(30)],
            noon(),
        )
        db.session.commit()  # as the sender would
    with count_statements(app) as after:
        html = client.get("/").get_data(as_text=True)
    assert '<span class="bell__count">30</span>' in html
    assert len(after) == len(before)
    assert sum("notifications" in s for s in after) == 1
    with count_statements(app) as centre:
        assert client.get("/notifications").status_code == 200
    assert len(centre) <= 12
