"""Review dates and "get ready for my review"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import audit
from app.domain.ages import PA_FROM
from app.domain.plans import PlanKind, plan_kind_for
from app.domain.problems import Problem
from app.domain.promise import years_after
from app.domain.reviews import Due, booking_problem, held_problem, plan_due, review_due
from app.extensions import db
from app.models import Review, ReviewPreparation, YoungPersonProfile
from app.plans import service as plans

PREPARATION_FIELDS = ("going_well", "not_going_well", "want_to_change", "who_there", "chair")
CHAIR_CHOICES = ("yes", "no", "help")
MAX_PREPARATION_LENGTH = 4000


class ReviewProblem(Problem):
    """A rule about reviews said no."""


@dataclass(frozen=True)
class ReviewStatus:
    """What the young person and worker see: the next review (booked, or the latest date
    the rules allow) and whether the review and the plan are on time."""

    next_on: date
    booked: Review | None
    review: Due
    plan: Due


def _started_on(profile: YoungPersonProfile, kind: PlanKind) -> date:
    came = profile.came_into_care_on or profile.user.created_at.date()
    if kind is PlanKind.PATHWAY_PLAN:
        return max(came, years_after(profile.date_of_birth, PA_FROM))
    return came


def statuses(profiles: list[YoungPersonProfile], today: date) -> dict[int, ReviewStatus]:
    """Review and plan status for several young people in two queries."""
    ids = [p.user_id for p in profiles]
    held: dict[int, list[date]] = defaultdict(list)
    booked: dict[int, Review] = {}
    if ids:
        for review in db.session.scalars(
            select(Review).where(Review.young_person_id.in_(ids)).order_by(Review.booked_for, Review.id)
        ):
            if review.held_on:
                held[review.young_person_id].append(review.held_on)
            elif review.booked_for and review.booked_for >= today and review.young_person_id not in booked:
                booked[review.young_person_id] = review
    published = plans.last_published_on(ids)
    result = {}
    for profile in profiles:
        kind = plan_kind_for(profile.date_of_birth, profile.care_status, today)
        due = review_due(
            pathway=kind is PlanKind.PATHWAY_PLAN,
            started_on=_started_on(profile, kind),
            reviews_held=held[profile.user_id],
            today=today,
        )
        booking = booked.get(profile.user_id)
        last = published.get(profile.user_id)
        result[profile.user_id] = ReviewStatus(
            next_on=booking.booked_for if booking and booking.booked_for else due.on,
            booked=booking,
            review=due,
            plan=plan_due(last.date() if last else None, today),
        )
    return result


def book(profile: YoungPersonProfile, on: date, worker_id: int, today: date) -> Review:
    problem = booking_problem(on, today)
    if problem:
        raise ReviewProblem(problem)
    review = Review(young_person_id=profile.user_id, booked_for=on, created_by_id=worker_id)
    db.session.add(review)
    audit.record("review_booked", actor_id=worker_id, young_person_id=profile.user_id)
    return review


def record_held(profile: YoungPersonProfile, on: date, worker_id: int, today: date) -> Review:
    """Marks the booked review held (or records one that was not booked)."""
    problem = held_problem(on, today, profile.date_of_birth, profile.came_into_care_on)
    if problem:
        raise ReviewProblem(problem)
    review = db.session.scalar(
        select(Review)
        .where(
            Review.young_person_id == profile.user_id,
            Review.held_on.is_(None),
            Review.booked_for.is_not(None),
        )
        .order_by(Review.booked_for)
        .limit(1)
    )
    if review is None:
        review = Review(young_person_id=profile.user_id, created_by_id=worker_id)
        db.session.add(review)
    review.held_on = on
    audit.record("review_recorded", actor_id=worker_id, young_person_id=profile.user_id)
    return review


def preparation(young_person_id: int) -> ReviewPreparation | None:
    """The young person's preparation for their next review (the newest one)."""
    return db.session.scalar(
        select(ReviewPreparation)
        .where(ReviewPreparation.young_person_id == young_person_id)
        .order_by(ReviewPreparation.id.desc())
        .limit(1)
    )


def save_preparation(
    young_person_id: int, lock_version: int | None, values: dict[str, str], now: datetime, share: bool
) -> ReviewPreparation:
    """Saves what the young person has written so far. A preparation shared for a review
    that has since been held is left as it was, and a fresh one starts. Raises
    ReviewProblem ("changed_meanwhile", "too_long", "bad_chair")."""
    prep = preparation(young_person_id)
    if prep is not None and prep.shared_at and _held_since(young_person_id, prep.shared_at):
        prep = None
    if prep is None:
        prep = ReviewPreparation(young_person_id=young_person_id)
        db.session.add(prep)
    elif lock_version is not None and prep.lock_version != lock_version:
        raise ReviewProblem("changed_meanwhile")
    for name in PREPARATION_FIELDS:
        value = (values.get(name) or "").strip()
        if len(value) > MAX_PREPARATION_LENGTH:
            raise ReviewProblem("too_long")
        if name == "chair" and value and value not in CHAIR_CHOICES:
            raise ReviewProblem("bad_chair")
        setattr(prep, name, value)
    prep.updated_at = now
    if share:
        prep.shared_at = now
        audit.record("review_preparation_shared", actor_id=young_person_id, young_person_id=young_person_id)
    db.session.flush()
    return prep


def _held_since(young_person_id: int, since: datetime) -> bool:
    return bool(
        db.session.scalar(
            select(Review.id)
            .where(Review.young_person_id == young_person_id, Review.held_on >= since.date())
            .limit(1)
        )
    )
