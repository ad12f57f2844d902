from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    return datetime.now(UTC)


def app_now() -> datetime:
    """Now, as the running app sees it: the tests of time-dependent rules (who is working
    at 22:00 on a bank holiday) set config["CLOCK"] to a callable; nothing else does."""
    from flask import current_app, has_app_context

    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return now_utc()


def london_date(moment: datetime) -> date:
    """The council's date at `moment` (an aware datetime)."""
    return moment.astimezone(LONDON).date()


def london_today() -> date:
    """Dates in this service (birthdays, moves, reviews) are the council's dates."""
    return london_date(now_utc())
