"""Alerts in the database: reading the facts the rule needs (app.domain.safety), raising an
alert, escalating it, taking it on and closing it. Every change adds an event; nothing is
ever deleted. Functions take the people and the time as arguments; callers commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.domain import reminders as reminder_rules
from app.domain import safety as rules
from app.domain.messages import MessageKind
from app.domain.reminders import Candidate, Reason
from app.domain.roles import AllocationKind, Role
from app.domain.safety import (
    AlertProblem,
    AlertState,
    Because,
    EventKind,
    Routing,
    TeamKind,
    Told,
)
from app.extensions import db
from app.models import (
    Allocation,
    Message,
    MessageThread,
    SafetyAlert,
    SafetyAlertEvent,
    SafetyAlertRecipient,
    StaffCard,
    Team,
    User,
    YoungPersonProfile,
)
from app.timeutil import london_date

# Told because of an allocation: they keep seeing the alert only while it is their case.
ALLOCATED = frozenset({Because.SOCIAL_WORKER, Because.PERSONAL_ADVISER, Because.NEW_WORKER})


# The facts --------------------------------------------------------------------------------


def _members(team_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    ids = set(team_ids)
    found: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for user_id, team_id in db.session.execute(
            select(User.id, User.team_id).where(User.team_id.in_(ids), User.is_active).order_by(User.id)
        ):
            if team_id is not None:  # always: the query asks for these teams
                found[team_id].append(user_id)
    return {i: tuple(m) for i, m in found.items()}


def workers_for(young_person_id: int, today: date) -> list[rules.Worker]:
    """The young person's allocated workers today, with their hours, away periods and
    team managers, in three queries."""
    rows = db.session.execute(
        select(Allocation.kind, User, Team.manager_id)
        .join(User, Allocation.worker_id == User.id)
        .outerjoin(Team, User.team_id == Team.id)
        .where(Allocation.young_person_id == young_person_id, Allocation.current_on(today), User.is_active)
        .order_by(Allocation.kind.desc())
    ).all()
    if not rows:
        return []
    cards = {
        c.user_id: c
        for c in db.session.scalars(
            select(StaffCard)
            .options(joinedload(StaffCard.away_cover_user), joinedload(StaffCard.away_cover_team))
            .where(StaffCard.user_id.in_([u.id for _, u, _m in rows]))
        )
    }
    cover_teams = _members(c.away_cover_team_id for c in cards.values() if c.away_cover_team_id)
    workers = []
    for kind, user, manager_id in rows:
        card = cards.get(user.id)
        workers.append(
            rules.Worker(
                user_id=user.id,
                name=user.full_name,
                kind=kind,
                # Without a card: the council's usual hours, and not away.
                hours=card.hours if card else rules.Hours(),
                away=card.away if card else None,
                team_manager_id=manager_id,
                cover_team_members=cover_teams.get(card.away_cover_team_id, ())
                if card and card.away_cover_team_id
                else (),
            )
        )
    return workers


def cover_teams() -> dict[TeamKind, Team]:
    """The duty and out-of-hours teams (the first of each, if the council made two)."""
    found: dict[TeamKind, Team] = {}
    for team in db.session.scalars(
        select(Team).where(Team.kind.in_([TeamKind.DUTY, TeamKind.OUT_OF_HOURS])).order_by(Team.id)
    ):
        found.setdefault(team.kind, team)
    return found


def cover_now() -> rules.Cover:
    teams = cover_teams()
    members = _members(t.id for t in teams.values())

    def fact(kind: TeamKind) -> rules.Team | None:
        team = teams.get(kind)
        if team is None:
            return None
        return rules.Team(team.id, team.name, kind, members.get(team.id, ()), team.manager_id, team.phone)

    duty = teams.get(TeamKind.DUTY)
    duty_hours = duty.hours if duty else rules.Hours()
    managers = db.session.scalars(
        select(User.id).where(User.role == Role.MANAGER, User.is_active).order_by(User.id)
    ).all()
    return rules.Cover(fact(TeamKind.DUTY), fact(TeamKind.OUT_OF_HOURS), duty_hours, tuple(managers))


def out_of_hours_phone(default: str) -> str:
    """The number young people ring when the office is closed: the out-of-hours team's, as
    the manager set it, or the council's configured one."""
    team = cover_teams().get(TeamKind.OUT_OF_HOURS)
    return (team.phone if team is not None and team.phone else None) or default


def preview(young_person_id: int, now: datetime, chosen: AllocationKind | None = None) -> Routing:
    """Who would be told if the young person sent an alert now."""
    return rules.route(workers_for(young_person_id, london_date(now)), cover_now(), now, chosen=chosen)


# Raising ----------------------------------------------------------------------------------


def summary(routing: Routing) -> dict:
    """What the young person is told, kept with the alert so the page after sending says
    what was true when they sent it."""
    return {
        "working": [{"name": w.name, "kind": w.kind.value} for w in routing.working],
        "absent": [
            {
                "name": a.worker.name,
                "kind": a.worker.kind.value,
                "why": a.why.value,
                "until": a.worker.away.until.isoformat()
                if a.why is rules.NotWorking.AWAY and a.worker.away
                else None,
                "cover": a.worker.away.cover_name if a.worker.away else None,
            }
            for a in routing.absent
        ],
        "team": routing.team.name if routing.team else None,
        "team_kind": routing.team.kind.value if routing.team else None,
        "managers": not routing.reaches_someone_now,
    }


def _conversation_kind(routing: Routing, workers: list[rules.Worker], chosen) -> AllocationKind | None:
    """The conversation the alert is also posted in: the chosen worker's, else the first
    one working now, else the social worker's."""
    kinds = [w.kind for w in workers]
    if chosen in kinds:
        return chosen
    if routing.working:
        return routing.working[0].kind
    return kinds[0] if kinds else None


def raise_alert(
    profile: YoungPersonProfile,
    young_person: User,
    body: str | None,
    place: str | None,
    now: datetime,
    *,
    chosen: AllocationKind | None = None,
    escalate_after: timedelta = rules.ESCALATE_AFTER,
) -> tuple[SafetyAlert, Routing]:
    """Raises an alert: routes it (app.domain.safety.route), posts it in the young person's
    conversation when they have a worker, tells everyone in the routing (notification
    centre, push, and SMS or email where configured) and sets the first escalation.
    Never refused for what the young person wrote (app.domain.safety.alert_words)."""
    from app.contact import service as contact

    words = rules.alert_words(body, place)
    text, where = words.text, words.place
    workers = workers_for(profile.user_id, london_date(now))
    routing = rules.route(workers, cover_now(), now, chosen=chosen)
    thread = message = None
    kind = _conversation_kind(routing, workers, chosen)
    if kind is not None:
        thread = contact.open_thread(profile.user_id, young_person, kind, now)
        message = contact.send(thread, young_person, text, now, kind=MessageKind.NOT_SAFE, place=where)
    alert = SafetyAlert(
        young_person_id=profile.user_id,
        thread_id=thread.id if thread else None,
        body=text,
        place=where,
        raised_at=now,
        state=AlertState.OPEN,
        level=0,
        next_escalation_at=now + escalate_after,
    )
    db.session.add(alert)
    db.session.flush()
    if message is not None:
        alert.message_id = message.id
    _event(
        alert,
        EventKind.RAISED,
        young_person.id,
        now,
        detail={"chosen": chosen.value if chosen else None, "cut": words.cut},
    )
    _tell(alert, routing.told, now, EventKind.TOLD, extra=summary(routing))
    _audit("not_safe_sent", alert, young_person.id)
    return alert, routing


def _audit(action: str, alert: SafetyAlert, actor_id: int) -> None:
    audit.record(action, actor_id=actor_id, young_person_id=alert.young_person_id, detail={"alert": alert.id})


def _event(alert: SafetyAlert, kind: EventKind, actor_id: int | None, now: datetime, **fields) -> None:
    # Appended (not only added to the session) so a page drawn in the same request shows it.
    alert.events.append(SafetyAlertEvent(alert_id=alert.id, kind=kind, actor_id=actor_id, at=now, **fields))


def _tell(
    alert: SafetyAlert, told: Iterable[Told], now: datetime, kind: EventKind, *, actor_id=None, extra=None
) -> list[int]:
    """Adds recipients (each person once), an event naming them, and their notifications;
    returns who was new."""
    known = {r.user_id for r in alert.recipients}
    new = [t for t in told if t.user_id not in known]
    # Someone who opened it before they were told (a manager looking in) has seen it.
    looked = {e.actor_id: e.at for e in alert.events if e.kind is EventKind.SEEN}
    for t in new:
        alert.recipients.append(
            SafetyAlertRecipient(
                alert_id=alert.id,
                user_id=t.user_id,
                because=t.because,
                told_at=now,
                seen_at=looked.get(t.user_id),
            )
        )
    names = dict(
        db.session.execute(select(User.id, User.full_name).where(User.id.in_([t.user_id for t in new]))).all()
    )
    detail = dict(extra or {})
    detail["told"] = [
        {"id": t.user_id, "name": names.get(t.user_id, ""), "because": t.because.value} for t in new
    ]
    if new or kind is EventKind.TOLD:
        _event(alert, kind, actor_id, now, detail=detail)
    _notify(alert, [t.user_id for t in new], now)
    return [t.user_id for t in new]


def _notify(alert: SafetyAlert, user_ids: list[int], now: datetime) -> list[int]:
    """The notification centre, a push to every device (sent within seconds by the sender,
    or by the next `reminders send-due`) and an SMS or email where Notify is set up. Never
    muted, never held (app.domain.reminders.NEVER_HELD)."""
    if not user_ids:
        return []

    from app.safety import notify

    candidates = [
        Candidate(uid, Reason.URGENT_ALERT, f"alert:{alert.id}", alert.young_person_id, f"/alerts/{alert.id}")
        for uid in user_ids
    ]
    created = _record(candidates, now)
    notify.queue_for(created, now)
    return created


def _record(candidates: list[Candidate], now: datetime) -> list[int]:
    """Records notifications and queues their pushes, as part of this unit of work."""
    from app.push import service as push

    due = reminder_rules.decide(candidates, push.recipients(c.person_id for c in candidates), now)
    return push.record(due, now)


# Escalating -------------------------------------------------------------------------------


def escalate_due(now: datetime, after: timedelta = rules.ESCALATE_AFTER) -> int:
    """Takes every open alert whose next escalation is due one rung up the ladder. Rows
    are locked (SKIP LOCKED on PostgreSQL) so two runners never escalate the same alert
    twice. Returns how many alerts moved."""
    alerts = db.session.scalars(
        select(SafetyAlert)
        .where(SafetyAlert.state == AlertState.OPEN, SafetyAlert.next_escalation_at <= now)
        .order_by(SafetyAlert.next_escalation_at)
        .with_for_update(skip_locked=True)
    ).all()
    if not alerts:
        return 0
    cover = cover_now()
    today = london_date(now)
    moved = 0
    for alert in alerts:
        rungs = rules.ladder(workers_for(alert.young_person_id, today), cover, now)
        step = rules.escalate(
            state=alert.state,
            level=alert.level,
            next_at=alert.next_escalation_at,
            already_told={r.user_id for r in alert.recipients},
            rungs=rungs,
            now=now,
            after=after,
        )
        if step is None:
            continue
        alert.level, alert.next_escalation_at = step.level, step.next_at
        _tell(alert, step.told, now, EventKind.ESCALATED, extra={"level": step.level})
        moved += 1
    return moved


# Acting -----------------------------------------------------------------------------------


def acknowledge(alert: SafetyAlert, user: User, now: datetime) -> None:
    """ "I've got this": the others see who and when, and escalation stops. Raises
    AlertProblem("taken_already" | "closed_already")."""
    if alert.state is AlertState.CLOSED:
        raise AlertProblem("closed_already")
    if alert.state is AlertState.ACKNOWLEDGED:
        raise AlertProblem("taken_already")
    alert.state = AlertState.ACKNOWLEDGED
    alert.acknowledged_by_id, alert.acknowledged_at = user.id, now
    alert.next_escalation_at = None
    _event(alert, EventKind.ACKNOWLEDGED, user.id, now)
    _audit("alert_acknowledged", alert, user.id)
    # The young person hears that someone is on it (the page says who; a push says only
    # "You have something new" unless they chose to show details).
    _record(
        [
            Candidate(
                alert.young_person_id,
                Reason.ALERT_TAKEN_ON,
                f"alert:{alert.id}",
                alert.young_person_id,
                "/not-safe/sent",
            )
        ],
        now,
    )


def write_to_young_person(alert: SafetyAlert, user: User, body: str | None, now: datetime) -> None:
    """Whoever may act on the alert can write to the young person in the conversation it
    was posted in, and they read it there. Raises AlertProblem("no_conversation") when
    there is none (no worker), or MessageProblem for the words."""
    from app.contact import service as contact

    thread = db.session.get(MessageThread, alert.thread_id) if alert.thread_id else None
    if thread is None:
        raise AlertProblem("no_conversation")
    message = contact.send(thread, user, body, now)
    db.session.flush()
    _event(alert, EventKind.WROTE, user.id, now, note=message.body, detail={"message": message.id})
    _audit("alert_wrote", alert, user.id)


def add_note(alert: SafetyAlert, user: User, note: str | None, now: datetime) -> None:
    text = (note or "").strip()
    if not text:
        raise AlertProblem("no_note")
    if len(text) > rules.MAX_OUTCOME_NOTE_LENGTH:
        raise AlertProblem("note_too_long")
    _event(alert, EventKind.NOTE, user.id, now, note=text)
    _audit("alert_note_added", alert, user.id)


def close(alert: SafetyAlert, user: User, outcome: str | None, note: str | None, now: datetime) -> None:
    """Closes the alert with what was done. An alert nobody took on is taken on by whoever
    closes it. Raises AlertProblem (app.domain.safety.check_close)."""
    chosen, text = rules.check_close(outcome, note, alert.state)
    if alert.state is AlertState.OPEN:
        acknowledge(alert, user, now)
    alert.state = AlertState.CLOSED
    alert.closed_by_id, alert.closed_at = user.id, now
    alert.outcome, alert.outcome_note = chosen, text
    alert.next_escalation_at = None
    _event(alert, EventKind.CLOSED, user.id, now, note=text, detail={"outcome": chosen.value})
    _audit("alert_closed", alert, user.id)
    if alert.thread_id is not None:
        still_open = db.session.scalar(
            select(
                exists().where(
                    SafetyAlert.thread_id == alert.thread_id,
                    SafetyAlert.id != alert.id,
                    SafetyAlert.state != AlertState.CLOSED,
                )
            )
        )
        if not still_open:
            thread = db.session.get(MessageThread, alert.thread_id)
            if thread is not None:
                thread.urgent = False


def mark_seen(alert: SafetyAlert, user: User, now: datetime) -> bool:
    """Notes the first time each member of staff opens the alert (the young person is told
    who has seen it). Returns True the first time. Every look is audited."""
    _audit("view_alert", alert, user.id)
    told = next((r for r in alert.recipients if r.user_id == user.id), None)
    if told is not None and told.seen_at is None:
        told.seen_at = now
        # Their message reads as read in their conversation, as on "what is happening".
        if alert.message_id is not None:
            db.session.execute(
                update(Message)
                .where(Message.id == alert.message_id, Message.read_at.is_(None))
                .values(read_at=now, read_by_id=user.id)
            )
    if any(e.kind is EventKind.SEEN and e.actor_id == user.id for e in alert.events):
        return False
    _event(alert, EventKind.SEEN, user.id, now)
    return True


def worker_changed(young_person_id: int, worker: User, kind: AllocationKind, now: datetime) -> None:
    """A new worker sees the young person's alerts that are still open, and is told."""
    alerts = db.session.scalars(
        select(SafetyAlert)
        .options(selectinload(SafetyAlert.recipients))
        .where(SafetyAlert.young_person_id == young_person_id, SafetyAlert.state != AlertState.CLOSED)
    ).all()
    for alert in alerts:
        _tell(
            alert,
            [Told(worker.id, Because.NEW_WORKER)],
            now,
            EventKind.WORKER_CHANGED,
            extra={"kind": kind.value},
        )


# Who may see which alert ------------------------------------------------------------------


def _current_worker_ids(young_person_id: int, today: date) -> set[int]:
    return set(
        db.session.scalars(
            select(Allocation.worker_id).where(
                Allocation.young_person_id == young_person_id, Allocation.current_on(today)
            )
        )
    )


def _managers_of(user_ids: Iterable[int]) -> set[int]:
    ids = set(user_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Team.manager_id)
            .join(User, User.team_id == Team.id)
            .where(User.id.in_(ids), Team.manager_id.is_not(None))
        )
    )


def may_see(alert: SafetyAlert, user: User, today: date) -> bool:
    current = _current_worker_ids(alert.young_person_id, today)
    return rules.may_see_alert(
        user.id,
        is_service_manager=user.role is Role.MANAGER and user.is_active,
        told={r.user_id for r in alert.recipients if r.because not in ALLOCATED},
        current_workers=current,
        team_managers=_managers_of(current),
    )


def _visible_to(user: User, today: date):
    """The SQL form of may_see: alerts `user` may see today."""
    if user.role is Role.MANAGER:
        return SafetyAlert.id.is_not(None)
    told = exists().where(
        SafetyAlertRecipient.alert_id == SafetyAlert.id,
        SafetyAlertRecipient.user_id == user.id,
        SafetyAlertRecipient.because.not_in(list(ALLOCATED)),
    )
    allocated = exists().where(
        Allocation.young_person_id == SafetyAlert.young_person_id,
        Allocation.worker_id == user.id,
        Allocation.current_on(today),
    )
    managed_worker = (
        select(User.id)
        .join(Team, User.team_id == Team.id)
        .where(Team.manager_id == user.id)
        .scalar_subquery()
    )
    managed = exists().where(
        Allocation.young_person_id == SafetyAlert.young_person_id,
        Allocation.worker_id.in_(managed_worker),
        Allocation.current_on(today),
    )
    return or_(told, allocated, managed)


def visible_alerts(
    user: User, today: date, *, still_open: bool = True, limit: int = 200
) -> list[SafetyAlert]:
    """Alerts the person may see: open ones first (the oldest first, it has waited
    longest), or every one, newest first."""
    query = (
        select(SafetyAlert)
        .options(
            joinedload(SafetyAlert.young_person).joinedload(YoungPersonProfile.user),
            joinedload(SafetyAlert.acknowledged_by),
            selectinload(SafetyAlert.recipients),
        )
        .where(_visible_to(user, today))
    )
    if still_open:
        query = query.where(SafetyAlert.state != AlertState.CLOSED).order_by(
            SafetyAlert.state.desc(), SafetyAlert.raised_at
        )
    else:
        query = query.order_by(SafetyAlert.raised_at.desc())
    return list(db.session.scalars(query.limit(limit)).unique())


def open_alert_count(user: User, today: date) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(SafetyAlert)
        .where(SafetyAlert.state != AlertState.CLOSED, _visible_to(user, today))
    ).scalar_one()


@dataclass(frozen=True)
class Moved:
    """An alert still open whose young person now has a worker who was not told when it
    was raised: listed for the team manager."""

    alert: SafetyAlert
    new_workers: tuple[str, ...]


def moved_alerts(alerts: list[SafetyAlert], today: date) -> dict[int, tuple[str, ...]]:
    """For each alert, the names of current workers who were not among the first told."""
    if not alerts:
        return {}
    rows = db.session.execute(
        select(Allocation.young_person_id, User.id, User.full_name)
        .join(User, Allocation.worker_id == User.id)
        .where(
            Allocation.young_person_id.in_({a.young_person_id for a in alerts}), Allocation.current_on(today)
        )
    ).all()
    result = {}
    for alert in alerts:
        first = {r.user_id for r in alert.recipients if r.because is not Because.NEW_WORKER}
        names = tuple(name for yp, uid, name in rows if yp == alert.young_person_id and uid not in first)
        if names:
            result[alert.id] = names
    return result


def load(alert_id: int) -> SafetyAlert | None:
    return db.session.scalar(
        select(SafetyAlert)
        .options(
            joinedload(SafetyAlert.young_person).joinedload(YoungPersonProfile.user),
            selectinload(SafetyAlert.recipients).joinedload(SafetyAlertRecipient.user),
            selectinload(SafetyAlert.events).joinedload(SafetyAlertEvent.actor),
            joinedload(SafetyAlert.acknowledged_by),
            joinedload(SafetyAlert.closed_by),
        )
        .where(SafetyAlert.id == alert_id)
    )


def still_open_since(young_person_id: int) -> datetime | None:
    """When the young person's newest alert that is not closed yet was sent, if any."""
    return db.session.scalar(
        select(SafetyAlert.raised_at)
        .where(SafetyAlert.young_person_id == young_person_id, SafetyAlert.state != AlertState.CLOSED)
        .order_by(SafetyAlert.raised_at.desc())
        .limit(1)
    )


def alerts_of(young_person_id: int, limit: int = 10) -> list[SafetyAlert]:
    """A young person's own alerts, newest first (what they see about them)."""
    return list(
        db.session.scalars(
            select(SafetyAlert)
            .options(
                selectinload(SafetyAlert.events).joinedload(SafetyAlertEvent.actor),
                selectinload(SafetyAlert.recipients),
                joinedload(SafetyAlert.acknowledged_by),
            )
            .where(SafetyAlert.young_person_id == young_person_id)
            .order_by(SafetyAlert.raised_at.desc(), SafetyAlert.id.desc())
            .limit(limit)
        ).unique()
    )


def teams_managed_by(user_id: int) -> list[tuple[Team, list[User]]]:
    """The teams a team manager manages, with their members, in two queries."""
    teams = list(db.session.scalars(select(Team).where(Team.manager_id == user_id).order_by(Team.name)))
    if not teams:
        return []
    members: dict[int, list[User]] = {t.id: [] for t in teams}
    for user in db.session.scalars(
        select(User).where(User.team_id.in_(members), User.is_active).order_by(User.full_name)
    ):
        if user.team_id is not None:  # always: the query asks for these teams
            members[user.team_id].append(user)
    return [(t, members[t.id]) for t in teams]
