"""Complaints in the database: drafts, sending, reading, the officer's steps and the
manager's counts. The rules are in app.domain.complaints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.domain.complaints import (
    MAX_ABOUT_WHO,
    MAX_TEXT,
    AdvocacyStatus,
    ComplaintProblem,
    EventKind,
    Stage,
    Status,
    Timeliness,
    check_extension,
    due_on,
    escalation_window_ends,
    is_late_request,
    next_step,
    reference,
    timeliness,
)
from app.domain.policy import Actor, may_see_complaint
from app.extensions import db
from app.models import (
    AdvocacyRequest,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    Compliment,
    User,
    YoungPersonProfile,
)
from app.people import relationships
from app.voice.advocacy import ask_for_advocate

DRAFT_FIELDS = ("what_happened", "put_right", "about_who", "wants_advocate")
DRAFT_LIMITS = {"what_happened": MAX_TEXT, "put_right": MAX_TEXT, "about_who": MAX_ABOUT_WHO}


# Drafts ----------------------------------------------------------------------------------


def draft(author_id: int, young_person_id: int) -> ComplaintDraft | None:
    return db.session.scalar(
        select(ComplaintDraft).where(
            ComplaintDraft.author_id == author_id, ComplaintDraft.young_person_id == young_person_id
        )
    )


def save_draft(
    author_id: int, young_person_id: int, lock_version: int | None, values: dict, now: datetime
) -> ComplaintDraft:
    """Keeps what someone has typed so far. Raises ComplaintProblem("changed_meanwhile")
    when the draft was saved from another tab since this page was opened."""
    saved = draft(author_id, young_person_id)
    if saved is None:
        saved = ComplaintDraft(author_id=author_id, young_person_id=young_person_id)
        db.session.add(saved)
    elif lock_version is not None and saved.lock_version != lock_version:
        raise ComplaintProblem("changed_meanwhile")
    for name in DRAFT_FIELDS:
        value = (values.get(name) or "").strip()
        if name == "wants_advocate":
            # A choice, not words: anything else is not an answer yet.
            value = value if value in ("yes", "no") else ""
        elif len(value) > DRAFT_LIMITS[name]:
            raise ComplaintProblem("too_long")
        setattr(saved, name, value)
    saved.updated_at = now
    db.session.flush()
    return saved


# Sending ---------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"NC-{year}-"
    last = db.session.scalar(
        select(func.max(Complaint.reference)).where(Complaint.reference.like(f"{prefix}%"))
    )
    return reference(year, int(last[len(prefix) :]) + 1 if last else 1)


def send(
    profile: YoungPersonProfile,
    author: User,
    *,
    what_happened: str,
    put_right: str,
    about_who: str,
    wants_advocate: bool,
    today: date,
) -> Complaint:
    """Sends a complaint: Stage 1 starts today, the draft goes, and an advocacy request is
    made if they asked for one. Raises ComplaintProblem("empty", "too_long")."""
    what_happened, put_right = (what_happened or "").strip(), (put_right or "").strip()
    if not what_happened or not put_right:
        raise ComplaintProblem("empty")
    about_who = (about_who or "").strip()
    if len(what_happened) > MAX_TEXT or len(put_right) > MAX_TEXT or len(about_who) > MAX_ABOUT_WHO:
        raise ComplaintProblem("too_long")
    complaint = None
    for _attempt in range(3):  # two complaints sent at once may pick the same number
        complaint = Complaint(
            reference=_next_reference(today.year),
            young_person_id=profile.user_id,
            raised_by_id=author.id,
            on_behalf=author.id != profile.user_id,
            what_happened=what_happened,
            put_right=put_right,
            about_who=about_who,
            wants_advocate=wants_advocate,
            stage=Stage.LOCAL_RESOLUTION,
            status=Status.OPEN,
            received_on=today,
            stage_started_on=today,
            due_on=due_on(Stage.LOCAL_RESOLUTION, today),
        )
        try:
            with db.session.begin_nested():
                db.session.add(complaint)
                db.session.flush()
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three clashes in a row
        raise ComplaintProblem("try_again")
    db.session.add(
        ComplaintEvent(
            complaint=complaint,
            kind=EventKind.RECEIVED,
            stage=Stage.LOCAL_RESOLUTION,
            actor_id=author.id,
            actor_role=author.role,
            due_on=complaint.due_on,
        )
    )
    if wants_advocate:
        ask_for_advocate(profile.user_id, author.id, "", today, complaint=complaint)
    saved = draft(author.id, profile.user_id)
    if saved is not None:
        db.session.delete(saved)
    audit.record(
        "complaint_sent",
        actor_id=author.id,
        young_person_id=profile.user_id,
        detail={"reference": complaint.reference, "on_behalf": complaint.on_behalf},
    )
    return complaint


# Reading ---------------------------------------------------------------------------------


def get(complaint_id: int) -> Complaint | None:
    return db.session.scalar(
        select(Complaint)
        .where(Complaint.id == complaint_id)
        .options(
            selectinload(Complaint.events).joinedload(ComplaintEvent.actor),
            selectinload(Complaint.events).joinedload(ComplaintEvent.shared_with),
            joinedload(Complaint.raised_by),
        )
    )


def for_young_person(young_person_id: int) -> list[Complaint]:
    return list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.young_person_id == young_person_id)
            .order_by(Complaint.id.desc())
        )
    )


def shared_ids(complaint: Complaint) -> list[int]:
    return [e.shared_with_id for e in complaint.events if e.kind is EventKind.SHARED and e.shared_with_id]


def shared_with(worker: Actor, today: date) -> list[Complaint]:
    """Complaints the officer shared with this worker that they may still read today: the
    same rule as each complaint's page (policy.may_see_complaint), so a complaint about a
    young person who has left their caseload is not listed."""
    shared = select(ComplaintEvent.complaint_id).where(
        ComplaintEvent.kind == EventKind.SHARED, ComplaintEvent.shared_with_id == worker.id
    )
    rows = list(
        db.session.scalars(
            select(Complaint)
            .where(Complaint.id.in_(shared))
            .options(joinedload(Complaint.young_person))
            .order_by(Complaint.id.desc())
        )
    )
    subjects = relationships.subjects(c.young_person_id for c in rows)
    return [c for c in rows if may_see_complaint(worker, subjects.get(c.young_person_id), [worker.id], today)]


@dataclass(frozen=True)
class Row:
    complaint: Complaint
    timeliness: Timeliness | None  # None once closed or withdrawn


def status_of(complaint: Complaint, today: date) -> Timeliness | None:
    if complaint.status in (Status.CLOSED, Status.WITHDRAWN):
        return None
    if complaint.status is Status.OPEN:
        return timeliness(complaint.due_on, today)
    return timeliness(complaint.due_on, today, answered_on=complaint.answered_on)


def officer_list(today: date) -> list[Row]:
    """Every complaint for the officer: the ones still being worked first, soonest due
    first; then finished ones, newest first."""
    complaints = db.session.scalars(
        select(Complaint).options(joinedload(Complaint.young_person)).order_by(Complaint.id.desc())
    ).all()
    live = [c for c in complaints if c.status not in (Status.CLOSED, Status.WITHDRAWN)]
    done = [c for c in complaints if c.status in (Status.CLOSED, Status.WITHDRAWN)]
    live.sort(key=lambda c: (not c.late_request, c.status is not Status.ESCALATION_REQUESTED, c.due_on))
    return [Row(c, status_of(c, today)) for c in live + done]


def next_stage_by(complaint: Complaint) -> date | None:
    """The last day to ask for the next stage within the 20 working days."""
    if complaint.answered_on is None or complaint.stage >= Stage.REVIEW_PANEL:
        return None
    return escalation_window_ends(complaint.answered_on)


# The steps -------------------------------------------------------------------------------


def step(
    complaint: Complaint,
    kind: EventKind,
    actor: User,
    today: date,
    now: datetime,
    *,
    lock_version: int,
    note: str = "",
    extra_days: int = 0,
    to_stage: int | None = None,
    share_with: User | None = None,
) -> ComplaintEvent:
    """One of the officer's steps (or the young person asking for the next stage). Checks
    the order of steps and the lock version; appends the event; moves the complaint on.
    Raises ComplaintProblem with the reason when the step is refused."""
    kind = EventKind(kind)
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise ComplaintProblem("too_long")
    moved = next_step(
        kind,
        Stage(complaint.stage),
        complaint.status,
        acknowledged=complaint.acknowledged_on is not None,
        to_stage=to_stage,
    )
    if complaint.lock_version != lock_version:
        raise ComplaintProblem("changed_meanwhile")
    if kind in (EventKind.EXTENDED, EventKind.RESPONSE_SENT, EventKind.WITHDRAWN) and not note:
        raise ComplaintProblem(f"needs_note_{kind.value}")
    event = ComplaintEvent(
        complaint=complaint,
        kind=kind,
        stage=complaint.stage,
        actor_id=actor.id,
        actor_role=actor.role,
        note=note,
    )
    if kind is EventKind.ACKNOWLEDGED:
        complaint.acknowledged_on = today
    elif kind is EventKind.EXTENDED:
        complaint.extension_days = check_extension(
            Stage(complaint.stage), complaint.extension_days, extra_days
        )
        complaint.due_on = due_on(
            Stage(complaint.stage), complaint.stage_started_on, complaint.extension_days
        )
    elif kind is EventKind.RESPONSE_SENT:
        complaint.answered_on = today
        event.on_time = today <= complaint.due_on
    elif kind is EventKind.ESCALATION_REQUESTED:
        complaint.escalation_requested_on = today
        # Asked only after an answer (next_step), so answered_on is set.
        complaint.late_request = event.flagged = complaint.answered_on is not None and is_late_request(
            complaint.answered_on, today
        )
    elif kind is EventKind.ESCALATED:
        started = complaint.escalation_requested_on or today
        complaint.stage = moved.stage
        complaint.stage_started_on = started
        complaint.extension_days = 0
        complaint.due_on = due_on(moved.stage, started)
        complaint.acknowledged_on = complaint.answered_on = complaint.escalation_requested_on = None
        complaint.late_request = False
        event.stage = moved.stage
    elif kind is EventKind.SHARED:
        if share_with is None:
            raise ComplaintProblem("choose_worker")
        event.shared_with_id = share_with.id
    complaint.status = moved.status
    complaint.updated_at = now
    event.due_on = complaint.due_on
    db.session.add(event)
    db.session.flush()
    audit.record(
        f"complaint_{kind.value}",
        actor_id=actor.id,
        young_person_id=complaint.young_person_id,
        detail={"reference": complaint.reference},
    )
    return event


# Counts for the manager ------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    by_month: list[tuple[str, dict[int, int]]]  # ("2026-11", {stage: complaints started})
    answered: dict[int, tuple[int, int]]  # stage: (answers sent, on time)
    open_by_stage: dict[int, int]
    advocacy_requests: int
    advocacy_allocated: int
    compliments: int


def counts() -> Counts:
    """Counts only, never a name: complaints started at each stage by month, answers on
    time, advocacy requests and allocations, compliments."""
    started = db.session.execute(
        select(ComplaintEvent.stage, ComplaintEvent.created_at).where(
            ComplaintEvent.kind.in_([EventKind.RECEIVED, EventKind.ESCALATED])
        )
    ).all()
    months: dict[str, Counter] = {}
    for stage, created in started:
        months.setdefault(created.strftime("%Y-%m"), Counter())[stage] += 1
    answered = {int(s): (0, 0) for s in Stage}
    for stage, on_time, total in db.session.execute(
        select(ComplaintEvent.stage, ComplaintEvent.on_time, func.count())
        .where(ComplaintEvent.kind == EventKind.RESPONSE_SENT)
        .group_by(ComplaintEvent.stage, ComplaintEvent.on_time)
    ):
        sent, in_time = answered[stage]
        answered[stage] = (sent + total, in_time + (total if on_time else 0))
    open_rows = db.session.execute(
        select(Complaint.stage, func.count())
        .where(Complaint.status.not_in([Status.CLOSED, Status.WITHDRAWN]))
        .group_by(Complaint.stage)
    ).all()
    advocacy = dict(
        db.session.execute(
            select(AdvocacyRequest.status, func.count()).group_by(AdvocacyRequest.status)
        ).all()
    )
    return Counts(
        by_month=[(month, dict(months[month])) for month in sorted(months, reverse=True)],
        answered=answered,
        open_by_stage={int(s): dict(open_rows).get(int(s), 0) for s in Stage},
        advocacy_requests=sum(advocacy.values()),
        advocacy_allocated=advocacy.get(AdvocacyStatus.ALLOCATED, 0),
        compliments=db.session.scalar(select(func.count()).select_from(Compliment)) or 0,
    )
