"""Teams and cover, and "I don't feel safe" alerts with everything that happened to them
(app.domain.safety). Alerts are part of the safeguarding record: kept forever, never
deleted, and changed only by adding events."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.safety import AlertState, Because, EventKind, Hours, Outcome, TeamKind, days_from_text
from app.models.base import Base, enum_column, now_utc
from app.models.people import User, YoungPersonProfile
from app.models.reminders import DeliveryState


class Team(Base):
    """A team of workers with its manager. The duty team's hours are when it takes urgent
    work; the out-of-hours team covers every other time."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[TeamKind] = mapped_column(enum_column(TeamKind), default=TeamKind.CASEWORK)
    # use_alter: users and teams point at each other; SET NULL lets either be removed first.
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, ondelete="SET NULL")
    )
    phone: Mapped[str | None] = mapped_column(String(40))
    # Working days ("01234" is Monday to Friday) and hours; used for the duty team.
    days: Mapped[str] = mapped_column(String(7), default="01234")
    opens_at: Mapped[time] = mapped_column(default=time(9, 0))
    closes_at: Mapped[time] = mapped_column(default=time(17, 0))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    version: Mapped[int] = mapped_column(default=1)

    manager: Mapped[User | None] = relationship(foreign_keys=[manager_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("opens_at < closes_at", name="opens_before_closing"),)

    @property
    def hours(self) -> Hours:
        """When the team takes urgent work (what counts for the duty team)."""
        return Hours(days_from_text(self.days), self.opens_at, self.closes_at)


class SafetyAlert(Base):
    """One "I don't feel safe". Open until someone says "I've got this"; closed only with
    an outcome and a note. Never deleted."""

    __tablename__ = "safety_alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    # The conversation it was also posted in, when the young person has a worker.
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("message_threads.id"))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(default=now_utc)
    state: Mapped[AlertState] = mapped_column(enum_column(AlertState), default=AlertState.OPEN)
    # How many rungs of escalation were climbed, and when to look again (None: no more).
    level: Mapped[int] = mapped_column(default=0)
    next_escalation_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None]
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)

    young_person: Mapped[YoungPersonProfile] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    recipients: Mapped[list[SafetyAlertRecipient]] = relationship(
        back_populates="alert", order_by="SafetyAlertRecipient.id"
    )
    events: Mapped[list[SafetyAlertEvent]] = relationship(
        back_populates="alert", order_by="SafetyAlertEvent.id"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(
            "state != 'closed' OR "
            "(outcome IS NOT NULL AND closed_at IS NOT NULL AND outcome_note IS NOT NULL)",
            name="closed_with_outcome",
        ),
        CheckConstraint("level >= 0", name="level_not_negative"),
        Index("ix_safety_alerts_young_person", "young_person_id", "raised_at"),
        Index("ix_safety_alerts_state_next", "state", "next_escalation_at"),
    )


class SafetyAlertRecipient(Base):
    """Someone told about an alert, why, and when they first opened it."""

    __tablename__ = "safety_alert_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("safety_alerts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    because: Mapped[Because] = mapped_column(enum_column(Because))
    told_at: Mapped[datetime] = mapped_column(default=now_utc)
    seen_at: Mapped[datetime | None]

    alert: Mapped[SafetyAlert] = relationship(back_populates="recipients")
    user: Mapped[User] = relationship()

    __table_args__ = (
        UniqueConstraint("alert_id", "user_id", name="uq_safety_alert_recipients_alert_user"),
        Index("ix_safety_alert_recipients_user", "user_id", "alert_id"),
    )


class SafetyAlertEvent(Base):
    """Everything that happened to an alert, in order: raised, who was told, escalations,
    who saw it, who took it on, notes, a change of worker, and how it was closed."""

    __tablename__ = "safety_alert_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("safety_alerts.id"), index=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=now_utc)
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict | None] = mapped_column(JSON)

    alert: Mapped[SafetyAlert] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class NotifyDelivery(Base):
    """An SMS or email through GOV.UK Notify for one notification (an urgent alert for a
    member of staff). Claimed like push deliveries (the claim committed before sending), so
    each is sent once."""

    __tablename__ = "notify_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"))
    channel: Mapped[str] = mapped_column(String(8))  # "sms" or "email"
    address: Mapped[str] = mapped_column(String(200))
    state: Mapped[DeliveryState] = mapped_column(enum_column(DeliveryState), default=DeliveryState.PENDING)
    due_at: Mapped[datetime] = mapped_column(default=now_utc)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    notify_id: Mapped[str | None] = mapped_column(String(64))  # Notify's id for the message
    claimed_at: Mapped[datetime | None]  # when a runner last claimed it to send
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # which one: "host:pid"

    __table_args__ = (
        UniqueConstraint("notification_id", "channel", name="uq_notify_deliveries_notification_channel"),
        CheckConstraint("channel IN ('sms', 'email')", name="known_channel"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        Index("ix_notify_deliveries_state_due", "state", "due_at"),
    )
