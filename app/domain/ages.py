"""Age rules: how old someone is on a day, which Promise they get, and the care-leaver
milestones (DESIGN.md, "Statutory facts")."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.roles import CareStatus

PROMISE_OLDER_FROM = 16  # "up to 15" and "16 and over"
ADULT_AT = 18
PA_FROM = 16
PA_UNTIL = 21  # and to 25 if the young person wants


class PromiseBand(StrEnum):
    UP_TO_15 = "up_to_15"
    SIXTEEN_PLUS = "16_plus"


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years on `day`. Someone born on 29 February turns a year older on 1 March in
    years that have no 29 February."""
    if day < date_of_birth:
        raise ValueError("day is before the date of birth")
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


def promise_band(date_of_birth: date, day: date) -> PromiseBand:
    """The version of the Promise for someone on `day`: it changes on their 16th birthday."""
    if age_on(date_of_birth, day) >= PROMISE_OLDER_FROM:
        return PromiseBand.SIXTEEN_PLUS
    return PromiseBand.UP_TO_15


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def status_consistent(care_status: CareStatus, age: int) -> bool:
    """A care leaver is 16 or over (most are 18 or over); nobody stays "in care" past 18."""
    if care_status is CareStatus.IN_CARE:
        return age < ADULT_AT
    return age >= PA_FROM


def may_have_personal_adviser(age: int) -> bool:
    """A personal adviser from 16, to 21, or to 25 if the young person asks."""
    return PA_FROM <= age < 25
