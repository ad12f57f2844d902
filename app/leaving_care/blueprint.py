"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.leaving_care import views

bp = Blueprint("leaving_care", __name__)


# views.py
bp.add_url_rule("/entitlements", "entitlements", views.entitlements)
bp.add_url_rule("/health-passport", "health_passport", views.health_passport, methods=["GET", "POST"])
bp.add_url_rule("/health-passport/print", "health_passport_print", views.health_passport_print)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/health-passport",
    "health_passport_for",
    views.health_passport_for,
    methods=["GET", "POST"],
)
bp.add_url_rule("/admin/local-offer", "manage_offer", views.manage_offer)
bp.add_url_rule("/admin/local-offer/items", "save_offer_item", views.save_offer_item, methods=["POST"])
bp.add_url_rule(
    "/admin/local-offer/items/<int:item_id>", "save_offer_item", views.save_offer_item, methods=["POST"]
)
bp.add_url_rule(
    "/admin/local-offer/items/<int:item_id>/retire",
    "retire_offer_item",
    views.retire_offer_item,
    methods=["POST"],
)
