"""What the council's edited lists share (the Promise's items, the local offer, the
passport's skills): a place in their list, and for the local offer and skills a key, an
area, a title and being retired rather than deleted. Moving, retiring and seeding them is
written once, in app.ordered_content."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import now_utc


class Ordered:
    """A row with a place in its list: 1 is the first. The database refuses a place below 1."""

    position: Mapped[int] = mapped_column(CheckConstraint("position >= 1", name="position_positive"))


class OrderedContent(Ordered):
    """One item of a list the council edits, grouped by area. A retired item stays in the
    database (what young people did with it is kept) but is no longer shown."""

    if TYPE_CHECKING:  # each model maps its own primary key
        id: Mapped[int]

    # Stable across edits and languages; items from the content files keep the file's key.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    area: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    retired_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
