"""Our static files: versioned URLs, a year in the browser's cache, compressed once.

`url_for('static', filename=...)` adds `?v=` and the first characters of the file's SHA-256,
so a changed file has a new URL and a phone never keeps an old stylesheet. A request that
carries the current version may be kept for a year without asking again (`immutable`);
any other request for the same file (a page cached before the file changed, a hand-typed
URL) is still served, but the browser must check again before it reuses it.

Why this and not WhiteNoise: WhiteNoise serves precompressed files that a build step writes
beside the originals, and it decides what is immutable from the path alone, so versions
would have to go into file names (Django's manifest storage does that; Flask has none).
Our dozen small files are read, hashed and compressed (Brotli and gzip, at their best
levels) once per process, in memory, when first asked for; gunicorn's workers then answer
from memory, and there is nothing to build or keep in step with the sources. A file edited
while the app runs (development) is noticed by its modification time.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import brotli
from flask import Flask, current_app
from werkzeug.security import safe_join
from werkzeug.wrappers import Request, Response

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

ONE_YEAR = 365 * 24 * 60 * 60
VERSION_LENGTH = 12
# Text compresses well; PNGs (and anything else) are compressed already.
COMPRESSIBLE = frozenset(
    {"text/css", "text/javascript", "application/javascript", "image/svg+xml", "text/plain"}
)
# Below this, the encoding's own framing costs about what it saves.
MIN_COMPRESS_SIZE = 500
# Best first, as browsers that send both get the smaller one.
ENCODINGS = ("br", "gzip")


@dataclass(frozen=True)
class StaticFile:
    """One file as it was read: its bytes, version and the encodings that are smaller."""

    mtime_ns: int
    size: int
    mimetype: str
    version: str
    body: bytes
    encoded: dict[str, bytes] = field(default_factory=dict)


def _compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(body, quality=11)
    # mtime=0: the same file always gives the same bytes, so every worker serves the same.
    return gzip.compress(body, compresslevel=9, mtime=0)


def _read(path: Path, stat: os.stat_result) -> StaticFile:
    body = path.read_bytes()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    encoded: dict[str, bytes] = {}
    if mimetype in COMPRESSIBLE and len(body) >= MIN_COMPRESS_SIZE:
        for encoding in ENCODINGS:
            smaller = _compress(body, encoding)
            if len(smaller) < len(body):
                encoded[encoding] = smaller
    return StaticFile(
        mtime_ns=stat.st_mtime_ns,
        size=stat.st_size,
        mimetype=mimetype,
        version=hashlib.sha256(body).hexdigest()[:VERSION_LENGTH],
        body=body,
        encoded=encoded,
    )


class StaticFiles:
    """The files under one folder, each read when first asked for and again when it
    changes on disk."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._files: dict[str, StaticFile] = {}
        self._lock = threading.Lock()

    def get(self, filename: str) -> StaticFile | None:
        """The file, or None when there is no such file under the folder."""
        joined = safe_join(self.folder, filename)
        if joined is None:
            return None
        path = Path(joined)
        try:
            stat = path.stat()
        except OSError:
            return None
        if not path.is_file():
            return None
        known = self._files.get(filename)
        if known is not None and known.mtime_ns == stat.st_mtime_ns and known.size == stat.st_size:
            return known
        with self._lock:
            fresh = _read(path, stat)
            self._files[filename] = fresh
        return fresh

    def version(self, filename: str) -> str | None:
        found = self.get(filename)
        return found.version if found else None


def _chosen_encoding(request: Request, found: StaticFile) -> str | None:
    accepted = request.accept_encodings
    best: tuple[float, str] | None = None
    for encoding in ENCODINGS:
        quality = accepted[encoding]
        if encoding in found.encoded and quality > 0 and (best is None or quality > best[0]):
            best = (quality, encoding)
    return best[1] if best else None


def respond(request: Request, found: StaticFile, headers: dict[str, str]) -> Response:
    """The file (compressed when the browser asks), cached for a year when the URL carries
    its current version, checked again each time when not."""
    encoding = _chosen_encoding(request, found)
    body = found.encoded[encoding] if encoding else found.body
    response = Response(body, mimetype=found.mimetype, headers=headers)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    # Each encoding is its own representation, so each has its own validator.
    response.set_etag(f"{found.version}-{encoding or 'identity'}")
    response.vary.add("Accept-Encoding")
    if request.args.get("v") == found.version:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


class StaticMiddleware:
    """Answers GET and HEAD for files under the static URL before Flask sees the request:
    no session, no user, no database, and so no `Vary: Cookie`, which would make a browser
    fetch every file again after signing in. Anything it does not hold (a missing file)
    goes on to the app, whose 404 page answers."""

    def __init__(
        self, wsgi_app: WSGIApplication, files: StaticFiles, prefix: str, headers: dict[str, str]
    ) -> None:
        self.wsgi_app = wsgi_app
        self.files = files
        self.prefix = prefix.rstrip("/") + "/"
        self.headers = headers

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            found = self.files.get(path[len(self.prefix) :])
            if found is not None:
                response = respond(Request(environ), found, self.headers)
                return response(environ, start_response)
        return self.wsgi_app(environ, start_response)


def _add_version(endpoint: str, values: dict) -> None:
    if endpoint != "static" or "v" in values or "filename" not in values:
        return
    version = current_app.extensions["static_files"].version(values["filename"])
    if version:
        values["v"] = version


def init_app(app: Flask) -> None:
    """Static files through StaticMiddleware, and every `url_for('static', ...)` versioned.
    Flask's own static rule stays: url_for builds from it."""
    from app import security

    if app.static_folder is None:
        return
    files = StaticFiles(app.static_folder)
    app.extensions["static_files"] = files
    app.url_defaults(_add_version)
    app.wsgi_app = StaticMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, files, app.static_url_path or "/static", security.static_headers(app)
    )
