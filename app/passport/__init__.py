from flask import Blueprint, g

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


from app.passport import views  # noqa: E402,F401
