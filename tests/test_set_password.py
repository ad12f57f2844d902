"""A password is set in one place, `accounts.set_password`: the rules, the hash, the other
sessions ended and the audit event. Every way a person sets one (an activation code, first
time or reset, and a change on the account page) is asked the same questions here, so a
path that stopped going through it, or did only part of it, fails."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth import accounts
from app.auth.accounts import ACTIVATED, CHANGED, issue_activation_code, set_password
from app.demo import DEMO_PASSWORD
from app.domain.passwords import PasswordProblem
from app.extensions import db
from app.forms_common import PASSWORD_PROBLEMS
from app.models import AuditEvent, LoginSession, User
from app.timeutil import now_utc
from tests.conftest import csrf_token, sign_in

STRONG = "kettle meadow orbit"
WEAK = "password1234"  # 12 characters, easy to guess


def _riley(app) -> User:
    return db.session.scalar(select(User).where(User.username == "riley"))


def _with_code(app, client, password):
    """A reset: Riley has a password and a new code; he chooses a new password with it."""
    with app.app_context():
        code = issue_activation_code(_riley(app), None, now_utc())
        db.session.commit()
    return client.post(
        "/activate",
        data={
            "username": "riley",
            "code": code,
            "password": password,
            "confirm": password,
            "csrf_token": csrf_token(client, "/activate"),
        },
    )


def _on_the_account_page(app, client, password):
    assert sign_in(client, "riley").status_code == 302
    return client.post(
        "/account/password",
        data={
            "current": DEMO_PASSWORD,
            "password": password,
            "confirm": password,
            "csrf_token": csrf_token(client, "/account"),
        },
    )


# (how, what is audited, why the other sessions ended)
PATHS = {
    "activation code": (_with_code, "activate", "password_reset"),
    "account page": (_on_the_account_page, "password_changed", "password_changed"),
}


@pytest.mark.parametrize("path", PATHS)
def test_a_weak_password_is_refused_with_the_same_words_on_every_path(app, client, demo, path):
    how, _action, _reason = PATHS[path]
    html = how(app, client, WEAK).get_data(as_text=True)
    assert str(PASSWORD_PROBLEMS["common"]) in html
    assert sign_in(app.test_client(), "riley", WEAK).status_code == 200  # not set
    assert sign_in(app.test_client(), "riley", DEMO_PASSWORD).status_code == 302


@pytest.mark.parametrize("path", PATHS)
def test_every_path_asks_the_one_rule(app, client, demo, path, monkeypatch):
    """The rule is asked through set_password only: made to refuse everything there, a
    strong password is refused on every path."""

    def refuse_all(*args, **kwargs):
        raise PasswordProblem("personal")

    monkeypatch.setattr(accounts, "check_password", refuse_all)
    how, _action, _reason = PATHS[path]
    assert str(PASSWORD_PROBLEMS["personal"]) in how(app, client, STRONG).get_data(as_text=True)
    assert sign_in(app.test_client(), "riley", STRONG).status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_every_path_signs_out_other_devices_and_audits(app, client, demo, path):
    how, action, reason = PATHS[path]
    other_phone = app.test_client()
    assert sign_in(other_phone, "riley").status_code == 302
    before = now_utc()
    assert how(app, client, STRONG).status_code == 302
    assert client.get("/").status_code == 200  # this browser is signed in afresh
    assert other_phone.get("/").status_code == 302  # the other one is signed out
    assert sign_in(app.test_client(), "riley", STRONG).status_code == 302
    with app.app_context():
        riley = _riley(app)
        assert riley.password_changed_at is not None and riley.password_changed_at >= before
        ended = db.session.scalars(
            select(LoginSession.end_reason).where(
                LoginSession.user_id == riley.id, LoginSession.end_reason.is_not(None)
            )
        ).all()
        assert reason in ended
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action, AuditEvent.outcome == "allowed")
        ).all()
        assert [e.actor_id for e in events] == [riley.id]


def test_set_password_changes_nothing_when_the_password_is_refused(app, demo):
    with app.app_context():
        riley = _riley(app)
        old_hash = riley.password_hash
        open_sessions = db.session.query(LoginSession).filter_by(user_id=riley.id, ended_at=None).count()
        with pytest.raises(PasswordProblem):
            set_password(riley, "Riley Castellano-Nairn", now_utc(), CHANGED)
        assert riley.password_hash == old_hash and riley.password_changed_at is None
        assert (
            db.session.query(LoginSession).filter_by(user_id=riley.id, ended_at=None).count() == open_sessions
        )
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "password_changed")) is None


@pytest.mark.parametrize(
    ("why", "action", "reason"),
    [(ACTIVATED, "activate", "password_reset"), (CHANGED, "password_changed", "password_changed")],
)
def test_set_password_hashes_ends_every_session_and_audits(app, demo, why, action, reason):
    phone = app.test_client()
    assert sign_in(phone, "riley").status_code == 302
    with app.app_context():
        riley = _riley(app)
        now = now_utc()
        set_password(riley, STRONG, now, why)
        db.session.commit()
        assert riley.password_hash and STRONG not in riley.password_hash
        assert riley.password_changed_at is not None
        rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == riley.id)).all()
        assert rows and all(r.ended_at is not None and r.end_reason == reason for r in rows)
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))
        assert event is not None and event.actor_id == riley.id
    assert phone.get("/").status_code == 302
