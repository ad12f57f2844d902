"""My people and messages: the queries and changes behind the pages. Functions take the
people and the time as arguments; callers commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from app.domain.messages import (
    MAX_MESSAGE_LENGTH,
    CallWay,
    Conversation,
    MessageKind,
    MessageProblem,
    Wait,
    check_body,
)
from app.domain.roles import KIND_FOR_ROLE, AllocationKind, ContactKind, Role
from app.domain.safety import MAX_ALERT_LENGTH
from app.extensions import db
from app.models import (
    Allocation,
    LivingArrangement,
    Message,
    MessageThread,
    StaffCard,
    Team,
    User,
    YoungPersonContact,
    YoungPersonProfile,
)
from app.people import relationships

# In URLs the parts are spelled the way people read them.
KIND_SLUGS = {
    "social-worker": AllocationKind.SOCIAL_WORKER,
    "personal-adviser": AllocationKind.PERSONAL_ADVISER,
}
SLUG_FOR_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


def conversation_of(thread: MessageThread) -> Conversation:
    return Conversation(thread.young_person_id, thread.participant_id, thread.worker_kind)


# My people ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCard:
    """One person on a young person's "My people" page."""

    part: str  # social_worker, personal_adviser, carer, or a ContactKind value
    name: str
    card: StaffCard | None = None
    phone: str | None = None
    email: str | None = None
    about: str | None = None
    message_slug: str | None = None  # where to write to them in the app, if anywhere
    since: date | None = None
    until: date | None = None

    @property
    def call(self) -> str | None:
        if self.card is not None:
            return self.card.phone if self.card.allow_call and self.card.phone else None
        return self.phone

    @property
    def text(self) -> str | None:
        if self.card is not None:
            return self.card.phone if self.card.allow_text and self.card.phone else None
        return None

    @property
    def mail(self) -> str | None:
        if self.card is not None:
            return self.card.email if self.card.allow_email and self.card.email else None
        return self.email


@dataclass(frozen=True)
class MyPeople:
    current: list[PersonCard]
    past: list[PersonCard]


_PART_ORDER = {
    AllocationKind.SOCIAL_WORKER.value: 0,
    AllocationKind.PERSONAL_ADVISER.value: 1,
    "carer": 2,
    ContactKind.INDEPENDENT_REVIEWING_OFFICER.value: 3,
    ContactKind.INDEPENDENT_VISITOR.value: 4,
    ContactKind.ADVOCATE.value: 5,
}


def my_people(young_person_id: int, today: date) -> MyPeople:
    """Everyone the council arranges for the young person, now and before, in five
    queries whatever their number."""
    allocations = db.session.scalars(
        select(Allocation)
        .options(joinedload(Allocation.worker))
        .where(Allocation.young_person_id == young_person_id, Allocation.starts_on <= today)
    ).all()
    homes = db.session.scalars(
        select(LivingArrangement)
        .options(joinedload(LivingArrangement.carer))
        .where(LivingArrangement.young_person_id == young_person_id, LivingArrangement.starts_on <= today)
    ).all()
    contacts = db.session.scalars(
        select(YoungPersonContact).where(
            YoungPersonContact.young_person_id == young_person_id, YoungPersonContact.starts_on <= today
        )
    ).all()
    cards = cards_for({a.worker_id for a in allocations} | {h.carer_id for h in homes})

    current: list[PersonCard] = []
    past: list[PersonCard] = []
    for a in allocations:
        now = a.holds_on(today)
        person = PersonCard(
            part=a.kind.value,
            name=a.worker.full_name,
            card=cards.get(a.worker_id) if now else None,
            message_slug=SLUG_FOR_KIND[a.kind] if now else None,
            since=a.starts_on,
            until=a.ends_on,
        )
        (current if now else past).append(person)
    for h in homes:
        now = h.holds_on(today)
        person = PersonCard(
            part="carer",
            name=h.carer.full_name,
            card=cards.get(h.carer_id) if now else None,
            since=h.starts_on,
            until=h.ends_on,
        )
        (current if now else past).append(person)
    for c in contacts:
        now = c.holds_on(today)
        person = PersonCard(
            part=c.kind.value,
            name=c.name,
            phone=c.phone if now else None,
            email=c.email if now else None,
            about=c.about,
            since=c.starts_on,
            until=c.ends_on,
        )
        (current if now else past).append(person)
    # An advocate the officer allocated through an advocacy request (app.voice).
    from app.voice.advocacy import current_advocate

    advocate = current_advocate(young_person_id)
    if advocate is not None and not any(
        p.part == ContactKind.ADVOCATE.value and p.name == advocate.name for p in current
    ):
        current.append(
            PersonCard(
                part=ContactKind.ADVOCATE.value,
                name=advocate.name,
                phone=advocate.phone or None,
                email=advocate.email or None,
            )
        )
    current.sort(key=lambda p: (_PART_ORDER.get(p.part, 9), p.name))
    past.sort(key=lambda p: p.until or today, reverse=True)
    # The same person can have ended and started again; they are not "used to" then.
    still_here = {(p.part, p.name) for p in current}
    past = [p for p in past if (p.part, p.name) not in still_here]
    return MyPeople(current=current, past=past)


def cards_for(user_ids) -> dict[int, StaffCard]:
    """The cards of these people, with who covers for them while away, in one query."""
    ids = list(user_ids)
    if not ids:
        return {}
    return {
        c.user_id: c
        for c in db.session.scalars(
            select(StaffCard)
            .options(joinedload(StaffCard.away_cover_user), joinedload(StaffCard.away_cover_team))
            .where(StaffCard.user_id.in_(ids))
        )
    }


# Who may cover for an away worker: someone who can pick up a young person's worries.
COVER_ROLES = (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.TEAM_MANAGER, Role.MANAGER)


def cover_people(except_id: int) -> list[tuple[int, str]]:
    """Active staff who may cover for someone away (not the person themselves), by name."""
    rows = db.session.execute(
        select(User.id, User.full_name)
        .where(User.role.in_(COVER_ROLES), User.is_active.is_(True), User.id != except_id)
        .order_by(func.lower(User.full_name), User.id)
    )
    return [(uid, name) for uid, name in rows]


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(func.lower(Team.name), Team.id)))


def card_of(user: User) -> StaffCard:
    """The person's card, made empty the first time they edit it."""
    card = db.session.get(StaffCard, user.id)
    if card is None:
        card = StaffCard(user_id=user.id, about_me="", working_hours="")
        db.session.add(card)
    return card


def contacts_for(young_person_id: int) -> list[YoungPersonContact]:
    return list(
        db.session.scalars(
            select(YoungPersonContact)
            .where(YoungPersonContact.young_person_id == young_person_id)
            .order_by(YoungPersonContact.ends_on.is_not(None), YoungPersonContact.starts_on.desc())
        )
    )


# When someone changes ---------------------------------------------------------------------


def introductions_due(profile: YoungPersonProfile, today: date) -> list[Allocation]:
    """New workers the young person has not been shown yet: a worker allocated after the
    young person's first workers (a change, or a personal adviser at 16), current today."""
    allocations = profile.allocations
    if not allocations:
        return []
    first_start = min(a.starts_on for a in allocations)
    return [
        a for a in allocations if a.introduced_at is None and a.starts_on > first_start and a.holds_on(today)
    ]


def mark_introduced(allocations: list[Allocation], now: datetime) -> None:
    for allocation in allocations:
        allocation.introduced_at = now


# Conversations --------------------------------------------------------------------------


def threads_of(participant_id: int) -> list[MessageThread]:
    """The conversations a young person or carer started, newest first."""
    return list(
        db.session.scalars(
            select(MessageThread)
            .where(MessageThread.participant_id == participant_id)
            .order_by(MessageThread.last_message_at.desc())
        )
    )


def find_thread(young_person_id: int, participant_id: int, kind: AllocationKind) -> MessageThread | None:
    return db.session.scalar(
        select(MessageThread).where(
            MessageThread.young_person_id == young_person_id,
            MessageThread.participant_id == participant_id,
            MessageThread.worker_kind == kind,
        )
    )


def open_thread(
    young_person_id: int, participant: User, kind: AllocationKind, now: datetime
) -> MessageThread:
    """The conversation, started now if there is none. Two first messages at once both
    land in the one conversation (the unique constraint decides, the loser looks again)."""
    thread = find_thread(young_person_id, participant.id, kind)
    if thread is not None:
        return thread
    thread = MessageThread(
        young_person_id=young_person_id,
        participant_id=participant.id,
        participant_role=participant.role,
        worker_kind=kind,
        created_at=now,
        last_message_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(thread)
    except IntegrityError:
        thread = find_thread(young_person_id, participant.id, kind)
        if thread is None:
            raise
    return thread


def messages_in(thread: MessageThread) -> list[Message]:
    return list(
        db.session.scalars(
            select(Message)
            .options(joinedload(Message.sender))
            .where(Message.thread_id == thread.id)
            .order_by(Message.id)
        )
    )


def send(
    thread: MessageThread,
    sender: User,
    body: str | None,
    now: datetime,
    *,
    kind: MessageKind = MessageKind.MESSAGE,
    place: str | None = None,
    call_way: CallWay | None = None,
    call_at: datetime | None = None,
) -> Message:
    """Adds a message to the conversation. A worker's message answers everything the
    young person or carer sent before it (but does not close an urgent alert). Raises
    MessageProblem for an empty (where a message needs words) or over-long body."""
    # Staff write as the worker's side: the allocated worker, or whoever took an urgent
    # alert on (the duty team, a manager) writing from the alert's page.
    from_worker = sender.role not in (Role.YOUNG_PERSON, Role.CARER)
    # An "I don't feel safe" keeps what its alert keeps (app.domain.safety.alert_words).
    limit = MAX_ALERT_LENGTH if kind is MessageKind.NOT_SAFE else MAX_MESSAGE_LENGTH
    text = check_body(body, required=kind is MessageKind.MESSAGE, limit=limit)
    message = Message(
        thread_id=thread.id,
        sender_id=sender.id,
        sender_role=sender.role,
        from_worker=from_worker,
        kind=kind,
        body=text,
        place=(place or "").strip() or None,
        call_way=call_way,
        call_at=call_at,
        created_at=now,
    )
    db.session.add(message)
    thread.last_message_at = now
    if from_worker:
        db.session.execute(
            update(Message)
            .where(Message.thread_id == thread.id, ~Message.from_worker, Message.answered_at.is_(None))
            .values(answered_at=now, answered_by_id=sender.id)
        )
        thread.waiting_since = None
        # An answer is not a closed alert: "urgent" stays until the alert is closed with
        # what was done (app.safety.service.close).
    else:
        if thread.waiting_since is None:
            thread.waiting_since = now
        if kind is MessageKind.NOT_SAFE:
            thread.urgent = True
    return message


def mark_read(thread: MessageThread, reader: User, now: datetime) -> int:
    """Marks what the other side sent as read by `reader`; returns how many."""
    reader_is_worker = reader.role in KIND_FOR_ROLE
    # An UPDATE gives a CursorResult; SQLAlchemy's types say Result.
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Message)
            .where(
                Message.thread_id == thread.id,
                Message.from_worker.is_(not reader_is_worker),
                Message.read_at.is_(None),
            )
            .values(read_at=now, read_by_id=reader.id)
        ),
    )
    return result.rowcount or 0


def unread_by_conversation(participant_id: int) -> dict[tuple[int, AllocationKind], int]:
    """Unread answers from workers per (young person, worker's part): for a carer, so each
    "Message ..." button can say there is something new; summed for a young person."""
    rows = db.session.execute(
        select(MessageThread.young_person_id, MessageThread.worker_kind, func.count(Message.id))
        .join(Message, Message.thread_id == MessageThread.id)
        .where(MessageThread.participant_id == participant_id, Message.from_worker, Message.read_at.is_(None))
        .group_by(MessageThread.young_person_id, MessageThread.worker_kind)
    ).all()
    return {(young_person_id, kind): count for young_person_id, kind, count in rows}


def unread_counts(thread_ids: list[int], *, from_worker: bool) -> dict[int, int]:
    """Per conversation, how many messages from one side the other has not opened."""
    if not thread_ids:
        return {}
    sent_by_worker = Message.from_worker if from_worker else ~Message.from_worker
    return dict(
        db.session.execute(
            select(Message.thread_id, func.count(Message.id))
            .where(Message.thread_id.in_(thread_ids), sent_by_worker, Message.read_at.is_(None))
            .group_by(Message.thread_id)
        ).all()
    )


def inbox_query(worker: User, today: date) -> Select:
    """Every conversation on the worker's caseload in the part they play: urgent first,
    then the longest waiting, then the most recent. One statement, however many."""
    kind = KIND_FOR_ROLE[worker.role]
    return (
        select(MessageThread)
        .join(
            Allocation,
            and_(
                Allocation.young_person_id == MessageThread.young_person_id,
                Allocation.worker_id == worker.id,
                Allocation.kind == kind,
                Allocation.current_on(today),
            ),
        )
        .join(MessageThread.young_person)
        .join(MessageThread.participant)
        .options(
            contains_eager(MessageThread.young_person),
            contains_eager(MessageThread.participant),
        )
        .where(MessageThread.worker_kind == kind)
        .order_by(
            MessageThread.urgent.desc(),
            case((MessageThread.waiting_since.is_(None), 1), else_=0),
            MessageThread.waiting_since,
            MessageThread.last_message_at.desc(),
        )
    )


def current_worker(young_person_id: int, kind: AllocationKind, today: date) -> relationships.Worker | None:
    workers = relationships.current_workers([young_person_id], today)[young_person_id]
    return next((w for w in workers if w.kind is kind), None)


def check_worker_unchanged(expected: str | None, worker: relationships.Worker | None) -> relationships.Worker:
    """The writer saw one worker's name; if the part has a new worker now (or nobody), they
    must be told before their words go to someone else. Raises MessageProblem; gives back
    the worker when all is well."""
    if worker is None:
        raise MessageProblem("no_worker")
    if expected and expected != str(worker.user_id):
        raise MessageProblem("worker_changed")
    return worker


# Response times ---------------------------------------------------------------------------

NO_TEAM = ""


def waits_since(since: datetime, today: date) -> list[Wait]:
    """Every message and request from young people and carers since `since`, with the team
    that answered it (or, while it waits, the team of the worker it waits for)."""
    rows = db.session.execute(
        select(
            Message.kind,
            Message.created_at,
            Message.answered_at,
            Message.answered_by_id,
            MessageThread.young_person_id,
            MessageThread.worker_kind,
        )
        .join(MessageThread, Message.thread_id == MessageThread.id)
        .where(~Message.from_worker, Message.created_at >= since)
    ).all()
    waiting_for = {
        (a.young_person_id, a.kind): a.worker_id
        for a in db.session.scalars(select(Allocation).where(Allocation.current_on(today)))
    }
    teams: dict[int | None, str] = dict(
        db.session.execute(select(User.id, Team.name).join(Team, User.team_id == Team.id)).all()
    )
    waits = []
    for kind, asked, answered, answered_by, young_person_id, worker_kind in rows:
        worker_id = answered_by if answered is not None else waiting_for.get((young_person_id, worker_kind))
        waits.append(Wait(teams.get(worker_id) or NO_TEAM, kind, asked, answered))
    return waits
