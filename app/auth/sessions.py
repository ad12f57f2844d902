"""Signed-in sessions that can really be ended. The cookie holds a random token; the
database holds its hash and whether the session has ended. Logout, a password change and
idleness end the row, and a cookie for an ended row signs nobody in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import login_user, logout_user
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app import audit
from app.domain.roles import Role
from app.extensions import db, login_manager
from app.models import LoginSession, User
from app.timeutil import now_utc

# Writing last_seen_at on every request would double the writes; a minute is precise enough
# for a 30-minute idle limit.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit(role: Role) -> timedelta:
    config = current_app.config
    if role is Role.YOUNG_PERSON:
        return config["IDLE_TIMEOUT_YOUNG_PEOPLE"]
    return config["IDLE_TIMEOUT_STAFF"]


def lifetime(role: Role) -> timedelta:
    """How long a sign-in lasts however busy the person is."""
    config = current_app.config
    if role is Role.YOUNG_PERSON:
        return config["SESSION_LIFETIME_YOUNG_PEOPLE"]
    return config["SESSION_LIFETIME_STAFF"]


def sign_in(user: User) -> None:
    """Starts a new session for `user` in this browser (audited)."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    audit.record("sign_in", actor_id=user.id)
    user.session_token = token
    session.clear()  # nothing from before sign-in carries over
    login_user(user)
    session.permanent = False
    # The language was chosen for this request before anyone was signed in: choose again, so
    # what is said from now on ("Your password is set") is in their language, not the browser's.
    refresh()


# How the audit log names each way a person ends their own session.
SIGNED_OUT_AS = {"logout": "sign_out", "quick_exit": "quick_exit"}


def end_session(user: User, reason: str) -> None:
    """Ends the session this browser is signed in with (audited: signing out, or leaving
    quickly)."""
    audit.record(SIGNED_OUT_AS.get(reason, reason), actor_id=user.id)
    if user.session_token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _hash(user.session_token))
            .values(ended_at=now_utc(), end_reason=reason)
        )
    logout_user()
    session.clear()


def end_all_sessions(user_id: int, reason: str) -> None:
    """Ends every session of a person, on every device."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
        .values(ended_at=now_utc(), end_reason=reason)
    )


def load_user(token: str) -> User | None:
    row = db.session.execute(
        select(LoginSession, User)
        .join(User, LoginSession.user_id == User.id)
        .options(joinedload(User.profile))
        .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
    ).first()
    if row is None:
        # Ended elsewhere: said on the sign-in page, so being signed out is not a mystery.
        # Never for signing out or leaving quickly: they chose it, and a quick exit leaves
        # nothing behind that says where they were.
        g.session_ended = db.session.scalar(
            select(LoginSession.end_reason).where(
                LoginSession.token_hash == _hash(token), LoginSession.end_reason.in_(list(ENDED_ELSEWHERE))
            )
        )
        return None
    login, user = row
    now = now_utc()
    expired = now - login.created_at > lifetime(user.role)
    if not user.is_active or expired or now - login.last_seen_at > idle_limit(user.role):
        reason = "deactivated" if not user.is_active else "expired" if expired else "idle"
        login.ended_at, login.end_reason = now, reason
        g.session_ended = reason
        return None
    if now - login.last_seen_at > TOUCH_EVERY:
        login.last_seen_at = now
    user.session_token = token
    return user


# Pages whose address must not show in the address bar of the sign-in page (after quick
# exit, Back lands there): the person signs in to their home instead.
PRIVATE_PATHS = ("/not-safe", "/messages", "/talk", "/speak-up", "/complaints", "/advocate", "/thanks")


# Why a session ended somewhere else, as the person is told on this phone's sign-in page.
ENDED_ELSEWHERE = {
    "new_code": _l("You were signed out because a new sign-in code was made for you. Sign in to carry on."),
    "password_reset": _l("You were signed out because a new sign-in code was used. Sign in to carry on."),
    "password_changed": _l(
        "Your password was changed, so you were signed out here. Sign in with the new one."
    ),
}


def _unauthorized():
    if g.get("session_ended") in ENDED_ELSEWHERE:
        flash(ENDED_ELSEWHERE[g.session_ended], "info")
    elif g.get("session_ended") == "idle":
        flash(_l("You were signed out because the app was not used for a while."), "info")
    elif g.get("session_ended") == "expired":
        flash(_l("You have been signed in for a long time, so please sign in again."), "info")
    elif request.endpoint != "home.index":
        flash(_l("Please sign in to see that page."), "info")
    if request.path.startswith(PRIVATE_PATHS):
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.login", next=request.full_path if request.args else request.path))


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = None  # the server-side session does this job
