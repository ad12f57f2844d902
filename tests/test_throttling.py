"""Issue 12, findings 8 and 10: sign-in and password-change throttling that slows guessers
without locking the owner out, says the real wait, and keeps working when Redis is down."""

from __future__ import annotations

import logging
import re
import time

import pytest
import redis
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.extensions import db, limiter
from app.models import AuditEvent
from app.ratelimit import rounded_wait, wait_message
from tests.conftest import csrf_token, make_app, sign_in

LIMITS = {"LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_ADDRESS": "6 per minute"}
# A real Redis address on which nothing listens.
UNREACHABLE = "redis://127.0.0.1:1/0"
TEST_REDIS = "redis://127.0.0.1:6379/12"
WAIT_RE = re.compile(r"Please wait (\d+) (second|seconds|minute|minutes), then try again")


def _said_wait(response) -> tuple[int, str]:
    match = WAIT_RE.search(response.get_data(as_text=True))
    assert match, "the page should say how long to wait"
    return int(match.group(1)), match.group(2)


@pytest.fixture
def app_settings():
    return LIMITS


class TestOwnerOnAKnownDevice:
    def test_classmate_guessing_on_the_same_wifi_does_not_lock_riley_out(self, app, demo):
        riley = app.test_client()
        assert sign_in(riley, "riley").status_code == 302  # her phone is known for riley now
        riley.post("/logout", headers={"X-CSRFToken": csrf_token(riley, "/")})
        assert riley.get_cookie("known_device") is not None
        # A classmate on the same address (the test clients all come from 127.0.0.1)
        # guesses at Riley's account and at others until both limits are reached.
        classmate = app.test_client()
        answers = [sign_in(classmate, "riley", "wrong guess here").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        for name in ("maya", "jordan", "sam"):
            sign_in(classmate, name, "wrong guess here")
        assert sign_in(classmate, "omar", "wrong guess here").status_code == 429  # address used up
        assert sign_in(classmate, "riley").status_code == 429  # the right password too
        # Riley, on her own phone, signs in first time.
        assert sign_in(riley, "riley").status_code == 302

    def test_a_known_device_still_has_a_limit_of_its_own_for_a_stolen_phone(self, app, demo):
        phone = app.test_client()
        assert sign_in(phone, "riley").status_code == 302
        phone.post("/logout", headers={"X-CSRFToken": csrf_token(phone, "/")})
        answers = [sign_in(phone, "riley", "wrong guess here").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert sign_in(phone, "riley").status_code == 429
        # ... and its count is its own: Riley on another browser is not slowed by it.
        assert sign_in(app.test_client(), "riley").status_code == 302

    def test_the_known_device_is_only_left_out_for_its_own_accounts(self, app, demo):
        """Riley's phone is not a way round the address limit for guessing at others."""
        phone = app.test_client()
        assert sign_in(phone, "riley").status_code == 302
        phone.post("/logout", headers={"X-CSRFToken": csrf_token(phone, "/")})
        answers = [sign_in(phone, f"someone{n}", "wrong guess here").status_code for n in range(7)]
        assert answers == [200] * 6 + [429]


class TestTheRealWait:
    def test_the_page_and_retry_after_say_the_seconds_left(self, client, demo):
        for _ in range(3):
            sign_in(client, "maya", "wrong guess here")
        response = sign_in(client, "maya", "wrong guess here")
        assert response.status_code == 429
        amount, unit = _said_wait(response)
        retry_after = int(response.headers["Retry-After"])
        assert unit in ("second", "seconds") and 1 <= amount <= 60
        assert abs(retry_after - amount) <= 1
        assert 'value="maya"' in response.get_data(as_text=True)  # the username is kept

    def test_being_slowed_is_in_the_audit_log(self, app, client, demo):
        for _ in range(4):
            sign_in(client, "maya", "wrong guess here")
        with app.app_context():
            events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "throttled")).all()
            assert events and events[-1].outcome == "refused"
            assert events[-1].detail["username"] == "maya" and events[-1].detail["endpoint"] == "auth.login"

    def test_when_two_limits_are_broken_the_longer_wait_is_said(self, database_url, demo):
        app = make_app(database_url, LOGIN_LIMIT_PER_ACCOUNT="2 per minute; 2 per hour")
        client = app.test_client()
        for _ in range(2):
            assert sign_in(client, "maya", "wrong guess here").status_code == 200
        second = sign_in(client, "maya", "wrong guess here")  # the minute's and the hour's
        assert second.status_code == 429
        amount, unit = _said_wait(second)
        assert unit == "minutes" and 55 <= amount <= 60, (amount, unit)
        assert 55 * 60 < int(second.headers["Retry-After"]) <= 3600

    def test_pressing_again_while_told_to_wait_does_not_make_the_wait_longer(self, database_url, demo):
        app = make_app(database_url, LOGIN_LIMIT_PER_ACCOUNT="1 per minute; 3 per hour")
        client = app.test_client()
        assert sign_in(client, "maya", "wrong guess here").status_code == 200
        for _ in range(6):
            waiting = sign_in(client, "maya", "wrong guess here")
            assert waiting.status_code == 429
        # Still the minute's wait: the presses that were told to wait counted for nothing.
        assert _said_wait(waiting)[1] in ("second", "seconds")
        assert int(waiting.headers["Retry-After"]) <= 60

    def test_other_pages_with_a_limit_say_the_wait_too(self, client, demo):
        for _ in range(6):
            client.post("/activate", data={"csrf_token": csrf_token(client, "/activate"), "username": "x"})
        response = client.post("/activate", data={"csrf_token": csrf_token(client, "/activate")})
        assert response.status_code == 429
        assert _said_wait(response)[1] in ("second", "seconds")
        assert int(response.headers["Retry-After"]) >= 1


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (1, (1, "seconds")),
        (75, (75, "seconds")),
        (120, (120, "seconds")),
        (121, (3, "minutes")),
        (3600, (60, "minutes")),
    ],
)
def test_waits_are_rounded_up_never_down(seconds, said):
    assert rounded_wait(seconds) == said


def test_wait_message_uses_plural_forms(app):
    with app.test_request_context():
        assert wait_message(1) == "Too many tries. Please wait 1 second, then try again."
        assert wait_message(30) == "Too many tries. Please wait 30 seconds, then try again."
        assert wait_message(3600) == "Too many tries. Please wait 60 minutes, then try again."
        assert wait_message(None) == "Too many tries. Please wait 1 minute, then try again."


class TestChangingPassword:
    def _change(self, client, current, new="kettle meadow orbit", confirm=None):
        token = csrf_token(client, "/account")
        return client.post(
            "/account/password",
            data={"current": current, "password": new, "confirm": confirm or new, "csrf_token": token},
        )

    def test_guessing_the_current_password_is_slowed_like_sign_in(self, client, login_as):
        login_as("jordan")
        answers = [self._change(client, "wrong guess here").status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        response = self._change(client, "wrong guess here")
        assert response.status_code == 429
        amount, unit = _said_wait(response)
        assert unit in ("second", "seconds") and abs(int(response.headers["Retry-After"]) - amount) <= 1
        # Even the right password waits, and nothing changes.
        assert self._change(client, DEMO_PASSWORD).status_code == 429
        assert client.get("/").status_code == 200  # still signed in

    def test_only_a_wrong_current_password_counts(self, app, client, login_as):
        login_as("jordan")
        for _ in range(4):
            assert self._change(client, DEMO_PASSWORD, "password1234").status_code == 200
            assert (
                self._change(client, DEMO_PASSWORD, "kettle meadow orbit", "typed differently").status_code
                == 200
            )
        assert self._change(client, DEMO_PASSWORD).status_code == 302

    def test_failed_attempts_are_audited(self, app, client, login_as):
        from sqlalchemy import select

        from app.extensions import db
        from app.models import AuditEvent

        login_as("jordan")
        self._change(client, "wrong guess here")
        with app.app_context():
            rows = db.session.execute(
                select(AuditEvent.action, AuditEvent.outcome).where(AuditEvent.action == "password_changed")
            ).all()
        assert [tuple(r) for r in rows] == [("password_changed", "failed")]

    def test_one_persons_count_is_theirs_alone(self, app, client_for, demo):
        jordan, maya = client_for("jordan"), client_for("maya")
        for _ in range(4):
            self._change(jordan, "wrong guess here")
        assert self._change(jordan, DEMO_PASSWORD).status_code == 429
        assert self._change(maya, DEMO_PASSWORD).status_code == 302


class TestRedisUnreachable:
    @pytest.fixture
    def app_settings(self):
        return {**LIMITS, "RATELIMIT_STORAGE_URI": UNREACHABLE}

    @pytest.fixture(autouse=True)
    def _forget_the_outage(self):
        # One Limiter serves every app the tests build: the next test must not start in
        # the fallback this one left it in.
        yield
        limiter._storage_dead = False

    def test_sign_in_keeps_working_with_a_local_count_and_the_fault_is_logged_once(
        self, app, client, demo, caplog
    ):
        with caplog.at_level(logging.WARNING):
            started = time.monotonic()
            assert sign_in(client, "maya").status_code == 302
            other = app.test_client()
            answers = [sign_in(other, "jordan", "wrong guess here").status_code for _ in range(4)]
            assert answers == [200, 200, 200, 429]  # still throttled, counted here
            assert sign_in(app.test_client(), "sam").status_code == 302
            assert time.monotonic() - started < 30  # nobody waits on an address that does not answer
        faults = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(faults) == 1, [r.getMessage() for r in faults]

    def test_healthz_reports_redis_unreachable_but_keeps_the_host_in_service(self, app, client, caplog):
        with caplog.at_level(logging.WARNING, logger=app.logger.name):
            first = client.get("/healthz")
            second = client.get("/healthz")
        assert first.status_code == 200 and second.status_code == 200
        assert first.get_json() == {
            "status": "ok",
            "database": "ok",
            "rate_limit_storage": "unreachable",
        }
        logged = [r.getMessage() for r in caplog.records if "rate-limit storage" in r.getMessage()]
        assert len(logged) == 1 and "redis://127.0.0.1:1/0" in logged[0]


def test_healthz_is_ok_when_redis_answers(database_url):
    try:
        redis.Redis.from_url(TEST_REDIS).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (see README)")
    # No RATELIMIT_KEY_PREFIX here: the one Limiter keeps the first prefix it is given, and
    # the health check writes no counters anyway.
    app = make_app(database_url, RATELIMIT_STORAGE_URI=TEST_REDIS)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "k" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.mark.parametrize("workers", [None, "4", "2 "])
def test_production_refuses_to_count_sign_ins_in_each_of_several_processes(monkeypatch, workers):
    from app import create_app

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    with pytest.raises(RuntimeError, match="Production needs REDIS_URL"):
        create_app({**PRODUCTION, "WEB_CONCURRENCY": workers})


def test_production_starts_with_redis_or_with_one_process(monkeypatch):
    from app import create_app

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # as gunicorn reads it
    assert create_app(PRODUCTION).config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    monkeypatch.setenv("REDIS_URL", TEST_REDIS)
    assert create_app(PRODUCTION).config["RATELIMIT_STORAGE_URI"] == TEST_REDIS
