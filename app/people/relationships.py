"""Who lives with whom and who works with whom: the queries every home page needs, and the
changes a manager makes. History is kept: a change ends the old row and adds a new one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager

from app import audit
from app.domain.ages import age_on, may_have_personal_adviser
from app.domain.policy import Period, Subject
from app.domain.problems import Problem
from app.domain.roles import KIND_FOR_ROLE, AllocationKind, Role
from app.extensions import db
from app.models import Allocation, LivingArrangement, User, YoungPersonProfile


class RelationshipProblem(Problem):
    """Raised with a `reason` the page turns into plain words."""


def caseload_query(worker_id: int, today: date) -> Select:
    """A worker's current allocations with each young person loaded, by preferred name."""
    return (
        select(Allocation)
        .join(Allocation.young_person)
        .join(YoungPersonProfile.user)
        .options(contains_eager(Allocation.young_person).contains_eager(YoungPersonProfile.user))
        .where(Allocation.worker_id == worker_id, Allocation.current_on(today))
        .order_by(func.lower(YoungPersonProfile.preferred_name), YoungPersonProfile.user_id)
    )


def caseload_size(worker_id: int, today: date) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Allocation)
        .where(Allocation.worker_id == worker_id, Allocation.current_on(today))
    ).scalar_one()


def young_people_living_with(carer_id: int, today: date) -> list[YoungPersonProfile]:
    return list(
        db.session.scalars(
            select(YoungPersonProfile)
            .join(LivingArrangement)
            .join(YoungPersonProfile.user)
            .options(contains_eager(YoungPersonProfile.user))
            .where(LivingArrangement.carer_id == carer_id, LivingArrangement.current_on(today))
            .order_by(func.lower(YoungPersonProfile.preferred_name))
        )
    )


def preferred_names(young_person_ids) -> dict[int, str]:
    """Young people's preferred names by id, in one query."""
    ids = {i for i in young_person_ids if i}
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(YoungPersonProfile.user_id, YoungPersonProfile.preferred_name).where(
                YoungPersonProfile.user_id.in_(ids)
            )
        ).all()
    )


CHUNK = 500  # ids per IN (...): well under every database's limit on bound parameters


def subjects(young_person_ids: Iterable[int]) -> dict[int, Subject]:
    """What `policy.may` needs about each young person (their carers and workers, with
    dates), in two queries a chunk, so a list asks the one rule about every row. A young
    person who does not exist is missing, and `may` answers no for them."""
    ids = sorted({i for i in young_person_ids if i})
    carers: dict[int, list[Period]] = {}
    workers: dict[int, list[Period]] = {}
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(
            db.session.scalars(
                select(YoungPersonProfile.user_id).where(YoungPersonProfile.user_id.in_(chunk))
            )
        )
        for yp, carer, starts, ends in db.session.execute(
            select(
                LivingArrangement.young_person_id,
                LivingArrangement.carer_id,
                LivingArrangement.starts_on,
                LivingArrangement.ends_on,
            ).where(LivingArrangement.young_person_id.in_(chunk))
        ):
            carers.setdefault(yp, []).append(Period(carer, starts, ends))
        for yp, worker, starts, ends, kind in db.session.execute(
            select(
                Allocation.young_person_id,
                Allocation.worker_id,
                Allocation.starts_on,
                Allocation.ends_on,
                Allocation.kind,
            ).where(Allocation.young_person_id.in_(chunk))
        ):
            workers.setdefault(yp, []).append(Period(worker, starts, ends, kind))
    return {
        yp: Subject(yp, carers=tuple(carers.get(yp, ())), workers=tuple(workers.get(yp, ()))) for yp in found
    }


@dataclass(frozen=True)
class Worker:
    kind: AllocationKind
    name: str
    user_id: int


def current_workers(young_person_ids: list[int], today: date) -> dict[int, list[Worker]]:
    """Each young person's current workers, social worker first, in one query."""
    found: dict[int, list[Worker]] = {yp: [] for yp in young_person_ids}
    if not young_person_ids:
        return found
    rows = db.session.execute(
        select(Allocation.young_person_id, Allocation.kind, User.full_name, User.id)
        .join(User, Allocation.worker_id == User.id)
        .where(Allocation.young_person_id.in_(young_person_ids), Allocation.current_on(today))
        .order_by(Allocation.kind.desc(), User.full_name)
    )
    for yp_id, kind, name, user_id in rows:
        found[yp_id].append(Worker(kind, name, user_id))
    return found


def current_carer(profile: YoungPersonProfile, today: date) -> LivingArrangement | None:
    return next((a for a in profile.living_arrangements if a.holds_on(today)), None)


def _take_over(
    rows: Sequence[tuple[Allocation | LivingArrangement, int]],
    newcomer_id: int,
    starts_on: date,
    today: date,
    already: str,
) -> None:
    """The rule a new carer and a new worker share: the start is within the next year, and
    the current one (`rows`: each with its carer's or worker's id) ends the day the newcomer
    starts. Raises RelationshipProblem (`already` when the newcomer is the current one,
    "overlaps" when the current one started on or after that day)."""
    if starts_on > today + timedelta(days=366):
        raise RelationshipProblem("too_far_ahead")
    for existing, person_id in rows:
        if existing.ends_on is None:
            if person_id == newcomer_id:
                raise RelationshipProblem(already)
            if existing.starts_on >= starts_on:
                raise RelationshipProblem("overlaps")
            existing.ends_on = starts_on


def allocate(
    profile: YoungPersonProfile, worker: User, starts_on: date, today: date, *, by_id: int
) -> Allocation:
    """Allocates `worker` from `starts_on` (`by_id` chose them). A young person has one
    social worker and one personal adviser at a time, so a current allocation of the same
    kind ends that day. Raises RelationshipProblem."""
    kind = KIND_FOR_ROLE.get(worker.role)
    if kind is None or not worker.is_active:
        raise RelationshipProblem("not_a_worker")
    if kind is AllocationKind.PERSONAL_ADVISER and not may_have_personal_adviser(
        age_on(profile.date_of_birth, max(starts_on, profile.date_of_birth))
    ):
        raise RelationshipProblem("too_young_for_pa")
    same_kind = [(row, row.worker_id) for row in profile.allocations if row.kind is kind]
    _take_over(same_kind, worker.id, starts_on, today, already="already_allocated")
    allocation = Allocation(young_person=profile, worker_id=worker.id, kind=kind, starts_on=starts_on)
    db.session.add(allocation)
    audit.record(
        "allocated",
        actor_id=by_id,
        young_person_id=profile.user_id,
        detail={"worker_id": worker.id, "starts_on": starts_on.isoformat()},
    )
    if starts_on <= today:
        # An open "I don't feel safe" is shown to the new worker as open, and they are told
        # (a later start is seen on its first day, through the same visibility rule).
        from app.safety.service import worker_changed
        from app.timeutil import now_utc

        db.session.flush()
        worker_changed(profile.user_id, worker, kind, now_utc())
    return allocation


def move_in(
    profile: YoungPersonProfile, carer: User, starts_on: date, today: date, *, by_id: int
) -> LivingArrangement:
    """Records that the young person lives with `carer` from `starts_on` (`by_id` said so);
    where they lived before ends that day. Raises RelationshipProblem."""
    if carer.role is not Role.CARER or not carer.is_active:
        raise RelationshipProblem("not_a_carer")
    homes = [(row, row.carer_id) for row in profile.living_arrangements]
    _take_over(homes, carer.id, starts_on, today, already="already_living_there")
    arrangement = LivingArrangement(young_person=profile, carer_id=carer.id, starts_on=starts_on)
    db.session.add(arrangement)
    audit.record(
        "moved_in",
        actor_id=by_id,
        young_person_id=profile.user_id,
        detail={"carer_id": carer.id, "starts_on": starts_on.isoformat()},
    )
    return arrangement


def end(row: Allocation | LivingArrangement, ends_on: date, *, by_id: int) -> None:
    """Ends a relationship on `ends_on` (`by_id` said so). Raises RelationshipProblem if it
    has ended already (someone else got there first) or the date is before it started."""
    if row.ends_on is not None:
        raise RelationshipProblem("already_ended")
    if ends_on <= row.starts_on:
        raise RelationshipProblem("ends_before_start")
    row.ends_on = ends_on
    audit.record(
        "living_ended" if isinstance(row, LivingArrangement) else "allocations_ended",
        actor_id=by_id,
        young_person_id=row.young_person_id,
        detail={"row_id": row.id, "ends_on": ends_on.isoformat()},
    )


def changed_worker_since(since: date, today: date) -> int:
    """How many young people had a new worker allocated between `since` and today, where
    they already had a worker of that kind before (a change, not a first allocation)."""
    first = (
        select(
            Allocation.young_person_id,
            Allocation.kind,
            func.min(Allocation.starts_on).label("first_start"),
        )
        .group_by(Allocation.young_person_id, Allocation.kind)
        .subquery()
    )
    return db.session.execute(
        select(func.count(func.distinct(Allocation.young_person_id)))
        .join(
            first,
            (first.c.young_person_id == Allocation.young_person_id) & (first.c.kind == Allocation.kind),
        )
        .where(
            Allocation.starts_on >= since,
            Allocation.starts_on <= today,
            Allocation.starts_on > first.c.first_start,
        )
    ).scalar_one()
