from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now_utc


class AuditEvent(Base):
    """Append-only record of who looked at or changed what, and every refused access."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))  # "allowed", "refused", "failed"
    young_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    target: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict | None] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_audit_events_young_person_at", "young_person_id", "at"),
        Index("ix_audit_events_outcome_at", "outcome", "at"),
        CheckConstraint("outcome IN ('allowed', 'refused', 'failed')", name="known_outcome"),
    )
