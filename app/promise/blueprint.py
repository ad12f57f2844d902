"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.promise import views

bp = Blueprint("promise", __name__)


# views.py
bp.add_url_rule("/promise", "promise", views.promise)
bp.add_url_rule("/promise/answers/<int:commitment_id>", "answer", views.answer, methods=["POST"])
bp.add_url_rule("/care/young-people/<int:young_person_id>/promise", "answers_for", views.answers_for)
bp.add_url_rule("/admin/promise", "manage", views.manage)
bp.add_url_rule("/admin/promise/<band>/draft", "edit_draft", views.edit_draft, methods=["GET", "POST"])
bp.add_url_rule(
    "/admin/promise/<band>/draft/text", "save_draft_text", views.save_draft_text, methods=["POST"]
)
bp.add_url_rule(
    "/admin/promise/<band>/draft/items/<int:item_id>", "save_item", views.save_item, methods=["POST"]
)
bp.add_url_rule("/admin/promise/<band>/draft/items", "add_item", views.add_item, methods=["POST"])
bp.add_url_rule(
    "/admin/promise/<band>/draft/items/<int:item_id>/<any(up, down, retire):change>",
    "change_item",
    views.change_item,
    methods=["POST"],
)
bp.add_url_rule("/admin/promise/<band>/draft/publish", "publish", views.publish, methods=["POST"])
