from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.plans import PlanKind
from app.domain.promise import VersionState
from app.models.base import Base, enum_column, now_utc
from app.models.ordered import Ordered
from app.models.people import User


class PlanVersion(Base):
    """One version of a young person's plan. A draft has no number until it is published;
    a published version is never changed again."""

    __tablename__ = "plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind))
    state: Mapped[VersionState] = mapped_column(enum_column(VersionState))
    number: Mapped[int | None]
    # The published version this draft was started from: publishing is refused if a newer
    # one has been published since, so nobody publishes over someone else's work unseen.
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    sections: Mapped[list[PlanSection]] = relationship(
        back_populates="plan", order_by="PlanSection.position", cascade="all, delete-orphan"
    )
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    __table_args__ = (
        UniqueConstraint("young_person_id", "number", name="uq_plan_versions_young_person_number"),
        Index("ix_plan_versions_young_person_state", "young_person_id", "state"),
        # A draft has no number until it is published; then it is the next one from 1 (a
        # NULL number would pass "number >= 1" alone, so IS NOT NULL is said too).
        CheckConstraint(
            "(state = 'draft' AND number IS NULL) OR "
            "(state = 'published' AND number IS NOT NULL AND number >= 1)",
            name="numbered_when_published",
        ),
    )
    __mapper_args__ = {"version_id_col": lock_version}


class PlanSection(Ordered, Base):
    __tablename__ = "plan_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[PlanVersion] = relationship(back_populates="sections")
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="section", order_by="PlanAction.position", cascade="all, delete-orphan"
    )
    views: Mapped[list[PlanView]] = relationship(
        back_populates="section", order_by="PlanView.id", cascade="all, delete-orphan"
    )


class PlanAction(Ordered, Base):
    """Something that needs to happen: what, who does it, by when."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("plan_sections.id"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(300))
    by_when: Mapped[date | None]

    section: Mapped[PlanSection] = relationship(back_populates="actions")


class PlanView(Base):
    """ "What I think": the young person's own words on a section of a published version,
    kept with that version. Never edited; a new thought is a new row."""

    __tablename__ = "plan_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("plan_sections.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    section: Mapped[PlanSection] = relationship(back_populates="views")


class PlanReceipt(Base):
    """When the young person first opened a published version: until then, their home page
    tells them there is a new plan to read."""

    __tablename__ = "plan_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    seen_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        UniqueConstraint("plan_id", "young_person_id", name="uq_plan_receipts_plan_young_person"),
    )


class PlanDraftChange(Base):
    """Every change to a draft before it is published: what a section said before and
    after, and each action added or taken out, with who and when. Appended, never changed,
    so words taken out of a draft are not lost (DESIGN.md, "Nothing is lost")."""

    __tablename__ = "plan_draft_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"))
    section_id: Mapped[int] = mapped_column(ForeignKey("plan_sections.id"))
    kind: Mapped[str] = mapped_column(String(20))  # "text", "action_added", "action_removed"
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    actor: Mapped[User] = relationship()

    __table_args__ = (
        Index("ix_plan_draft_changes_plan", "plan_version_id", "id"),
        CheckConstraint("kind IN ('text', 'action_added', 'action_removed')", name="known_kind"),
    )
