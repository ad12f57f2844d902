from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, now_utc


class Vote(Base):
    """A question put to young people (and others): optionally a first phase for
    suggestions, then voting until it closes."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(200))
    about: Mapped[str] = mapped_column(String(40), default="other")  # "passport_name" or "other"
    voters: Mapped[list] = mapped_column(JSON)  # which groups may vote: young_people, carers, staff
    suggestions_close_at: Mapped[datetime | None]
    closes_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Which option the manager adopted. Not a foreign key: votes and options would refer to
    # each other, which makes creating and dropping the tables order-dependent.
    adopted_option_id: Mapped[int | None]
    adopted_at: Mapped[datetime | None]

    options: Mapped[list[VoteOption]] = relationship(
        back_populates="vote", order_by="VoteOption.id", foreign_keys="VoteOption.vote_id"
    )

    __table_args__ = (
        CheckConstraint("about IN ('passport_name', 'other')", name="known_subject"),
        # Closing a vote early closes its suggestions at the same moment.
        CheckConstraint(
            "suggestions_close_at IS NULL OR suggestions_close_at <= closes_at",
            name="suggestions_close_first",
        ),
    )


class VoteOption(Base):
    __tablename__ = "vote_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    vote: Mapped[Vote] = relationship(back_populates="options", foreign_keys=[vote_id])

    __table_args__ = (UniqueConstraint("vote_id", "label", name="uq_vote_options_vote_label"),)


class Ballot(Base):
    """One person's vote. One per person and vote; changing it before the close updates it
    (and the change is in the audit log)."""

    __tablename__ = "ballots"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    option_id: Mapped[int] = mapped_column(ForeignKey("vote_options.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    comment: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("vote_id", "voter_id", name="uq_ballots_vote_voter"),)
