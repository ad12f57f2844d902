"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.care import views

bp = Blueprint("care", __name__, url_prefix="/care")


# views.py
bp.add_url_rule("/young-people", "caseload", views.caseload)
bp.add_url_rule("/young-people/<int:young_person_id>", "young_person", views.young_person)
bp.add_url_rule("/young-people/new", "new_young_person", views.new_young_person, methods=["GET", "POST"])
bp.add_url_rule(
    "/young-people/<int:young_person_id>/activation-code",
    "new_activation_code",
    views.new_activation_code,
    methods=["POST"],
)
