from flask import Blueprint

bp = Blueprint("promise", __name__)

from app.promise import views  # noqa: E402,F401
