"""The Promise: which version a young person sees, and the words allowed in an answer."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from app.domain.ages import PROMISE_OLDER_FROM, age_on

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


def grew_up_today(date_of_birth: date, today: date) -> bool:
    """True on the day the Promise changes to the 16 and over version (the 16th birthday,
    or 1 March for someone born on 29 February), when the young person is told."""
    yesterday = today - timedelta(days=1)
    return (
        yesterday >= date_of_birth
        and age_on(date_of_birth, today) == PROMISE_OLDER_FROM
        and age_on(date_of_birth, yesterday) == PROMISE_OLDER_FROM - 1
    )


def clean_words(words: str | None) -> str | None:
    """Trims an answer's optional words. Raises ValueError("too_long") past the limit."""
    text = (words or "").strip()
    if len(text) > MAX_WORDS_LENGTH:
        raise ValueError("too_long")
    return text or None
