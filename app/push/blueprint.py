"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from app.push import views

bp = Blueprint("push", __name__)


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        """The bell's count, once per page: only what the notification centre would list."""
        from app.push.centre import unread_count
        from app.timeutil import london_today

        if "unread_notifications" not in g:
            g.unread_notifications = (
                unread_count(current_user.id, london_today()) if current_user.is_authenticated else 0
            )
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


# views.py
bp.add_url_rule("/reminders", "reminders", views.settings)
bp.add_url_rule("/reminders/preferences", "save_preferences", views.save_preferences, methods=["POST"])
bp.add_url_rule("/reminders/subscriptions", "subscribe", views.subscribe, methods=["POST"])
bp.add_url_rule(
    "/reminders/devices/<int:subscription_id>/remove", "remove_device", views.remove_device, methods=["POST"]
)
bp.add_url_rule("/reminders/test", "send_test", views.send_test, methods=["POST"])
bp.add_url_rule("/notifications", "notifications", views.notifications)
bp.add_url_rule("/notifications/<int:notification_id>/read", "read", views.read, methods=["POST"])
bp.add_url_rule("/notifications/read-all", "read_all", views.read_all, methods=["POST"])
