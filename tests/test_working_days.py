from datetime import date

from app.domain.working_days import (
    ENGLAND,
    add_months,
    add_working_days,
    is_working_day,
    working_days_between,
)


def test_weekends_are_not_working_days():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Fri -> Mon
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)  # Sat -> Mon


def test_easter_monday_is_a_bank_holiday_in_england():
    assert date(2026, 4, 6) in ENGLAND
    assert not is_working_day(date(2026, 4, 6))
    assert not is_working_day(date(2026, 4, 3))  # Good Friday


def test_christmas_and_boxing_day_substitutes():
    # 2026: Christmas is a Friday, Boxing Day a Saturday, so Monday 28th is the holiday.
    assert date(2026, 12, 28) in ENGLAND
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_ten_working_days_from_a_friday_before_a_bank_holiday_monday():
    # Received Friday 22 May 2026; Monday 25 May is the spring bank holiday.
    assert add_working_days(date(2026, 5, 22), 10) == date(2026, 6, 8)


def test_twenty_working_days_across_christmas():
    assert add_working_days(date(2026, 12, 14), 20) == date(2027, 1, 14)


def test_working_days_between_counts_what_add_adds():
    start = date(2026, 3, 27)
    for n in (0, 1, 5, 10, 25, 65):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 22), 3) == date(2027, 2, 22)
    assert add_months(date(2026, 1, 15), 12) == date(2027, 1, 15)
