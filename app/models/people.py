from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, and_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.roles import AllocationKind, CareStatus, Role
from app.models.base import Base, enum_column, now_utc


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    # Empty until the person chooses a password with their activation code.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    password_changed_at: Mapped[datetime | None]
    # Workers and managers belong to a team (app.models.safety.Team).
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))

    profile: Mapped[YoungPersonProfile | None] = relationship(
        back_populates="user", uselist=False, foreign_keys="YoungPersonProfile.user_id"
    )

    # The token of the sign-in this object was loaded for (not a column): Flask-Login keeps
    # it in the cookie, so ending the LoginSession row ends the sign-in.
    if TYPE_CHECKING:  # not an ORM annotation: SQLAlchemy would take it for a column
        session_token: str | None
    session_token = None

    def get_id(self) -> str:
        if not self.session_token:
            raise RuntimeError("sign in through app.auth.sessions.sign_in")
        return self.session_token

    @property
    def display_name(self) -> str:
        if self.profile is not None:
            return self.profile.preferred_name
        return self.full_name

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class YoungPersonProfile(Base):
    """What the service needs to know about a young person; one per young person's account."""

    __tablename__ = "young_person_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    preferred_name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date]
    care_status: Mapped[CareStatus] = mapped_column(enum_column(CareStatus))
    # Starts the statutory review cadence (first review within 20 working days).
    came_into_care_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship(back_populates="profile", foreign_keys=[user_id])
    living_arrangements: Mapped[list[LivingArrangement]] = relationship(
        back_populates="young_person", order_by="LivingArrangement.starts_on"
    )
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="young_person", order_by="Allocation.starts_on"
    )

    __mapper_args__ = {"version_id_col": version}


class _Dated:
    """Shared by relationships that hold from `starts_on` until (not including) `ends_on`;
    the same rule as app.domain.policy.Period.holds_on, written for SQL."""

    if TYPE_CHECKING:  # each subclass maps its own columns; the mixin only reads them
        starts_on: Mapped[date]
        ends_on: Mapped[date | None]

    @classmethod
    def current_on(cls, day: date):
        return and_(cls.starts_on <= day, or_(cls.ends_on.is_(None), cls.ends_on > day))

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class LivingArrangement(_Dated, Base):
    """A young person living with a carer from one date until (not including) another."""

    __tablename__ = "living_arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    carer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    young_person: Mapped[YoungPersonProfile] = relationship(back_populates="living_arrangements")
    carer: Mapped[User] = relationship(foreign_keys=[carer_id])

    __table_args__ = (
        Index("ix_living_arrangements_carer_current", "carer_id", "ends_on"),
        # A relationship lasts at least a day (app.people.relationships.end refuses less).
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
        Index("ix_living_arrangements_young_person", "young_person_id"),
    )


class Allocation(_Dated, Base):
    """A worker allocated to a young person as social worker or personal adviser, from one
    date until (not including) another. Kept after it ends so "changed worker" can be told."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[AllocationKind] = mapped_column(enum_column(AllocationKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # When the young person was shown who this new worker is (My people, "When someone
    # changes"); empty until then.
    introduced_at: Mapped[datetime | None]

    young_person: Mapped[YoungPersonProfile] = relationship(back_populates="allocations")
    worker: Mapped[User] = relationship(foreign_keys=[worker_id])

    __table_args__ = (
        Index("ix_allocations_worker_current", "worker_id", "ends_on"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
        Index("ix_allocations_young_person", "young_person_id"),
    )
