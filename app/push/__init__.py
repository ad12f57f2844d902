from flask import Blueprint, g
from flask_login import current_user

bp = Blueprint("push", __name__)


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        """The bell's count, once per page: only what the notification centre would list."""
        from app.push.centre import unread_count
        from app.timeutil import london_today

        if "unread_notifications" not in g:
            g.unread_notifications = (
                unread_count(current_user.id, london_today()) if current_user.is_authenticated else 0
            )
        return g.unread_notifications

    return {"unread_notifications": unread_notifications}


from app.push import views  # noqa: E402,F401
