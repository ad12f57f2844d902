"""Who may make a new activation code for whom (issue 12, finding 7: account take-over).

A new code sets a new password, so for someone who has already chosen a password it is a
way into their account: a worker could read a young person's complaint, a manager the
officer's work. People do lose passwords, so a new code stays possible, but:

- a worker only for a young person allocated to them today (the access policy's
  MANAGE_ACCOUNT), never for staff;
- a manager for anyone, except that another manager's or the complaints officer's
  account (once they have a password) needs a second, different manager to confirm
  before the code exists: no one person can take over the accounts that oversee others;
- the person whose account it is never confirms their own reset (the code would then be
  made on one manager's word).

Nothing here reads a request or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.policy import Action, Actor, Subject, may
from app.domain.roles import Role

# Accounts that watch over everyone else's: taking one over must take two managers.
NEEDS_SECOND_MANAGER = frozenset({Role.MANAGER, Role.COMPLAINTS_OFFICER})


class NewCode(StrEnum):
    """What asking for a new code leads to."""

    FIRST = "first"  # no password yet: an ordinary activation code
    RESET = "reset"  # they have a password: a reset, made at once
    ASK_SECOND_MANAGER = "ask_second_manager"  # a reset that waits for another manager
    REFUSED = "refused"


@dataclass(frozen=True)
class Account:
    """The account a code would be for."""

    id: int
    role: Role
    has_password: bool
    is_active: bool = True


def new_code(actor: Actor | None, account: Account, subject: Subject | None, today: date) -> NewCode:
    """What happens when `actor` asks for a new code for `account` on `today`.

    `subject` is the young person and the adults around them when the account is a young
    person's (None otherwise). Fails closed: an unknown role, a closed account, a worker
    for anyone but a young person on their caseload, all mean REFUSED."""
    if actor is None or not account.is_active:
        return NewCode.REFUSED
    try:
        role = Role(actor.role)
    except ValueError:
        return NewCode.REFUSED
    if account.role is Role.YOUNG_PERSON:
        if subject is None or subject.young_person_id != account.id:
            return NewCode.REFUSED
        if not may(actor, Action.MANAGE_ACCOUNT, subject, today):
            return NewCode.REFUSED
    elif role is not Role.MANAGER:
        return NewCode.REFUSED
    if not account.has_password:
        return NewCode.FIRST
    if role is Role.MANAGER and account.role in NEEDS_SECOND_MANAGER:
        return NewCode.ASK_SECOND_MANAGER
    return NewCode.RESET


def may_confirm(actor: Actor | None, requested_by_id: int, for_user_id: int) -> bool:
    """Whether `actor` may be the second manager for a reset `requested_by_id` asked for:
    a manager, not the one who asked, and not the person whose account it is."""
    if actor is None:
        return False
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    return role is Role.MANAGER and actor.id not in (requested_by_id, for_user_id)
