"""When a young person's review and plan are due (DESIGN.md, "Statutory facts"; the Care
Planning, Placement and Case Review (England) Regulations 2010, reg. 33, and the Care Leavers
(England) Regulations 2010 for pathway plans).

- A child in care: the first review within 20 working days of coming into care, the second
  within 3 months of the first, then at least every 6 months.
- A pathway plan (16 and over, and care leavers): reviewed at least every 6 months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.working_days import add_months, add_working_days

DUE_SOON_DAYS = 14


class Timeliness(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Due:
    on: date
    timeliness: Timeliness


def timeliness(due_on: date, today: date) -> Timeliness:
    if due_on < today:
        return Timeliness.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return Timeliness.DUE_SOON
    return Timeliness.ON_TRACK


def next_care_review(came_into_care_on: date, reviews_held: Sequence[date]) -> date:
    """The latest date the next review of a child in care may be held."""
    held = sorted(d for d in reviews_held if d >= came_into_care_on)
    if not held:
        return add_working_days(came_into_care_on, 20)
    if len(held) == 1:
        return add_months(held[0], 3)
    return add_months(held[-1], 6)


def next_pathway_review(plan_started_on: date, reviews_held: Sequence[date]) -> date:
    """The latest date a pathway plan may next be reviewed."""
    held = sorted(d for d in reviews_held if d >= plan_started_on)
    return add_months(held[-1] if held else plan_started_on, 6)


def review_due(
    *,
    pathway: bool,
    started_on: date,
    reviews_held: Sequence[date],
    today: date,
) -> Due:
    """The next review for a young person, and whether it is on track, due soon or late.
    `started_on` is the day they came into care (or, on a pathway plan, the day it began)."""
    on = (
        next_pathway_review(started_on, reviews_held)
        if pathway
        else next_care_review(started_on, reviews_held)
    )
    return Due(on, timeliness(on, today))


def plan_due(last_published_on: date | None, today: date) -> Due:
    """A plan is refreshed at least every 6 months; with none published it is due now."""
    on = today if last_published_on is None else add_months(last_published_on, 6)
    return Due(on, timeliness(on, today) if last_published_on else Timeliness.OVERDUE)


# A review is booked for a real meeting: within the coming year (the longest gap the
# regulations allow is six months).
BOOK_AHEAD = 366


def booking_problem(on: date, today: date) -> str | None:
    """Why a review cannot be booked for `on`, or None: not in the past, not more than a
    year ahead."""
    if on < today:
        return "date_in_past"
    if (on - today).days > BOOK_AHEAD:
        return "too_far_ahead"
    return None


def held_problem(on: date, today: date, born: date, came_into_care: date | None) -> str | None:
    """Why a review cannot have been held on `on`, or None: not in the future, and not
    before the young person was born or came into care."""
    if on > today:
        return "date_in_future"
    if on < born:
        return "before_born"
    if came_into_care is not None and on < came_into_care:
        return "before_care"
    return None
