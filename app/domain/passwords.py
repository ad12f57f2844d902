"""Password rules (DESIGN.md, "Secure by default"; NCSC guidance): at least 12 characters,
not easy to guess, no composition rules. Advice is "three random words".

"Easy to guess" is zxcvbn's estimate (Dropbox's strength estimator, with its lists of
leaked passwords, names, words, keyboard walks, dates, repeats and sequences), told this
app's own words as well: our list of bases people here choose (football clubs, the demo
password, this app's names), the council's and the app's names, and the person's own names.
A hand-kept deny-list alone let christmas123 and tiktok123456 through."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from zxcvbn import zxcvbn

from app.domain.problems import Problem

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's score 4 means "more than 10^10 guesses": very unguessable even if the hashes
# were stolen. Three random words score 4; christmas123 scores 1 and tiktok123456 3.
MIN_SCORE = 4
# zxcvbn refuses longer input (its matching grows quickly with length). A longer password
# is judged by its first 72 characters: the rest can only make it harder to guess, and
# the whole password is what is kept (hashed).
ESTIMATE_LENGTH = 72
# Words anyone guessing at an account in this app would try first.
APP_WORDS = ("care", "carer", "foster", "council", "companion", "social", "worker", "leaving", "promise")
_LIST = Path(__file__).with_name("common_passwords.txt")


class PasswordProblem(Problem):
    """Raised with a `reason`: "too_short", "too_long", "common" (easy to guess) or
    "personal" (made of the person's own names)."""


@cache
def _our_list() -> tuple[str, ...]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


def _letters_of(password: str) -> str:
    return re.sub(r"[^a-z]", "", password.lower())


def _words_in(phrases: Iterable[str]) -> list[str]:
    """Each phrase whole, and its parts ("Fenwick-Adeyemi" gives "fenwick" and "adeyemi"),
    as zxcvbn matches a word only where it appears exactly."""
    words: list[str] = []
    for phrase in phrases:
        lowered = phrase.strip().lower()
        if lowered:
            words += [lowered, _letters_of(lowered)]
            words += [part for part in re.split(r"[\s._-]+", lowered) if part]
    return [word for word in dict.fromkeys(words) if word]


def _is_only_names(password: str, personal: tuple[str, ...]) -> bool:
    """Names and the username, whole or in parts, removed from the password: if almost
    nothing is left, it is guessable by anyone who knows the person."""
    core = _letters_of(password)
    rest = core
    for part in sorted((p for p in _words_in(personal) if len(p) >= 3), key=len, reverse=True):
        rest = rest.replace(_letters_of(part), "")
    return bool(core) and len(rest) < 3 and rest != core


def check_password(password: str, personal: tuple[str, ...] = (), app_names: tuple[str, ...] = ()) -> None:
    """Raises PasswordProblem if `password` breaks the rules. `personal` holds words the
    person is known by (username, names) which must not make up the password; `app_names`
    the council's and the app's names, which a guesser would try too."""
    if len(password) < MIN_LENGTH:
        raise PasswordProblem("too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordProblem("too_long")
    if _is_only_names(password, personal):
        raise PasswordProblem("personal")
    known = [*_words_in(personal), *_words_in(app_names), *APP_WORDS, *_our_list()]
    estimate = zxcvbn(password[:ESTIMATE_LENGTH], user_inputs=known, max_length=ESTIMATE_LENGTH)
    if estimate["score"] < MIN_SCORE:
        raise PasswordProblem("common")
