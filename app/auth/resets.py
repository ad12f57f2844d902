"""New activation codes for people who already have a password (resets), made safely.

The rule for who may ask is app.domain.account_resets. This module does what a reset
means: the person's sessions end at once, the reset is kept and audited, the person is
told at their next sign-in, the complaints officer hears of it when the young person has a
complaint open, and a reset needing a second manager waits until one confirms it.
Services here never commit: the caller does, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app import audit
from app.auth.accounts import issue_activation_code
from app.auth.sessions import end_all_sessions
from app.domain import reminders as reminder_rules
from app.domain.account_resets import Account, NewCode, may_confirm, new_code
from app.domain.complaints import Status
from app.domain.policy import Actor, Subject
from app.domain.reminders import Candidate, Reason
from app.domain.roles import Role
from app.extensions import db
from app.models import AccountReset, Complaint, LoginSession, User

FINISHED = (Status.CLOSED, Status.WITHDRAWN)


class ResetRefused(Exception):
    """The rule said no; the view refuses quietly (404) and loudly (audit)."""


@dataclass(frozen=True)
class Outcome:
    """A code to show (`code`), or a reset waiting for a second manager (`code` None)."""

    kind: NewCode
    code: str | None
    reset: AccountReset | None


def account_of(user: User) -> Account:
    return Account(user.id, user.role, user.password_hash is not None, user.is_active)


def ask_for_code(
    actor: User, user: User, subject: Subject | None, today, now: datetime, reason: str = ""
) -> Outcome:
    """A new code for `user`, asked for by `actor`: made at once, or (for a manager's or
    the officer's account) kept waiting for a second manager. Raises ResetRefused."""
    kind = new_code(Actor(actor.id, actor.role), account_of(user), subject, today)
    if kind is NewCode.REFUSED:
        raise ResetRefused
    if kind is NewCode.FIRST:
        code = issue_activation_code(user, actor, now)
        audit.record(
            "activation_code_issued",
            actor_id=actor.id,
            young_person_id=_young_person_id(user),
            detail={"user_id": user.id},
        )
        return Outcome(kind, code, None)
    if kind is NewCode.ASK_SECOND_MANAGER:
        waiting = next((r for r in pending() if r.user_id == user.id), None)
        if waiting is not None:
            # Asking again (a double click, or a second manager asking too) is one request.
            return Outcome(kind, None, waiting)
    reset = AccountReset(
        user_id=user.id,
        requested_by_id=actor.id,
        requested_at=now,
        reason=reason,
        needs_confirmation=kind is NewCode.ASK_SECOND_MANAGER,
    )
    db.session.add(reset)
    db.session.flush()
    if kind is NewCode.ASK_SECOND_MANAGER:
        audit.record(
            "account_reset_requested",
            actor_id=actor.id,
            detail={"user_id": user.id, "reset_id": reset.id},
        )
        return Outcome(kind, None, reset)
    return Outcome(kind, _make(reset, user, actor, now), reset)


def confirm(actor: User, reset: AccountReset, now: datetime) -> str:
    """The second manager's yes: the code is made now, and shown to them. Raises
    ResetRefused when `actor` may not confirm it or it is not waiting any more."""
    if (
        not reset.needs_confirmation
        or reset.made_at is not None
        or not reset.user.is_active
        or not may_confirm(Actor(actor.id, actor.role), reset.requested_by_id, reset.user_id)
    ):
        raise ResetRefused
    reset.confirmed_by_id = actor.id
    return _make(reset, reset.user, actor, now)


def _make(reset: AccountReset, user: User, actor: User, now: datetime) -> str:
    code = issue_activation_code(user, actor, now)
    reset.made_at = now
    # Whoever is signed in as them now (the person, or someone who took the account over)
    # is signed out at once, not only when the code is used.
    end_all_sessions(user.id, "new_code")
    audit.record(
        "account_reset",
        actor_id=actor.id,
        young_person_id=_young_person_id(user),
        detail={
            "user_id": user.id,
            "reset_id": reset.id,
            "requested_by_id": reset.requested_by_id,
            "confirmed_by_id": reset.confirmed_by_id,
        },
    )
    if user.role is Role.YOUNG_PERSON:
        _tell_officers(reset, user, actor, now)
    return code


def _young_person_id(user: User) -> int | None:
    return user.id if user.role is Role.YOUNG_PERSON else None


def _tell_officers(reset: AccountReset, user: User, actor: User, now: datetime) -> None:
    """A worker must never read a young person's complaint, and a new code lets whoever
    made it read everything: the officer hears of it at once when a complaint is open."""
    open_complaints = db.session.scalars(
        select(Complaint.id)
        .where(Complaint.young_person_id == user.id, Complaint.status.not_in(FINISHED))
        .order_by(Complaint.id.desc())
    ).all()
    if not open_complaints:
        return
    officers = db.session.scalars(
        select(User.id).where(User.role == Role.COMPLAINTS_OFFICER, User.is_active.is_(True))
    ).all()
    candidates = [
        Candidate(
            officer_id,
            Reason.ACCOUNT_RESET,
            f"reset:{reset.id}",
            user.id,
            f"/officer/complaints/{open_complaints[0]}",
        )
        for officer_id in officers
    ]
    from app.push import service as push

    due = reminder_rules.decide(candidates, push.recipients(c.person_id for c in candidates), now)
    push.record(due, now)
    audit.record(
        "account_reset_officer_told",
        actor_id=actor.id,
        young_person_id=user.id,
        detail={"reset_id": reset.id, "officer_ids": list(officers), "complaint_ids": list(open_complaints)},
    )


def unseen(user_id: int) -> list[AccountReset]:
    """Resets made for this person that they have not been told about yet, oldest first."""
    return list(
        db.session.scalars(
            select(AccountReset)
            .options(joinedload(AccountReset.requested_by), joinedload(AccountReset.confirmed_by))
            .where(
                AccountReset.user_id == user_id,
                AccountReset.made_at.is_not(None),
                AccountReset.seen_at.is_(None),
            )
            .order_by(AccountReset.made_at, AccountReset.id)
        )
    )


def has_unseen(user_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    AccountReset.user_id == user_id,
                    AccountReset.made_at.is_not(None),
                    AccountReset.seen_at.is_(None),
                )
            )
        )
    )


def mark_seen(resets: list[AccountReset], now: datetime) -> None:
    for reset in resets:
        reset.seen_at = now
    if resets:
        audit.record(
            "account_reset_seen", actor_id=resets[0].user_id, detail={"reset_ids": [r.id for r in resets]}
        )


def for_young_person_since(user_id: int, since: datetime) -> list[AccountReset]:
    """The codes made for a young person since a moment (the officer's complaint page)."""
    return list(
        db.session.scalars(
            select(AccountReset)
            .options(joinedload(AccountReset.requested_by), joinedload(AccountReset.confirmed_by))
            .where(AccountReset.user_id == user_id, AccountReset.made_at >= since)
            .order_by(AccountReset.made_at.desc())
        )
    )


def get(reset_id: int) -> AccountReset | None:
    return db.session.scalars(
        select(AccountReset)
        .options(
            joinedload(AccountReset.user),
            joinedload(AccountReset.requested_by),
            joinedload(AccountReset.confirmed_by),
        )
        .where(AccountReset.id == reset_id)
    ).one_or_none()


def pending() -> list[AccountReset]:
    """Resets waiting for a second manager, oldest first."""
    return list(
        db.session.scalars(
            select(AccountReset)
            .options(joinedload(AccountReset.user), joinedload(AccountReset.requested_by))
            .where(AccountReset.needs_confirmation.is_(True), AccountReset.made_at.is_(None))
            .order_by(AccountReset.requested_at, AccountReset.id)
        )
    )


def without_anyone_to_agree(resets: list[AccountReset]) -> set[int]:
    """The waiting resets no manager may agree to yet: every active manager either asked
    for it or is the person it is for. The page says so, or it would wait for nobody."""
    managers = set(
        db.session.scalars(select(User.id).where(User.role == Role.MANAGER, User.is_active.is_(True)))
    )
    return {r.id for r in resets if not managers - {r.requested_by_id, r.user_id}}


def all_made_query():
    """Every reset made, newest first (the managers' page, paginated)."""
    return (
        select(AccountReset)
        .options(
            joinedload(AccountReset.user),
            joinedload(AccountReset.requested_by),
            joinedload(AccountReset.confirmed_by),
        )
        .where(AccountReset.made_at.is_not(None))
        .order_by(AccountReset.made_at.desc(), AccountReset.id.desc())
    )


def signed_in_since(resets: list[AccountReset]) -> set[int]:
    """The ids of the resets whose person has signed in since the code was made."""
    ids = [r.id for r in resets if r.made_at is not None]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(AccountReset.id)
            .join(LoginSession, LoginSession.user_id == AccountReset.user_id)
            .where(AccountReset.id.in_(ids), LoginSession.created_at > AccountReset.made_at)
            .distinct()
        )
    )
