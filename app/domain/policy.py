"""Who may see or do what for which young person: the need-to-know rules of DESIGN.md.

One function, `may`, answers every question. It fails closed: an unknown role, an unknown
action, a relationship that has not started or has ended all mean no. It takes the facts
(who is asking, the young person's carers and workers with their dates, and today) and never
reads a request or the database, so every case can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from app.domain.roles import KIND_FOR_ROLE, AllocationKind, Role


class Action(StrEnum):
    VIEW_PROFILE = "view_profile"  # name, age, who their people are
    VIEW_RECORD = "view_record"  # plans, reviews, the full record
    PRACTISE_SKILLS = "practise_skills"  # mark passport skills as practised / done
    APPROVE_SKILLS = "approve_skills"  # sign off or send back passport skills
    READ_MESSAGES = "read_messages"  # the young person's own threads with their worker
    MESSAGE_WORKER_ABOUT = "message_worker_about"  # a carer writing to the worker about them
    RAISE_COMPLAINT_FOR = "raise_complaint_for"
    VIEW_COMPLAINTS = "view_complaints"
    WORK_COMPLAINTS = "work_complaints"  # the officer's steps: acknowledge, extend, answer...
    ASK_FOR_ADVOCATE = "ask_for_advocate"
    MANAGE_ACCOUNT = "manage_account"  # activation codes, relationships
    WRITE_PLAN = "write_plan"  # draft and publish the plan, record reviews
    EDIT_HEALTH_PASSPORT = "edit_health_passport"


@dataclass(frozen=True)
class Actor:
    id: int
    role: Role


@dataclass(frozen=True)
class Period:
    """A relationship that holds from `starts_on` until (not including) `ends_on`."""

    person_id: int
    starts_on: date
    ends_on: date | None = None
    kind: AllocationKind | None = None  # set for worker allocations

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True)
class Subject:
    """A young person and the adults around them, with dates."""

    young_person_id: int
    carers: tuple[Period, ...] = field(default=())
    workers: tuple[Period, ...] = field(default=())


SELF_MAY = frozenset(
    {
        Action.VIEW_PROFILE,
        Action.VIEW_RECORD,
        Action.PRACTISE_SKILLS,
        Action.READ_MESSAGES,
        Action.RAISE_COMPLAINT_FOR,
        Action.VIEW_COMPLAINTS,
        Action.ASK_FOR_ADVOCATE,
        Action.EDIT_HEALTH_PASSPORT,
    }
)
# Carers need what helps day to day: who the young person is and their life skills. Not
# the plan, not the young person's messages with their worker, not complaints (which can be
# about the carer).
CARER_MAY = frozenset(
    {
        Action.VIEW_PROFILE,
        Action.PRACTISE_SKILLS,
        Action.MESSAGE_WORKER_ABOUT,
        Action.RAISE_COMPLAINT_FOR,
    }
)
# A complaint can be about the worker, so the worker does not see complaints (the officer
# shares what they need to know outside this rule).
WORKER_MAY = frozenset(
    {
        Action.VIEW_PROFILE,
        Action.VIEW_RECORD,
        Action.APPROVE_SKILLS,
        Action.READ_MESSAGES,
        Action.MESSAGE_WORKER_ABOUT,
        Action.RAISE_COMPLAINT_FOR,
        Action.MANAGE_ACCOUNT,
        Action.WRITE_PLAN,
    }
)
# The health passport belongs to the care leaver; their personal adviser helps keep it.
PERSONAL_ADVISER_ALSO_MAY = frozenset({Action.EDIT_HEALTH_PASSPORT})
OFFICER_MAY = frozenset({Action.VIEW_COMPLAINTS, Action.WORK_COMPLAINTS})
MANAGER_MAY = frozenset({Action.MANAGE_ACCOUNT})


def may(actor: Actor | None, action: Action, subject: Subject | None, today: date) -> bool:
    """True if `actor` may do `action` for the young person in `subject` on `today`.

    Young people: only for themselves. Carers: only while the young person lives with them.
    Social workers and personal advisers: only while allocated, in the part their job
    matches. Complaints officer: complaints. Manager: accounts and relationships.
    Anything else: no.
    """
    if actor is None or subject is None:
        return False
    try:
        role = Role(actor.role)
        action = Action(action)
    except ValueError:
        return False

    if role is Role.YOUNG_PERSON:
        return actor.id == subject.young_person_id and action in SELF_MAY
    if role is Role.CARER:
        return action in CARER_MAY and _current(subject.carers, actor.id, today)
    if role in KIND_FOR_ROLE:
        kind = KIND_FOR_ROLE[role]
        allowed = WORKER_MAY | (PERSONAL_ADVISER_ALSO_MAY if role is Role.PERSONAL_ADVISER else set())
        return action in allowed and any(
            p.kind is kind and p.person_id == actor.id and p.holds_on(today) for p in subject.workers
        )
    if role is Role.COMPLAINTS_OFFICER:
        return action in OFFICER_MAY
    if role is Role.MANAGER:
        return action in MANAGER_MAY
    return False


def _current(periods: Iterable[Period], person_id: int, today: date) -> bool:
    return any(p.person_id == person_id and p.holds_on(today) for p in periods)


def may_see_complaint(
    actor: Actor | None, subject: Subject | None, shared_with: Iterable[int], today: date
) -> bool:
    """True if `actor` may read one complaint about the young person in `subject`.

    The young person and the officer may (VIEW_COMPLAINTS). A worker may only when the
    officer has shared this complaint with them and the young person is on their caseload
    today: a complaint can be about the worker. A carer never may."""
    if may(actor, Action.VIEW_COMPLAINTS, subject, today):
        return True
    if actor is None or actor.role not in KIND_FOR_ROLE:
        return False
    return actor.id in set(shared_with) and may(actor, Action.VIEW_RECORD, subject, today)
