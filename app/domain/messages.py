"""Messages between young people (or their carers) and their workers.

A conversation belongs to a young person, the person writing (the young person themselves,
or a carer writing about them) and a part a worker plays (social worker or personal
adviser), not to one worker: when a worker changes, the new one sees the history and the
old one no longer does (DESIGN.md, "Need to know"). A carer's conversation is theirs and the
worker's; the young person's own conversation is theirs and the worker's, never the carer's.

Nothing here reads a request or the database, so every case is tested on its own.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from statistics import median

from app.domain.policy import Action, Actor, Subject, may
from app.domain.problems import Problem
from app.domain.roles import KIND_FOR_ROLE, AllocationKind, Role
from app.domain.safety import Away, Hours, NotWorking, not_working_at
from app.domain.working_days import ENGLAND
from app.timeutil import LONDON

MAX_MESSAGE_LENGTH = 2000
MAX_PLACE_LENGTH = 200
# How far ahead a young person may ask to talk: the days on offer are today and the 20
# after it, near enough that the worker can still plan for it.
CALL_BACK_DAYS = 21
MAX_CALL_BACK_AHEAD = timedelta(days=CALL_BACK_DAYS)
# The times on offer within a worker's hours.
CALL_BACK_STEP = timedelta(minutes=30)


class MessageKind(StrEnum):
    MESSAGE = "message"
    CALL_BACK = "call_back"  # "can we talk?": by phone, in person, or on my own
    NOT_SAFE = "not_safe"  # "I don't feel safe": urgent, top of the worker's inbox


class CallWay(StrEnum):
    PHONE = "phone"
    IN_PERSON = "in_person"
    ALONE = "alone"  # in person, on my own without my carer


@dataclass(frozen=True)
class Conversation:
    """The facts about one conversation that decide who may read it."""

    young_person_id: int
    participant_id: int  # the young person, or the carer who started it
    worker_kind: AllocationKind


def may_read(actor: Actor | None, conversation: Conversation, subject: Subject | None, today: date) -> bool:
    """True if `actor` may read (and so answer in) `conversation` today.

    The young person: their own conversations. A carer: the conversations they started about
    a young person while that young person lives with them. A worker: conversations in the
    part they are allocated to today. Everyone else, including the officer and the manager:
    no. Fails closed on anything unexpected.
    """
    if actor is None or subject is None or subject.young_person_id != conversation.young_person_id:
        return False
    try:
        role = Role(actor.role)
    except ValueError:
        return False
    if role is Role.YOUNG_PERSON:
        return actor.id == conversation.participant_id and may(actor, Action.READ_MESSAGES, subject, today)
    if role is Role.CARER:
        return actor.id == conversation.participant_id and may(
            actor, Action.MESSAGE_WORKER_ABOUT, subject, today
        )
    if role in KIND_FOR_ROLE:
        if KIND_FOR_ROLE[role] is not conversation.worker_kind:
            return False
        return may(actor, Action.READ_MESSAGES, subject, today)
    return False


class MessageProblem(Problem):
    """Raised with a `reason` the page turns into plain words."""


def check_body(body: str | None, *, required: bool = True, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """The message as it will be kept: trimmed. Raises MessageProblem("empty") or
    MessageProblem("too_long")."""
    text = (body or "").strip()
    if required and not text:
        raise MessageProblem("empty")
    if len(text) > limit:
        raise MessageProblem("too_long")
    return text


# Why a time does not suit the worker, as a MessageProblem reason.
NOT_WORKING_REASON = {
    NotWorking.AWAY: "call_time_away",
    NotWorking.BANK_HOLIDAY: "call_time_bank_holiday",
    NotWorking.DAY_OFF: "call_time_not_working",
    NotWorking.OUT_OF_HOURS: "call_time_not_working",
}


def check_call_time(
    wanted: datetime | None,
    now: datetime,
    hours: Hours | None = None,
    away: Away | None = None,
    bank_holidays: Container[date] = ENGLAND,
) -> datetime:
    """A good time to talk must be ahead of now, within MAX_CALL_BACK_AHEAD and, when the
    worker's `hours` are given, a time they work and are not away
    (app.domain.safety.not_working_at). Raises MessageProblem("call_time_missing" |
    "call_time_past" | "call_time_too_far" | "call_time_not_working" | "call_time_away" |
    "call_time_bank_holiday")."""
    if wanted is None:
        raise MessageProblem("call_time_missing")
    if wanted <= now:
        raise MessageProblem("call_time_past")
    if wanted > now + MAX_CALL_BACK_AHEAD:
        raise MessageProblem("call_time_too_far")
    if hours is not None:
        why = not_working_at(wanted, hours, away, bank_holidays)
        if why is not None:
            raise MessageProblem(NOT_WORKING_REASON[why])
    return wanted


def call_times(hours: Hours, step: timedelta = CALL_BACK_STEP) -> list[time]:
    """The times to offer on a working day: from the start of the worker's hours, every
    `step`, while they are still at work (9:00 to 17:00 offers 9:00 to 16:30)."""
    times = []
    moment = datetime.combine(date.min, hours.starts)
    while moment.time() < hours.ends and moment.date() == date.min:
        times.append(moment.time())
        moment += step
    return times


def call_days(
    hours: Hours,
    away: Away | None,
    now: datetime,
    *,
    days: int = CALL_BACK_DAYS,
    bank_holidays: Container[date] = ENGLAND,
) -> list[date]:
    """The days to offer in the next `days` days (today first): the worker's working days
    that are not bank holidays in England and not days they are away. Today only while one
    of its times is still to come."""
    today = now.astimezone(LONDON).date()
    offered = []
    for n in range(days):
        day = today + timedelta(days=n)
        if day.weekday() not in hours.days or day in bank_holidays:
            continue
        if away is not None and away.on(day):
            continue
        if n == 0 and not any(datetime.combine(day, t, tzinfo=LONDON) > now for t in call_times(hours)):
            continue
        offered.append(day)
    return offered


@dataclass(frozen=True)
class Wait:
    """One message or request from a young person or carer, and when it got its first
    answer from a worker (None while it is still waiting)."""

    team: str
    kind: MessageKind
    asked_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class WaitSummary:
    answered: int
    median: timedelta | None
    slowest: timedelta | None
    still_waiting: int
    longest_still_waiting: timedelta | None


def summarise(waits: list[Wait], now: datetime) -> WaitSummary:
    """How long first answers took (median and slowest), and what is still waiting."""
    taken = sorted(w.answered_at - w.asked_at for w in waits if w.answered_at is not None)
    open_waits = [now - w.asked_at for w in waits if w.answered_at is None]
    return WaitSummary(
        answered=len(taken),
        median=timedelta(seconds=median(t.total_seconds() for t in taken)) if taken else None,
        slowest=taken[-1] if taken else None,
        still_waiting=len(open_waits),
        longest_still_waiting=max(open_waits) if open_waits else None,
    )


def response_times(waits: list[Wait], now: datetime) -> dict[tuple[str | None, MessageKind], WaitSummary]:
    """Summaries per (team, kind) and overall per kind (team None). Counts only: nothing in
    a Wait names a child, so nothing here can."""
    groups: dict[tuple[str | None, MessageKind], list[Wait]] = {}
    for wait in waits:
        groups.setdefault((wait.team, wait.kind), []).append(wait)
        groups.setdefault((None, wait.kind), []).append(wait)
    return {key: summarise(group, now) for key, group in groups.items()}
