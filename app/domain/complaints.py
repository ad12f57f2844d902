"""Complaints by or for a child: the statutory stages, their deadlines in working days and
the order the steps may come in.

The rules come from the Children Act 1989 representations procedure (section 26(3) and
section 24D) and the Children Act 1989 Representations Procedure (England) Regulations 2006,
as DESIGN.md ("Statutory facts") sets out:

- Stage 1, local resolution: answered within 10 working days, extendable to 20 (with a
  reason).
- Stage 2, investigation: within 25 working days, extendable to 65.
- Stage 3, review panel: within 30 working days of the request; no extension.
- After an answer, the young person has 20 working days to ask for the next stage. A later
  request is still recorded, and flagged to the officer (regulation 17 and 21 allow the
  council to consider it): never refused silently.
- A child making a complaint must be offered an advocate (section 26A).

Working days are England's (`app.domain.working_days`). Nothing here reads a request or the
database: each rule takes the facts and "today" as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from app.domain.problems import Problem
from app.domain.working_days import add_working_days, working_days_between


class Stage(IntEnum):
    LOCAL_RESOLUTION = 1
    INVESTIGATION = 2
    REVIEW_PANEL = 3


class Status(StrEnum):
    OPEN = "open"  # being worked at its stage
    ANSWERED = "answered"  # the answer for this stage was sent
    ESCALATION_REQUESTED = "escalation_requested"  # the young person asked for the next stage
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def is_finished(self) -> bool:
        """Closed or withdrawn: nothing more is done at any stage."""
        return self in (Status.CLOSED, Status.WITHDRAWN)


class EventKind(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    EXTENDED = "extended"
    RESPONSE_SENT = "response_sent"
    ESCALATION_REQUESTED = "escalation_requested"
    ESCALATED = "escalated"
    SHARED = "shared"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def sets_deadline(self) -> bool:
        """A stage's clock starts (received, escalated) or moves (extended): the event has a
        due date."""
        return self in (EventKind.RECEIVED, EventKind.EXTENDED, EventKind.ESCALATED)

    @property
    def is_answer(self) -> bool:
        return self is EventKind.RESPONSE_SENT

    @property
    def note_for_young_person(self) -> bool:
        """Its note is written to or by the young person (why more time is needed, the
        answer, why they want the next stage), so their page shows it."""
        return self in (EventKind.EXTENDED, EventKind.RESPONSE_SENT, EventKind.ESCALATION_REQUESTED)


class Timeliness(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    LATE = "late"


# Working days from the start of each stage: the deadline and the longest it may be extended to.
WORKING_DAYS = {Stage.LOCAL_RESOLUTION: 10, Stage.INVESTIGATION: 25, Stage.REVIEW_PANEL: 30}
LIMIT = {Stage.LOCAL_RESOLUTION: 20, Stage.INVESTIGATION: 65, Stage.REVIEW_PANEL: 30}
ESCALATION_WINDOW = 20  # working days after an answer to ask for the next stage
DUE_SOON_WORKING_DAYS = 3
MAX_TEXT = 4000
# Short answers, each kept whole in a column of this many characters.
MAX_ABOUT_WHO = 200
MAX_SERVICE_NAME = 200
MAX_ADVOCATE_NAME = 120
MAX_ADVOCATE_PHONE = 40
MAX_ADVOCATE_EMAIL = 200
MAX_TEAM_NAME = 120


class ComplaintProblem(Problem):
    """A step refused by the rules; `reason` is a key the views turn into words."""


def due_on(stage: Stage, started_on: date, extension_days: int = 0) -> date:
    """The date the answer at `stage` is due: its working days (plus any extension) after
    the day the stage started (that day is day 0)."""
    return add_working_days(started_on, WORKING_DAYS[Stage(stage)] + extension_days)


def max_extension(stage: Stage) -> int:
    """How many working days a stage's deadline may be moved on, in all."""
    return LIMIT[Stage(stage)] - WORKING_DAYS[Stage(stage)]


def check_extension(stage: Stage, already: int, more: int) -> int:
    """The new total extension in working days. Raises ComplaintProblem("no_extension") at
    Stage 3, ("bad_extension") for less than one day and ("past_limit") past the statutory
    limit (Stage 1: 20 working days in all; Stage 2: 65)."""
    stage = Stage(stage)
    if stage is Stage.REVIEW_PANEL:
        raise ComplaintProblem("no_extension")
    if more < 1:
        raise ComplaintProblem("bad_extension")
    if already + more > max_extension(stage):
        raise ComplaintProblem("past_limit")
    return already + more


def timeliness(due: date, today: date, answered_on: date | None = None) -> Timeliness:
    """On time, due soon (three working days or fewer left) or late. An answered stage is
    judged by the day the answer was sent."""
    if answered_on is not None:
        return Timeliness.ON_TIME if answered_on <= due else Timeliness.LATE
    if today > due:
        return Timeliness.LATE
    if working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return Timeliness.DUE_SOON
    return Timeliness.ON_TIME


def escalation_window_ends(answered_on: date) -> date:
    return add_working_days(answered_on, ESCALATION_WINDOW)


def is_late_request(answered_on: date, asked_on: date) -> bool:
    """True when the request for the next stage came more than 20 working days after the
    answer: it is recorded and flagged to the officer, not refused."""
    return asked_on > escalation_window_ends(answered_on)


TERMINAL = {Status.CLOSED: "closed", Status.WITHDRAWN: "withdrawn"}


@dataclass(frozen=True)
class Step:
    """What a step does to a complaint: its new status and stage (None: unchanged)."""

    status: Status
    stage: Stage


def next_step(
    kind: EventKind, stage: Stage, status: Status, *, acknowledged: bool = False, to_stage: int | None = None
) -> Step:
    """The complaint's status and stage after `kind`, or ComplaintProblem with the reason it
    is out of order. Nothing happens after a complaint is withdrawn or closed, except a
    young person asking for the next stage after a closed answer (recorded, not refused)."""
    stage, status, kind = Stage(stage), Status(status), EventKind(kind)
    if kind is EventKind.SHARED:
        if status is Status.WITHDRAWN:
            raise ComplaintProblem("withdrawn")
        return Step(status, stage)
    if kind is EventKind.ESCALATION_REQUESTED:
        if status is Status.WITHDRAWN:
            raise ComplaintProblem("withdrawn")
        if stage is Stage.REVIEW_PANEL:
            raise ComplaintProblem("no_next_stage")
        if status is Status.ESCALATION_REQUESTED:
            raise ComplaintProblem("already_requested")
        if status not in (Status.ANSWERED, Status.CLOSED):
            raise ComplaintProblem("not_answered")
        return Step(Status.ESCALATION_REQUESTED, stage)
    if status in TERMINAL:
        raise ComplaintProblem(TERMINAL[status])
    if kind is EventKind.WITHDRAWN:
        return Step(Status.WITHDRAWN, stage)
    if kind is EventKind.ACKNOWLEDGED:
        if status is not Status.OPEN:
            raise ComplaintProblem("not_open")
        if acknowledged:
            raise ComplaintProblem("already_acknowledged")
        return Step(Status.OPEN, stage)
    if kind in (EventKind.EXTENDED, EventKind.RESPONSE_SENT):
        if status is not Status.OPEN:
            raise ComplaintProblem("not_open")
        return Step(Status.ANSWERED if kind is EventKind.RESPONSE_SENT else Status.OPEN, stage)
    if kind is EventKind.ESCALATED:
        if stage is Stage.REVIEW_PANEL:
            raise ComplaintProblem("no_next_stage")
        if to_stage is not None and to_stage != stage + 1:
            raise ComplaintProblem("out_of_order")
        if status not in (Status.ANSWERED, Status.ESCALATION_REQUESTED):
            raise ComplaintProblem("not_answered")
        return Step(Status.OPEN, Stage(stage + 1))
    if kind is EventKind.CLOSED:
        if status is Status.OPEN:
            raise ComplaintProblem("not_answered")
        if status is Status.ESCALATION_REQUESTED:
            raise ComplaintProblem("escalation_waiting")
        return Step(Status.CLOSED, stage)
    raise ComplaintProblem("unknown")


def reference(year: int, number: int) -> str:
    """A complaint's reference, like NC-2026-0042 (Northshire Complaint, year, number)."""
    return f"NC-{year}-{number:04d}"


class AdvocacyStatus(StrEnum):
    REQUESTED = "requested"
    REFERRED = "referred"
    ALLOCATED = "allocated"


def check_advocacy(status: AdvocacyStatus, to: AdvocacyStatus) -> None:
    """A request is referred to the advocacy service, then an advocate is allocated.
    Raises ComplaintProblem("refer_first") or ("already_done")."""
    status, to = AdvocacyStatus(status), AdvocacyStatus(to)
    order = list(AdvocacyStatus)
    if order.index(to) <= order.index(status):
        raise ComplaintProblem("already_done")
    if order.index(to) - order.index(status) > 1:
        raise ComplaintProblem("refer_first")
