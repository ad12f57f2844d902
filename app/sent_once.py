"""Writes that are safe to repeat: a double tap, or a phone sending again after its first
answer was lost, stores one message, one complaint, one alert.

Each form that writes carries a key its page made (`RepeatForm`). The first send with a
key claims it for that person and that change, in the request's own unit of work; the
same key again from the same person with the same change is a repeat, answered with where
the first send went; the same key with another change is refused, so a change is never
lost behind a "repeated". A key our pages did not make (too long, or not a key at all)
protects nothing and is ignored: the write goes ahead, as it would without JavaScript."""

from __future__ import annotations

import hashlib
import re
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import HiddenField

from app import unit_of_work
from app.domain.problems import Problem
from app.extensions import db
from app.models import SentOnce

KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class KeyReused(Problem):
    """The same key came with a different change."""


def new_key() -> str:
    return uuid.uuid4().hex


class RepeatForm(FlaskForm):
    """A form whose send is safe to repeat: its page gives it a new key each time it is
    drawn, and the key stays while the person fixes what they typed."""

    send_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.send_key.data:
            self.send_key.data = new_key()


def change_of(kind: str, *parts: object) -> str:
    """What a send changes, for telling a repeat from a new change with an old key: its
    kind and a digest of everything it says."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"{kind}:{digest}"[:120]


def earlier(user_id: int, key: str | None, change: str) -> str | None:
    """Where the first send with this key went, if this is a repeat; None if it is the first
    (the key is claimed for this change now). Raises KeyReused for another change."""
    if not key or not KEY.fullmatch(key):
        return None
    row = _find(user_id, key)
    if row is None:
        try:
            # Claimed before anything else is written, so a repeat can throw the whole
            # request away (no savepoint: SQLite's driver would commit one on release).
            db.session.add(SentOnce(user_id=user_id, key=key, change=change))
            db.session.flush()
            return None
        except IntegrityError:
            # Sent twice at the same moment: the other one is stored (this is its repeat, or
            # the same key with another change, which an alert still sends).
            unit_of_work.start_again()
            row = _find(user_id, key)
            if row is None:  # pragma: no cover - the other send rolled back
                raise
    if row.change != change:
        raise KeyReused("key_reused")
    return row.outcome or "/"


REUSED = _l(
    "This page was open for a long time, or something went wrong, so nothing was saved. Please try again."
)


def check(form: RepeatForm, user_id: int, change: str) -> tuple[str | None, str | None]:
    """For a view: (where the first send went, None) when this send is a repeat; (None,
    None) the first time; (None, words to show) when the key came with another change, and
    then the form has a new key, so sending again works."""
    try:
        return earlier(user_id, form.send_key.data, change), None
    except KeyReused:
        form.send_key.data = new_key()
        return None, str(REUSED)


def went_to(user_id: int, key: str | None, outcome: str) -> None:
    """Records where the first send went, so a repeat goes there too."""
    if not key or not KEY.fullmatch(key):
        return
    row = _find(user_id, key)
    if row is not None:
        row.outcome = outcome[:255]


def _find(user_id: int, key: str) -> SentOnce | None:
    return db.session.scalar(select(SentOnce).where(SentOnce.user_id == user_id, SentOnce.key == key))
