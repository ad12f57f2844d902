from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    YOUNG_PERSON = "young_person"
    CARER = "carer"
    SOCIAL_WORKER = "social_worker"
    PERSONAL_ADVISER = "personal_adviser"
    COMPLAINTS_OFFICER = "complaints_officer"
    TEAM_MANAGER = "team_manager"  # manages a team of workers; hears of its urgent alerts
    MANAGER = "manager"

    @property
    def is_worker(self) -> bool:
        return self in WORKER_ROLES

    @property
    def is_staff(self) -> bool:
        """Anyone who may look at a young person's record other than the young person."""
        return self is not Role.YOUNG_PERSON


WORKER_ROLES = frozenset({Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER})


class AllocationKind(StrEnum):
    """The part a worker plays for a young person."""

    SOCIAL_WORKER = "social_worker"
    PERSONAL_ADVISER = "personal_adviser"


# A worker can only be allocated in the part that matches their job.
KIND_FOR_ROLE = {
    Role.SOCIAL_WORKER: AllocationKind.SOCIAL_WORKER,
    Role.PERSONAL_ADVISER: AllocationKind.PERSONAL_ADVISER,
}


class CareStatus(StrEnum):
    IN_CARE = "in_care"
    CARE_LEAVER = "care_leaver"


class ContactKind(StrEnum):
    """People the council arranges for a young person who need not have an account: the
    manager or worker records them."""

    INDEPENDENT_REVIEWING_OFFICER = "independent_reviewing_officer"
    INDEPENDENT_VISITOR = "independent_visitor"
    ADVOCATE = "advocate"
