"""What a person chose about their reminders: details shown on the lock screen or not, and
the kinds they muted."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from app import audit
from app.domain.reminders import Kind
from app.extensions import db
from app.models import (
    ReminderSettings,
)

log = logging.getLogger("app.push")


def settings_for(user_id: int) -> ReminderSettings:
    row = db.session.get(ReminderSettings, user_id)
    return row or ReminderSettings(user_id=user_id, show_details=False, muted=[])


def save_settings(user_id: int, show_details: bool, muted: Iterable[str], now: datetime) -> None:
    row = db.session.get(ReminderSettings, user_id)
    if row is None:
        row = ReminderSettings(user_id=user_id)
        db.session.add(row)
    row.show_details = bool(show_details)
    row.muted = sorted({Kind(k).value for k in muted})
    row.updated_at = now
    audit.record("reminder_settings", actor_id=user_id)
