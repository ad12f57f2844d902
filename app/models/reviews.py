from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now_utc


class Review(Base):
    """A review meeting: booked for a date, and marked held when it has happened."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    booked_for: Mapped[date | None]
    held_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (Index("ix_reviews_young_person", "young_person_id", "held_on"),)


class ReviewPreparation(Base):
    """ "Get ready for my review": the young person's own words, saved as they go, shared
    with their worker when they choose."""

    __tablename__ = "review_preparations"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id"))
    going_well: Mapped[str] = mapped_column(Text, default="")
    not_going_well: Mapped[str] = mapped_column(Text, default="")
    want_to_change: Mapped[str] = mapped_column(Text, default="")
    who_there: Mapped[str] = mapped_column(Text, default="")
    chair: Mapped[str] = mapped_column(String(16), default="")  # "yes", "no", "help" or ""
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    shared_at: Mapped[datetime | None]
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (CheckConstraint("chair IN ('yes', 'no', 'help', '')", name="known_chair_answer"),)
