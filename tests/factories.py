"""Data the tests make in bulk: young people on a worker's caseload."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.roles import AllocationKind, CareStatus, Role
from app.extensions import db
from app.models import Allocation, User, YoungPersonProfile
from app.timeutil import london_today


def add_young_people(worker_id: int, how_many: int, start: int = 0, prefix: str = "yp") -> list[User]:
    """Young people allocated to the worker (as social worker) since ten days ago, named
    "Person 000" onwards. Call inside an app context; the caller commits."""
    users = []
    for n in range(start, start + how_many):
        user = User(
            username=f"{prefix}{worker_id}-{n}", full_name=f"Young Person {n}", role=Role.YOUNG_PERSON
        )
        profile = YoungPersonProfile(
            user=user,
            preferred_name=f"Person {n:03d}",
            date_of_birth=date(2012, 1, 1) + timedelta(days=n),
            care_status=CareStatus.IN_CARE,
        )
        allocation = Allocation(
            young_person=profile,
            worker_id=worker_id,
            kind=AllocationKind.SOCIAL_WORKER,
            starts_on=london_today() - timedelta(days=10),
        )
        db.session.add_all([user, profile, allocation])
        users.append(user)
    db.session.flush()
    return users
