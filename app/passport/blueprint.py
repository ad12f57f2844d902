"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint, g

from app.passport import views

bp = Blueprint("passport", __name__)


@bp.app_context_processor
def _passport_name():
    def passport_name() -> str:
        """The passport's name on every page that names it: the one young people voted
        for once adopted, until then "Passport to Independence"."""
        from app.passport.service import adopted_name
        from app.passport.words import DEFAULT_NAME

        if "passport_name" not in g:
            g.passport_name = adopted_name()
        return g.passport_name or str(DEFAULT_NAME)

    return {"passport_name": passport_name}


# views.py
bp.add_url_rule("/passport", "my_passport", views.my_passport)
bp.add_url_rule("/passport/skills/<int:skill_id>", "my_skill", views.my_skill, methods=["GET", "POST"])
bp.add_url_rule("/passport/print", "print_summary", views.print_summary)
bp.add_url_rule("/care/young-people/<int:young_person_id>/passport", "passport_for", views.passport_for)
bp.add_url_rule(
    "/care/young-people/<int:young_person_id>/passport/skills/<int:skill_id>",
    "change_for",
    views.change_for,
    methods=["POST"],
)
bp.add_url_rule("/care/passport-queue", "queue", views.queue, methods=["GET", "POST"])
bp.add_url_rule("/admin/skills", "manage_skills", views.manage_skills)
bp.add_url_rule("/admin/skills/new", "save_skill", views.save_skill, methods=["POST"])
bp.add_url_rule("/admin/skills/<int:skill_id>", "save_skill", views.save_skill, methods=["POST"])
bp.add_url_rule(
    "/admin/skills/<int:skill_id>/<any(up, down, retire):change>",
    "change_skill",
    views.change_skill,
    methods=["POST"],
)
