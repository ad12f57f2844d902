"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.reviews import views

bp = Blueprint("reviews", __name__)


# views.py
bp.add_url_rule("/review", "my_review", views.my_review)
bp.add_url_rule("/review/prepare", "prepare", views.prepare, methods=["GET", "POST"])
bp.add_url_rule("/care/young-people/<int:young_person_id>/reviews/book", "book", views.book, methods=["POST"])
bp.add_url_rule("/care/young-people/<int:young_person_id>/reviews/held", "held", views.held, methods=["POST"])
