"""Each URL of this feature, and the view that answers it."""

from __future__ import annotations

from flask import Blueprint

from app.pwa import views

bp = Blueprint("pwa", __name__)


# views.py
bp.add_url_rule("/manifest.webmanifest", "manifest", views.manifest)
bp.add_url_rule("/sw.js", "service_worker", views.service_worker)
bp.add_url_rule("/offline", "offline", views.offline)
bp.add_url_rule("/install", "install", views.install)
