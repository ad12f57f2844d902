"""The bridge between a request and the access policy: who is asking, which young person,
and a quiet 404 (with a loud audit event) when the answer is no."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn

from flask import abort, request
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit
from app.domain.policy import Action, Actor, Period, Subject, may
from app.domain.roles import Role
from app.extensions import db
from app.models import Allocation, LivingArrangement, User, YoungPersonProfile
from app.timeutil import london_today


def current_actor() -> Actor | None:
    if not current_user.is_authenticated:
        return None
    return Actor(id=current_user.id, role=current_user.role)


def subject_of(profile: YoungPersonProfile) -> Subject:
    return Subject(
        young_person_id=profile.user_id,
        carers=tuple(Period(a.carer_id, a.starts_on, a.ends_on) for a in profile.living_arrangements),
        workers=tuple(Period(a.worker_id, a.starts_on, a.ends_on, a.kind) for a in profile.allocations),
    )


def load_profile(young_person_id: int) -> YoungPersonProfile | None:
    """The young person's profile with everything the policy needs to answer about them."""
    return db.session.scalars(
        select(YoungPersonProfile)
        .where(YoungPersonProfile.user_id == young_person_id)
        .options(
            joinedload(YoungPersonProfile.user),
            selectinload(YoungPersonProfile.living_arrangements).joinedload(LivingArrangement.carer),
            selectinload(YoungPersonProfile.allocations).joinedload(Allocation.worker),
        )
    ).one_or_none()


def young_person_or_404(young_person_id: int, action: Action) -> YoungPersonProfile:
    """The young person's profile if the signed-in person may do `action` for them today.
    Otherwise 404, whether or not the young person exists, and a refusal in the audit log.
    Every allowed look by someone other than the young person is audited too."""
    actor = current_actor()
    profile = load_profile(young_person_id)
    subject = subject_of(profile) if profile is not None else None
    allowed = may(actor, action, subject, london_today())
    return allowed_or_404(allowed, action.value, profile, asked_for=young_person_id)


def allowed_or_404(
    allowed: bool, action: str, profile: YoungPersonProfile | None, *, asked_for: int
) -> YoungPersonProfile:
    """Turns a rule's answer into the profile, or a quiet 404 with a loud audit event.
    `asked_for` is what the URL named (a young person, or a record of theirs)."""
    actor = current_actor()
    if not allowed or profile is None or actor is None:
        audit.refused(
            action,
            actor_id=actor.id if actor else None,
            young_person_id=profile.user_id if profile is not None else None,
            asked_for=asked_for,
        )
        abort(404)
    if actor.role != Role.YOUNG_PERSON:
        looked(action, profile.user_id)
    return profile


def looked(action: str, young_person_id: int) -> None:
    """Someone other than the young person was let in to their records. A page looked at
    is recorded as viewed, with the page; a change as what the policy let them do (the
    service that made the change records what it was). Kept only if the request is."""
    actor = current_actor()
    if actor is None or actor.role == Role.YOUNG_PERSON:
        return
    page = {"page": request.endpoint}
    what = "viewed" if request.method in ("GET", "HEAD") else action
    audit.record(what, actor_id=actor.id, young_person_id=young_person_id, detail=page)


def refuse(action: str, *, asked_for: object = None, young_person_id: int | None = None) -> NoReturn:
    """The one way a request is refused: a loud audit event, then the same quiet 404 as a
    missing page (so it never says whether the record exists)."""
    actor = current_actor()
    audit.refused(
        action, actor_id=actor.id if actor else None, young_person_id=young_person_id, asked_for=asked_for
    )
    abort(404)


def roles_required(*roles: Role) -> Callable:
    """Signed in, and in one of `roles`; anyone else gets the same 404 as a missing page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                audit.refused(
                    "role_required",
                    actor_id=current_user.id,
                    roles=sorted(roles),
                    asked_for=kwargs.get("young_person_id") or kwargs.get("user_id"),
                )
                abort(404)
            return view(*args, **kwargs)

        # Read by the access-matrix test; mypy does not follow attributes set on a function.
        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


# The manager's pages, in every feature that has them.
manager_only = roles_required(Role.MANAGER)
