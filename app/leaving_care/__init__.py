from flask import Blueprint

bp = Blueprint("leaving_care", __name__)

from app.leaving_care import views  # noqa: E402,F401
