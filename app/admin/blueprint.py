"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.admin import views

bp = Blueprint("admin", __name__, url_prefix="/admin")


# views.py
bp.add_url_rule("/people", "people", views.people)
bp.add_url_rule("/people/new", "new_person", views.new_person, methods=["GET", "POST"])
bp.add_url_rule("/young-people/new", "new_young_person", views.new_young_person, methods=["GET", "POST"])
bp.add_url_rule("/people/<int:user_id>", "person", views.person)
bp.add_url_rule(
    "/people/<int:user_id>/living",
    "move_in",
    views.start_relationship,
    defaults={"what": "living"},
    methods=["POST"],
)
bp.add_url_rule(
    "/people/<int:user_id>/allocations",
    "allocate",
    views.start_relationship,
    defaults={"what": "allocations"},
    methods=["POST"],
)
bp.add_url_rule("/people/<int:user_id>/team", "person_team", views.person_team, methods=["POST"])
bp.add_url_rule(
    "/people/<int:user_id>/<any(living, allocations):kind>/<int:row_id>/end",
    "end_relationship",
    views.end_relationship,
    methods=["POST"],
)
bp.add_url_rule(
    "/people/<int:user_id>/activation-code",
    "new_activation_code",
    views.new_activation_code,
    methods=["POST"],
)
bp.add_url_rule("/resets", "resets", views.resets)
bp.add_url_rule("/resets/<int:reset_id>/confirm", "confirm_reset", views.confirm_reset, methods=["POST"])
