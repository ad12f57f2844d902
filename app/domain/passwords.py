"""Password rules (DESIGN.md, "Secure by default"; NCSC guidance): at least 12 characters,
not a common password, no composition rules. Advice is "three random words"."""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

MIN_LENGTH = 12
MAX_LENGTH = 200
_LIST = Path(__file__).with_name("common_passwords.txt")


class PasswordProblem(ValueError):
    """Raised with a `reason`: "too_short", "too_long", "common" or "personal"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@cache
def _common() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and line[0] != "#")


def _letters_of(password: str) -> str:
    return re.sub(r"[^a-z]", "", password.lower())


def _is_repeat_of_common(core: str, common: frozenset[str]) -> bool:
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core[:size] * (len(core) // size) == core:
            return size < 4 or core[:size] in common
    return False


def check_password(password: str, personal: tuple[str, ...] = ()) -> None:
    """Raises PasswordProblem if `password` breaks the rules. `personal` holds words the
    person is known by (username, names) which must not make up the password."""
    if len(password) < MIN_LENGTH:
        raise PasswordProblem("too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordProblem("too_long")
    common = _common()
    lowered = password.lower()
    core = _letters_of(password)
    if lowered in common or core in common or (not core and len(set(lowered)) < 4):
        raise PasswordProblem("common")
    if core and _is_repeat_of_common(core, common):
        raise PasswordProblem("common")
    if re.fullmatch(r"[\d\W_]*", lowered) and _is_sequence(lowered):
        raise PasswordProblem("common")
    # Names and the username, whole or in parts ("Fenwick-Adeyemi" gives "fenwick" and
    # "adeyemi"), removed from the password: if almost nothing is left, it is guessable.
    parts = {_letters_of(piece) for word in personal for piece in re.split(r"[\s._-]+", word)}
    parts |= {_letters_of(word) for word in personal}
    rest = core
    for part in sorted((p for p in parts if len(p) >= 3), key=len, reverse=True):
        rest = rest.replace(part, "")
    if core and len(rest) < 3 and rest != core:
        raise PasswordProblem("personal")


def _is_sequence(text: str) -> bool:
    digits = [int(c) for c in text if c.isdigit()]
    if len(digits) < 6:
        return False
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    return len(steps) == 1
