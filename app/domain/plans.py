"""Plans in words and pictures: which sections a plan has, and the rules for publishing.

A child in care has a care plan; from 16 (and as a care leaver) a pathway plan. Published
versions are never changed: a worker edits a draft and publishes it as the next version.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.ages import PA_FROM, age_on
from app.domain.problems import Problem
from app.domain.roles import CareStatus

MAX_TEXT_LENGTH = 4000
MAX_ACTION_LENGTH = 300


class PlanKind(StrEnum):
    CARE_PLAN = "care_plan"
    PATHWAY_PLAN = "pathway_plan"


# Section keys, in the order they are shown. Each has a picture in static/img/plan/.
CARE_PLAN_SECTIONS = ("going_well", "worried", "needs_to_happen", "my_people")
PATHWAY_PLAN_SECTIONS = (
    "education_work",
    "money",
    "home",
    "health",
    "family_friends",
    "identity",
    "practical_skills",
)
# Sections where each entry is an action: what, who, by when.
ACTION_SECTIONS = frozenset({"needs_to_happen", *PATHWAY_PLAN_SECTIONS})


def plan_kind_for(date_of_birth: date, care_status: CareStatus, today: date) -> PlanKind:
    """A pathway plan from 16, and always for a care leaver; a care plan before that."""
    if care_status is CareStatus.CARE_LEAVER or age_on(date_of_birth, today) >= PA_FROM:
        return PlanKind.PATHWAY_PLAN
    return PlanKind.CARE_PLAN


def sections_for(kind: PlanKind) -> tuple[str, ...]:
    return PATHWAY_PLAN_SECTIONS if kind is PlanKind.PATHWAY_PLAN else CARE_PLAN_SECTIONS


class PlanProblem(Problem):
    """Raised with a `reason` the page turns into plain words."""


def check_action(what: str, who: str, by_when: date | None, today: date) -> None:
    """An action needs what and who; its date may not be in the past.
    Raises PlanProblem."""
    if not what.strip():
        raise PlanProblem("action_needs_what")
    if not who.strip():
        raise PlanProblem("action_needs_who")
    if len(what) > MAX_ACTION_LENGTH or len(who) > MAX_ACTION_LENGTH:
        raise PlanProblem("too_long")
    if by_when is not None and by_when < today:
        raise PlanProblem("date_in_past")


def check_publish(draft_based_on: int | None, latest_published: int | None) -> None:
    """A draft may be published only if nobody has published a newer version since the
    draft was started from `draft_based_on`. Raises PlanProblem("newer_version")."""
    if latest_published is not None and draft_based_on != latest_published:
        raise PlanProblem("newer_version")
