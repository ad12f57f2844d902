"""Votes: who may take part, which phase a vote is in, and who won."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from app.domain.roles import Role

MAX_OPTION_LENGTH = 120


class Voters(StrEnum):
    YOUNG_PEOPLE = "young_people"
    CARERS = "carers"
    STAFF = "staff"


class Phase(StrEnum):
    SUGGESTING = "suggesting"
    VOTING = "voting"
    CLOSED = "closed"


def group_of(role: Role) -> Voters:
    if role is Role.YOUNG_PERSON:
        return Voters.YOUNG_PEOPLE
    if role is Role.CARER:
        return Voters.CARERS
    return Voters.STAFF


def may_take_part(role: Role, voters: list[str]) -> bool:
    try:
        return group_of(Role(role)).value in voters
    except ValueError:
        return False


def phase(suggestions_close_at: datetime | None, closes_at: datetime, now: datetime) -> Phase:
    if now >= closes_at:
        return Phase.CLOSED
    if suggestions_close_at is not None and now < suggestions_close_at:
        return Phase.SUGGESTING
    return Phase.VOTING


def winners(counts: Mapping[int, int]) -> list[int]:
    """The option ids with the most votes (more than one on a tie; none with no votes)."""
    top = max(counts.values(), default=0)
    return sorted(option for option, count in counts.items() if count == top and top > 0)
