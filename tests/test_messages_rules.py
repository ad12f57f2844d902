"""The messaging rules on their own: who may read which conversation, what a message may
be, when a call can be asked for, and how waits are summarised."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.domain.messages import (
    CALL_BACK_DAYS,
    MAX_MESSAGE_LENGTH,
    Conversation,
    MessageKind,
    MessageProblem,
    Wait,
    call_days,
    call_times,
    check_body,
    check_call_time,
    may_read,
    response_times,
    summarise,
)
from app.domain.policy import Actor, Period, Subject
from app.domain.roles import AllocationKind, Role
from app.domain.safety import Away, Hours
from app.timeutil import LONDON

TODAY = date(2026, 11, 23)
LONG_AGO = date(2025, 1, 1)
YP, CARER, OLD_CARER, SW, OLD_SW, PA, OFFICER, MANAGER, OTHER_YP = range(1, 10)

SUBJECT = Subject(
    young_person_id=YP,
    carers=(Period(OLD_CARER, LONG_AGO, date(2026, 6, 1)), Period(CARER, date(2026, 6, 1))),
    workers=(
        Period(OLD_SW, LONG_AGO, date(2026, 9, 1), AllocationKind.SOCIAL_WORKER),
        Period(SW, date(2026, 9, 1), None, AllocationKind.SOCIAL_WORKER),
        Period(PA, LONG_AGO, None, AllocationKind.PERSONAL_ADVISER),
    ),
)
OWN_WITH_SW = Conversation(YP, YP, AllocationKind.SOCIAL_WORKER)
OWN_WITH_PA = Conversation(YP, YP, AllocationKind.PERSONAL_ADVISER)
CARER_WITH_SW = Conversation(YP, CARER, AllocationKind.SOCIAL_WORKER)
OLD_CARER_WITH_SW = Conversation(YP, OLD_CARER, AllocationKind.SOCIAL_WORKER)


@pytest.mark.parametrize(
    ("actor", "conversation", "allowed"),
    [
        (Actor(YP, Role.YOUNG_PERSON), OWN_WITH_SW, True),
        (Actor(YP, Role.YOUNG_PERSON), OWN_WITH_PA, True),
        # A carer's conversation about the young person is the carer's and the worker's.
        (Actor(YP, Role.YOUNG_PERSON), CARER_WITH_SW, False),
        (Actor(OTHER_YP, Role.YOUNG_PERSON), OWN_WITH_SW, False),
        (Actor(CARER, Role.CARER), CARER_WITH_SW, True),
        # A carer never reads the young person's own conversation with their worker.
        (Actor(CARER, Role.CARER), OWN_WITH_SW, False),
        # Nor their own old one once the young person has moved out.
        (Actor(OLD_CARER, Role.CARER), OLD_CARER_WITH_SW, False),
        (Actor(SW, Role.SOCIAL_WORKER), OWN_WITH_SW, True),
        (Actor(SW, Role.SOCIAL_WORKER), CARER_WITH_SW, True),
        # A social worker does not read the young person's conversation with their PA.
        (Actor(SW, Role.SOCIAL_WORKER), OWN_WITH_PA, False),
        (Actor(PA, Role.PERSONAL_ADVISER), OWN_WITH_PA, True),
        (Actor(PA, Role.PERSONAL_ADVISER), OWN_WITH_SW, False),
        # The worker before: the history goes to the new worker, not with the old one.
        (Actor(OLD_SW, Role.SOCIAL_WORKER), OWN_WITH_SW, False),
        (Actor(OFFICER, Role.COMPLAINTS_OFFICER), OWN_WITH_SW, False),
        (Actor(MANAGER, Role.MANAGER), OWN_WITH_SW, False),
        (Actor(YP, "wizard"), OWN_WITH_SW, False),
        (None, OWN_WITH_SW, False),
    ],
)
def test_who_may_read_a_conversation(actor, conversation, allowed):
    assert may_read(actor, conversation, SUBJECT, TODAY) is allowed


def test_a_conversation_checked_against_another_young_persons_facts_is_refused():
    other = Subject(young_person_id=OTHER_YP, workers=SUBJECT.workers)
    assert not may_read(Actor(SW, Role.SOCIAL_WORKER), OWN_WITH_SW, other, TODAY)
    assert not may_read(Actor(SW, Role.SOCIAL_WORKER), OWN_WITH_SW, None, TODAY)


def test_new_worker_reads_from_their_first_day_and_old_worker_stops_that_day():
    changeover = date(2026, 9, 1)
    assert may_read(Actor(OLD_SW, Role.SOCIAL_WORKER), OWN_WITH_SW, SUBJECT, changeover - timedelta(days=1))
    assert not may_read(Actor(OLD_SW, Role.SOCIAL_WORKER), OWN_WITH_SW, SUBJECT, changeover)
    assert may_read(Actor(SW, Role.SOCIAL_WORKER), OWN_WITH_SW, SUBJECT, changeover)


def test_message_body_is_trimmed_and_must_have_words():
    assert check_body("  hello \n") == "hello"
    with pytest.raises(MessageProblem) as problem:
        check_body("   ")
    assert problem.value.reason == "empty"
    assert check_body("", required=False) == ""


def test_message_body_has_a_length_limit():
    assert check_body("a" * MAX_MESSAGE_LENGTH)
    with pytest.raises(MessageProblem) as problem:
        check_body("a" * (MAX_MESSAGE_LENGTH + 1))
    assert problem.value.reason == "too_long"


NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wanted", "reason"),
    [
        (None, "call_time_missing"),
        (NOW - timedelta(minutes=1), "call_time_past"),
        (NOW, "call_time_past"),
        (NOW + timedelta(days=61), "call_time_too_far"),
    ],
)
def test_a_call_back_time_must_be_ahead_and_not_too_far(wanted, reason):
    with pytest.raises(MessageProblem) as problem:
        check_call_time(wanted, NOW)
    assert problem.value.reason == reason


def test_a_call_back_time_tomorrow_is_fine():
    tomorrow = NOW + timedelta(days=1)
    assert check_call_time(tomorrow, NOW) == tomorrow


def _wait(team, hours, answered_after=None, kind=MessageKind.MESSAGE):
    asked = NOW - timedelta(hours=hours)
    answered = asked + timedelta(hours=answered_after) if answered_after is not None else None
    return Wait(team, kind, asked, answered)


def test_summary_gives_median_slowest_and_what_still_waits():
    summary = summarise([_wait("A", 50, 1), _wait("A", 40, 3), _wait("A", 30, 8), _wait("A", 5)], NOW)
    assert summary.answered == 3
    assert summary.median == timedelta(hours=3)
    assert summary.slowest == timedelta(hours=8)
    assert summary.still_waiting == 1
    assert summary.longest_still_waiting == timedelta(hours=5)


def test_median_of_an_even_number_is_the_middle_two_averaged():
    assert summarise([_wait("A", 9, 1), _wait("A", 9, 2)], NOW).median == timedelta(hours=1, minutes=30)


def test_nothing_answered_has_no_median():
    summary = summarise([], NOW)
    assert summary.median is None and summary.slowest is None and summary.still_waiting == 0


def test_response_times_per_team_and_overall_per_kind():
    waits = [
        _wait("North", 10, 1),
        _wait("South", 10, 5),
        _wait("North", 2, 0.5, kind=MessageKind.NOT_SAFE),
    ]
    summaries = response_times(waits, NOW)
    assert summaries[("North", MessageKind.MESSAGE)].slowest == timedelta(hours=1)
    assert summaries[("South", MessageKind.MESSAGE)].slowest == timedelta(hours=5)
    assert summaries[(None, MessageKind.MESSAGE)].answered == 2
    assert summaries[(None, MessageKind.NOT_SAFE)].median == timedelta(minutes=30)
    assert ("South", MessageKind.NOT_SAFE) not in summaries


# Asking to talk: only when the worker works ------------------------------------------------

# Priya in the demo: Monday to Thursday, 9:00 to 17:00. NOW is Monday 23 November, 15:00.
PRIYA = Hours(frozenset({0, 1, 2, 3}), time(9, 0), time(17, 0))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def test_call_times_are_every_half_hour_while_the_worker_is_at_work():
    times = call_times(PRIYA)
    assert times[0] == time(9, 0) and times[-1] == time(16, 30) and len(times) == 16
    omar = Hours(frozenset(range(5)), time(8, 30), time(16, 30))
    assert call_times(omar)[:2] == [time(8, 30), time(9, 0)] and call_times(omar)[-1] == time(16, 0)


def test_call_days_are_the_workers_days_in_the_next_three_weeks():
    days = call_days(PRIYA, None, NOW)
    assert days[0] == TODAY  # 15:30 is still to come
    assert {d.weekday() for d in days} == {0, 1, 2, 3}  # never a Friday or the weekend
    assert days[-1] < TODAY + timedelta(days=CALL_BACK_DAYS)
    assert len(days) == 12


def test_today_is_not_offered_once_its_last_time_has_gone():
    late = _at(TODAY, 16, 45)
    assert call_days(PRIYA, None, late)[0] == TODAY + timedelta(days=1)


def test_bank_holidays_and_days_away_are_not_offered():
    weekdays = Hours(frozenset(range(5)), time(9, 0), time(17, 0))
    before_christmas = _at(date(2026, 12, 21), 10)
    days = call_days(weekdays, None, before_christmas)
    assert date(2026, 12, 24) in days
    assert date(2026, 12, 25) not in days and date(2026, 12, 28) not in days  # Boxing Day moved
    away = Away(until=date(2026, 11, 25), starts_on=date(2026, 11, 24))
    days = call_days(PRIYA, away, NOW)
    assert date(2026, 11, 24) not in days and date(2026, 11, 25) not in days
    assert date(2026, 11, 26) in days


@pytest.mark.parametrize(
    ("wanted", "away", "reason"),
    [
        (_at(date(2026, 11, 27), 10), None, "call_time_not_working"),  # a Friday
        (_at(date(2026, 11, 24), 17), None, "call_time_not_working"),  # the end of the day
        (_at(date(2026, 11, 24), 8, 30), None, "call_time_not_working"),  # before it starts
        (_at(date(2026, 11, 24), 10), Away(until=date(2026, 11, 24)), "call_time_away"),
        (_at(date(2026, 12, 15), 10), None, "call_time_too_far"),  # over 3 weeks
    ],
)
def test_a_time_that_does_not_fit_the_worker_is_refused_with_why(wanted, away, reason):
    with pytest.raises(MessageProblem) as problem:
        check_call_time(wanted, NOW, PRIYA, away)
    assert problem.value.reason == reason


def test_a_bank_holiday_is_refused_even_on_a_working_day():
    with pytest.raises(MessageProblem) as problem:
        check_call_time(_at(date(2026, 12, 25), 10), _at(date(2026, 12, 21), 10), Hours())
    assert problem.value.reason == "call_time_bank_holiday"


def test_a_time_the_worker_works_is_fine():
    good = _at(date(2026, 11, 24), 16, 30)
    assert check_call_time(good, NOW, PRIYA, Away(until=date(2026, 11, 23))) == good
