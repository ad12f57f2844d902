"""Signing in and out, sessions that really end, throttling, activation codes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.auth.accounts import issue_activation_code
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import ActivationCode, AuditEvent, LoginSession, User
from app.timeutil import now_utc
from tests.conftest import csrf_token, sign_in, signed_in
from tests.factories import create_worker, create_young_person, records


@pytest.fixture
def people(app) -> dict[str, int]:
    """Maya (13), Riley (14) and Jordan (17) with their social worker Priya; everyone has
    the demo password."""
    with records(app):
        priya = create_worker("priya", "Priya Natarajan")
        made = {"priya": priya.id}
        for username, full_name, age in (
            ("maya", "Maya Fenwick-Adeyemi", 13),
            ("riley", "Riley Castellano-Nairn", 14),
            ("jordan", "Jordan Blackwood-Reyes", 17),
        ):
            made[username] = create_young_person(username, age=age, worker=priya, full_name=full_name).user_id
        return made


@pytest.fixture
def login_as(client, people):
    """Signs the `client` fixture in as one of `people`; returns it."""
    return lambda username: signed_in(client, username)


def test_wrong_password_keeps_username_and_says_so_plainly(client, people):
    response = sign_in(client, "maya", "not-my-password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That username and password do not match" in html
    assert 'value="maya"' in html
    assert "not-my-password" not in html
    assert client.get("/").status_code == 302  # still signed out


def test_unknown_username_gets_the_same_message(client, people):
    html = sign_in(client, "nobody-here", "whatever-it-is").get_data(as_text=True)
    assert "That username and password do not match" in html


def test_username_is_not_case_sensitive(client, people):
    assert sign_in(client, "  Maya ").status_code == 302


def test_login_without_csrf_token_is_refused_and_keeps_username(client, people):
    response = client.post("/login", data={"username": "maya", "password": DEMO_PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "nothing was saved" in html
    assert 'value="maya"' in html
    assert client.get("/").status_code == 302


def test_state_change_without_csrf_token_changes_nothing(app, client, login_as):
    login_as("maya")
    response = client.post("/account/language", data={"locale": "ar"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.username == "maya")) is None


def test_fetch_with_csrf_header_is_accepted(app, client, login_as):
    login_as("maya")
    token = csrf_token(client, "/account")
    response = client.post("/account/language", data={"locale": "ar"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.username == "maya")) == "ar"


def test_next_only_goes_to_pages_on_this_site(client, people):
    token = csrf_token(client)
    ok = client.post(
        "/login?next=/account", data={"username": "maya", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert ok.headers["Location"] == "/account"
    client.post("/logout", headers={"X-CSRFToken": csrf_token(client, "/")})
    token = csrf_token(client)
    evil = client.post(
        "/login?next=//evil.example/x",
        data={"username": "maya", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert evil.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/\t/evil.example",
        "/%5Cevil.example",
        "/%2F/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "https://evil.example/",
        "//evil.example",
    ],
)
def test_next_that_would_leave_the_site_goes_home_and_never_answers_500(app, people, target):
    client = app.test_client()
    token = csrf_token(client)
    response = client.post(
        f"/login?next={target}", data={"username": "maya", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/", target


def test_logout_ends_the_session_for_real(app, client, login_as):
    login_as("maya")
    stolen = client.get_cookie("session").value
    response = client.post("/logout", headers={"X-CSRFToken": csrf_token(client, "/")})
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache"'
    # The session cookie goes; the known-device cookie stays (a guesser cannot lock her out).
    assert client.get_cookie("session") is None
    assert client.get_cookie("known_device") is not None
    # Someone who copied the cookie before sign-out gets nothing with it.
    client.set_cookie("session", stolen)
    assert client.get("/").status_code == 302
    with app.app_context():
        ended = db.session.scalars(select(LoginSession)).all()
        assert [s.end_reason for s in ended] == ["logout"]


def test_signed_out_page_clears_site_data(client):
    response = client.get("/signed-out")
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert "You have signed out" in response.get_data(as_text=True)


def test_password_change_signs_out_other_devices(app, people):
    phone, laptop = app.test_client(), app.test_client()
    assert sign_in(phone, "jordan").status_code == 302
    assert sign_in(laptop, "jordan").status_code == 302
    token = csrf_token(phone, "/account")
    response = phone.post(
        "/account/password",
        data={
            "current": DEMO_PASSWORD,
            "password": "kettle meadow orbit",
            "confirm": "kettle meadow orbit",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert phone.get("/").status_code == 200  # this device keeps going
    assert laptop.get("/").status_code == 302  # the other one is signed out
    said = laptop.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Your password was changed, so you were signed out here." in said
    fresh = app.test_client()
    assert sign_in(fresh, "jordan", DEMO_PASSWORD).status_code == 200
    assert sign_in(fresh, "jordan", "kettle meadow orbit").status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "at least 12 characters"),
        ("password1234", "easy to guess"),
        ("Jordan Blackwood-Reyes", "just your name"),
    ],
)
def test_weak_new_password_is_refused_and_nothing_changes(app, client, login_as, new, message):
    login_as("jordan")
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/password",
        data={"current": DEMO_PASSWORD, "password": new, "confirm": new, "csrf_token": token},
    )
    assert message in response.get_data(as_text=True)
    fresh = app.test_client()
    assert sign_in(fresh, "jordan", DEMO_PASSWORD).status_code == 302


def test_password_change_needs_the_current_password(client, login_as):
    login_as("jordan")
    token = csrf_token(client, "/account")
    html = client.post(
        "/account/password",
        data={
            "current": "wrong wrong wrong",
            "password": "kettle meadow orbit",
            "confirm": "kettle meadow orbit",
            "csrf_token": token,
        },
    ).get_data(as_text=True)
    assert "That is not your password now" in html


def test_idle_session_ends(app, client, login_as):
    login_as("priya")
    assert client.get("/care/young-people").status_code == 200
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=now_utc() - timedelta(minutes=31)))
        db.session.commit()
    response = client.get("/care/young-people")
    assert response.status_code == 302
    assert "signed out because the app was not used" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_young_people_get_longer_before_idle_sign_out(app, client, login_as):
    login_as("maya")
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=now_utc() - timedelta(minutes=31)))
        db.session.commit()
    assert client.get("/").status_code == 200


class TestThrottling:
    @pytest.fixture
    def app_settings(self):
        return {"LOGIN_LIMIT_PER_ACCOUNT": "3 per minute", "LOGIN_LIMIT_PER_ADDRESS": "6 per minute"}

    def test_repeated_failures_for_one_account_are_slowed(self, client, people):
        for _ in range(3):
            assert sign_in(client, "maya", "wrong guess here").status_code == 200
        response = sign_in(client, "maya", "wrong guess here")
        html = response.get_data(as_text=True)
        assert response.status_code == 429
        assert "Too many tries" in html
        assert 'value="maya"' in html
        # Even the right password waits: a guesser must not learn it is right.
        assert sign_in(client, "maya").status_code == 429

    def test_other_accounts_are_not_affected_by_one_being_throttled(self, client, people):
        for _ in range(4):
            sign_in(client, "maya", "wrong guess here")
        assert sign_in(client, "jordan").status_code == 302

    def test_a_guesser_elsewhere_does_not_lock_the_owner_out_of_a_known_device(self, app, people):
        owner = app.test_client()
        assert sign_in(owner, "maya").status_code == 302  # this phone is now known for maya
        owner.delete_cookie("session")  # the sign-in ended (idle), the device cookie stays
        guesser = app.test_client()
        for _ in range(3):
            sign_in(guesser, "maya", "wrong guess here")
        assert sign_in(guesser, "maya").status_code == 429
        assert sign_in(owner, "maya").status_code == 302

    def test_a_forged_device_cookie_gets_no_count_of_its_own(self, app, people):
        guesser = app.test_client()
        guesser.set_cookie("known_device", "eyJpZCI6ImZha2UiLCJhY2NvdW50cyI6WyJtYXlhIl19.forged")
        for _ in range(3):
            sign_in(guesser, "maya", "wrong guess here")
        other = app.test_client()
        assert sign_in(other, "maya").status_code == 429

    def test_behind_a_load_balancer_addresses_come_from_x_forwarded_for(self, database_url, people):
        from tests.conftest import make_app

        app = make_app(
            database_url,
            TRUSTED_PROXIES=1,
            LOGIN_LIMIT_PER_ACCOUNT="100 per minute",
            LOGIN_LIMIT_PER_ADDRESS="2 per minute",
        )
        one, two = app.test_client(), app.test_client()
        one.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.1"
        two.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.2"
        for name in ("b1", "b2"):
            assert sign_in(one, name, "wrong guess here").status_code == 200
        assert sign_in(one, "b3", "wrong guess here").status_code == 429
        assert sign_in(two, "b3", "wrong guess here").status_code == 200

    def test_one_address_trying_many_accounts_is_slowed(self, client, people):
        for name in ["a1", "a2", "a3", "a4", "a5", "a6"]:
            assert sign_in(client, name, "wrong guess here").status_code == 200
        assert sign_in(client, "a7", "wrong guess here").status_code == 429

    def test_successful_sign_ins_do_not_count(self, app, people):
        for _ in range(5):
            c = app.test_client()
            assert sign_in(c, "maya").status_code == 302


def _new_code(app, username: str, *, created_ago=timedelta(0)) -> str:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        user.password_hash = None
        code = issue_activation_code(user, None, now_utc() - created_ago)
        db.session.commit()
        return code


def _activate(client, username, code, password="kettle meadow orbit", confirm=None):
    token = csrf_token(client, "/activate")
    return client.post(
        "/activate",
        data={
            "username": username,
            "code": code,
            "password": password,
            "confirm": confirm or password,
            "csrf_token": token,
        },
    )


def test_activation_code_lets_a_young_person_choose_a_password(app, client, people):
    code = _new_code(app, "riley")
    response = _activate(client, "riley", code.lower().replace("-", " "))
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout", headers={"X-CSRFToken": csrf_token(client, "/")})
    assert sign_in(client, "riley", "kettle meadow orbit").status_code == 302


def test_what_is_said_after_setting_a_password_is_in_the_persons_own_language(app, client, people):
    code = _new_code(app, "riley")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "riley")).locale = "ar"
        db.session.commit()
    # The browser asks for English; Riley chose Arabic for himself.
    response = _activate(client, "riley", code)
    assert response.status_code == 302
    home = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Your password is set" not in home
    assert 'dir="rtl"' in home


def test_activation_code_works_only_once(app, client, people):
    code = _new_code(app, "riley")
    assert _activate(client, "riley", code).status_code == 302
    other = app.test_client()
    html = _activate(other, "riley", code, "another fine password").get_data(as_text=True)
    assert "already been used" in html
    assert sign_in(app.test_client(), "riley", "another fine password").status_code == 200


def test_expired_activation_code_is_refused(app, client, people):
    code = _new_code(app, "riley", created_ago=timedelta(days=7, minutes=1))
    response = _activate(client, "riley", code)
    html = response.get_data(as_text=True)
    assert "too old" in html
    assert 'value="riley"' in html and f'value="{code}"' in html  # kept, to fix and retry
    assert "kettle meadow orbit" not in html


def test_code_for_someone_else_is_refused(app, client, people):
    code = _new_code(app, "riley")
    assert "do not match" in _activate(client, "maya", code).get_data(as_text=True)


def test_new_code_replaces_the_old_one(app, client, people):
    old = _new_code(app, "riley")
    new = _new_code(app, "riley")
    assert "too old" in _activate(client, "riley", old).get_data(as_text=True)
    assert _activate(app.test_client(), "riley", new).status_code == 302


def test_activation_with_a_weak_password_keeps_the_code_unused(app, client, people):
    code = _new_code(app, "riley")
    html = _activate(client, "riley", code, "riley").get_data(as_text=True)
    assert "at least 12 characters" in html
    html = _activate(client, "riley", code, "kettle meadow orbit", "kettle meadow orbiT").get_data(
        as_text=True
    )
    assert "not the same" in html
    with app.app_context():
        assert db.session.scalar(select(ActivationCode.used_at)) is None
    assert _activate(client, "riley", code).status_code == 302


def test_sign_in_and_failures_are_audited(app, client, people):
    sign_in(client, "maya", "wrong guess here")
    sign_in(client, "maya")
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.outcome).order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [("sign_in", "failed"), ("sign_in", "allowed")]


def test_resetting_a_password_with_a_new_code_signs_out_old_sessions(app, client, people):
    old_phone = app.test_client()
    assert sign_in(old_phone, "riley").status_code == 302
    code = _new_code(app, "riley")
    assert _activate(client, "riley", code).status_code == 302
    assert old_phone.get("/").status_code == 302
    assert client.get("/").status_code == 200


def test_two_hosts_share_throttling_through_redis(database_url, people):
    """With REDIS_URL set, every worker process and host counts the same failures: two
    failures in another process and one here reach a limit of three."""
    import json
    import subprocess
    import sys
    import textwrap
    import uuid

    import redis

    from tests.conftest import make_app

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (see README)")
    settings = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute",
    }
    other_host = textwrap.dedent(
        f"""
        import json
        from tests.conftest import make_app, sign_in
        app = make_app({database_url!r}, **json.loads({json.dumps(settings)!r}))
        client = app.test_client()
        print([sign_in(client, "maya", "wrong guess here").status_code for _ in range(2)])
        """
    )
    done = subprocess.run(  # noqa: S603 (our own script, run with this Python)
        [sys.executable, "-c", other_host], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[200, 200]"
    here = make_app(database_url, **settings).test_client()
    assert sign_in(here, "maya", "wrong guess here").status_code == 200
    assert sign_in(here, "maya", "wrong guess here").status_code == 429
    keys = redis.Redis.from_url(url).keys("*" + settings["RATELIMIT_KEY_PREFIX"] + "*")
    assert keys, "the counters should be in Redis"


@pytest.mark.parametrize(("username", "hours"), [("priya", 12), ("maya", 30 * 24)])
def test_a_sign_in_ends_after_its_lifetime_however_busy(app, client, people, username, hours):
    from datetime import timedelta

    from app.models import User

    assert sign_in(client, username).status_code == 302
    assert client.get("/account").status_code == 200
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == username))
        row = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id)).one()
        # Busy all along (seen a moment ago), but signed in just over the lifetime ago.
        row.created_at = row.created_at - timedelta(hours=hours, minutes=1)
        db.session.commit()
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "signed in for a long time" in client.get("/login").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(LoginSession.end_reason)).all() == ["expired"]


def test_production_needs_a_long_secret_and_a_host_only_session_cookie():
    from app import create_app

    settings = {"APP_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://", "WEB_CONCURRENCY": "1"}
    with pytest.raises(RuntimeError, match="at least 32 characters"):
        create_app({**settings, "SECRET_KEY": "short-but-not-the-dev-key"})
    app = create_app({**settings, "SECRET_KEY": "k" * 48})
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session" and app.config["SESSION_COOKIE_SECURE"]
