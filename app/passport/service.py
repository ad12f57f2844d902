"""The passport in the database: skills, each young person's progress and its history, the
workers' queue, and the passport's name."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload
from sqlalchemy.orm.exc import StaleDataError

from app import audit, ordered_content
from app.domain.ages import age_on
from app.domain.passport import MAX_IDEMPOTENCY_KEY_LENGTH, Step, StepProblem, check_step
from app.domain.problems import Problem
from app.domain.roles import Role
from app.extensions import db
from app.models import Allocation, Setting, Skill, SkillEvent, SkillProgress, User, YoungPersonProfile
from app.models.passport import SKILL_AGES
from app.timeutil import now_utc

AREAS = (
    "money",
    "food_cooking",
    "health_wellbeing",
    "home_tenancy",
    "education_work",
    "documents_rights",
    "relationships_safety",
    "getting_around",
)
NAME_SETTING = "passport_name"


def load_skills(content: dict, now: datetime) -> int:
    """Adds skills from the content file that are not in the database yet."""
    return ordered_content.seed(
        Skill,
        content["areas"],
        items="skills",
        fields=("title", "description", "tip", "starts_at_age"),
        now=now,
    )


def adopted_name() -> str | None:
    """The name young people voted for, once the manager has adopted it."""
    return db.session.scalar(select(Setting.value).where(Setting.key == NAME_SETTING))


def set_name(name: str, user_id: int, now: datetime) -> None:
    setting = db.session.get(Setting, NAME_SETTING)
    if setting is None:
        setting = Setting(key=NAME_SETTING, value=name)
        db.session.add(setting)
    setting.value, setting.updated_by_id, setting.updated_at = name, user_id, now


def skills() -> list[Skill]:
    return list(
        db.session.scalars(
            select(Skill).where(Skill.retired_at.is_(None)).order_by(Skill.area, Skill.position)
        )
    )


def progress_for(young_person_id: int) -> dict[int, SkillProgress]:
    rows = db.session.scalars(select(SkillProgress).where(SkillProgress.young_person_id == young_person_id))
    return {row.skill_id: row for row in rows}


def latest_notes(young_person_id: int) -> dict[int, SkillEvent]:
    """The newest event with a note for each skill: what the carer or worker last said."""
    newest = (
        select(func.max(SkillEvent.id))
        .where(SkillEvent.young_person_id == young_person_id, SkillEvent.note.is_not(None))
        .group_by(SkillEvent.skill_id)
    )
    rows = db.session.scalars(
        select(SkillEvent).where(SkillEvent.id.in_(newest)).options(joinedload(SkillEvent.actor))
    )
    return {row.skill_id: row for row in rows}


def history(young_person_id: int, skill_id: int) -> list[SkillEvent]:
    return list(
        db.session.scalars(
            select(SkillEvent)
            .where(SkillEvent.young_person_id == young_person_id, SkillEvent.skill_id == skill_id)
            .options(joinedload(SkillEvent.actor))
            .order_by(SkillEvent.id)
        )
    )


@dataclass(frozen=True)
class AreaSummary:
    area: str
    skills: list[Skill]
    done: int
    total: int


def by_area(all_skills: list[Skill], progress: dict[int, SkillProgress], age: int) -> list[AreaSummary]:
    """Skills the young person is old enough for, by area, with how many are signed off."""
    grouped: dict[str, list[Skill]] = defaultdict(list)
    for skill in all_skills:
        if skill.starts_at_age <= age:
            grouped[skill.area].append(skill)
    result = []
    for area in AREAS:
        items = grouped.get(area, [])
        done = sum(1 for s in items if s.id in progress and progress[s.id].step is Step.SIGNED_OFF)
        result.append(AreaSummary(area, items, done, len(items)))
    return result


def recently_signed_off(young_person_id: int, since: datetime) -> list[SkillEvent]:
    return list(
        db.session.scalars(
            select(SkillEvent)
            .where(
                SkillEvent.young_person_id == young_person_id,
                SkillEvent.to_step == Step.SIGNED_OFF,
                SkillEvent.created_at >= since,
            )
            .options(joinedload(SkillEvent.actor), joinedload(SkillEvent.skill))
            .order_by(SkillEvent.id.desc())
        )
    )


@dataclass(frozen=True)
class Outcome:
    event: SkillEvent
    repeated: bool  # the same change (same key) had already been applied


def change_step(
    profile: YoungPersonProfile,
    skill: Skill,
    new_step: str,
    *,
    actor: User,
    note: str | None,
    expected_step: str | None,
    idempotency_key: str | None,
    today: date,
) -> Outcome:
    """Moves a skill to `new_step` for the young person and adds the event.

    A key names one change by one person. The same person sending the same change again
    with its key (an offline phone retrying) gets the earlier event back and nothing
    changes; the same key with a different change (another young person, skill, step or
    note) is refused, so a change is never lost behind a "repeated". If the skill is no
    longer at `expected_step` (someone changed it meanwhile) the change is refused, so
    nobody's step is silently undone. Raises StepProblem ("bad_key" for a key longer than
    MAX_IDEMPOTENCY_KEY_LENGTH, "key_reused", "unknown_step", "changed_meanwhile", and
    those of check_step). The request's end can still raise ConcurrentChange (save_change finds it first)."""
    if idempotency_key and len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise StepProblem("bad_key")
    note = (note or "").strip() or None
    if idempotency_key:
        earlier = db.session.scalar(
            select(SkillEvent).where(
                SkillEvent.actor_id == actor.id, SkillEvent.idempotency_key == idempotency_key
            )
        )
        if earlier is not None:
            if not _same_change(earlier, profile.user_id, skill.id, new_step, note):
                raise StepProblem("key_reused")
            return Outcome(earlier, repeated=True)
    try:
        new = Step(new_step)
    except ValueError:
        raise StepProblem("unknown_step") from None
    progress = db.session.scalar(
        select(SkillProgress).where(
            SkillProgress.young_person_id == profile.user_id, SkillProgress.skill_id == skill.id
        )
    )
    current = progress.step if progress else Step.NOT_STARTED
    if expected_step and expected_step != current.value:
        raise StepProblem("changed_meanwhile")
    check_step(
        actor.role,
        current,
        new,
        age=age_on(profile.date_of_birth, today),
        starts_at_age=skill.starts_at_age,
        note=note,
        has_carer=lives_with_carer(profile, today),
    )
    if skill.retired_at is not None:
        raise StepProblem("not_allowed")
    if progress is None:
        progress = SkillProgress(young_person_id=profile.user_id, skill_id=skill.id, step=new)
        db.session.add(progress)
    else:
        progress.step = new
    progress.updated_at = now_utc()
    event = SkillEvent(
        young_person_id=profile.user_id,
        skill_id=skill.id,
        from_step=current,
        to_step=new,
        actor_id=actor.id,
        actor_role=Role(actor.role),
        note=note,
        idempotency_key=idempotency_key,
    )
    db.session.add(event)
    audit.record(
        "skill_step",
        actor_id=actor.id,
        young_person_id=profile.user_id,
        detail={"skill": skill.id, "to": new.value},
    )
    return Outcome(event, repeated=False)


def _same_change(
    earlier: SkillEvent, young_person_id: int, skill_id: int, step: str, note: str | None
) -> bool:
    return (
        earlier.young_person_id == young_person_id
        and earlier.skill_id == skill_id
        and earlier.to_step.value == step
        and earlier.note == note
    )


def lives_with_carer(profile: YoungPersonProfile, today: date) -> bool:
    return any(arrangement.holds_on(today) for arrangement in profile.living_arrangements)


def latest_event(young_person_id: int, skill_id: int) -> SkillEvent | None:
    """The last step anyone took on this skill, with who took it."""
    return db.session.scalar(
        select(SkillEvent)
        .options(joinedload(SkillEvent.actor))
        .where(SkillEvent.young_person_id == young_person_id, SkillEvent.skill_id == skill_id)
        .order_by(SkillEvent.id.desc())
        .limit(1)
    )


class ConcurrentChange(Exception):
    """Someone else changed the same skill at the same moment; theirs was saved first."""


def save_change() -> None:
    """Writes a step change now, so that a lost race is known here (not when the request
    ends): it becomes ConcurrentChange, and the caller rolls back."""
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError):
        raise ConcurrentChange() from None


def queue_query(worker_id: int, today: date):
    """Skills waiting for this worker's sign-off, across their current caseload, oldest
    first."""
    return (
        select(SkillProgress)
        .join(SkillProgress.skill)
        .join(YoungPersonProfile, YoungPersonProfile.user_id == SkillProgress.young_person_id)
        .join(Allocation, Allocation.young_person_id == SkillProgress.young_person_id)
        .options(contains_eager(SkillProgress.skill))
        .where(
            Allocation.worker_id == worker_id, Allocation.current_on(today), SkillProgress.step == Step.CAN_DO
        )
        .order_by(SkillProgress.updated_at, SkillProgress.id)
    )


class SkillProblem(Problem):
    """A rule about skills said no."""


def save_skill(
    skill: Skill | None,
    *,
    area: str,
    title: str,
    description: str,
    tip: str,
    starts_at_age: int,
    user_id: int,
    now: datetime,
) -> Skill:
    """Adds a skill (at the end of its area) or rewords one. Progress stays with the skill."""
    if area not in AREAS:
        raise SkillProblem("bad_area")
    if not SKILL_AGES[0] <= starts_at_age <= SKILL_AGES[1]:
        raise SkillProblem("bad_age")
    if skill is None:
        skill = Skill(key=f"{area}_{uuid.uuid4().hex[:8]}")
        db.session.add(skill)
    ordered_content.put_in_area(skill, area)
    skill.title, skill.description, skill.tip = (
        title.strip(),
        description.strip(),
        tip.strip(),
    )
    skill.starts_at_age, skill.updated_by_id, skill.updated_at = starts_at_age, user_id, now
    db.session.flush()
    audit.record("skill_saved", actor_id=user_id, detail={"skill": skill.id})
    return skill


def move_skill(skill: Skill, step: int, *, user_id: int) -> None:
    """Swaps a skill with its neighbour in the same area (-1 up, +1 down)."""
    ordered_content.move_in_area(skill, step)
    audit.record("skill_changed", actor_id=user_id, detail={"skill": skill.id, "change": "moved", "by": step})


def retire_skill(skill: Skill, user_id: int, now: datetime) -> None:
    """Takes a skill out of the passport; young people's progress on it is kept."""
    ordered_content.retire(skill, user_id, now)
    audit.record("skill_changed", actor_id=user_id, detail={"skill": skill.id, "change": "retire"})


PRACTISE_FIRST = {Step.SENT_BACK: 0, Step.LEARNING: 1, Step.NOT_STARTED: 2}


def practise_next(
    areas: list[AreaSummary], progress: dict[int, SkillProgress], how_many: int = 5
) -> list[Skill]:
    """The skills a carer could practise next: ones sent back, then ones being learnt, then
    new ones, easiest (youngest starting age) first."""
    candidates = []
    for area in areas:
        for skill in area.skills:
            step = progress[skill.id].step if skill.id in progress else Step.NOT_STARTED
            if step in PRACTISE_FIRST:
                candidates.append(
                    (PRACTISE_FIRST[step], skill.starts_at_age, skill.area, skill.position, skill)
                )
    return [entry[-1] for entry in sorted(candidates, key=lambda e: e[:4])[:how_many]]
