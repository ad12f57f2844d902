"""Where reminders come from: small functions that read the facts from the database and
hand them to the rules in app.domain.reminders.

Adding a source (messages and complaints are being built now) is one function here:

    @source
    def new_messages(now):
        facts = [MessageFact(...) for row in db.session.execute(...)]
        return rules.new_message_reminders(facts)

The rules for NEW_MESSAGE, MESSAGE_UNANSWERED, COMPLAINT_UPDATE and COMPLAINT_DUE are
written and tested already; only their sources are missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain import reminders as rules
from app.domain.passport import Step
from app.domain.promise import VersionState
from app.domain.reminders import Candidate
from app.domain.reviews import Timeliness
from app.extensions import db
from app.models import (
    Allocation,
    LivingArrangement,
    PlanVersion,
    Review,
    SkillEvent,
    SkillProgress,
    YoungPersonProfile,
)

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
    today = rules.london_date(now)
    rows = db.session.execute(
        select(Review.young_person_id, Review.booked_for).where(
            Review.held_on.is_(None),
            Review.booked_for > today,
            Review.booked_for <= today + timedelta(days=rules.REVIEW_NOTICE_DAYS),
        )
    )
    return rules.review_reminders((rules.ReviewFact(yp, on) for yp, on in rows), now)


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
    return rules.plan_reminders(rules.PlanPublishedFact(*row) for row in rows)


@source
def skills_to_practise(now: datetime) -> list[Candidate]:
    today = rules.london_date(now)
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
    today = rules.london_date(now)
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

    today = rules.london_date(now)
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
