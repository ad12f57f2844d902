"""Where reminders come from: small functions that read the facts from the database and
hand them to the rules in app.domain.reminders.

Adding a source is one function here:

    @source
    def new_messages(now):
        facts = [MessageFact(...) for row in db.session.execute(...)]
        return rules.new_message_reminders(facts)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.contact.service import SLUG_FOR_KIND
from app.domain import reminders as rules
from app.domain.complaints import EventKind
from app.domain.complaints import Status as ComplaintStatus
from app.domain.passport import Step
from app.domain.promise import VersionState
from app.domain.reminders import Candidate
from app.domain.reviews import Timeliness
from app.domain.roles import Role
from app.extensions import db
from app.models import (
    Allocation,
    Complaint,
    ComplaintEvent,
    LivingArrangement,
    Message,
    MessageThread,
    PlanVersion,
    Review,
    SkillEvent,
    SkillProgress,
    User,
    YoungPersonProfile,
)
from app.timeutil import london_date

Source = Callable[[datetime], Iterable[Candidate]]

# Events older than this are not reminded of (the dedupe key stops repeats within it).
EVENT_WINDOW = timedelta(days=7)

SOURCES: dict[str, Source] = {}


def source(fn: Source) -> Source:
    """Registers a source; `flask reminders send-due` asks every registered one."""
    SOURCES[fn.__name__] = fn
    return fn


@source
def booked_reviews(now: datetime) -> list[Candidate]:
    today = london_date(now)
    rows = db.session.execute(
        select(Review.young_person_id, Review.booked_for).where(
            Review.held_on.is_(None),
            Review.booked_for > today,
            Review.booked_for <= today + timedelta(days=rules.REVIEW_NOTICE_DAYS),
        )
    )
    return rules.review_reminders((rules.ReviewFact(yp, on) for yp, on in rows if on is not None), now)


@source
def skill_outcomes(now: datetime) -> list[Candidate]:
    rows = db.session.execute(
        select(SkillEvent.id, SkillEvent.young_person_id, SkillEvent.skill_id, SkillEvent.to_step).where(
            SkillEvent.to_step.in_([Step.SIGNED_OFF, Step.SENT_BACK]),
            SkillEvent.created_at >= now - EVENT_WINDOW,
        )
    )
    return rules.skill_outcome_reminders(
        rules.SkillOutcomeFact(event_id, yp, skill_id, step is Step.SIGNED_OFF)
        for event_id, yp, skill_id, step in rows
    )


@source
def published_plans(now: datetime) -> list[Candidate]:
    rows = db.session.execute(
        select(PlanVersion.id, PlanVersion.young_person_id, PlanVersion.number).where(
            PlanVersion.state == VersionState.PUBLISHED,
            PlanVersion.published_at >= now - EVENT_WINDOW,
        )
    )
    return rules.plan_reminders(
        rules.PlanPublishedFact(plan_id, yp, number) for plan_id, yp, number in rows if number is not None
    )


@source
def skills_to_practise(now: datetime) -> list[Candidate]:
    today = london_date(now)
    rows = db.session.execute(
        select(LivingArrangement.carer_id, LivingArrangement.young_person_id, func.count(SkillProgress.id))
        .join(SkillProgress, SkillProgress.young_person_id == LivingArrangement.young_person_id)
        .where(
            LivingArrangement.current_on(today),
            SkillProgress.step.in_([Step.LEARNING, Step.SENT_BACK]),
        )
        .group_by(LivingArrangement.carer_id, LivingArrangement.young_person_id)
    )
    return rules.practise_reminders((rules.PractiseFact(*row) for row in rows), now)


@source
def sign_off_waiting(now: datetime) -> list[Candidate]:
    today = london_date(now)
    rows = db.session.execute(
        select(
            Allocation.worker_id,
            SkillProgress.young_person_id,
            SkillProgress.id,
            SkillProgress.lock_version,
            SkillProgress.updated_at,
        )
        .join(Allocation, Allocation.young_person_id == SkillProgress.young_person_id)
        .where(
            Allocation.current_on(today),
            SkillProgress.step.in_([Step.PRACTISED, Step.CAN_DO]),
            SkillProgress.updated_at < now - rules.SIGN_OFF_WAITING,
        )
    )
    return rules.sign_off_reminders((rules.SignOffWaitingFact(*row) for row in rows), now)


@source
def reviews_due(now: datetime) -> list[Candidate]:
    from app.reviews.service import statuses

    today = london_date(now)
    allocations = db.session.execute(
        select(Allocation.worker_id, Allocation.young_person_id).where(Allocation.current_on(today))
    ).all()
    if not allocations:
        return []
    profiles = list(
        db.session.scalars(
            select(YoungPersonProfile)
            .where(YoungPersonProfile.user_id.in_({yp for _, yp in allocations}))
            .options(joinedload(YoungPersonProfile.user))
        )
    )
    status = statuses(profiles, today)
    facts = []
    for worker_id, yp in allocations:
        s = status.get(yp)
        if s is None or s.booked is not None or s.review.timeliness is Timeliness.ON_TRACK:
            continue
        facts.append(
            rules.ReviewDueFact(worker_id, yp, s.review.on, s.review.timeliness is Timeliness.OVERDUE)
        )
    return rules.reviews_due_reminders(facts)


def _conversation_url(participant_role: Role, young_person_id: int, kind) -> str:
    if participant_role is Role.CARER:
        return f"/care/young-people/{young_person_id}/messages/{SLUG_FOR_KIND[kind]}"
    return f"/messages/{SLUG_FOR_KIND[kind]}"


@source
def new_messages(now: datetime) -> list[Candidate]:
    """A worker's answer, for the young person or carer it was written to, while unread.
    A message to a worker reaches them through their inbox, and a reminder if it waits; an
    "I don't feel safe" is an urgent alert, told the moment it is sent (app.safety)."""
    to_participants = db.session.execute(
        select(
            Message.id,
            MessageThread.participant_id,
            Message.created_at,
            MessageThread.young_person_id,
            MessageThread.participant_role,
            MessageThread.worker_kind,
        )
        .join(MessageThread, Message.thread_id == MessageThread.id)
        .where(Message.from_worker, Message.read_at.is_(None), Message.created_at >= now - EVENT_WINDOW)
    ).all()
    facts = [
        rules.MessageFact(message_id, recipient, sent_at, yp, _conversation_url(role, yp, kind))
        for message_id, recipient, sent_at, yp, role, kind in to_participants
    ]
    return rules.new_message_reminders(facts)


@source
def messages_unanswered(now: datetime) -> list[Candidate]:
    """Messages to a worker still waiting for an answer after 2 working days."""
    return rules.message_unanswered_reminders(
        _waiting_for_workers(now, Message.answered_at.is_(None), timedelta(days=30)), now
    )


def _waiting_for_workers(now: datetime, condition, window: timedelta) -> list[rules.MessageFact]:
    """Messages from young people and carers, for the worker allocated to that part today."""
    today = london_date(now)
    rows = db.session.execute(
        select(
            Message.id,
            Allocation.worker_id,
            Message.created_at,
            MessageThread.young_person_id,
            MessageThread.id,
        )
        .join(MessageThread, Message.thread_id == MessageThread.id)
        .join(
            Allocation,
            (Allocation.young_person_id == MessageThread.young_person_id)
            & (Allocation.kind == MessageThread.worker_kind),
        )
        .where(
            ~Message.from_worker,
            Message.answered_at.is_(None),
            condition,
            Message.created_at >= now - window,
            Allocation.current_on(today),
        )
    ).all()
    return [
        rules.MessageFact(message_id, worker_id, sent_at, yp, f"/inbox/{thread_id}")
        for message_id, worker_id, sent_at, yp, thread_id in rows
    ]


# What the young person hears about their complaint: the steps the officer takes for them.
COMPLAINT_NEWS = (
    EventKind.ACKNOWLEDGED,
    EventKind.EXTENDED,
    EventKind.RESPONSE_SENT,
    EventKind.ESCALATED,
    EventKind.CLOSED,
    EventKind.WITHDRAWN,
)


@source
def complaint_updates(now: datetime) -> list[Candidate]:
    rows = db.session.execute(
        select(ComplaintEvent.complaint_id, ComplaintEvent.id, Complaint.young_person_id)
        .join(Complaint, ComplaintEvent.complaint_id == Complaint.id)
        .where(ComplaintEvent.kind.in_(COMPLAINT_NEWS), ComplaintEvent.created_at >= now - EVENT_WINDOW)
    )
    return rules.complaint_update_reminders(
        rules.ComplaintUpdateFact(complaint_id, event_id, yp, f"/complaints/{complaint_id}")
        for complaint_id, event_id, yp in rows
    )


@source
def complaints_due(now: datetime) -> list[Candidate]:
    """Every officer hears of complaints due within 2 working days or late."""
    officers = db.session.scalars(
        select(User.id).where(User.role == Role.COMPLAINTS_OFFICER, User.is_active)
    ).all()
    if not officers:
        return []
    rows = db.session.execute(
        select(Complaint.id, Complaint.stage, Complaint.due_on).where(
            Complaint.status == ComplaintStatus.OPEN
        )
    ).all()
    return rules.complaint_due_reminders(
        (
            rules.ComplaintDueFact(
                complaint_id, str(stage), officer, due, f"/officer/complaints/{complaint_id}"
            )
            for complaint_id, stage, due in rows
            for officer in officers
        ),
        now,
    )
