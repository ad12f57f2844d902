from flask import Blueprint

bp = Blueprint("contact", __name__)


@bp.app_context_processor
def _words():
    from app.contact.words import PART_ABOUT, part_name

    return {"part_name": part_name, "part_about": PART_ABOUT}


@bp.context_processor
def _today():
    from app.timeutil import london_today

    return {"today": london_today()}


from app.contact import staff_views, views  # noqa: E402,F401
