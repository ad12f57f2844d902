from flask import Blueprint, current_app, g

bp = Blueprint("safety", __name__)


@bp.app_context_processor
def _help_numbers():
    def out_of_hours_phone() -> str:
        """The out-of-hours team's number as the manager set it (asked once a page)."""
        if "out_of_hours_phone" not in g:
            from app.safety.service import out_of_hours_phone as lookup

            g.out_of_hours_phone = lookup(current_app.config["OUT_OF_HOURS_PHONE"])
        return g.out_of_hours_phone

    return {"out_of_hours_phone": out_of_hours_phone}
