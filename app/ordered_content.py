"""The council's edited lists, written once: the passport's skills, the local offer and the
Promise's items (app.models.ordered). Seeding them from the content files, moving an item
up or down, putting one at the end of an area, and retiring or restoring one.

The rule they all keep: the items shown in a list are numbered 1, 2, 3, ... with no gaps
and no two the same. A retired item keeps the place it last had, as history; it is not in
the list any more, so it does not count. Nothing here commits (app.unit_of_work does)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select

from app.extensions import db
from app.models.ordered import Ordered, OrderedContent

T = TypeVar("T", bound=Ordered)
C = TypeVar("C", bound=OrderedContent)


def renumber(items: Iterable[Ordered]) -> None:
    """Numbers the items 1, 2, 3, ... in their order now (closing any gap)."""
    for position, item in enumerate(sorted(items, key=lambda i: i.position), start=1):
        if item.position != position:
            item.position = position


def move(siblings: Sequence[T], item: T, step: int) -> bool:
    """Swaps `item` with its neighbour among `siblings` (step -1 up, +1 down). The first
    item cannot go up, nor the last down: nothing changes. Returns whether it moved."""
    ordered = sorted(siblings, key=lambda i: i.position)
    if item not in ordered:
        return False
    index = ordered.index(item) + step
    if not 0 <= index < len(ordered):
        return False
    other = ordered[index]
    item.position, other.position = other.position, item.position
    return True


def shown(model: type[C], area: str) -> list[C]:
    """The items of an area that are not retired, in order. Sorted here rather than in SQL:
    changes not yet flushed (a move a moment ago, a new item) count as they are now."""
    with db.session.no_autoflush:
        rows = db.session.scalars(select(model).where(model.area == area, model.retired_at.is_(None)))
        rows_now = [i for i in rows if i.area == area and i.retired_at is None]
        return sorted(rows_now, key=lambda i: (i.position, i.id or 0))


def move_in_area(item: OrderedContent, step: int) -> bool:
    """Moves an item up or down its area's list; the list stays numbered from 1."""
    siblings = shown(type(item), item.area)
    renumber(siblings)  # first, so that a gap or a tie left by older data cannot stop the move
    return move(siblings, item, step)


def place_last(item: C, area: str) -> None:
    """Puts an item (a new one, or one moving to another area) at the end of `area`'s list;
    the list it leaves closes up."""
    model = type(item)
    if item.area is not None and item.area != area and item.retired_at is None:
        renumber(i for i in shown(model, item.area) if i is not item)
    item.position = len([i for i in shown(model, area) if i is not item]) + 1
    item.area = area


def put_in_area(item: C, area: str) -> None:
    """Puts an item in `area`: a new one, or one moving from another area, goes last; one
    already there keeps its place."""
    if item.area != area:
        place_last(item, area)


def retire(item: OrderedContent, user_id: int, now: datetime) -> None:
    """Takes an item out of its list; the row (and what people did with it) is kept."""
    if item.retired_at is None:
        renumber(i for i in shown(type(item), item.area) if i is not item)
    item.retired_at, item.updated_by_id, item.updated_at = now, user_id, now


def restore(item: OrderedContent, user_id: int, now: datetime) -> None:
    """Puts a retired item back, at the end of its area's list."""
    if item.retired_at is not None:
        item.position = len(shown(type(item), item.area)) + 1
    item.retired_at, item.updated_by_id, item.updated_at = None, user_id, now


def seed(model: type[C], areas: list[dict], *, items: str, fields: Sequence[str], now: datetime) -> int:
    """Adds the content file's items (each area's list under `items`) that are not in the
    database yet, known by their key, so seeding again adds nothing and never overwrites
    the council's edits. A first load keeps the file's order; an item added to the file
    later goes at the end of its area. Returns how many were added."""
    known = set(db.session.scalars(select(model.key)))
    added = 0
    for area in areas:
        new = [entry for entry in area[items] if entry["key"] not in known]
        if not new:
            continue
        start = len(shown(model, area["key"]))
        for position, entry in enumerate(new, start=start + 1):
            row = model(**{name: entry[name] for name in fields})
            row.key, row.area, row.position, row.updated_at = entry["key"], area["key"], position, now
            db.session.add(row)
            known.add(entry["key"])
            added += 1
    return added
