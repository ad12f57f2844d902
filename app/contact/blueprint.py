"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.contact import staff_views, views

bp = Blueprint("contact", __name__)


@bp.app_context_processor
def _words():
    from app.contact.words import PART_ABOUT, part_name

    return {"part_name": part_name, "part_about": PART_ABOUT}


@bp.context_processor
def _today():
    from app.timeutil import london_today

    return {"today": london_today()}


# views.py
bp.add_url_rule("/people", "my_people", views.my_people)
bp.add_url_rule("/messages", "my_messages", views.my_messages)
bp.add_url_rule("/messages/<slug>", "conversation", views.conversation, methods=["GET", "POST"])
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/messages/<slug>",
    "carer_conversation",
    views.carer_conversation,
    methods=["GET", "POST"],
)
bp.add_url_rule("/talk", "talk", views.call_back, methods=["GET", "POST"])

# staff_views.py
bp.add_url_rule("/inbox", "inbox", staff_views.inbox)
bp.add_url_rule("/inbox/<int:thread_id>", "inbox_thread", staff_views.inbox_thread, methods=["GET", "POST"])
bp.add_url_rule("/account/card", "my_card", staff_views.my_card, methods=["GET", "POST"])
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/contacts",
    "contacts",
    staff_views.contacts,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/contacts/<int:contact_id>/end",
    "end_contact",
    staff_views.end_contact,
    methods=["POST"],
)
bp.add_url_rule("/admin/response-times", "response_times", staff_views.response_times)
