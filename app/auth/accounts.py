"""Accounts: checking a password, choosing one with an activation code, changing one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from app import audit
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.auth.sessions import end_all_sessions
from app.domain.passwords import check_password
from app.domain.problems import Problem
from app.extensions import db
from app.models import ActivationCode, User

# No 0/O, 1/I/L, 5/S or 2/Z: a code read out over the phone must not be misheard.
CODE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
CODE_LENGTH = 12


class ActivationProblem(Problem):
    """Raised with a `reason`: "unknown", "used" or "expired"."""


def normalise_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == normalise_username(username)))


def authenticate(username: str, password: str) -> User | None:
    """The active user whose password this is, or None. Upgrades the hash when the
    configured cost has changed."""
    user = find_user(username)
    if user is None or not user.is_active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):  # verified: it has one
        user.password_hash = hash_password(password)
    return user


def personal_words(user: User) -> tuple[str, ...]:
    names = [user.username, *user.full_name.split()]
    if user.profile is not None:
        names.append(user.profile.preferred_name)
    return tuple(names)


@dataclass(frozen=True)
class PasswordChange:
    """Why a password is set: what the audit log calls it, and the reason the person's
    other sessions end (which the sign-in page turns into words, `sessions.ENDED_ELSEWHERE`)."""

    audit_action: str
    sessions_end_reason: str


# With an activation code: a first password, or a forgotten one reset with a new code.
ACTIVATED = PasswordChange("activate", "password_reset")
# On the account page, with the password they had.
CHANGED = PasswordChange("password_changed", "password_changed")


def set_password(user: User, password: str, now: datetime, why: PasswordChange) -> None:
    """The one way a password is set. Checks the rules (raises PasswordProblem, and then
    nothing has changed), keeps only its hash, ends every session of the person on every
    device (whoever knew the old password is signed out) and audits it. The caller signs
    this browser in again."""
    config = current_app.config
    app_names = (config["COUNCIL_NAME"], config["APP_NAME"], config["APP_SHORT_NAME"])
    check_password(password, personal_words(user), app_names)
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    end_all_sessions(user.id, why.sessions_end_reason)
    audit.record(why.audit_action, actor_id=user.id)


def _code_hash(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(cleaned.encode()).hexdigest()


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_activation_code(user: User, created_by: User | None, now: datetime) -> str:
    """A new one-time code for `user`; any earlier unused code stops working. The code is
    shown once and only its hash is kept."""
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.user_id == user.id, ActivationCode.used_at.is_(None))
        .values(expires_at=now)
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    db.session.add(
        ActivationCode(
            user_id=user.id,
            code_hash=_code_hash(code),
            created_by_id=created_by.id if created_by else None,
            created_at=now,
            expires_at=now + current_app.config["ACTIVATION_CODE_LIFETIME"],
        )
    )
    return format_code(code)


def redeem_activation_code(username: str, code: str, password: str, now: datetime) -> User:
    """Sets the password of the person the code was made for (`set_password`: their other
    sessions end), and uses the code up.

    Raises ActivationProblem ("unknown" for a code or username that do not match, "used",
    "expired") or PasswordProblem. Nothing changes when it raises."""
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.code_hash == _code_hash(code)))
    user = find_user(username)
    if row is None or user is None or row.user_id != user.id or not user.is_active:
        raise ActivationProblem("unknown")
    if row.used_at is not None:
        raise ActivationProblem("used")
    if row.expires_at <= now:
        raise ActivationProblem("expired")
    set_password(user, password, now, ACTIVATED)
    row.used_at = now
    return user
