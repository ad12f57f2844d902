"""Speaking up: complaints and their events, drafts, advocacy requests and compliments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.complaints import AdvocacyStatus, EventKind, Stage, Status
from app.domain.roles import Role
from app.models.base import Base, enum_column, now_utc
from app.models.people import User, YoungPersonProfile


class Complaint(Base):
    """A complaint by or for a young person. Where it is now (stage, status, dates) is kept
    in step with its events: each step adds a ComplaintEvent and moves the lock version on,
    so two officers acting at once are told, not overwritten."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    on_behalf: Mapped[bool] = mapped_column(default=False)  # a carer or worker raised it for them
    what_happened: Mapped[str] = mapped_column(Text)
    put_right: Mapped[str] = mapped_column(Text)
    about_who: Mapped[str] = mapped_column(String(200), default="")
    wants_advocate: Mapped[bool] = mapped_column(default=False)
    stage: Mapped[int] = mapped_column(Integer, default=Stage.LOCAL_RESOLUTION)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.OPEN)
    received_on: Mapped[date]
    stage_started_on: Mapped[date]
    extension_days: Mapped[int] = mapped_column(default=0)
    due_on: Mapped[date]
    acknowledged_on: Mapped[date | None]
    answered_on: Mapped[date | None]
    escalation_requested_on: Mapped[date | None]
    late_request: Mapped[bool] = mapped_column(default=False)  # asked for the next stage late
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    lock_version: Mapped[int] = mapped_column(default=1)

    young_person: Mapped[YoungPersonProfile] = relationship()
    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id"
    )

    __table_args__ = (
        Index("ix_complaints_young_person", "young_person_id"),
        Index("ix_complaints_status_due", "status", "due_on"),
        CheckConstraint("stage BETWEEN 1 AND 3", name="known_stage"),
        CheckConstraint("extension_days >= 0", name="extension_not_negative"),
    )
    __mapper_args__ = {"version_id_col": lock_version}


class ComplaintEvent(Base):
    """One step in a complaint's life: what, at which stage, who, when and their note.
    Appended, never changed."""

    __tablename__ = "complaint_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    stage: Mapped[int]
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[Role] = mapped_column(enum_column(Role))
    note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None]  # the stage's due date after this step
    on_time: Mapped[bool | None]  # for a response: sent by the due date
    flagged: Mapped[bool] = mapped_column(default=False)  # a late request for the next stage
    shared_with_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    shared_with: Mapped[User | None] = relationship(foreign_keys=[shared_with_id])

    __table_args__ = (
        Index("ix_complaint_events_complaint", "complaint_id", "id"),
        Index("ix_complaint_events_shared_with", "shared_with_id"),
        Index("ix_complaint_events_kind_created", "kind", "created_at"),
        CheckConstraint("stage BETWEEN 1 AND 3", name="known_stage"),
    )


class ComplaintDraft(Base):
    """What someone has typed so far for a complaint: one per person writing and young
    person it is for, kept until it is sent."""

    __tablename__ = "complaint_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    what_happened: Mapped[str] = mapped_column(Text, default="")
    put_right: Mapped[str] = mapped_column(Text, default="")
    about_who: Mapped[str] = mapped_column(String(200), default="")
    wants_advocate: Mapped[str] = mapped_column(String(8), default="")  # "yes", "no" or ""
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    lock_version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        UniqueConstraint("author_id", "young_person_id", name="uq_complaint_drafts_author_young_person"),
        CheckConstraint("wants_advocate IN ('yes', 'no', '')", name="known_advocate_answer"),
    )
    __mapper_args__ = {"version_id_col": lock_version}


class AdvocacyRequest(Base):
    """A young person asking for an advocate (with or without a complaint): referred to the
    advocacy service, then an advocate allocated. Each step is an AdvocacyEvent too."""

    __tablename__ = "advocacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    help_with: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AdvocacyStatus] = mapped_column(
        enum_column(AdvocacyStatus), default=AdvocacyStatus.REQUESTED
    )
    requested_on: Mapped[date]
    referred_on: Mapped[date | None]
    referred_to: Mapped[str] = mapped_column(String(200), default="")
    allocated_on: Mapped[date | None]
    advocate_name: Mapped[str] = mapped_column(String(120), default="")
    advocate_phone: Mapped[str] = mapped_column(String(40), default="")
    advocate_email: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    lock_version: Mapped[int] = mapped_column(default=1)

    young_person: Mapped[YoungPersonProfile] = relationship()
    complaint: Mapped[Complaint | None] = relationship()
    events: Mapped[list[AdvocacyEvent]] = relationship(back_populates="request", order_by="AdvocacyEvent.id")

    __table_args__ = (Index("ix_advocacy_requests_young_person", "young_person_id", "status"),)
    __mapper_args__ = {"version_id_col": lock_version}


class AdvocacyEvent(Base):
    __tablename__ = "advocacy_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("advocacy_requests.id"), index=True)
    status: Mapped[AdvocacyStatus] = mapped_column(enum_column(AdvocacyStatus))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    request: Mapped[AdvocacyRequest] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class Compliment(Base):
    """ "Thank you": to a person (a carer's or worker's account) or to a team."""

    __tablename__ = "compliments"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_team: Mapped[str] = mapped_column(String(120), default="")
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    sender: Mapped[User] = relationship(foreign_keys=[from_id])
    to_user: Mapped[User | None] = relationship(foreign_keys=[to_user_id])

    __table_args__ = (
        CheckConstraint("to_user_id IS NOT NULL OR to_team <> ''", name="recipient"),
        Index("ix_compliments_to_user", "to_user_id", "created_at"),
    )
