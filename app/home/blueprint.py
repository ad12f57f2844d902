"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.home import views

bp = Blueprint("home", __name__)


# views.py
bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/healthz", "healthz", views.healthz)
bp.add_url_rule("/help", "help", views.get_help)
