"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.voice import staff_views, views

bp = Blueprint("voice", __name__)


# views.py
bp.add_url_rule("/speak-up", "speak_up", views.index)
bp.add_url_rule("/complaints/new", "new_complaint", views.new_complaint, methods=["GET", "POST"])
bp.add_url_rule("/complaints/<int:complaint_id>", "my_complaint", views.my_complaint)
bp.add_url_rule(
    "/complaints/<int:complaint_id>/next-stage", "ask_next_stage", views.ask_next_stage, methods=["POST"]
)
bp.add_url_rule("/advocate", "advocate", views.ask_advocate, methods=["GET", "POST"])
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/complaint",
    "complain_for",
    views.complain_for,
    methods=["GET", "POST"],
)
bp.add_url_rule("/care/complaints", "shared_list", views.shared_list)
bp.add_url_rule("/care/complaints/<int:complaint_id>", "shared_complaint", views.shared_complaint)
bp.add_url_rule("/thanks/new", "new_thanks", views.say_thanks, methods=["GET", "POST"])
bp.add_url_rule("/thanks", "thanks", views.my_thanks)

# staff_views.py
bp.add_url_rule("/officer/complaints", "officer_list", staff_views.officer_list)
bp.add_url_rule("/officer/complaints/<int:complaint_id>", "officer_complaint", staff_views.officer_complaint)
bp.add_url_rule(
    "/officer/complaints/<int:complaint_id>/<what>",
    "officer_step",
    staff_views.officer_step,
    methods=["POST"],
)
bp.add_url_rule("/officer/advocacy", "officer_advocacy", staff_views.officer_advocacy)
bp.add_url_rule(
    "/officer/advocacy/<int:request_id>/<what>",
    "officer_advocacy_step",
    staff_views.officer_advocacy_step,
    methods=["POST"],
)
bp.add_url_rule("/admin/speak-up", "speak_up_counts", staff_views.counts)
