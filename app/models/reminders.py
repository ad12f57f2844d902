from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.reminders import Reason
from app.models.base import Base, enum_column, now_utc
from app.models.people import User


class PushSubscription(Base):
    """One phone or browser that agreed to get reminders: where its push service is and
    the keys to encrypt for it. Deleted when the person turns it off or the push service
    says it is gone (404/410)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device_label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(default=now_utc)

    user: Mapped[User] = relationship()

    def info(self) -> dict:
        """The subscription as the browser gave it (what pywebpush wants)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ReminderSettings(Base):
    """A person's choices: the kinds they muted and whether a push may say what it is
    about (off by default: a shared phone shows only "You have something new")."""

    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    show_details: Mapped[bool] = mapped_column(default=False)
    muted: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)


class Notification(Base):
    """A reminder in the person's notification centre. The dedupe key (person, reason,
    subject) is unique, so a reminder is recorded once however many runners find it."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[Reason] = mapped_column(enum_column(Reason))
    subject: Mapped[str] = mapped_column(String(200))
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    url: Mapped[str] = mapped_column(String(255), default="/notifications")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    read_at: Mapped[datetime | None]

    young_person: Mapped[User | None] = relationship(foreign_keys=[young_person_id])

    # The bell counts unread ones on every page: one index-only count.
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)


class DeliveryState(StrEnum):
    PENDING = "pending"
    # Claimed by a runner (committed) and being sent. Claimable again when its lease (due_at)
    # has passed: the runner died while sending it.
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after retrying, or the push service refused it for good
    GONE = "gone"  # the subscription no longer exists


class PushDelivery(Base):
    """The delivery queue: one row for each notification and device. Runners claim due
    rows with SELECT ... FOR UPDATE SKIP LOCKED (on PostgreSQL) and commit each claim
    (SENDING, with a lease in due_at) before sending, so each is sent once even when several
    hosts run at the same time, and a runner that dies leaves only what it had in flight."""

    __tablename__ = "push_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    # No foreign key: a push service can say a device is gone while another runner holds a
    # lock on a row for the same device; the row is then finished as "gone" by whoever
    # claims it, instead of one runner waiting on the other's locks.
    subscription_id: Mapped[int] = mapped_column(index=True)
    state: Mapped[DeliveryState] = mapped_column(enum_column(DeliveryState), default=DeliveryState.PENDING)
    due_at: Mapped[datetime] = mapped_column(default=now_utc)
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]  # when a runner last claimed it to send
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # which one: "host:pid"

    notification: Mapped[Notification] = relationship()

    __table_args__ = (
        Index("ix_push_deliveries_state_due", "state", "due_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )
