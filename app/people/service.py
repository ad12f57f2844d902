"""Creating accounts."""

from __future__ import annotations

from datetime import date, datetime

from app import audit
from app.domain.roles import CareStatus, Role
from app.extensions import db
from app.models import User, YoungPersonProfile


def create_user(username: str, full_name: str, role: Role) -> User:
    """A new account with no password yet: the person chooses one with an activation code."""
    user = User(username=username.strip().lower(), full_name=full_name.strip(), role=role)
    db.session.add(user)
    return user


def create_young_person(
    username: str,
    full_name: str,
    preferred_name: str,
    date_of_birth: date,
    care_status: CareStatus,
) -> YoungPersonProfile:
    user = create_user(username, full_name, Role.YOUNG_PERSON)
    profile = YoungPersonProfile(
        user=user,
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        care_status=care_status,
    )
    db.session.add(profile)
    db.session.flush()
    return profile


def first_code(user: User, by: User, now: datetime) -> str:
    """The activation code of a new account, shown once to whoever made it; making the
    account is audited here, once for every way an account is made."""
    from app.auth.accounts import issue_activation_code

    code = issue_activation_code(user, by, now)
    audit.record(
        "account_created",
        actor_id=by.id,
        young_person_id=user.id if user.role is Role.YOUNG_PERSON else None,
        detail={"user_id": user.id},
    )
    return code


def same_young_person(full_name: str, preferred_name: str, date_of_birth: date) -> list[User]:
    """Young people already here born the same day with the same full or preferred name
    (ignoring case and spaces): most likely the same child added twice."""
    from sqlalchemy import func, select

    def key(text: str) -> str:
        return " ".join((text or "").split()).casefold()

    rows = db.session.scalars(
        select(User)
        .join(YoungPersonProfile, YoungPersonProfile.user_id == User.id)
        .where(YoungPersonProfile.date_of_birth == date_of_birth)
        .order_by(func.lower(User.full_name))
    ).all()
    names = {key(full_name), key(preferred_name)} - {""}
    return [u for u in rows if {key(u.full_name), key(u.display_name)} & names]
