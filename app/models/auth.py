from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, now_utc
from app.models.people import User


class LoginSession(Base):
    """One signed-in browser. The cookie carries a random token; only its hash is stored, and
    ending the row ends the session everywhere (logout, password change, idle)."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(default=now_utc)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(32))

    user: Mapped[User] = relationship()


class ActivationCode(Base):
    """A one-time code a worker gives a new person so they can choose their own password."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class AccountReset(Base):
    """A new activation code made for someone who already had a password: a way into their
    account, so it is kept, shown to the person at their next sign-in and to the managers.
    A reset of a manager's or the officer's account waits (no code exists) until a second
    manager confirms it."""

    __tablename__ = "account_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(default=now_utc)
    reason: Mapped[str] = mapped_column(String(500), default="")
    needs_confirmation: Mapped[bool] = mapped_column(default=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When the code was made: at once, or when the second manager confirmed.
    made_at: Mapped[datetime | None]
    # When the person was told about it, at a sign-in.
    seen_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    __table_args__ = (
        CheckConstraint(
            "confirmed_by_id IS NULL OR confirmed_by_id != requested_by_id", name="second_manager_differs"
        ),
        CheckConstraint(
            "NOT needs_confirmation OR made_at IS NULL OR confirmed_by_id IS NOT NULL",
            name="confirmed_before_made",
        ),
        Index("ix_account_resets_user_seen", "user_id", "seen_at"),
        Index("ix_account_resets_requested_at", "requested_at"),
    )
