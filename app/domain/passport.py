"""The Passport to Independence workflow: who may move a skill from which step to which.

    not started -> learning -> practised together (carer) -> I can do this (young person)
                -> signed off (social worker or personal adviser)

A worker may instead send a skill back, with a note, from "practised together" or "I can do
this"; the young person and carer then carry on from there. A young person with no carer
(a care leaver in their own place) can go from "learning" to "I can do this" on their own.
"Signed off" is final. A skill cannot be started before the age it starts at.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.problems import Problem
from app.domain.roles import WORKER_ROLES, Role

MAX_NOTE_LENGTH = 500
# A phone names each change it sends with a key (a UUID, 32 characters) so that a retry is
# not counted twice; the database keeps 64. A longer one is no key our pages made.
MAX_IDEMPOTENCY_KEY_LENGTH = 64


class Step(StrEnum):
    NOT_STARTED = "not_started"
    LEARNING = "learning"
    PRACTISED = "practised"
    CAN_DO = "can_do"
    SIGNED_OFF = "signed_off"
    SENT_BACK = "sent_back"


_YOUNG_PERSON = {
    Step.NOT_STARTED: {Step.LEARNING},
    Step.PRACTISED: {Step.CAN_DO, Step.LEARNING},
    Step.CAN_DO: {Step.LEARNING},  # "not sure after all"
    Step.SENT_BACK: {Step.LEARNING},
}
# A young person with nobody to practise with at home (a care leaver in their own place)
# says "I can do this" without the "practised together" step.
_YOUNG_PERSON_ON_THEIR_OWN = {
    **_YOUNG_PERSON,
    Step.LEARNING: {Step.CAN_DO},
    Step.SENT_BACK: {Step.LEARNING, Step.CAN_DO},
}
_CARER = {
    Step.NOT_STARTED: {Step.LEARNING, Step.PRACTISED},
    Step.LEARNING: {Step.PRACTISED},
    Step.SENT_BACK: {Step.PRACTISED},
}
_WORKER = {
    Step.PRACTISED: {Step.SENT_BACK},
    Step.CAN_DO: {Step.SIGNED_OFF, Step.SENT_BACK},
}


class StepProblem(Problem):
    """Raised with a `reason`: "not_allowed", "too_young", "note_needed", "note_too_long",
    "bad_key"."""


def allowed_steps(role: Role, current: Step, *, has_carer: bool = True) -> frozenset[Step]:
    """The steps `role` may move a skill to from `current` (empty for anyone else).
    `has_carer` says whether the young person lives with a carer today; a young person who
    does practises with them before saying "I can do this"."""
    try:
        role, current = Role(role), Step(current)
    except ValueError:
        return frozenset()
    if role is Role.YOUNG_PERSON:
        table = _YOUNG_PERSON if has_carer else _YOUNG_PERSON_ON_THEIR_OWN
    elif role is Role.CARER:
        table = _CARER
    elif role in WORKER_ROLES:
        table = _WORKER
    else:
        return frozenset()
    return frozenset(table.get(current, set()))


def check_step(
    role: Role,
    current: Step,
    new: Step,
    *,
    age: int,
    starts_at_age: int,
    note: str | None,
    has_carer: bool = True,
) -> None:
    """Raises StepProblem unless `role` may move a skill from `current` to `new` for a young
    person of `age`. Sending back needs a note, so the young person and carer know why."""
    if new not in allowed_steps(role, current, has_carer=has_carer):
        raise StepProblem("not_allowed")
    if age < starts_at_age:
        raise StepProblem("too_young")
    if note and len(note) > MAX_NOTE_LENGTH:
        raise StepProblem("note_too_long")
    if new is Step.SENT_BACK and not (note or "").strip():
        raise StepProblem("note_needed")


def old_enough(age: int, starts_at_age: int) -> bool:
    return age >= starts_at_age
