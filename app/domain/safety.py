"""Who hears "I don't feel safe", and what happens until someone acts (DESIGN.md, "Nobody
unheard").

The rule, in order:

1. The young person's allocated social worker and personal adviser always get the alert,
   working or not: it is their case, and they will see it when they are back.
2. When an allocated worker is away, the person they named to cover for them gets it too;
   a team they named is told in the same way.
3. When none of the allocated workers is working right now (away, outside their hours, a
   bank holiday in England), the duty team gets it at once in the duty team's hours, and
   the out-of-hours team at any other time (evenings, nights, weekends, bank holidays). A
   young person with no worker at all reaches duty or out of hours in the same way.
4. An alert nobody has acknowledged is escalated every `after` (15 minutes by default): to
   the duty or out-of-hours team if they were not told already, then to the team managers,
   then to the service managers. A rung that would tell nobody new is skipped.

Mutes, "turn off reminders" and quiet hours never apply to an alert: nothing here reads
them, and app.domain.reminders never holds or mutes Reason.URGENT_ALERT.

Nothing here reads a request, the database or the clock: the facts and "now" come in as
arguments, so every case is tested on its own (tests/test_safety_rules.py).
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from app.domain.problems import Problem
from app.domain.roles import AllocationKind
from app.domain.working_days import ENGLAND
from app.timeutil import LONDON

ESCALATE_AFTER = timedelta(minutes=15)
# What one alert keeps; the page counts as they type (an alert is never refused for it).
MAX_ALERT_LENGTH = 20_000
MAX_OUTCOME_NOTE_LENGTH = 4000
WEEKDAYS = (0, 1, 2, 3, 4)


class TeamKind(StrEnum):
    CASEWORK = "casework"  # social workers' and personal advisers' own teams
    DUTY = "duty"  # takes urgent work in working hours
    OUT_OF_HOURS = "out_of_hours"  # evenings, nights, weekends and bank holidays


class Because(StrEnum):
    """Why someone was told about an alert."""

    SOCIAL_WORKER = "social_worker"
    PERSONAL_ADVISER = "personal_adviser"
    COVER = "cover"  # named by an away worker to cover for them
    DUTY = "duty"
    OUT_OF_HOURS = "out_of_hours"
    TEAM_MANAGER = "team_manager"
    SERVICE_MANAGER = "service_manager"
    NEW_WORKER = "new_worker"  # allocated after the alert was raised


BECAUSE_OF_KIND = {
    AllocationKind.SOCIAL_WORKER: Because.SOCIAL_WORKER,
    AllocationKind.PERSONAL_ADVISER: Because.PERSONAL_ADVISER,
}


class NotWorking(StrEnum):
    """Why an allocated worker is not working at a moment."""

    AWAY = "away"
    BANK_HOLIDAY = "bank_holiday"
    DAY_OFF = "day_off"  # not one of their working days
    OUT_OF_HOURS = "out_of_hours"  # one of their days, but before or after their hours


class AlertState(StrEnum):
    OPEN = "open"  # nobody has said "I've got this" yet
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


class Outcome(StrEnum):
    """What was done, recorded when an alert is closed."""

    SPOKE_TO_YOUNG_PERSON = "spoke_to_young_person"
    VISITED = "visited"
    STRATEGY_DISCUSSION = "strategy_discussion"
    POLICE_CALLED = "police_called"
    REFERRED = "referred"
    OTHER = "other"


class EventKind(StrEnum):
    RAISED = "raised"
    TOLD = "told"  # people told when it was raised
    ESCALATED = "escalated"
    SEEN = "seen"
    ACKNOWLEDGED = "acknowledged"
    NOTE = "note"
    WROTE = "wrote"  # wrote to the young person, in their conversation
    WORKER_CHANGED = "worker_changed"
    CLOSED = "closed"


# Anyone may be chosen as "whoever is there" on the young person's page.
ANYONE = "anyone"


@dataclass(frozen=True)
class Hours:
    """Working hours: on `days` (0 is Monday) from `starts` until (not including) `ends`,
    never on a bank holiday in England."""

    days: frozenset[int] = frozenset(WEEKDAYS)
    starts: time = time(9, 0)
    ends: time = time(17, 0)

    def why_not(self, moment: datetime, bank_holidays: Container[date] = ENGLAND) -> NotWorking | None:
        """None if these hours cover `moment` (an aware datetime), else why not."""
        local = moment.astimezone(LONDON)
        if local.date() in bank_holidays:
            return NotWorking.BANK_HOLIDAY
        if local.weekday() not in self.days:
            return NotWorking.DAY_OFF
        if not self.starts <= local.time().replace(tzinfo=None) < self.ends:
            return NotWorking.OUT_OF_HOURS
        return None

    def covers(self, moment: datetime, bank_holidays: Container[date] = ENGLAND) -> bool:
        return self.why_not(moment, bank_holidays) is None


class HoursProblem(Problem):
    """A rule about working hours said no."""


def check_hours(days: Iterable[int], starts: time | None, ends: time | None) -> Hours:
    """Working hours as someone typed them: at least one day, and a start before the end.
    Raises HoursProblem("no_days" | "no_times" | "ends_before_starts")."""
    chosen = frozenset(d for d in days if 0 <= d <= 6)
    if not chosen:
        raise HoursProblem("no_days")
    if starts is None or ends is None:
        raise HoursProblem("no_times")
    if not starts < ends:
        raise HoursProblem("ends_before_starts")
    return Hours(chosen, starts, ends)


def day_runs(days: Iterable[int]) -> list[tuple[int, int]]:
    """Days as runs of days in a row, Monday first, so they read well in words:
    {0, 1, 2, 3} is [(0, 3)] ("Monday to Thursday"); {0, 2} is [(0, 0), (2, 2)]. A run
    over the weekend wraps round: {5, 6, 0} is [(5, 0)] ("Saturday to Monday")."""
    chosen = sorted({d for d in days if 0 <= d <= 6})
    if len(chosen) == 7:
        return [(0, 6)]
    runs: list[tuple[int, int]] = []
    for day in chosen:
        if runs and day == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == 6:
        monday_on = runs.pop(0)
        runs[-1] = (runs[-1][0], monday_on[1])
    return runs


def days_from_text(text: str | None) -> frozenset[int]:
    """Working days as stored ("01234" is Monday to Friday)."""
    return frozenset(int(c) for c in (text or "") if c in "0123456")


def days_to_text(days: Iterable[int]) -> str:
    return "".join(str(d) for d in sorted(set(days)) if 0 <= d <= 6)


@dataclass(frozen=True)
class Away:
    """A worker away from `starts_on` to `until` (both included), with who covers."""

    until: date
    starts_on: date | None = None
    cover_user_id: int | None = None
    cover_name: str | None = None  # the person's or the team's name, for the young person

    def on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and day <= self.until


def not_working_at(
    moment: datetime, hours: Hours, away: Away | None = None, bank_holidays: Container[date] = ENGLAND
) -> NotWorking | None:
    """None if someone with these hours and this away period (if any) works at `moment` (an
    aware datetime), else why not. The one rule for "is this worker at work then?", used for
    urgent alerts and for the times a young person may ask to talk."""
    if away is not None and away.on(moment.astimezone(LONDON).date()):
        return NotWorking.AWAY
    return hours.why_not(moment, bank_holidays)


class AwayProblem(Problem):
    """A rule about time away said no."""


def check_away(until: date | None, starts_on: date | None, has_cover: bool, today: date) -> None:
    """An away period needs a last day that has not passed, a first day no later than the
    last, and someone to contact instead. Raises AwayProblem("until_past" | "starts_after_until"
    | "no_cover"). No `until` means "not away", which needs nothing else."""
    if until is None:
        return
    if until < today:
        raise AwayProblem("until_past")
    if starts_on is not None and starts_on > until:
        raise AwayProblem("starts_after_until")
    if not has_cover:
        raise AwayProblem("no_cover")


@dataclass(frozen=True)
class Worker:
    """An allocated social worker or personal adviser, with what decides if they work now."""

    user_id: int
    name: str
    kind: AllocationKind
    hours: Hours = field(default_factory=Hours)
    away: Away | None = None
    team_manager_id: int | None = None
    cover_team_members: tuple[int, ...] = ()  # members of the team named while away

    def why_not_working(
        self, moment: datetime, bank_holidays: Container[date] = ENGLAND
    ) -> NotWorking | None:
        return not_working_at(moment, self.hours, self.away, bank_holidays)


@dataclass(frozen=True)
class Team:
    """The duty or out-of-hours team: who is in it, and who manages it."""

    id: int
    name: str
    kind: TeamKind
    members: tuple[int, ...] = ()
    manager_id: int | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Cover:
    """The council's cover: the duty team in `duty_hours`, the out-of-hours team otherwise,
    and the service managers at the top of the ladder."""

    duty: Team | None = None
    out_of_hours: Team | None = None
    duty_hours: Hours = field(default_factory=Hours)
    service_managers: tuple[int, ...] = ()

    def team_on(self, moment: datetime, bank_holidays: Container[date] = ENGLAND) -> Team | None:
        """The team answering now; the other one if that team has nobody in it."""
        first, second = (
            (self.duty, self.out_of_hours)
            if self.duty_hours.covers(moment, bank_holidays)
            else (self.out_of_hours, self.duty)
        )
        for team in (first, second):
            if team is not None and team.members:
                return team
        return None


class TeamProblem(Problem):
    """A rule about teams said no."""


# The council has one duty team and one out-of-hours team at most: the rule above sends an
# alert to "the" duty team, so a second one would never hear of anything.
ONE_ONLY = frozenset({TeamKind.DUTY, TeamKind.OUT_OF_HOURS})


def check_team(name: str, kind: TeamKind, others: Iterable[tuple[str, TeamKind]]) -> str:
    """A team's name, tidied, if it may be saved beside the `others` (every other team, as
    name and kind). Names are unique whatever their capitals. Raises TeamProblem("no_name" |
    "name_taken" | "second_duty" | "second_out_of_hours")."""
    tidy = " ".join((name or "").split())
    if not tidy:
        raise TeamProblem("no_name")
    others = list(others)
    if any(other.casefold() == tidy.casefold() for other, _kind in others):
        raise TeamProblem("name_taken")
    if kind in ONE_ONLY and any(other_kind is kind for _name, other_kind in others):
        raise TeamProblem(f"second_{kind.value}")
    return tidy


@dataclass(frozen=True)
class Told:
    user_id: int
    because: Because


@dataclass(frozen=True)
class Absent:
    """An allocated worker who is not working right now, and why (told to the young person)."""

    worker: Worker
    why: NotWorking


@dataclass(frozen=True)
class Routing:
    """Who is told when the alert is raised, and what the young person is told.

    `working` are the allocated workers working now (named to the young person); `absent`
    the ones who are not, with why; `team` the duty or out-of-hours team told at once
    because nobody allocated is working (None when someone is)."""

    told: tuple[Told, ...]
    working: tuple[Worker, ...]
    absent: tuple[Absent, ...]
    team: Team | None

    @property
    def told_ids(self) -> frozenset[int]:
        return frozenset(t.user_id for t in self.told)

    @property
    def reaches_someone_now(self) -> bool:
        return bool(self.working) or self.team is not None


def _add(told: list[Told], user_id: int | None, because: Because) -> None:
    if user_id is not None and all(t.user_id != user_id for t in told):
        told.append(Told(user_id, because))


def route(
    workers: Iterable[Worker],
    cover: Cover,
    now: datetime,
    *,
    chosen: AllocationKind | None = None,
    bank_holidays: Container[date] = ENGLAND,
) -> Routing:
    """Who hears an alert raised at `now` (the rule at the top of this module).

    `chosen` is the worker the young person picked (None: "whoever is there"). The chosen
    worker is named first; the other allocated worker is told as well, because an alert is
    never kept from the people whose case it is."""
    allocated = sorted(
        workers, key=lambda w: (w.kind is not chosen, w.kind is not AllocationKind.SOCIAL_WORKER)
    )
    told: list[Told] = []
    working: list[Worker] = []
    absent: list[Absent] = []
    for worker in allocated:
        _add(told, worker.user_id, BECAUSE_OF_KIND[worker.kind])
        why = worker.why_not_working(now, bank_holidays)
        if why is None:
            working.append(worker)
            continue
        absent.append(Absent(worker, why))
    team = None
    if not working:
        team = cover.team_on(now, bank_holidays)
        if team is not None:
            because = Because.DUTY if team.kind is TeamKind.DUTY else Because.OUT_OF_HOURS
            for member in team.members:
                _add(told, member, because)
    if not working and team is None:
        # Nobody in duty or out of hours at all: the service managers, at once.
        for manager in cover.service_managers:
            _add(told, manager, Because.SERVICE_MANAGER)
    # Whoever an away worker named to cover for them (after the teams, so someone who is
    # both is told as the duty or out-of-hours team).
    for gone in absent:
        if gone.why is NotWorking.AWAY and gone.worker.away is not None:
            _add(told, gone.worker.away.cover_user_id, Because.COVER)
            for member in gone.worker.cover_team_members:
                _add(told, member, Because.COVER)
    return Routing(tuple(told), tuple(working), tuple(absent), team)


def ladder(workers: Iterable[Worker], cover: Cover, now: datetime, bank_holidays=ENGLAND) -> list[list[Told]]:
    """The rungs of escalation at `now`: the team on duty now, then the team managers (of
    the allocated workers, or of that team when nobody is allocated), then the service
    managers."""
    workers = list(workers)
    team = cover.team_on(now, bank_holidays)
    rung_team: list[Told] = []
    if team is not None:
        because = Because.DUTY if team.kind is TeamKind.DUTY else Because.OUT_OF_HOURS
        rung_team = [Told(m, because) for m in team.members]
    managers: list[Told] = []
    for worker in workers:
        _add(managers, worker.team_manager_id, Because.TEAM_MANAGER)
    if not managers and team is not None:
        _add(managers, team.manager_id, Because.TEAM_MANAGER)
    return [
        rung_team,
        managers,
        [Told(m, Because.SERVICE_MANAGER) for m in cover.service_managers],
    ]


@dataclass(frozen=True)
class Escalation:
    """One step up the ladder: who to tell, the rung reached, and when to look again (None:
    the top was reached, nothing more to do)."""

    told: tuple[Told, ...]
    level: int
    next_at: datetime | None


def escalate(
    *,
    state: AlertState,
    level: int,
    next_at: datetime | None,
    already_told: Container[int],
    rungs: list[list[Told]],
    now: datetime,
    after: timedelta = ESCALATE_AFTER,
) -> Escalation | None:
    """The next step for an alert, if one is due at `now`. Only an alert nobody has
    acknowledged escalates. `level` is how many rungs were climbed so far; a rung that would
    tell nobody new is passed over, so every step tells someone."""
    if state is not AlertState.OPEN or next_at is None or now < next_at:
        return None
    for index in range(level, len(rungs)):
        new = tuple(t for t in rungs[index] if t.user_id not in already_told)
        if new:
            more_above = any(any(t.user_id not in already_told for t in rung) for rung in rungs[index + 1 :])
            return Escalation(new, index + 1, now + after if more_above else None)
    return Escalation((), len(rungs), None)


class AlertProblem(Problem):
    """A rule about urgent alerts said no."""


@dataclass(frozen=True)
class AlertWords:
    """What the young person wrote, as it is kept. `cut` counts the characters past
    MAX_ALERT_LENGTH that were not kept (the young person is told); almost always 0."""

    text: str
    place: str | None
    cut: int = 0


def alert_words(body: str | None, place: str | None, max_place: int = 200) -> AlertWords:
    """An alert is never refused for its words: a frightened young person who writes a lot
    is still heard at once. Empty is allowed (they may not want to say). A place too long
    for its box is kept at the top of the words instead; words past MAX_ALERT_LENGTH are
    not kept, and `cut` says how many, so the page can tell them."""
    text = (body or "").strip()
    where = (place or "").strip() or None
    if where is not None and len(where) > max_place:
        text = f"{where}\n\n{text}".strip()
        where = None
    cut = max(len(text) - MAX_ALERT_LENGTH, 0)
    return AlertWords(text[:MAX_ALERT_LENGTH], where, cut)


def check_close(outcome: str | None, note: str | None, state: AlertState) -> tuple[Outcome, str]:
    """Closing needs an outcome and a note. Raises AlertProblem("closed_already" |
    "no_outcome" | "no_note" | "note_too_long")."""
    if state is AlertState.CLOSED:
        raise AlertProblem("closed_already")
    try:
        chosen = Outcome(outcome or "")
    except ValueError:
        raise AlertProblem("no_outcome") from None
    text = (note or "").strip()
    if not text:
        raise AlertProblem("no_note")
    if len(text) > MAX_OUTCOME_NOTE_LENGTH:
        raise AlertProblem("note_too_long")
    return chosen, text


def may_see_alert(
    actor_id: int,
    *,
    is_service_manager: bool,
    told: Container[int],
    current_workers: Container[int],
    team_managers: Container[int],
) -> bool:
    """An alert is part of the safeguarding record: the people told about it, the young
    person's current workers, their team managers and the service managers may see it (and
    act on it). Nobody else."""
    return is_service_manager or actor_id in told or actor_id in current_workers or actor_id in team_managers
