"""The care leavers' local offer and the health passport."""

from __future__ import annotations

import secrets
from datetime import datetime
from itertools import groupby

from sqlalchemy import select

from app import audit, ordered_content
from app.domain.health import FIELDS, MAX_FIELD_LENGTH, changed_fields, valid_nhs_number
from app.domain.problems import Problem
from app.extensions import db
from app.models import HealthPassport, HealthPassportChange, LocalOfferItem

AREAS = ("money", "home", "council_tax", "health", "education_training", "work", "leisure")


class LeavingCareProblem(Problem):
    """A rule about leaving care said no."""


def local_offer() -> list[tuple[str, list[LocalOfferItem]]]:
    """The offer by area, in the areas' order, without retired items."""
    items = db.session.scalars(
        select(LocalOfferItem).where(LocalOfferItem.retired_at.is_(None)).order_by(LocalOfferItem.position)
    ).all()
    by_area = {
        area: list(group)
        for area, group in groupby(sorted(items, key=lambda i: i.area), key=lambda i: i.area)
    }
    return [(area, sorted(by_area.get(area, []), key=lambda i: i.position)) for area in AREAS]


def save_offer_item(
    item: LocalOfferItem | None,
    *,
    area: str,
    title: str,
    body: str,
    who_to_ask: str,
    user_id: int,
    now: datetime,
) -> LocalOfferItem:
    if area not in AREAS:
        raise LeavingCareProblem("bad_area")
    if item is None:
        item = LocalOfferItem(key=f"{area}_{secrets.token_hex(4)}")
        db.session.add(item)
    ordered_content.put_in_area(item, area)
    item.title, item.body, item.who_to_ask = title.strip(), body.strip(), who_to_ask.strip()
    item.updated_at, item.updated_by_id = now, user_id
    db.session.flush()
    audit.record("local_offer_saved", actor_id=user_id, detail={"item": item.id})
    return item


def retire_offer_item(item: LocalOfferItem, user_id: int, now: datetime) -> None:
    ordered_content.retire(item, user_id, now)
    audit.record("local_offer_retired", actor_id=user_id, detail={"item": item.id})


def passport(young_person_id: int) -> HealthPassport | None:
    return db.session.get(HealthPassport, young_person_id)


def save_passport(
    young_person_id: int, lock_version: int | None, values: dict[str, str], user_id: int, now: datetime
) -> HealthPassport:
    """Saves the passport and keeps what changed, who changed it and when. Raises
    LeavingCareProblem ("changed_meanwhile", "bad_nhs_number", "too_long")."""
    cleaned = {name: (values.get(name) or "").strip() for name in FIELDS}
    if any(len(v) > MAX_FIELD_LENGTH for v in cleaned.values()):
        raise LeavingCareProblem("too_long")
    if cleaned["nhs_number"] and not valid_nhs_number(cleaned["nhs_number"]):
        raise LeavingCareProblem("bad_nhs_number")
    current = passport(young_person_id)
    if current is None:
        current = HealthPassport(young_person_id=young_person_id, fields={})
        db.session.add(current)
    elif lock_version is not None and current.lock_version != lock_version:
        raise LeavingCareProblem("changed_meanwhile")
    before = dict(current.fields or {})
    changes = changed_fields(before, cleaned)
    if changes:
        db.session.add(
            HealthPassportChange(
                young_person_id=young_person_id,
                changed_by_id=user_id,
                changed_at=now,
                before={k: before.get(k, "") for k in changes},
                after=changes,
            )
        )
        current.fields = cleaned
        current.updated_at, current.updated_by_id = now, user_id
    audit.record("health_passport_saved", actor_id=user_id, young_person_id=young_person_id)
    return current
