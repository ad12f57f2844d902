"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint, current_app, g

from app.safety import staff_views, views

bp = Blueprint("safety", __name__)


@bp.app_context_processor
def _help_numbers():
    def out_of_hours_phone() -> str:
        """The out-of-hours team's number as the manager set it (asked once a page)."""
        if "out_of_hours_phone" not in g:
            from app.safety.service import out_of_hours_phone as lookup

            g.out_of_hours_phone = lookup(current_app.config["OUT_OF_HOURS_PHONE"])
        return g.out_of_hours_phone

    return {"out_of_hours_phone": out_of_hours_phone}


# views.py
bp.add_url_rule("/not-safe", "not_safe", views.not_safe, methods=["GET", "POST"])
bp.add_url_rule("/not-safe/sent", "not_safe_sent", views.not_safe_sent)

# staff_views.py
bp.add_url_rule("/alerts", "alerts", staff_views.alerts)
bp.add_url_rule("/alerts/<int:alert_id>", "alert", staff_views.alert)
bp.add_url_rule("/alerts/<int:alert_id>/write", "alert_write", staff_views.alert_write, methods=["POST"])
bp.add_url_rule(
    "/alerts/<int:alert_id>/acknowledge", "alert_acknowledge", staff_views.alert_acknowledge, methods=["POST"]
)
bp.add_url_rule("/alerts/<int:alert_id>/note", "alert_note", staff_views.alert_note, methods=["POST"])
bp.add_url_rule("/alerts/<int:alert_id>/close", "alert_close", staff_views.alert_close, methods=["POST"])
