"""The keys that make a write safe to repeat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now_utc


class SentOnce(Base):
    """A form sent by one person with its key: the same key again from the same person is
    the same send (a double tap, a retry after a dropped answer), answered with where the
    first one went instead of stored twice."""

    __tablename__ = "sent_once"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    # What was sent (the kind of change and a digest of its words), so the same key with
    # another change is not taken for a repeat.
    change: Mapped[str] = mapped_column(String(120))
    # Where the first send went afterwards: a repeat goes there too.
    outcome: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
