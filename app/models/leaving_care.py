from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, now_utc
from app.models.ordered import OrderedContent


class LocalOfferItem(OrderedContent, Base):
    """One entitlement in the council's local offer for care leavers."""

    __tablename__ = "local_offer_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    who_to_ask: Mapped[str] = mapped_column(String(200))


class HealthPassport(Base):
    """A care leaver's own health summary. Every change is also kept as an event."""

    __tablename__ = "health_passports"

    young_person_id: Mapped[int] = mapped_column(
        ForeignKey("young_person_profiles.user_id"), primary_key=True
    )
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}


class HealthPassportChange(Base):
    __tablename__ = "health_passport_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"), index=True)
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=now_utc)
    before: Mapped[dict] = mapped_column(JSON)
    after: Mapped[dict] = mapped_column(JSON)
