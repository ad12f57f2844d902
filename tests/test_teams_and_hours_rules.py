"""Teams, working hours and away periods on their own (app.domain.safety), and the hours
in words young people read (app.i18n)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.domain.safety import (
    Away,
    AwayProblem,
    Hours,
    HoursProblem,
    NotWorking,
    TeamKind,
    TeamProblem,
    check_away,
    check_hours,
    check_team,
    day_runs,
    not_working_at,
)
from app.timeutil import LONDON

TODAY = date(2026, 11, 23)  # a Monday
OTHERS = [
    ("Children in care team", TeamKind.CASEWORK),
    ("Duty team", TeamKind.DUTY),
    ("Out-of-hours team", TeamKind.OUT_OF_HOURS),
]


def test_a_team_name_is_tidied_and_must_be_new_whatever_its_capitals():
    assert check_team("  Fostering   team ", TeamKind.CASEWORK, OTHERS) == "Fostering team"
    for name, reason in (("", "no_name"), ("   ", "no_name"), ("duty TEAM", "name_taken")):
        with pytest.raises(TeamProblem) as problem:
            check_team(name, TeamKind.CASEWORK, OTHERS)
        assert problem.value.reason == reason


@pytest.mark.parametrize(
    ("kind", "reason"), [(TeamKind.DUTY, "second_duty"), (TeamKind.OUT_OF_HOURS, "second_out_of_hours")]
)
def test_there_is_one_duty_team_and_one_out_of_hours_team_at_most(kind, reason):
    with pytest.raises(TeamProblem) as problem:
        check_team("Another one", kind, OTHERS)
    assert problem.value.reason == reason
    # The team itself is not one of "the others": it may keep its kind, or be renamed.
    without_it = [other for other in OTHERS if other[1] is not kind]
    assert check_team("Emergency duty", kind, without_it) == "Emergency duty"
    assert check_team("Fostering team", TeamKind.CASEWORK, OTHERS) == "Fostering team"


def test_hours_need_a_day_and_a_start_before_the_end():
    hours = check_hours([0, 1, 2, 3], time(9, 0), time(17, 0))
    assert hours == Hours(frozenset({0, 1, 2, 3}), time(9, 0), time(17, 0))
    for days, starts, ends, reason in (
        ([], time(9, 0), time(17, 0), "no_days"),
        ([0], None, time(17, 0), "no_times"),
        ([0], time(17, 0), time(9, 0), "ends_before_starts"),
        ([0], time(9, 0), time(9, 0), "ends_before_starts"),
    ):
        with pytest.raises(HoursProblem) as problem:
            check_hours(days, starts, ends)
        assert problem.value.reason == reason


@pytest.mark.parametrize(
    ("days", "runs"),
    [
        ({0, 1, 2, 3}, [(0, 3)]),
        ({1, 2, 3, 4, 5}, [(1, 5)]),
        ({0, 2, 4}, [(0, 0), (2, 2), (4, 4)]),
        ({5, 6, 0}, [(5, 0)]),
        ({0, 2, 5, 6}, [(2, 2), (5, 0)]),
        (set(range(7)), [(0, 6)]),
        (set(), []),
    ],
)
def test_days_read_as_runs_of_days_in_a_row(days, runs):
    assert day_runs(days) == runs


def test_away_comes_before_the_hours_when_saying_why_someone_is_not_working():
    tuesday_ten = datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
    hours = Hours()
    assert not_working_at(tuesday_ten, hours) is None
    assert not_working_at(tuesday_ten, hours, Away(until=date(2026, 11, 24))) is NotWorking.AWAY
    # An away period that starts later does not count yet.
    assert (
        not_working_at(tuesday_ten, hours, Away(until=date(2026, 12, 1), starts_on=date(2026, 11, 25)))
        is None
    )
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)
    assert not_working_at(saturday, hours) is NotWorking.DAY_OFF


@pytest.mark.parametrize(
    ("until", "starts_on", "has_cover", "reason"),
    [
        (date(2026, 11, 22), None, True, "until_past"),
        (date(2026, 11, 30), date(2026, 12, 1), True, "starts_after_until"),
        (date(2026, 11, 30), None, False, "no_cover"),
    ],
)
def test_an_away_period_needs_a_last_day_to_come_and_someone_to_contact(until, starts_on, has_cover, reason):
    with pytest.raises(AwayProblem) as problem:
        check_away(until, starts_on, has_cover, TODAY)
    assert problem.value.reason == reason


def test_no_last_day_means_not_away_and_today_is_a_good_last_day():
    check_away(None, None, False, TODAY)
    check_away(TODAY, TODAY, True, TODAY)


# In words --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        ({0, 1, 2, 3}, "Monday to Thursday"),
        ({1, 2, 3, 4, 5}, "Tuesday to Saturday"),
        ({0, 1}, "Monday and Tuesday"),
        ({0, 2, 4}, "Monday, Wednesday and Friday"),
        ({5, 6, 0}, "Saturday to Monday"),
        (set(range(7)), "every day"),
    ],
)
def test_days_in_words(app, days, words):
    from app.i18n import days_in_words

    with app.test_request_context("/"):
        assert days_in_words(days) == words


def test_hours_in_words_in_english_and_in_arabic(app):
    from app.i18n import hours_in_words

    priya = Hours(frozenset({0, 1, 2, 3}), time(9, 0), time(17, 0))
    with app.test_request_context("/"):
        assert hours_in_words(priya) == "Monday to Thursday, 9:00 to 17:00"
    with app.test_request_context("/", headers={"Accept-Language": "ar"}):
        words = hours_in_words(priya)
        assert "Monday" not in words and "الاثنين" in words and "9:00" in words
