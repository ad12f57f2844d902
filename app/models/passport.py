from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.passport import Step
from app.domain.roles import Role
from app.models.base import Base, enum_column, now_utc
from app.models.ordered import OrderedContent
from app.models.people import User

# The ages a skill may start at (app.passport.service.save_skill says so to the manager).
SKILL_AGES = (10, 25)


class Skill(OrderedContent, Base):
    """A life skill in the passport, in the council's words."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    tip: Mapped[str] = mapped_column(Text)
    starts_at_age: Mapped[int]

    __table_args__ = (
        Index("ix_skills_area_position", "area", "position"),
        CheckConstraint(f"starts_at_age BETWEEN {SKILL_AGES[0]} AND {SKILL_AGES[1]}", name="age_in_range"),
    )


class SkillProgress(Base):
    """Where a young person is with one skill now. Kept in step with the events: each change
    adds a SkillEvent and moves this row's lock version on."""

    __tablename__ = "skill_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    step: Mapped[Step] = mapped_column(enum_column(Step))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    lock_version: Mapped[int] = mapped_column(default=1)

    skill: Mapped[Skill] = relationship()

    __table_args__ = (
        UniqueConstraint("young_person_id", "skill_id", name="uq_skill_progress_young_person_skill"),
        Index("ix_skill_progress_step_updated", "step", "updated_at"),
    )
    __mapper_args__ = {"version_id_col": lock_version}


class SkillEvent(Base):
    """One step in a skill's history: who, in which role, when, and their note. Kept
    forever. The idempotency key makes a change sent twice (an offline phone retrying) count
    once. Keys are the sender's own (made on their phone), so they are unique per person:
    one person's key can never collide with, or reveal, another person's change."""

    __tablename__ = "skill_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"))
    from_step: Mapped[Step] = mapped_column(enum_column(Step))
    to_step: Mapped[Step] = mapped_column(enum_column(Step))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role] = mapped_column(enum_column(Role))
    note: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    actor: Mapped[User] = relationship()
    skill: Mapped[Skill] = relationship()

    __table_args__ = (
        Index("ix_skill_events_young_person_skill", "young_person_id", "skill_id", "id"),
        UniqueConstraint("actor_id", "idempotency_key", name="uq_skill_events_actor_key"),
    )
