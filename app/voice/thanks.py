"""Thank yous: a young person or carer thanks a member of staff or a team."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.complaints import (
    MAX_TEAM_NAME,
    MAX_TEXT,
    ComplaintProblem,
)
from app.domain.roles import Role
from app.extensions import db
from app.models import (
    Compliment,
    User,
)

# Compliments -----------------------------------------------------------------------------


def thank(sender_id: int, *, to_user_id: int | None, to_team: str | None, message: str | None) -> Compliment:
    message, to_team = (message or "").strip(), (to_team or "").strip()
    if not to_user_id and not to_team:
        raise ComplaintProblem("needs_recipient")
    if not message:
        raise ComplaintProblem("needs_message")
    if len(message) > MAX_TEXT or len(to_team) > MAX_TEAM_NAME:
        raise ComplaintProblem("too_long")
    compliment = Compliment(
        from_id=sender_id, to_user_id=to_user_id or None, to_team=to_team, message=message
    )
    db.session.add(compliment)
    return compliment


def thanks_for(user_id: int) -> list[Compliment]:
    return list(
        db.session.scalars(
            select(Compliment)
            .where(Compliment.to_user_id == user_id)
            .options(joinedload(Compliment.sender).joinedload(User.profile))
            .order_by(Compliment.id.desc())
        )
    )


THANKABLE_ROLES = (
    Role.CARER,
    Role.SOCIAL_WORKER,
    Role.PERSONAL_ADVISER,
    Role.COMPLAINTS_OFFICER,
    Role.TEAM_MANAGER,
    Role.MANAGER,
)


def staff_to_thank(exclude_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(THANKABLE_ROLES), User.is_active.is_(True), User.id != exclude_id)
            .order_by(User.full_name)
        )
    )
