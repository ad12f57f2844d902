from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.ages import PromiseBand
from app.domain.promise import Answer, ItemKind, VersionState
from app.models.base import Base, enum_column, now_utc
from app.models.ordered import Ordered


class Commitment(Base):
    """A right or a commitment in the Promise, the same one across every version that words
    it; answers attach here, so rewording never loses them."""

    __tablename__ = "promise_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


class PromiseVersion(Base):
    """One version of the Promise for one age band. Published versions are never changed;
    the manager edits a draft copy and publishes it as the next number."""

    __tablename__ = "promise_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    band: Mapped[PromiseBand] = mapped_column(enum_column(PromiseBand))
    number: Mapped[int]
    state: Mapped[VersionState] = mapped_column(enum_column(VersionState))
    title: Mapped[str] = mapped_column(String(120))
    intro: Mapped[str] = mapped_column(Text)
    not_kept_title: Mapped[str] = mapped_column(String(120))
    not_kept_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1)

    items: Mapped[list[PromiseItem]] = relationship(
        back_populates="version", order_by="PromiseItem.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("band", "number", name="uq_promise_versions_band_number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )
    __mapper_args__ = {"version_id_col": lock_version}


class PromiseItem(Ordered, Base):
    """How one version words one right or commitment, and where it stands in the list
    (rights first, then commitments, numbered 1 onwards across the version)."""

    __tablename__ = "promise_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("promise_versions.id"))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("promise_commitments.id"))
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    icon: Mapped[str] = mapped_column(String(40))

    version: Mapped[PromiseVersion] = relationship(back_populates="items")
    commitment: Mapped[Commitment] = relationship()

    __table_args__ = (
        UniqueConstraint("version_id", "commitment_id", name="uq_promise_items_version_commitment"),
    )


class PromiseAnswer(Base):
    """A young person's answer to "Is this promise kept for you?". Changing an answer adds
    a row; the newest is the answer now."""

    __tablename__ = "promise_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("promise_commitments.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("promise_versions.id"))
    answer: Mapped[Answer] = mapped_column(enum_column(Answer))
    words: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        Index("ix_promise_answers_young_person_commitment", "young_person_id", "commitment_id", "id"),
    )
