"""Which notifications a person may still read: the same rule as the page each one links
to, asked again whenever one is listed, counted, opened, recorded or pushed.

A reminder is written when the person may see its young person; a carer's young person
can move out and a worker's allocation can end before it is read or sent. A notification
the person may no longer follow is not shown, not counted, not opened and not pushed: its
name and link would tell them about a child who is no longer theirs to know about.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from operator import attrgetter
from typing import Protocol, TypeVar

from sqlalchemy import select

from app.domain.policy import Actor, may
from app.domain.reminders import Reason, page_action
from app.domain.roles import Role
from app.extensions import db
from app.models import User
from app.people import relationships


class About(Protocol):
    """A notification, a reminder not yet recorded, or a row of either."""

    @property
    def reason(self) -> Reason: ...
    @property
    def young_person_id(self) -> int | None: ...
    @property
    def subject(self) -> str: ...


T = TypeVar("T", bound=About)

CHUNK = 500


def readable(items: Iterable[T], today: date, person: Callable[[T], int] = attrgetter("user_id")) -> list[T]:
    """The items whose person may, on `today`, open the page they link to, in their order.
    Items about no young person (a test, an officer's deadline) are kept. `person` reads
    who the item is for (Notification.user_id by default; Candidate.person_id)."""
    items = list(items)
    about = [i for i in items if i.young_person_id is not None]
    if not about:
        return items
    roles = _roles({person(i) for i in about})
    subjects = relationships.subjects(i.young_person_id for i in about if i.young_person_id)
    alerts = _alert_checker([(person(i), i) for i in about if i.reason is Reason.URGENT_ALERT], today)
    kept = []
    for item in items:
        if item.young_person_id is None:
            kept.append(item)
            continue
        reader = person(item)
        role = roles.get(reader)
        if role is None:
            continue
        if item.reason is Reason.URGENT_ALERT:
            allowed = alerts(reader, item)
        else:
            action = page_action(item.reason, role)
            allowed = action is not None and may(
                Actor(reader, role), action, subjects.get(item.young_person_id), today
            )
        if allowed:
            kept.append(item)
    return kept


def may_read(item: About, reader_id: int, today: date) -> bool:
    return bool(readable([item], today, person=lambda _: reader_id))


def _roles(user_ids: set[int]) -> dict[int, Role]:
    ids = sorted(user_ids)
    found: dict[int, Role] = {}
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(select(User.id, User.role).where(User.id.in_(ids[start : start + CHUNK])))
        found.update({uid: role for uid, role in rows})
    return found


def _alert_id(subject: str) -> int | None:
    kind, _, number = subject.partition(":")
    return int(number) if kind == "alert" and number.isdigit() else None


def _alert_checker(pairs: list[tuple[int, About]], today: date) -> Callable[[int, About], bool]:
    """An urgent alert's page is guarded by the alert's own rule (who was told, who works
    with the young person now, their team manager): app.safety.service.may_see."""
    if not pairs:
        return lambda reader, item: False
    from app.safety import service as safety  # safety records its alerts through push

    alert_ids = {i for i in (_alert_id(item.subject) for _, item in pairs) if i is not None}
    alerts = {a.id: a for a in (safety.load(i) for i in alert_ids) if a is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r for r, _ in pairs})))}

    def check(reader: int, item: About) -> bool:
        alert = alerts.get(_alert_id(item.subject) or 0)
        user = users.get(reader)
        return (
            alert is not None
            and user is not None
            and alert.young_person_id == item.young_person_id
            and safety.may_see(alert, user, today)
        )

    return check
