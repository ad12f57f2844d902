"""My people and messages: what a young person sees about the adults around them, and
their conversations with their workers."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.messages import CallWay, MessageKind
from app.domain.roles import AllocationKind, ContactKind, Role
from app.domain.safety import Away, Hours, days_from_text
from app.models.base import Base, enum_column, now_utc
from app.models.people import User, YoungPersonProfile
from app.models.safety import Team


class StaffCard(Base):
    """What a worker or carer tells young people about themselves, and how the council lets
    young people reach them. One per adult; missing means "nothing written yet"."""

    __tablename__ = "staff_cards"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    about_me: Mapped[str] = mapped_column(Text, default="")
    # In the person's own words for young people ("Monday to Thursday, and some evenings").
    working_hours: Mapped[str] = mapped_column(String(200), default="")
    # The same as facts the safety rule can read: days ("01234" is Monday to Friday) and
    # hours, in England's time.
    work_days: Mapped[str] = mapped_column(String(7), default="01234")
    work_starts: Mapped[time] = mapped_column(default=time(9, 0))
    work_ends: Mapped[time] = mapped_column(default=time(17, 0))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    allow_call: Mapped[bool] = mapped_column(default=False)
    allow_text: Mapped[bool] = mapped_column(default=False)
    allow_email: Mapped[bool] = mapped_column(default=False)
    # "I'm away from ... until ...": told to anyone who writes, with who to contact instead
    # (a person or a team), and used by the safety rule (app.domain.safety).
    away_from: Mapped[date | None]
    away_until: Mapped[date | None]
    away_cover_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    away_cover_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    version: Mapped[int] = mapped_column(default=1)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    away_cover_user: Mapped[User | None] = relationship(foreign_keys=[away_cover_user_id])
    away_cover_team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("work_starts < work_ends", name="starts_before_ending"),
        CheckConstraint(
            "away_from IS NULL OR away_until IS NULL OR away_from <= away_until", name="away_in_order"
        ),
    )

    def away_on(self, day: date) -> bool:
        return (
            self.away_until is not None
            and day <= self.away_until
            and (self.away_from is None or self.away_from <= day)
        )

    @property
    def hours(self) -> Hours:
        """The working days and hours, as the rules read them (app.domain.safety)."""
        return Hours(days_from_text(self.work_days), self.work_starts, self.work_ends)

    @property
    def away(self) -> Away | None:
        """The away period, if one is set (it may be over, or still to come)."""
        if self.away_until is None:
            return None
        return Away(
            until=self.away_until,
            starts_on=self.away_from,
            cover_user_id=self.away_cover_user_id,
            cover_name=self.away_cover_name,
        )

    @property
    def away_cover_name(self) -> str | None:
        """Who to contact instead while away: a person or a team, by name."""
        if self.away_cover_user is not None:
            return self.away_cover_user.full_name
        if self.away_cover_team is not None:
            return self.away_cover_team.name
        return None


class YoungPersonContact(Base):
    """An independent reviewing officer, independent visitor or advocate, from one date
    until (not including) another. Kept after it ends, for "people who used to help me"."""

    __tablename__ = "young_person_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    kind: Mapped[ContactKind] = mapped_column(enum_column(ContactKind))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    about: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    __table_args__ = (
        Index("ix_young_person_contacts_young_person", "young_person_id"),
        CheckConstraint("ends_on IS NULL OR ends_on > starts_on", name="ends_after_start"),
    )

    def holds_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


class MessageThread(Base):
    """A conversation between a young person (or a carer, about them) and whoever holds a
    worker's part for them (app.domain.messages)."""

    __tablename__ = "message_threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    young_person_id: Mapped[int] = mapped_column(ForeignKey("young_person_profiles.user_id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    participant_role: Mapped[Role] = mapped_column(enum_column(Role))
    worker_kind: Mapped[AllocationKind] = mapped_column(enum_column(AllocationKind))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    last_message_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The oldest message from the young person or carer that no worker has answered yet.
    waiting_since: Mapped[datetime | None]
    # An unanswered "I don't feel safe": first in the worker's inbox.
    urgent: Mapped[bool] = mapped_column(default=False)

    young_person: Mapped[YoungPersonProfile] = relationship()
    participant: Mapped[User] = relationship(foreign_keys=[participant_id])

    __table_args__ = (
        UniqueConstraint(
            "young_person_id", "participant_id", "worker_kind", name="uq_message_threads_conversation"
        ),
        Index("ix_message_threads_young_person_kind", "young_person_id", "worker_kind"),
    )


class Message(Base):
    """One message, never changed after it is sent except to note when it was read and when
    it first got an answer."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("message_threads.id"))
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    sender_role: Mapped[Role] = mapped_column(enum_column(Role))
    from_worker: Mapped[bool]
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind), default=MessageKind.MESSAGE)
    body: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(String(200))  # "I don't feel safe": where they are
    call_way: Mapped[CallWay | None] = mapped_column(enum_column(CallWay))
    call_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    read_at: Mapped[datetime | None]
    read_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])

    __table_args__ = (
        Index("ix_messages_thread", "thread_id", "id"),
        Index("ix_messages_unread", "thread_id", "from_worker", "read_at"),
        Index("ix_messages_created", "created_at"),
    )
