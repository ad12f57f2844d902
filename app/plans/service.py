"""Plans: drafts that workers write and publish; published versions never change; young
people add "what I think" to the current version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.domain.plans import (
    MAX_TEXT_LENGTH,
    PlanKind,
    PlanProblem,
    check_action,
    check_publish,
    plan_kind_for,
    sections_for,
)
from app.domain.promise import VersionState
from app.extensions import db
from app.models import (
    PlanAction,
    PlanDraftChange,
    PlanReceipt,
    PlanSection,
    PlanVersion,
    PlanView,
    YoungPersonProfile,
)


def _full():
    return (
        selectinload(PlanVersion.sections).selectinload(PlanSection.actions),
        selectinload(PlanVersion.sections).selectinload(PlanSection.views),
    )


def published(young_person_id: int) -> list[PlanVersion]:
    """Every published version, newest first (without their sections)."""
    return list(
        db.session.scalars(
            select(PlanVersion)
            .where(
                PlanVersion.young_person_id == young_person_id, PlanVersion.state == VersionState.PUBLISHED
            )
            .order_by(PlanVersion.number.desc())
        )
    )


def version(young_person_id: int, number: int | None = None) -> PlanVersion | None:
    """A published version by number, or the current (newest) one."""
    query = select(PlanVersion).where(
        PlanVersion.young_person_id == young_person_id, PlanVersion.state == VersionState.PUBLISHED
    )
    query = query.where(PlanVersion.number == number) if number else query.order_by(PlanVersion.number.desc())
    return db.session.scalar(query.options(*_full()).limit(1))


def latest_number(young_person_id: int) -> tuple[int | None, int]:
    """The id and number of the newest published version (None, 0 when there is none)."""
    row = db.session.execute(
        select(PlanVersion.id, PlanVersion.number)
        .where(PlanVersion.young_person_id == young_person_id, PlanVersion.state == VersionState.PUBLISHED)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    ).first()
    if row is None or row.number is None:  # a published version always has its number
        return None, 0
    return row.id, row.number


def draft(young_person_id: int) -> PlanVersion | None:
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.young_person_id == young_person_id, PlanVersion.state == VersionState.DRAFT)
        .options(*_full())
    )


def start_draft(profile: YoungPersonProfile, worker_id: int, today: date) -> PlanVersion:
    """The young person's draft; a new one copies the current version (text and actions,
    not the young person's views), or starts blank."""
    existing = draft(profile.user_id)
    if existing is not None:
        return existing
    kind = plan_kind_for(profile.date_of_birth, profile.care_status, today)
    base = version(profile.user_id)
    new = PlanVersion(
        young_person_id=profile.user_id,
        kind=kind,
        state=VersionState.DRAFT,
        based_on_id=base.id if base else None,
        created_by_id=worker_id,
    )
    copied = {s.key: s for s in base.sections} if base and base.kind is kind else {}
    for position, key in enumerate(sections_for(kind), start=1):
        old = copied.get(key)
        new.sections.append(
            PlanSection(
                key=key,
                position=position,
                text=old.text if old else "",
                actions=[
                    PlanAction(position=a.position, what=a.what, who=a.who, by_when=a.by_when)
                    for a in (old.actions if old else [])
                ],
            )
        )
    db.session.add(new)
    db.session.flush()
    return new


def _editable(plan: PlanVersion, lock_version: int) -> None:
    if plan.state is not VersionState.DRAFT:
        raise PlanProblem("already_published")
    if plan.lock_version != lock_version:
        raise PlanProblem("changed_meanwhile")


def _section(plan: PlanVersion, section_id: int) -> PlanSection:
    section = next((s for s in plan.sections if s.id == section_id), None)
    if section is None:
        raise PlanProblem("no_such_section")
    return section


def _touched(plan: PlanVersion, now: datetime, actor_id: int) -> None:
    plan.updated_at = now  # moves the lock version on, so a second editor is told
    audit.record("plan_draft_changed", actor_id=actor_id, young_person_id=plan.young_person_id)


def draft_changes(plan: PlanVersion) -> list[PlanDraftChange]:
    """The draft's history, newest first."""
    return list(
        db.session.scalars(
            select(PlanDraftChange)
            .options(joinedload(PlanDraftChange.actor))
            .where(PlanDraftChange.plan_version_id == plan.id)
            .order_by(PlanDraftChange.id.desc())
        )
    )


def _record(plan: PlanVersion, section_id: int, kind: str, before, after, actor_id: int, now) -> None:
    db.session.add(
        PlanDraftChange(
            plan_version_id=plan.id,
            section_id=section_id,
            kind=kind,
            before=before,
            after=after,
            actor_id=actor_id,
            created_at=now,
        )
    )


def _action_text(action: PlanAction) -> str:
    when = action.by_when.isoformat() if action.by_when else ""
    return " | ".join(part for part in (action.what, action.who, when) if part)


def save_section(
    plan: PlanVersion, lock_version: int, section_id: int, text: str, now: datetime, *, actor_id: int
) -> None:
    """Saves one section's words in the draft (see save_sections)."""
    save_sections(plan, lock_version, {section_id: text}, now, actor_id=actor_id)


def save_sections(
    plan: PlanVersion, lock_version: int, texts: dict[int, str], now: datetime, *, actor_id: int
) -> None:
    """Saves the words of several sections of the draft at once (everything the worker
    typed on the page, whichever Save they pressed); what a section said before goes into
    the draft's history. All or nothing: one problem and no section changes."""
    _editable(plan, lock_version)
    if any(len(text) > MAX_TEXT_LENGTH for text in texts.values()):
        raise PlanProblem("too_long")
    sections = {section_id: _section(plan, section_id) for section_id in texts}
    for section_id, text in texts.items():
        section = sections[section_id]
        new = text.strip()
        if new != section.text:
            _record(plan, section_id, "text", section.text, new, actor_id, now)
            section.text = new
    _touched(plan, now, actor_id)


def add_action(
    plan: PlanVersion,
    lock_version: int,
    section_id: int,
    *,
    what: str,
    who: str,
    by_when: date | None,
    today: date,
    now: datetime,
    actor_id: int,
) -> PlanAction:
    _editable(plan, lock_version)
    section = _section(plan, section_id)
    check_action(what, who, by_when, today)
    action = PlanAction(
        position=len(section.actions) + 1, what=what.strip(), who=who.strip(), by_when=by_when
    )
    section.actions.append(action)
    _record(plan, section_id, "action_added", None, _action_text(action), actor_id, now)
    _touched(plan, now, actor_id)
    return action


def remove_action(
    plan: PlanVersion, lock_version: int, action_id: int, now: datetime, *, actor_id: int
) -> None:
    """Takes an action out of the draft (published versions keep theirs); the draft's
    history keeps what it said."""
    _editable(plan, lock_version)
    for section in plan.sections:
        for action in section.actions:
            if action.id == action_id:
                _record(plan, section.id, "action_removed", _action_text(action), None, actor_id, now)
                section.actions.remove(action)
                _touched(plan, now, actor_id)
                return
    raise PlanProblem("no_such_action")


def publish(plan: PlanVersion, lock_version: int, worker_id: int, now: datetime) -> None:
    """Publishes the draft as the next version. Raises PlanProblem("newer_version") if
    someone published since this draft began; the draft is kept either way."""
    _editable(plan, lock_version)
    latest_id, latest = latest_number(plan.young_person_id)
    check_publish(plan.based_on_id, latest_id)
    if not any(s.text.strip() or s.actions for s in plan.sections):
        raise PlanProblem("empty")
    plan.state = VersionState.PUBLISHED
    plan.number = latest + 1
    plan.published_at = now
    plan.published_by_id = worker_id
    audit.record(
        "plan_published",
        actor_id=worker_id,
        young_person_id=plan.young_person_id,
        detail={"number": plan.number},
    )


def rebase_draft(plan: PlanVersion, lock_version: int, now: datetime, *, actor_id: int) -> None:
    """After being told of a newer version: keep this draft's words but mark it as based on
    the newest version, so it can be published after the worker has checked it."""
    _editable(plan, lock_version)
    latest_id, _ = latest_number(plan.young_person_id)
    plan.based_on_id = latest_id
    _touched(plan, now, actor_id)


def add_view(plan: PlanVersion, section_id: int, young_person_id: int, text: str) -> PlanView:
    """The young person's "what I think" on a section of the current version."""
    current_id, _ = latest_number(young_person_id)
    if plan.young_person_id != young_person_id or plan.id != current_id:
        raise PlanProblem("not_current")
    text = text.strip()
    if not text:
        raise PlanProblem("empty_view")
    if len(text) > MAX_TEXT_LENGTH:
        raise PlanProblem("too_long")
    view = PlanView(section=_section(plan, section_id), author_id=young_person_id, text=text)
    db.session.add(view)
    return view


def mark_seen(plan: PlanVersion, young_person_id: int) -> None:
    if not db.session.scalar(
        select(PlanReceipt.id).where(
            PlanReceipt.plan_id == plan.id, PlanReceipt.young_person_id == young_person_id
        )
    ):
        db.session.add(PlanReceipt(plan_id=plan.id, young_person_id=young_person_id))


def has_unseen_plan(young_person_id: int) -> bool:
    latest_id, _ = latest_number(young_person_id)
    if latest_id is None:
        return False
    return not db.session.scalar(
        select(func.count())
        .select_from(PlanReceipt)
        .where(PlanReceipt.plan_id == latest_id, PlanReceipt.young_person_id == young_person_id)
    )


def last_published_on(young_person_ids: list[int]) -> dict[int, datetime]:
    """When each young person's current plan was published, in one query."""
    if not young_person_ids:
        return {}
    rows = db.session.execute(
        select(PlanVersion.young_person_id, func.max(PlanVersion.published_at))
        .where(PlanVersion.young_person_id.in_(young_person_ids), PlanVersion.state == VersionState.PUBLISHED)
        .group_by(PlanVersion.young_person_id)
    )
    return {young_person_id: at for young_person_id, at in rows if at is not None}


__all__ = ["PlanKind", "PlanProblem"]
