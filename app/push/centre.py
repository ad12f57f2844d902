"""The notification centre: the bell's count and the list, which only ever show what the
page they link to would (app.push.visibility)."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select, update

from app.extensions import db
from app.models import (
    Notification,
)
from app.push import visibility

log = logging.getLogger("app.push")


def unread_count(user_id: int, today: date) -> int:
    """Unread notifications the person may still follow (visibility.readable): one
    statement, and a few more (not one a row) only when some are about a young person."""
    unread = db.session.execute(
        select(
            Notification.user_id, Notification.reason, Notification.young_person_id, Notification.subject
        ).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).all()
    return len(visibility.readable(unread, today))


def notifications(user_id: int, today: date, limit: int = 50) -> list[Notification]:
    """The person's newest notifications that they may still follow."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return visibility.readable(rows, today)


def mark_read(user_id: int, notification_id: int | None, now: datetime, today: date) -> Notification | None:
    """Marks one notification read (or all, with None). Another person's, or one about a
    young person they may no longer see, is not found."""
    if notification_id is None:
        db.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=now)
        )
        return None
    row = db.session.get(Notification, notification_id)
    if row is None or row.user_id != user_id or not visibility.readable([row], today):
        return None
    if row.read_at is None:
        row.read_at = now
    return row
