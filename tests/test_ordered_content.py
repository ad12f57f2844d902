"""The council's edited lists (app.ordered_content): whatever the manager does, the list
shown stays numbered 1..n in the order they chose, and nothing retired is lost."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from app import ordered_content
from app.extensions import db
from app.models import LocalOfferItem, PromiseItem, Skill
from app.timeutil import now_utc


def _skills(area: str = "money", how_many: int = 4) -> list[Skill]:
    skills = [
        Skill(
            key=f"{area}_{n}",
            area=area,
            position=n,
            title=f"Skill {n}",
            description="d",
            tip="t",
            starts_at_age=11,
        )
        for n in range(1, how_many + 1)
    ]
    db.session.add_all(skills)
    db.session.flush()
    return skills


def _order(area: str = "money") -> list[tuple[str, int]]:
    return [(s.key, s.position) for s in ordered_content.shown(Skill, area)]


def test_moving_the_first_item_up_or_the_last_down_changes_nothing(app):
    with app.app_context():
        first, *_, last = _skills()
        before = _order()
        assert not ordered_content.move_in_area(first, -1)
        assert not ordered_content.move_in_area(last, +1)
        assert _order() == before


def test_moving_swaps_with_the_neighbour(app):
    with app.app_context():
        first, second, *_ = _skills()
        assert ordered_content.move_in_area(first, +1)
        assert [key for key, _ in _order()] == ["money_2", "money_1", "money_3", "money_4"]
        assert (first.position, second.position) == (2, 1)


def test_a_list_with_a_gap_or_a_tie_is_numbered_again_when_moved(app):
    """Rows written before the rule (or by hand) still move, and come out 1..n."""
    with app.app_context():
        first, second, third, fourth = _skills()
        first.position, second.position, third.position, fourth.position = 1, 1, 5, 9
        db.session.flush()
        assert ordered_content.move_in_area(second, -1)
        assert _order() == [("money_2", 1), ("money_1", 2), ("money_3", 3), ("money_4", 4)]


def test_positions_stay_one_to_n_after_any_sequence_of_changes(app):
    """Moves, retirements, restorations, new items and moves to another area, at random:
    each area's list is 1..n with no gap and no two the same, every time."""
    chance = random.Random(13)  # a repeatable sequence
    with app.app_context():
        rows = _skills("money", 5) + _skills("food_cooking", 3)
        now = now_utc()
        for n in range(200):
            item = chance.choice(rows)
            what = chance.choice(["up", "down", "retire", "restore", "new", "area"])
            if what in ("up", "down"):
                ordered_content.move_in_area(item, -1 if what == "up" else 1)
            elif what == "retire":
                ordered_content.retire(item, user_id=None, now=now)
            elif what == "restore":
                ordered_content.restore(item, user_id=None, now=now)
            elif what == "new":
                new = Skill(key=f"new_{n}", title="New", description="d", tip="t", starts_at_age=11)
                ordered_content.place_last(new, chance.choice(["money", "food_cooking"]))
                db.session.add(new)
                rows.append(new)
            else:
                ordered_content.place_last(item, "food_cooking" if item.area == "money" else "money")
            db.session.flush()
            for area in ("money", "food_cooking"):
                positions = [p for _, p in _order(area)]
                assert positions == list(range(1, len(positions) + 1)), (n, what, area, positions)


def test_retiring_keeps_the_item_and_closes_the_list_up(app):
    with app.app_context():
        _, second, third, _ = _skills()
        ordered_content.retire(second, user_id=None, now=now_utc())
        db.session.flush()
        assert _order() == [("money_1", 1), ("money_3", 2), ("money_4", 3)]
        kept = db.session.get(Skill, second.id)
        assert kept is not None and kept.retired_at is not None and kept.position == 2
        assert third.position == 2
        ordered_content.restore(second, user_id=None, now=now_utc())
        db.session.flush()
        assert _order()[-1] == ("money_2", 4) and second.retired_at is None


def test_seeding_twice_adds_nothing_and_later_items_go_last(app):
    areas = [
        {
            "key": "money",
            "items": [
                {"key": "budget", "title": "Budget", "body": "b", "who_to_ask": "PA"},
                {"key": "bank", "title": "Bank", "body": "b", "who_to_ask": "PA"},
            ],
        }
    ]
    fields = ("title", "body", "who_to_ask")
    with app.app_context():
        now = now_utc()
        assert ordered_content.seed(LocalOfferItem, areas, items="items", fields=fields, now=now) == 2
        db.session.flush()
        assert ordered_content.seed(LocalOfferItem, areas, items="items", fields=fields, now=now) == 0
        assert db.session.scalar(select(func.count()).select_from(LocalOfferItem)) == 2
        # The council moves "bank" first; a new file adds "grant" at its top.
        bank = db.session.scalar(select(LocalOfferItem).where(LocalOfferItem.key == "bank"))
        assert bank is not None
        ordered_content.move_in_area(bank, -1)
        areas[0]["items"].insert(0, {"key": "grant", "title": "Grant", "body": "b", "who_to_ask": "PA"})
        assert ordered_content.seed(LocalOfferItem, areas, items="items", fields=fields, now=now) == 1
        db.session.flush()
        shown = ordered_content.shown(LocalOfferItem, "money")
        assert [(i.key, i.position) for i in shown] == [("bank", 1), ("budget", 2), ("grant", 3)]


def test_move_and_renumber_work_on_any_ordered_list():
    """The Promise's items are ordered within their version, not an area: the same two
    functions move them (among the items of one kind) and close the list up."""
    items = [PromiseItem(position=p, title=str(p)) for p in (1, 2, 4, 7)]
    assert ordered_content.move(items[:2], items[1], -1)
    assert [i.title for i in sorted(items, key=lambda i: i.position)] == ["2", "1", "4", "7"]
    assert not ordered_content.move(items[:2], items[2], -1)  # not one of the siblings
    ordered_content.renumber(items)
    assert sorted(i.position for i in items) == [1, 2, 3, 4]
    assert [i.title for i in sorted(items, key=lambda i: i.position)] == ["2", "1", "4", "7"]
