"""Votes in the database: creating, suggesting, voting, counting and adopting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import audit, unit_of_work
from app.domain.problems import Problem
from app.domain.roles import Role
from app.domain.votes import MAX_OPTION_LENGTH, Phase, may_take_part, phase, winners
from app.extensions import db
from app.models import Ballot, Vote, VoteOption
from app.passport.service import set_name

PASSPORT_NAME = "passport_name"


class VoteProblem(Problem):
    """A rule about votes said no."""


def create(
    *,
    question: str,
    about: str,
    options: list[str],
    voters: list[str],
    suggestions_close_at,
    closes_at: datetime,
    user_id: int,
    now: datetime,
) -> Vote:
    labels = _unique(options)
    if closes_at <= now:
        raise VoteProblem("closes_in_past")
    if suggestions_close_at is not None and not (now < suggestions_close_at < closes_at):
        raise VoteProblem("bad_suggestion_dates")
    if suggestions_close_at is None and len(labels) < 2:
        raise VoteProblem("needs_options")
    if not voters:
        raise VoteProblem("needs_voters")
    vote = Vote(
        question=question.strip(),
        about=about,
        voters=sorted(voters),
        closes_at=closes_at,
        suggestions_close_at=suggestions_close_at,
        created_by_id=user_id,
    )
    vote.options = [VoteOption(label=label) for label in labels]
    db.session.add(vote)
    db.session.flush()  # its id is the page it is shown on
    audit.record("vote_created", actor_id=user_id, detail={"vote": vote.id})
    return vote


def _unique(labels: list[str]) -> list[str]:
    seen, result = set(), []
    for label in (raw.strip() for raw in labels):
        if label and label.lower() not in seen:
            if len(label) > MAX_OPTION_LENGTH:
                raise VoteProblem("option_too_long")
            seen.add(label.lower())
            result.append(label)
    return result


def get(vote_id: int) -> Vote | None:
    return db.session.scalar(select(Vote).where(Vote.id == vote_id).options(selectinload(Vote.options)))


def all_votes() -> list[Vote]:
    return list(db.session.scalars(select(Vote).order_by(Vote.closes_at.desc())))


def for_role(role: Role) -> list[Vote]:
    return [v for v in all_votes() if may_take_part(role, v.voters)]


def phase_of(vote: Vote, now: datetime) -> Phase:
    return phase(vote.suggestions_close_at, vote.closes_at, now)


def suggest(vote: Vote, label: str, user_id: int, role: Role, now: datetime) -> VoteOption:
    if not may_take_part(role, vote.voters):
        raise VoteProblem("not_for_you")
    if phase_of(vote, now) is not Phase.SUGGESTING:
        raise VoteProblem("not_suggesting")
    labels = _unique([label])
    if not labels:
        raise VoteProblem("empty_suggestion")
    if labels[0].lower() in {o.label.lower() for o in vote.options}:
        raise VoteProblem("already_suggested")
    option = VoteOption(vote=vote, label=labels[0], suggested_by_id=user_id)
    db.session.add(option)
    return option


def my_ballot(vote_id: int, user_id: int) -> Ballot | None:
    return db.session.scalar(select(Ballot).where(Ballot.vote_id == vote_id, Ballot.voter_id == user_id))


def cast(vote: Vote, option_id: int, user_id: int, role: Role, now: datetime) -> Ballot:
    """One ballot per person; voting again before the close changes it."""
    if not may_take_part(role, vote.voters):
        raise VoteProblem("not_for_you")
    current = phase_of(vote, now)
    if current is Phase.CLOSED:
        raise VoteProblem("closed")
    if current is Phase.SUGGESTING:
        raise VoteProblem("not_yet")
    if option_id not in {o.id for o in vote.options}:
        raise VoteProblem("no_such_option")
    ballot = my_ballot(vote.id, user_id)
    if ballot is None:
        ballot = Ballot(vote_id=vote.id, voter_id=user_id, option_id=option_id)
        db.session.add(ballot)
    ballot.option_id, ballot.updated_at = option_id, now
    audit.record("vote_cast", actor_id=user_id, detail={"vote": vote.id})
    return ballot


def save_ballot() -> None:
    """Two first votes by one person at the same moment: the second is told, not counted."""
    try:
        db.session.flush()
    except IntegrityError:
        unit_of_work.discard()
        raise VoteProblem("already_voted") from None


def counts(vote: Vote) -> dict[int, int]:
    rows = db.session.execute(
        select(Ballot.option_id, func.count()).where(Ballot.vote_id == vote.id).group_by(Ballot.option_id)
    )
    found = dict(rows.all())
    return {option.id: found.get(option.id, 0) for option in vote.options}


def close_now(vote: Vote, now: datetime, *, user_id: int) -> None:
    if phase_of(vote, now) is not Phase.CLOSED:
        vote.closes_at = now
        if vote.suggestions_close_at and vote.suggestions_close_at > now:
            vote.suggestions_close_at = now
    audit.record("vote_managed", actor_id=user_id, detail={"vote": vote.id, "done": "closed"})


def adopt(vote: Vote, option_id: int, user_id: int, now: datetime) -> VoteOption:
    """Adopts a winning option (the manager chooses between options that tie). For the
    passport's name, the name changes everywhere from now on."""
    if phase_of(vote, now) is not Phase.CLOSED:
        raise VoteProblem("still_open")
    if option_id not in winners(counts(vote)):
        raise VoteProblem("not_a_winner")
    option = next(o for o in vote.options if o.id == option_id)
    vote.adopted_option_id, vote.adopted_at = option.id, now
    if vote.about == PASSPORT_NAME:
        set_name(option.label, user_id, now)
    audit.record("vote_managed", actor_id=user_id, detail={"vote": vote.id, "done": "adopted"})
    return option
