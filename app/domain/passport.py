"""The Passport to Independence workflow: who may move a skill from which step to which.

    not started -> learning -> practised together (carer) -> I can do this (young person)
                -> signed off (social worker or personal adviser)

A worker may instead send a skill back, with a note, from "practised together" or "I can do
this"; the young person and carer then carry on from there. A care leaver with no carer can
go from "learning" to "I can do this" on their own. "Signed off" is final. A skill cannot be
started before the age it starts at.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.roles import WORKER_ROLES, Role

MAX_NOTE_LENGTH = 500


class Step(StrEnum):
    NOT_STARTED = "not_started"
    LEARNING = "learning"
    PRACTISED = "practised"
    CAN_DO = "can_do"
    SIGNED_OFF = "signed_off"
    SENT_BACK = "sent_back"


_YOUNG_PERSON = {
    Step.NOT_STARTED: {Step.LEARNING},
    Step.LEARNING: {Step.CAN_DO},
    Step.PRACTISED: {Step.CAN_DO, Step.LEARNING},
    Step.CAN_DO: {Step.LEARNING},  # "not sure after all"
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


class StepProblem(ValueError):
    """Raised with a `reason`: "not_allowed", "too_young", "note_needed", "note_too_long"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def allowed_steps(role: Role, current: Step) -> frozenset[Step]:
    """The steps `role` may move a skill to from `current` (empty for anyone else)."""
    try:
        role, current = Role(role), Step(current)
    except ValueError:
        return frozenset()
    if role is Role.YOUNG_PERSON:
        table = _YOUNG_PERSON
    elif role is Role.CARER:
        table = _CARER
    elif role in WORKER_ROLES:
        table = _WORKER
    else:
        return frozenset()
    return frozenset(table.get(current, set()))


def check_step(
    role: Role, current: Step, new: Step, *, age: int, starts_at_age: int, note: str | None
) -> None:
    """Raises StepProblem unless `role` may move a skill from `current` to `new` for a young
    person of `age`. Sending back needs a note, so the young person and carer know why."""
    if new not in allowed_steps(role, current):
        raise StepProblem("not_allowed")
    if age < starts_at_age:
        raise StepProblem("too_young")
    if note and len(note) > MAX_NOTE_LENGTH:
        raise StepProblem("note_too_long")
    if new is Step.SENT_BACK and not (note or "").strip():
        raise StepProblem("note_needed")


def old_enough(age: int, starts_at_age: int) -> bool:
    return age >= starts_at_age
