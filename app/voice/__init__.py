from flask import Blueprint

bp = Blueprint("voice", __name__)

from app.voice import officer, views  # noqa: E402,F401
