"""The words for enum members, written once, in Python.

A module that says how an enum's members are called registers them here
(`STEPS = labels(Step, {...})`, next to the enum's feature in its words.py); templates
reach every one of them through one filter, `{{ member|label }}`, registered by create_app.
An enum with labels must have one for every member (tests/test_one_way_to_write_a_form.py),
so a new member can never show as an empty space.

The words for enums that every feature shows (roles, the part a worker plays, in care or
leaving care) are here too: app.domain, where the enums live, imports no Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l

from app.domain.roles import AllocationKind, CareStatus, Role

E = TypeVar("E", bound=Enum)

_LABELS: dict[type[Enum], Mapping[Any, Any]] = {}


def labels(enum: type[E], words: Mapping[E, Any]) -> Mapping[E, Any]:
    """Registers `words` (lazy_gettext strings) as what `enum`'s members are called, and
    returns them, for Python code that needs them too."""
    if enum in _LABELS and _LABELS[enum] is not words:
        raise ValueError(f"{enum.__name__} has its labels already")
    _LABELS[enum] = words
    return words


def label(member: Enum) -> Any:
    """The words for one enum member (the `label` filter): a lazy_gettext string, said in
    the reader's language when shown, and shown as it is written, like every other
    lazy_gettext string on a page ("Workers' team", not "Workers&#39; team")."""
    try:
        return _LABELS[type(member)][member]
    except KeyError:
        raise KeyError(
            f"no label for {member!r}: add it where {type(member).__name__}'s labels are"
        ) from None


def labelled() -> dict[type[Enum], Mapping[Any, Any]]:
    """Every enum with labels, and its labels (for the test that none is missing)."""
    return dict(_LABELS)


ROLES = labels(
    Role,
    {
        Role.YOUNG_PERSON: _l("Young person"),
        Role.CARER: _l("Carer"),
        Role.SOCIAL_WORKER: _l("Social worker"),
        Role.PERSONAL_ADVISER: _l("Personal adviser"),
        Role.COMPLAINTS_OFFICER: _l("Complaints and advocacy officer"),
        Role.TEAM_MANAGER: _l("Team manager"),
        Role.MANAGER: _l("Service manager"),
    },
)

WORKER_PARTS = labels(
    AllocationKind,
    {
        AllocationKind.SOCIAL_WORKER: _l("Social worker"),
        AllocationKind.PERSONAL_ADVISER: _l("Personal adviser"),
    },
)

CARE_STATUSES = labels(
    CareStatus,
    {
        CareStatus.IN_CARE: _l("In care"),
        CareStatus.CARE_LEAVER: _l("Care leaver"),
    },
)
