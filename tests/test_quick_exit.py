"""Leave this site quickly: POST /leave ends the session on the server, whatever state the
page was in, and nobody else's site can use it to sign a young person out. Pages about
feeling unsafe, messages and complaints have titles that say nothing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.auth.devices import COOKIE as DEVICE_COOKIE
from app.extensions import db
from app.models import AuditEvent, Complaint, LoginSession, MessageThread
from tests.conftest import sign_in, signed_in
from tests.factories import create_worker, create_young_person, records

EXIT_URL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def maya_id(app) -> int:
    """Maya, a young person with a social worker (the pages about feeling unsafe, messages
    and complaints need the whole demo council)."""
    with records(app):
        return create_young_person("maya", preferred_name="Maya", worker=create_worker("priya")).user_id


@pytest.fixture
def login_as(client, maya_id):
    """Signs the `client` fixture in as Maya; returns it."""
    return lambda username: signed_in(client, username)


def _signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def _audit(app, action: str) -> list[tuple[str, int | None]]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
        return [(e.outcome, e.actor_id) for e in events]


def test_leaving_quickly_ends_the_session_for_real(app, client, login_as, maya_id):
    login_as("maya")
    copied = client.get_cookie("session").value
    # No CSRF token: a form that failed its token would keep a child on the page.
    response = client.post("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == EXIT_URL
    assert not _signed_in(client)
    # Whoever copied the cookie before the exit gets nothing with it.
    client.set_cookie("session", copied)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert [s.end_reason for s in db.session.scalars(select(LoginSession))] == ["quick_exit"]
    assert _audit(app, "quick_exit") == [("allowed", maya_id)]


def test_leaving_clears_the_cache_and_the_session_cookie_but_keeps_the_device_cookie(client, login_as):
    login_as("maya")
    assert client.get_cookie(DEVICE_COOKIE) is not None
    response = client.post("/leave")
    # Not "cookies" (the known-device cookie stays) and not "storage" (the service worker,
    # its push subscription and the passport ticks waiting for a signal stay).
    assert response.headers["Clear-Site-Data"] == '"cache"'
    set_cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=;") and "Max-Age=0" in c for c in set_cookies), set_cookies
    assert not any(c.startswith(f"{DEVICE_COOKIE}=") for c in set_cookies)
    assert client.get_cookie(DEVICE_COOKIE) is not None


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "no-cors", "Origin": "null"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    ],
    ids=["beacon", "fetch"],
)
def test_a_beacon_from_the_page_signs_out_and_gets_an_empty_answer(client, login_as, headers):
    login_as("maya")
    response = client.post("/leave", data={"beacon": "1"}, headers=headers)
    assert response.status_code == 204
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert not _signed_in(client)


def test_our_own_form_is_accepted_although_it_sends_origin_null(client, login_as):
    # A page under no-referrer (as ours once were) makes the browser send "Origin: null".
    login_as("maya")
    headers = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Origin": "null"}
    response = client.post("/leave", headers=headers)
    assert response.status_code == 303 and response.headers["Location"] == EXIT_URL
    assert not _signed_in(client)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.localhost"},
        {"Sec-Fetch-Site": "cross-site"},
        # A browser too old to send Sec-Fetch-Site.
        {"Origin": "https://evil.example"},
    ],
    ids=["cross-site", "same-site", "no-origin", "old-browser"],
)
def test_another_site_cannot_sign_a_young_person_out(app, client, login_as, maya_id, headers):
    login_as("maya")
    response = client.post("/leave", headers=headers)
    # Quiet: off to the neutral site as usual, but nothing is signed out or cleared.
    assert response.status_code == 303 and response.headers["Location"] == EXIT_URL
    assert "Clear-Site-Data" not in response.headers
    assert _signed_in(client)
    assert _audit(app, "quick_exit") == [("refused", maya_id)]


def test_leaving_works_when_nobody_is_signed_in(app, client):
    response = client.post("/leave")
    assert response.status_code == 303 and response.headers["Location"] == EXIT_URL
    assert response.headers["Clear-Site-Data"] == '"cache"'
    assert _audit(app, "quick_exit") == []


def test_the_button_is_a_form_that_needs_no_script_and_no_token(client, login_as):
    for html in (
        client.get("/login").get_data(as_text=True),
        login_as("maya").get("/").get_data(as_text=True),
    ):
        form = re.search(r'<form class="quick-exit-form" method="post" action="/leave".*?</form>', html, re.S)
        assert form, "no quick exit form"
        assert '<button type="submit" class="quick-exit">Leave this site quickly</button>' in form.group(0)


def test_forms_may_go_on_to_the_exit_site(client):
    # Browsers check a form's redirect against form-action: /leave sends them on to the exit.
    policy = client.get("/login").headers["Content-Security-Policy"]
    assert "form-action 'self' https://www.bbc.co.uk" in policy


def _sensitive_pages(demo) -> dict[str, list[str]]:
    """Every page whose title could tell someone looking at the phone what it is about."""
    from app.models import YoungPersonProfile
    from app.safety import service as safety
    from app.timeutil import now_utc

    maya = demo["maya"]
    profile = db.session.get(YoungPersonProfile, maya)
    safety.raise_alert(profile, profile.user, "", None, now_utc())  # so "what is happening" has news
    db.session.commit()
    thread = db.session.scalar(select(MessageThread.id).where(MessageThread.participant_id == maya))
    complaint = db.session.scalar(select(Complaint.id).where(Complaint.young_person_id == maya))
    return {
        "maya": [
            "/not-safe",
            "/not-safe/sent",
            "/messages",
            "/messages/social-worker",
            "/talk",
            "/speak-up",
            "/complaints/new",
            f"/complaints/{complaint}",
            "/advocate",
            "/thanks/new",
        ],
        "priya": [
            f"/inbox/{thread}",
            "/care/complaints",
            f"/care/young-people/{maya}/complaint",
            "/thanks",
        ],
        "alex": [f"/care/young-people/{maya}/messages/social-worker"],
        "lee": ["/officer/complaints", f"/officer/complaints/{complaint}", "/officer/advocacy"],
        "kim": ["/admin/speak-up"],
    }


TELLING_WORDS = re.compile(r"safe|complain|message|advoca|speak|talk", re.I)


def test_sensitive_pages_have_titles_that_say_nothing(app, demo):
    with app.app_context():
        pages = _sensitive_pages(demo)
        short_name = app.config["APP_SHORT_NAME"]
    problems = []
    for username, paths in pages.items():
        client = app.test_client()
        assert sign_in(client, username).status_code == 302
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{username} {path}: {response.status_code}"
            html = response.get_data(as_text=True)
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
            if title != short_name or TELLING_WORDS.search(title):
                problems.append(f"{username} {path}: {title!r}")
            assert "<h1" in html  # the page itself still says what it is
    assert not problems, "\n".join(problems)


def test_other_pages_keep_their_titles(client, login_as):
    html = login_as("maya").get("/people").get_data(as_text=True)
    assert "<title>My people – Care Companion</title>" in html


def test_signing_in_again_after_leaving_never_shows_where_they_were(client, demo):
    # After quick exit, Back lands on the sign-in page: its address must not say
    # "/not-safe" or "/messages/social-worker".
    for path in ("/not-safe", "/messages/social-worker", "/talk", "/speak-up"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == "/login", path
    assert client.get("/account").headers["Location"] == "/login?next=/account"
