"""Working days in England: Monday to Friday, except England's bank holidays.

Statutory deadlines (complaint stages, the first care review) are counted in working days.
`holidays.country_holidays("GB", subdiv="ENG")` is needed: without the subdivision, Easter
Monday (an England and Wales holiday) is missing.
"""

from __future__ import annotations

import calendar
from collections.abc import Container
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _england(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


class EnglandBankHolidays:
    """A container of England's bank holidays for any year."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in _england(day.year)


ENGLAND = EnglandBankHolidays()


def is_working_day(day: date, bank_holidays: Container[date] = ENGLAND) -> bool:
    return day.weekday() < 5 and day not in bank_holidays


def add_working_days(start: date, count: int, bank_holidays: Container[date] = ENGLAND) -> date:
    """The date `count` working days after `start` (the day something arrives is day 0,
    whether or not it is a working day itself)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    left = count
    while left:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            left -= 1
    return day


def working_days_between(start: date, end: date, bank_holidays: Container[date] = ENGLAND) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, bank_holidays):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where that day does not exist
    (31 August + 6 months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
