"""The Promise in the database: loading the council's text, the version a young person
sees, their answers, and the manager's drafts."""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import flag_modified

from app import audit, ordered_content
from app.domain.ages import PromiseBand
from app.domain.problems import Problem
from app.domain.promise import Answer, ItemKind, VersionState, clean_words
from app.extensions import db
from app.models import Commitment, PromiseAnswer, PromiseItem, PromiseVersion


class PromiseProblem(Problem):
    """A rule about the Promise said no."""


def load_promise(content: dict, now: datetime) -> int:
    """Publishes version 1 of each band from the content file, unless the band already has
    a version (the council's edits are never overwritten). Returns versions created."""
    created = 0
    commitments = {c.key: c for c in db.session.scalars(select(Commitment))}
    for band in PromiseBand:
        if db.session.scalar(select(PromiseVersion.id).where(PromiseVersion.band == band).limit(1)):
            continue
        text = content[band.value]
        version = PromiseVersion(
            band=band,
            number=1,
            state=VersionState.PUBLISHED,
            title=text["title"],
            intro=text["intro"],
            not_kept_title=text["not_kept"]["title"],
            not_kept_body=text["not_kept"]["body"],
            published_at=now,
        )
        position = 0
        for kind, entries in ((ItemKind.RIGHT, text["rights"]), (ItemKind.COMMITMENT, text["commitments"])):
            for entry in entries:
                commitment = commitments.get(entry["key"])
                if commitment is None:
                    commitment = commitments[entry["key"]] = Commitment(key=entry["key"], kind=kind)
                    db.session.add(commitment)
                position += 1
                version.items.append(
                    PromiseItem(
                        commitment=commitment,
                        position=position,
                        title=entry["title"],
                        body=entry["body"],
                        icon=entry["icon"],
                    )
                )
        db.session.add(version)
        created += 1
    return created


def _with_items():
    return selectinload(PromiseVersion.items).joinedload(PromiseItem.commitment)


def current_version(band: PromiseBand) -> PromiseVersion | None:
    """The newest published version for an age band."""
    return db.session.scalar(
        select(PromiseVersion)
        .where(PromiseVersion.band == band, PromiseVersion.state == VersionState.PUBLISHED)
        .order_by(PromiseVersion.number.desc())
        .options(_with_items())
        .limit(1)
    )


def published_versions(band: PromiseBand) -> list[PromiseVersion]:
    return list(
        db.session.scalars(
            select(PromiseVersion)
            .where(PromiseVersion.band == band, PromiseVersion.state == VersionState.PUBLISHED)
            .order_by(PromiseVersion.number.desc())
        )
    )


def version_by_number(band: PromiseBand, number: int) -> PromiseVersion | None:
    return db.session.scalar(
        select(PromiseVersion)
        .where(PromiseVersion.band == band, PromiseVersion.number == number)
        .options(_with_items())
    )


def draft(band: PromiseBand) -> PromiseVersion | None:
    return db.session.scalar(
        select(PromiseVersion)
        .where(PromiseVersion.band == band, PromiseVersion.state == VersionState.DRAFT)
        .options(_with_items())
    )


def latest_answers(young_person_id: int) -> dict[int, PromiseAnswer]:
    """The answer now (the newest) to each commitment, by commitment id."""
    newest = (
        select(func.max(PromiseAnswer.id))
        .where(PromiseAnswer.young_person_id == young_person_id)
        .group_by(PromiseAnswer.commitment_id)
    )
    rows = db.session.scalars(select(PromiseAnswer).where(PromiseAnswer.id.in_(newest)))
    return {row.commitment_id: row for row in rows}


def record_answer(
    young_person_id: int, version: PromiseVersion | None, commitment_id: int, answer: str, words: str | None
) -> PromiseAnswer:
    """Adds the young person's answer (the earlier ones stay). Raises PromiseProblem
    ("not_in_promise", "bad_answer", "too_long"); no version published for their age means
    nothing is in their Promise yet."""
    if version is None:
        raise PromiseProblem("not_in_promise")
    item = next((i for i in version.items if i.commitment_id == commitment_id), None)
    if item is None or item.commitment.kind is not ItemKind.COMMITMENT:
        raise PromiseProblem("not_in_promise")
    try:
        value = Answer(answer)
    except ValueError:
        raise PromiseProblem("bad_answer") from None
    try:
        cleaned = clean_words(words)
    except ValueError:
        raise PromiseProblem("too_long") from None
    row = PromiseAnswer(
        young_person_id=young_person_id,
        commitment_id=commitment_id,
        version_id=version.id,
        answer=value,
        words=cleaned,
    )
    db.session.add(row)
    return row


def answer_counts(version: PromiseVersion) -> dict[int, dict[Answer, int]]:
    """For each commitment in `version`, how many young people answer yes, sometimes or no
    now (their newest answer). Counts only: no names."""
    ids = [i.commitment_id for i in version.items]
    newest = (
        select(func.max(PromiseAnswer.id))
        .where(PromiseAnswer.commitment_id.in_(ids))
        .group_by(PromiseAnswer.young_person_id, PromiseAnswer.commitment_id)
    )
    counts: dict[int, dict[Answer, int]] = defaultdict(lambda: dict.fromkeys(Answer, 0))
    rows = db.session.execute(
        select(PromiseAnswer.commitment_id, PromiseAnswer.answer, func.count())
        .where(PromiseAnswer.id.in_(newest))
        .group_by(PromiseAnswer.commitment_id, PromiseAnswer.answer)
    )
    for commitment_id, answer, count in rows:
        counts[commitment_id][answer] = count
    return counts


# The manager's drafts ------------------------------------------------------------------


def start_draft(band: PromiseBand, user_id: int) -> PromiseVersion:
    """The band's draft, made as a copy of the newest published version if there is none."""
    existing = draft(band)
    if existing is not None:
        return existing
    base = current_version(band)
    if base is None:
        raise PromiseProblem("nothing_to_copy")
    copy = PromiseVersion(
        band=band,
        number=base.number + 1,
        state=VersionState.DRAFT,
        title=base.title,
        intro=base.intro,
        not_kept_title=base.not_kept_title,
        not_kept_body=base.not_kept_body,
        created_by_id=user_id,
        items=[
            PromiseItem(
                commitment_id=i.commitment_id,
                position=i.position,
                title=i.title,
                body=i.body,
                icon=i.icon,
            )
            for i in base.items
        ],
    )
    db.session.add(copy)
    db.session.flush()
    return copy


def _check_draft(version: PromiseVersion, lock_version: int) -> None:
    if version.state is not VersionState.DRAFT:
        raise PromiseProblem("not_a_draft")
    if version.lock_version != lock_version:
        raise PromiseProblem("changed_meanwhile")


def _key_for(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:40] or "item"
    return f"{slug}_{secrets.token_hex(3)}"


def save_text(
    version: PromiseVersion,
    lock_version: int,
    *,
    title: str,
    intro: str,
    not_kept_title: str,
    not_kept_body: str,
    actor_id: int,
) -> None:
    _check_draft(version, lock_version)
    version.title, version.intro = title, intro
    version.not_kept_title, version.not_kept_body = not_kept_title, not_kept_body
    _changed(version, actor_id)


def save_item(
    version: PromiseVersion,
    lock_version: int,
    item_id: int,
    *,
    title: str,
    body: str,
    icon: str,
    actor_id: int,
) -> None:
    _check_draft(version, lock_version)
    item = _item(version, item_id)
    item.title, item.body, item.icon = title, body, icon
    _touch(version)
    _changed(version, actor_id)


def add_item(
    version: PromiseVersion,
    lock_version: int,
    *,
    kind: ItemKind,
    title: str,
    body: str,
    icon: str,
    actor_id: int,
) -> PromiseItem:
    """A new right or commitment, at the end of its kind's list."""
    _check_draft(version, lock_version)
    commitment = Commitment(key=_key_for(title), kind=kind)
    same_kind = [i.position for i in version.items if i.commitment.kind is kind]
    position = (max(same_kind) if same_kind else max((i.position for i in version.items), default=0)) + 1
    for other in version.items:
        if other.position >= position:
            other.position += 1
    item = PromiseItem(commitment=commitment, position=position, title=title, body=body, icon=icon)
    version.items.append(item)
    _touch(version)
    _changed(version, actor_id)
    return item


def move_item(version: PromiseVersion, lock_version: int, item_id: int, step: int, *, actor_id: int) -> None:
    """Swaps an item with its neighbour of the same kind (step -1 up, +1 down)."""
    _check_draft(version, lock_version)
    item = _item(version, item_id)
    same_kind = [i for i in version.items if i.commitment.kind is item.commitment.kind]
    if ordered_content.move(same_kind, item, step):
        _touch(version)
        _changed(version, actor_id)


def retire_item(version: PromiseVersion, lock_version: int, item_id: int, *, actor_id: int) -> None:
    """Leaves an item out of this draft. Earlier versions, and answers to it, are kept."""
    _check_draft(version, lock_version)
    version.items.remove(_item(version, item_id))
    ordered_content.renumber(version.items)
    _touch(version)
    _changed(version, actor_id)


def publish(version: PromiseVersion, lock_version: int, user_id: int, now: datetime) -> None:
    _check_draft(version, lock_version)
    if not any(i.commitment.kind is ItemKind.COMMITMENT for i in version.items):
        raise PromiseProblem("no_commitments")
    version.state = VersionState.PUBLISHED
    version.published_at = now
    version.published_by_id = user_id
    audit.record("promise_published", actor_id=user_id, detail={"version": version.id})


def _item(version: PromiseVersion, item_id: int) -> PromiseItem:
    item = next((i for i in version.items if i.id == item_id), None)
    if item is None:
        raise PromiseProblem("no_such_item")
    return item


def _changed(version: PromiseVersion, actor_id: int) -> None:
    audit.record("promise_draft_changed", actor_id=actor_id, detail={"version": version.id})


def _touch(version: PromiseVersion) -> None:
    # Item changes alone do not update the version row; mark it changed so its lock version
    # moves on and a second editor working from an older page is told.
    flag_modified(version, "title")
