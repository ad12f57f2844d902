"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.plans import views

bp = Blueprint("plans", __name__)


# views.py
bp.add_url_rule("/plan", "my_plan", views.my_plan)
bp.add_url_rule("/plan/versions/<int:number>", "my_plan_version", views.my_plan_version)
bp.add_url_rule("/plan/sections/<int:section_id>/views", "add_view", views.add_view, methods=["POST"])
bp.add_url_rule("/care/young-people/<int:young_person_id>/plan", "plan_for", views.plan_for)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft",
    "edit_draft",
    views.edit_draft,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft/sections/<int:section_id>",
    "save_section",
    views.save_section,
    methods=["POST"],
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft/sections/<int:section_id>/actions",
    "add_action",
    views.add_action,
    methods=["POST"],
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft/actions/<int:action_id>/remove",
    "remove_action",
    views.remove_action,
    methods=["POST"],
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft/rebase", "rebase", views.rebase, methods=["POST"]
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/plan/draft/publish", "publish", views.publish, methods=["POST"]
)
