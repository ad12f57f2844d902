from flask import Blueprint

bp = Blueprint("votes", __name__)

from app.votes import views  # noqa: E402,F401
