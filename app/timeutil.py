from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    return datetime.now(UTC)


def london_date(moment: datetime) -> date:
    """The council's date at `moment` (an aware datetime)."""
    return moment.astimezone(LONDON).date()


def london_today() -> date:
    """Dates in this service (birthdays, moves, reviews) are the council's dates."""
    return london_date(now_utc())
