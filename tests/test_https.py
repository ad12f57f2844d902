"""Forms over HTTPS. Flask-WTF's strict check (WTF_CSRF_SSL_STRICT) wants a Referer from our
own origin on every HTTPS form post, so our pages must send one (Referrer-Policy:
same-origin), and a post that fails the check is logged and audited, never silent."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import CSRF_RE

HTTPS = "https://localhost"


def _token(client, path: str = "/login") -> str:
    html = client.get(path, base_url=HTTPS, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def _sign_in(client, **headers):
    data = {"username": "maya", "password": DEMO_PASSWORD, "csrf_token": _token(client)}
    return client.post("/login", data=data, base_url=HTTPS, headers=headers)


def _csrf_events(app) -> list[tuple[str, str | None, dict | None, int | None]]:
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "csrf_failed"))
        return [(e.outcome, e.target, e.detail, e.actor_id) for e in events]


def _signed_in(client) -> bool:
    return client.get("/", base_url=HTTPS).status_code == 200


def test_pages_send_their_referrer_only_to_our_own_origin(client):
    response = client.get("/login", base_url=HTTPS)
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer" content="same-origin">' in response.get_data(as_text=True)


def test_sign_in_with_our_own_referrer_works_over_https(client, demo):
    response = _sign_in(client, Referer=f"{HTTPS}/login")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _signed_in(client)


def test_sign_in_without_a_referrer_is_refused_logged_and_audited(app, client, demo, caplog):
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        response = _sign_in(client)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "nothing was saved" in html and 'value="maya"' in html
    assert not _signed_in(client)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        "CSRF check failed: The referrer header is missing." in m
        and "path=/login" in m
        and "address=127.0.0.1" in m
        for m in warnings
    ), warnings
    assert _csrf_events(app) == [("refused", "/login", {"reason": "The referrer header is missing."}, None)]
    with app.app_context():
        address = db.session.scalar(select(AuditEvent.address).where(AuditEvent.action == "csrf_failed"))
    assert address == "127.0.0.1"


def test_sign_in_with_another_sites_referrer_is_refused(app, client, demo):
    response = _sign_in(client, Referer="https://evil.example/login")
    assert response.status_code == 400
    assert not _signed_in(client)
    assert _csrf_events(app) == [
        ("refused", "/login", {"reason": "The referrer does not match the host."}, None)
    ]


def test_a_signed_in_form_needs_our_referrer_too_and_the_failure_names_who(app, client, demo):
    assert _sign_in(client, Referer=f"{HTTPS}/login").status_code == 302
    token = _token(client, "/account")
    data = {"locale": "ar", "csrf_token": token}

    refused = client.post("/account/language", data=data, base_url=HTTPS)
    assert refused.status_code == 400
    assert _csrf_events(app) == [
        ("refused", "/account/language", {"reason": "The referrer header is missing."}, demo["maya"])
    ]

    saved = client.post(
        "/account/language", data=data, base_url=HTTPS, headers={"Referer": f"{HTTPS}/account"}
    )
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.username == "maya")) == "ar"


def test_a_token_failure_over_http_is_audited_too(app, client, demo):
    response = client.post("/login", data={"username": "maya", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert _csrf_events(app) == [("refused", "/login", {"reason": "The CSRF token is missing."}, None)]


@pytest.mark.parametrize("origin", ["null", HTTPS])
def test_quick_exit_from_our_own_https_page_signs_out(client, demo, origin):
    # With same-origin the browser sends our origin; "null" (a no-referrer page) still works.
    assert _sign_in(client, Referer=f"{HTTPS}/login").status_code == 302
    headers = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate", "Origin": origin}
    response = client.post("/leave", base_url=HTTPS, headers=headers)
    assert response.status_code == 303
    assert not _signed_in(client)
