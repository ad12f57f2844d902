"""The Promise: which version a young person sees, and the words allowed in an answer."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from app.domain.ages import PROMISE_OLDER_FROM

MAX_WORDS_LENGTH = 1000


class ItemKind(StrEnum):
    RIGHT = "right"
    COMMITMENT = "commitment"


class VersionState(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Answer(StrEnum):
    YES = "yes"
    SOMETIMES = "sometimes"
    NO = "no"


def promise_grew_up(date_of_birth: date, today: date, within_days: int = 30) -> bool:
    """True from the day the Promise changes to the 16 and over version (the 16th birthday;
    1 March for someone born on 29 February) for `within_days` days, so a young person who
    does not open the app on their birthday is still told it has grown up with them."""
    sixteenth = years_after(date_of_birth, PROMISE_OLDER_FROM)
    return sixteenth <= today < sixteenth + timedelta(days=within_days)


def years_after(day: date, years: int) -> date:
    """The anniversary `years` on; 1 March for 29 February in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def clean_words(words: str | None) -> str | None:
    """Trims an answer's optional words. Raises ValueError("too_long") past the limit."""
    text = (words or "").strip()
    if len(text) > MAX_WORDS_LENGTH:
        raise ValueError("too_long")
    return text or None
