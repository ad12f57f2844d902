"""The complaint rules on their own: deadlines in working days, extensions, the order of
steps and the 20 working days to ask for the next stage."""

from datetime import date

import pytest

from app.domain.complaints import (
    AdvocacyStatus,
    ComplaintProblem,
    EventKind,
    Stage,
    Status,
    Timeliness,
    check_advocacy,
    check_extension,
    due_on,
    escalation_window_ends,
    is_late_request,
    max_extension,
    next_step,
    reference,
    timeliness,
)


def test_stage_1_from_a_friday_before_a_bank_holiday_monday():
    # Received Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    assert due_on(Stage.LOCAL_RESOLUTION, date(2026, 5, 22)) == date(2026, 6, 8)


def test_stage_1_across_a_weekend():
    # Received Wednesday 4 November 2026: ten working days is Wednesday 18 November.
    assert due_on(Stage.LOCAL_RESOLUTION, date(2026, 11, 4)) == date(2026, 11, 18)
    # Received on a Saturday: counting starts on the Monday.
    assert due_on(Stage.LOCAL_RESOLUTION, date(2026, 11, 7)) == date(2026, 11, 20)


def test_stage_1_across_christmas():
    # 25, 28 December 2026 and 1 January 2027 are bank holidays.
    assert due_on(Stage.LOCAL_RESOLUTION, date(2026, 12, 18)) == date(2027, 1, 6)


def test_stage_1_across_easter_monday():
    # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays in England.
    assert due_on(Stage.LOCAL_RESOLUTION, date(2026, 3, 30)) == date(2026, 4, 15)


def test_an_extension_moves_the_deadline_in_working_days():
    started = date(2026, 5, 22)
    assert due_on(Stage.LOCAL_RESOLUTION, started, 10) == date(2026, 6, 22)  # 20 working days
    assert due_on(Stage.INVESTIGATION, started) == due_on(Stage.LOCAL_RESOLUTION, started, 15)
    assert due_on(Stage.REVIEW_PANEL, date(2026, 11, 23)) == date(2027, 1, 7)


def test_extensions_stop_at_the_statutory_limit():
    assert max_extension(Stage.LOCAL_RESOLUTION) == 10
    assert max_extension(Stage.INVESTIGATION) == 40
    assert check_extension(Stage.LOCAL_RESOLUTION, 0, 10) == 10
    assert check_extension(Stage.LOCAL_RESOLUTION, 4, 6) == 10
    assert check_extension(Stage.INVESTIGATION, 20, 20) == 40
    for stage, already, more, reason in [
        (Stage.LOCAL_RESOLUTION, 0, 11, "past_limit"),
        (Stage.LOCAL_RESOLUTION, 10, 1, "past_limit"),
        (Stage.INVESTIGATION, 30, 11, "past_limit"),
        (Stage.LOCAL_RESOLUTION, 0, 0, "bad_extension"),
        (Stage.REVIEW_PANEL, 0, 1, "no_extension"),
    ]:
        with pytest.raises(ComplaintProblem) as problem:
            check_extension(stage, already, more)
        assert problem.value.reason == reason


def test_on_time_due_soon_and_late():
    due = date(2026, 11, 27)  # a Friday
    assert timeliness(due, date(2026, 11, 20)) is Timeliness.ON_TIME
    assert timeliness(due, date(2026, 11, 24)) is Timeliness.DUE_SOON  # 3 working days left
    assert timeliness(due, date(2026, 11, 27)) is Timeliness.DUE_SOON
    assert timeliness(due, date(2026, 11, 28)) is Timeliness.LATE
    # Answered: judged by the day the answer went.
    assert timeliness(due, date(2027, 1, 1), answered_on=date(2026, 11, 27)) is Timeliness.ON_TIME
    assert timeliness(due, date(2027, 1, 1), answered_on=date(2026, 11, 30)) is Timeliness.LATE


def test_twenty_working_days_to_ask_for_the_next_stage():
    answered = date(2026, 12, 14)
    assert escalation_window_ends(answered) == date(2027, 1, 14)
    assert not is_late_request(answered, date(2027, 1, 14))
    assert is_late_request(answered, date(2027, 1, 15))


def test_a_complaint_goes_through_the_stages_in_order():
    one = next_step(EventKind.ACKNOWLEDGED, Stage.LOCAL_RESOLUTION, Status.OPEN)
    assert (one.status, one.stage) == (Status.OPEN, Stage.LOCAL_RESOLUTION)
    assert next_step(EventKind.EXTENDED, 1, Status.OPEN).status is Status.OPEN
    answered = next_step(EventKind.RESPONSE_SENT, 1, Status.OPEN)
    assert answered.status is Status.ANSWERED
    asked = next_step(EventKind.ESCALATION_REQUESTED, 1, Status.ANSWERED)
    assert asked.status is Status.ESCALATION_REQUESTED
    two = next_step(EventKind.ESCALATED, 1, Status.ESCALATION_REQUESTED, to_stage=2)
    assert (two.status, two.stage) == (Status.OPEN, Stage.INVESTIGATION)
    three = next_step(EventKind.ESCALATED, 2, Status.ANSWERED, to_stage=3)
    assert three.stage is Stage.REVIEW_PANEL
    assert next_step(EventKind.CLOSED, 3, Status.ANSWERED).status is Status.CLOSED
    # Asking again after a closed answer is recorded, not refused.
    assert next_step(EventKind.ESCALATION_REQUESTED, 1, Status.CLOSED).status is Status.ESCALATION_REQUESTED


@pytest.mark.parametrize(
    "kind, stage, status, extra, reason",
    [
        (EventKind.ESCALATED, 1, Status.ANSWERED, {"to_stage": 3}, "out_of_order"),
        (EventKind.ESCALATED, 1, Status.OPEN, {"to_stage": 2}, "not_answered"),
        (EventKind.ESCALATED, 3, Status.ANSWERED, {}, "no_next_stage"),
        (EventKind.ESCALATION_REQUESTED, 1, Status.WITHDRAWN, {}, "withdrawn"),
        (EventKind.ESCALATION_REQUESTED, 1, Status.OPEN, {}, "not_answered"),
        (EventKind.ESCALATION_REQUESTED, 3, Status.ANSWERED, {}, "no_next_stage"),
        (EventKind.ESCALATION_REQUESTED, 1, Status.ESCALATION_REQUESTED, {}, "already_requested"),
        (EventKind.ESCALATED, 1, Status.WITHDRAWN, {"to_stage": 2}, "withdrawn"),
        (EventKind.RESPONSE_SENT, 1, Status.ANSWERED, {}, "not_open"),
        (EventKind.RESPONSE_SENT, 1, Status.CLOSED, {}, "closed"),
        (EventKind.ACKNOWLEDGED, 1, Status.OPEN, {"acknowledged": True}, "already_acknowledged"),
        (EventKind.CLOSED, 1, Status.OPEN, {}, "not_answered"),
        (EventKind.CLOSED, 1, Status.ESCALATION_REQUESTED, {}, "escalation_waiting"),
        (EventKind.WITHDRAWN, 1, Status.WITHDRAWN, {}, "withdrawn"),
        (EventKind.SHARED, 1, Status.WITHDRAWN, {}, "withdrawn"),
    ],
)
def test_steps_out_of_order_are_refused(kind, stage, status, extra, reason):
    with pytest.raises(ComplaintProblem) as problem:
        next_step(kind, stage, status, **extra)
    assert problem.value.reason == reason


def test_references_read_like_nc_year_number():
    assert reference(2026, 42) == "NC-2026-0042"


def test_advocacy_is_referred_then_allocated():
    check_advocacy(AdvocacyStatus.REQUESTED, AdvocacyStatus.REFERRED)
    check_advocacy(AdvocacyStatus.REFERRED, AdvocacyStatus.ALLOCATED)
    for status, to, reason in [
        (AdvocacyStatus.REQUESTED, AdvocacyStatus.ALLOCATED, "refer_first"),
        (AdvocacyStatus.ALLOCATED, AdvocacyStatus.REFERRED, "already_done"),
        (AdvocacyStatus.REFERRED, AdvocacyStatus.REFERRED, "already_done"),
    ]:
        with pytest.raises(ComplaintProblem) as problem:
            check_advocacy(status, to)
        assert problem.value.reason == reason
