"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.account import views

bp = Blueprint("account", __name__, url_prefix="/account")


# views.py
bp.add_url_rule("", "settings", views.settings)
bp.add_url_rule("/password", "change_password", views.change_password, methods=["POST"])
bp.add_url_rule("/language", "change_language", views.change_language, methods=["POST"])
