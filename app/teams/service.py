"""Teams and cover: the queries and changes behind the manager's teams and cover pages.
The rules (one duty team, hours that make sense) are in app.domain.safety; callers commit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import audit
from app.domain.roles import WORKER_ROLES, Role
from app.domain.safety import Hours, TeamKind, check_hours, check_team, days_to_text
from app.extensions import db
from app.models import Team, User

# Who can be in a team: workers and the people who manage them.
TEAM_ROLES = frozenset({*WORKER_ROLES, Role.TEAM_MANAGER, Role.MANAGER})
# Who can manage a team.
MANAGER_ROLES = (Role.TEAM_MANAGER, Role.MANAGER, *sorted(WORKER_ROLES))


@dataclass
class TeamRow:
    """A team with its members, for the pages."""

    team: Team
    members: list[User] = field(default_factory=list)


def teams_with_members() -> list[TeamRow]:
    """Every team by name, each with its active members by name, in two queries."""
    teams = db.session.scalars(
        select(Team).options(joinedload(Team.manager)).order_by(func.lower(Team.name), Team.id)
    ).all()
    members: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(
        select(User)
        .where(User.team_id.is_not(None), User.is_active.is_(True))
        .order_by(func.lower(User.full_name), User.id)
    ):
        if user.team_id is not None:  # always: the query asks for members of a team
            members[user.team_id].append(user)
    return [TeamRow(team, members.get(team.id, [])) for team in teams]


def team_of_kind(rows: list[TeamRow], kind: TeamKind) -> TeamRow | None:
    return next((row for row in rows if row.team.kind is kind), None)


def possible_managers(current: int | None = None) -> list[tuple[int, str]]:
    """Active team managers, managers and workers by name (and the present manager even if
    their account was closed, so saving the form does not drop them unasked)."""
    rows = db.session.execute(
        select(User.id, User.full_name)
        .where((User.role.in_(MANAGER_ROLES) & User.is_active.is_(True)) | (User.id == (current or 0)))
        .order_by(func.lower(User.full_name), User.id)
    )
    return [(uid, name) for uid, name in rows]


def all_teams() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Team.id, Team.name).order_by(func.lower(Team.name), Team.id))
    return [(tid, name) for tid, name in rows]


def other_teams(team_id: int | None) -> list[tuple[str, TeamKind]]:
    """Every team but this one, as (name, kind), for app.domain.safety.check_team."""
    query = select(Team.name, Team.kind)
    if team_id is not None:
        query = query.where(Team.id != team_id)
    return [(name, kind) for name, kind in db.session.execute(query)]


def save_team(
    team: Team,
    *,
    name: str,
    kind: TeamKind,
    manager_id: int | None,
    phone: str | None,
    days: list[int] | None,
    opens_at: time | None,
    closes_at: time | None,
    actor_id: int,
) -> Team:
    """Checks and writes a team's details, now (a name saved twice at the same moment, or a
    team changed meanwhile, raises here), audited. The duty team's days and hours are
    checked and kept; other teams keep theirs as they were (the out-of-hours team answers
    whenever the duty team does not). Raises TeamProblem or HoursProblem."""
    is_new = team.id is None
    tidy = check_team(name, kind, other_teams(team.id))
    hours: Hours | None = None
    if kind is TeamKind.DUTY:
        hours = check_hours(days or [], opens_at, closes_at)
    team.name = tidy
    team.kind = kind
    team.manager_id = manager_id or None
    team.phone = (phone or "").strip() or None
    if hours is not None:
        team.days = days_to_text(hours.days)
        team.opens_at, team.closes_at = hours.starts, hours.ends
    db.session.add(team)
    db.session.flush()
    audit.record(
        "team_created" if is_new else "team_changed_details",
        actor_id=actor_id,
        detail={"team_id": team.id, "name": team.name, "kind": team.kind.value},
    )
    return team


def move_to_team(person: User, team: Team | None, *, actor_id: int) -> bool:
    """Puts `person` in `team` (None: in no team), audited. False if nothing changed."""
    before = person.team_id
    after = team.id if team is not None else None
    if before == after:
        return False
    person.team_id = after
    audit.record(
        "team_changed",
        actor_id=actor_id,
        detail={"user_id": person.id, "from_team_id": before, "to_team_id": after},
    )
    return True


def has_members(team_id: int) -> bool:
    return (
        db.session.scalar(select(User.id).where(User.team_id == team_id, User.is_active.is_(True)).limit(1))
        is not None
    )


def service_managers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.MANAGER, User.is_active.is_(True))
            .order_by(func.lower(User.full_name))
        )
    )
