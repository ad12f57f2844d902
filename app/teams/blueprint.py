"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.teams import views

bp = Blueprint("teams", __name__, url_prefix="/admin")

bp.add_url_rule("/teams", "teams", views.teams)
bp.add_url_rule("/teams/new", "new_team", views.new_team, methods=["GET", "POST"])
bp.add_url_rule("/teams/<int:team_id>", "team", views.team, methods=["GET", "POST"])
bp.add_url_rule("/safety", "safety", views.safety)
