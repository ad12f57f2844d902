"""What makes the app installable and usable offline: manifest, service worker, offline
page and the install help page."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import current_app, render_template, url_for

from app.push.words import DISCREET

# The app shell: the only things the service worker keeps. None of it is personal.
SHELL_STATIC = (
    "css/app.css",
    "js/app.js",
    "js/read_aloud.js",
    "js/counter.js",
    "js/offline_queue.js",
    "js/push.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
)


@cache
def shell_version(static_folder: str) -> str:
    """Changes whenever any static file changes, so phones fetch the new shell."""
    digest = hashlib.sha256()
    for path in sorted(Path(static_folder).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(static_folder).as_posix().encode())
            digest.update(path.read_bytes())
    digest.update(Path(__file__).with_name("views.py").read_bytes())
    # The worker's own script too: a new worker starts with a new cache.
    digest.update((Path(static_folder).parent / "templates" / "pwa" / "sw.js").read_bytes())
    return digest.hexdigest()[:12]


def manifest():
    config = current_app.config
    icons = [
        {
            "src": url_for("static", filename="icons/icon-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": url_for("static", filename="icons/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": url_for("static", filename="icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    body = {
        "id": "/",
        "name": config["APP_NAME"],
        "short_name": config["APP_SHORT_NAME"],
        "description": config["COUNCIL_NAME"],
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": config["THEME_COLOUR"],
        "lang": "en-GB",
        "icons": icons,
    }
    response = current_app.json.response(body)
    response.mimetype = "application/manifest+json"
    return response


def service_worker():
    version = shell_version(current_app.static_folder)
    shell = [url_for("pwa.offline"), *(url_for("static", filename=f) for f in SHELL_STATIC)]
    response = current_app.make_response(
        render_template(
            "pwa/sw.js",
            version=version,
            shell=shell,
            offline=url_for("pwa.offline"),
            app_name=current_app.config["APP_NAME"],
            discreet=str(DISCREET),
            icon=url_for("static", filename="icons/icon-192.png"),
        )
    )
    response.mimetype = "text/javascript"
    # Browsers check for a new worker on every visit; never let a cache answer that check.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


def offline():
    """Kept by the service worker and shown when there is no signal. Says nothing personal."""
    return render_template("pwa/offline.html")


def install():
    return render_template("pwa/install.html")
