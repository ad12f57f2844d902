"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.auth import views

bp = Blueprint("auth", __name__)


# views.py
bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/new-code-notice", "new_code_notice", views.new_code_notice)
bp.add_url_rule("/logout", "logout", views.logout, methods=["POST"])
bp.add_url_rule("/signed-out", "signed_out", views.signed_out)
bp.add_url_rule("/activate", "activate", views.activate, methods=["GET", "POST"])
bp.add_url_rule("/leave", "leave", views.leave, methods=["POST"])
