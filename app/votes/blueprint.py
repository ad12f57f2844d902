"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.votes import views

bp = Blueprint("votes", __name__)


# views.py
bp.add_url_rule("/votes", "index", views.index)
bp.add_url_rule("/votes/<int:vote_id>", "vote", views.vote, methods=["GET", "POST"])
bp.add_url_rule("/admin/votes", "manage", views.manage, methods=["GET", "POST"])
bp.add_url_rule("/admin/votes/<int:vote_id>", "results", views.results, methods=["GET", "POST"])
