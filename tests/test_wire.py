"""What crosses the wire: compressed responses, versioned static files kept for a year, and
the bytes a phone fetches (issue 14, "Small on the wire"; bench/sizes.py prints the same)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import brotli
import pytest
from flask import Response

from app.demo import DEMO_PASSWORD
from app.static_files import ONE_YEAR, StaticFiles
from bench import sizes
from tests.conftest import url
from tests.factories import create_young_person, records

STATIC = Path(__file__).resolve().parents[1] / "app" / "static"
VERSIONED = re.compile(r"^/static/(?P<file>[^?]+)\?v=(?P<version>[0-9a-f]{12})$")


@pytest.fixture
def maya(app, client_for):
    with records(app):
        create_young_person("maya", preferred_name="Maya")
    return client_for("maya")


def version_of(filename: str) -> str:
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]


def static_url(client, filename: str) -> str:
    return url(client, "static", filename=filename)


# Compression


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_pages_are_compressed_when_the_browser_asks(client, encoding):
    plain = client.get("/login").get_data()
    response = client.get("/login", headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = sizes.decode(response.get_data(), encoding)
    assert b"<form" in body and b'name="password"' in body
    # The same page (its CSRF token aside), in a fraction of the bytes.
    assert abs(len(body) - len(plain)) < 200
    assert len(response.get_data()) < len(plain) / 2
    assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_brotli_is_chosen_when_the_browser_takes_both(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"


def test_pages_are_not_compressed_when_the_browser_does_not_ask(client):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "deflate"}):
        response = client.get("/login", headers=headers)
        assert "Content-Encoding" not in response.headers, headers
        assert b'name="password"' in response.get_data()
        # A cache between the two must still keep them apart.
        assert "Accept-Encoding" in response.headers["Vary"]


def test_json_is_compressed(client):
    response = client.get("/manifest.webmanifest", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.get_data()))["start_url"] == "/?source=pwa"


def test_tiny_responses_are_not_compressed(client):
    response = client.get("/healthz", headers={"Accept-Encoding": "br, gzip"})
    assert len(response.get_data()) < 500
    assert "Content-Encoding" not in response.headers


def test_pictures_that_are_compressed_already_are_sent_as_they_are(client):
    path = static_url(client, "icons/icon-512.png")
    response = client.get(path, headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "icons/icon-512.png").read_bytes()


def test_a_streamed_response_is_compressed_as_it_goes(app):
    lines = [f"line {n}\n" * 20 for n in range(50)]

    @app.get("/test-stream")
    def stream():
        return Response((line for line in lines), mimetype="text/plain")

    client = app.test_client()
    for encoding, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get("/test-stream", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "Content-Length" not in response.headers
        assert decompress(response.get_data()).decode() == "".join(lines)


def test_the_service_worker_and_offline_page_are_compressed_and_still_work(client):
    script = client.get("/sw.js", headers={"Accept-Encoding": "br"})
    assert script.headers["Content-Encoding"] == "br"
    assert script.headers["Cache-Control"] == "no-cache"
    assert b"SHELL_CACHE" in brotli.decompress(script.get_data())
    offline = client.get("/offline", headers={"Accept-Encoding": "gzip"})
    assert b"You are offline" in gzip.decompress(offline.get_data())


# Static files


def test_every_static_url_on_a_page_carries_the_files_version(maya):
    html = maya.get("/").get_data(as_text=True)
    urls = re.findall(r'(?:href|src)="(/static/[^"]*)"', html)
    assert len(urls) >= 5  # stylesheet, scripts, icons
    for found in urls:
        match = VERSIONED.match(found.replace("&amp;", "&"))
        assert match, found
        assert match["version"] == version_of(match["file"]), found


def test_the_manifest_and_service_worker_name_versioned_files(client):
    manifest = client.get("/manifest.webmanifest").get_json()
    for icon in manifest["icons"]:
        assert VERSIONED.match(icon["src"]), icon["src"]
    script = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    statics = [path for path in shell if path.startswith("/static/")]
    assert statics and all(VERSIONED.match(path) for path in statics)
    assert static_url(client, "css/app.css") in shell


def test_a_versioned_static_file_is_kept_for_a_year(client):
    path = static_url(client, "css/app.css")
    response = client.get(path, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert response.mimetype == "text/css"
    cache = response.cache_control
    assert cache.public and cache.immutable and cache.max_age == ONE_YEAR == 31536000
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(response.get_data()) == (STATIC / "css/app.css").read_bytes()
    # The headers every response has are there too.
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # A browser that asks again (a reload) is told it has it already.
    again = client.get(path, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""


def test_each_encoding_has_its_own_validator(client):
    path = static_url(client, "css/app.css")
    tags = {
        client.get(path, headers={"Accept-Encoding": encoding}).headers["ETag"]
        for encoding in ("br", "gzip", "identity")
    }
    assert len(tags) == 3


def test_an_unversioned_or_old_static_url_is_still_served_but_checked_each_time(client):
    original = (STATIC / "js/app.js").read_bytes()
    for path in ("/static/js/app.js", "/static/js/app.js?v=000000000000"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get_data() == original
        assert response.cache_control.no_cache and not response.cache_control.immutable
        assert response.cache_control.max_age is None


def test_static_files_answer_head_requests(client):
    response = client.head(static_url(client, "css/app.css"))
    assert response.status_code == 200 and response.get_data() == b""


def test_a_missing_static_file_is_the_apps_404(client):
    for path in ("/static/nope.css", "/static/../config.py", "/static/%2e%2e/config.py"):
        assert client.get(path).status_code == 404, path


def test_static_files_never_touch_the_session(maya):
    """Vary: Cookie would make a browser fetch every file again after signing in."""
    response = maya.get(static_url(maya, "css/app.css"))
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers


def test_a_changed_file_gets_a_new_version(tmp_path):
    target = tmp_path / "css" / "x.css"
    target.parent.mkdir()
    target.write_text("body { color: red; }\n" * 40)
    files = StaticFiles(str(tmp_path))
    first = files.version("css/x.css")
    assert files.get("css/x.css") is files.get("css/x.css")  # read once
    target.write_text("body { color: blue; }\n" * 40)
    os.utime(target, ns=(1, 1))  # as if saved at another moment
    assert files.version("css/x.css") not in (None, first)
    assert files.version("css/nope.css") is None


def test_a_new_stylesheet_gives_the_service_worker_a_new_cache(tmp_path):
    from app.pwa import views

    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    (tmp_path / "templates" / "pwa").mkdir(parents=True)
    shutil.copy(STATIC.parent / "templates" / "pwa" / "sw.js", tmp_path / "templates" / "pwa")
    before = views.shell_version(str(static))
    with (static / "css" / "app.css").open("a") as css:
        css.write("\n.new-rule { color: red; }\n")
    views.shell_version.cache_clear()
    try:
        assert views.shell_version(str(static)) != before
    finally:
        views.shell_version.cache_clear()


# Sizes (limits from issue 14)


def test_a_phone_fetches_little(app, demo):
    visits = sizes.young_persons_visits(app.test_client(), "maya", DEMO_PASSWORD)
    by_page = {visit.path: visit for visit in visits}
    login, home = by_page["/login"], by_page["/"]
    assert login.total <= sizes.FIRST_VISIT_LIMIT, sizes.report(visits)
    assert home.total <= sizes.HOME_AFTER_LIMIT, sizes.report(visits)
    # After the first visit only pages are fetched, not the stylesheet or scripts again.
    for visit in (home, by_page["/passport"], by_page["/promise"]):
        assert not any(f.path.startswith(("/static/css", "/static/js")) for f in visit.fetched)
        assert all(f.status == 200 for f in visit.fetched), sizes.report(visits)
    # Everything of text that is worth it went compressed.
    for visit in visits:
        for fetched in visit.fetched:
            if fetched.uncompressed >= 1000 and not fetched.path.split("?")[0].endswith(".png"):
                assert fetched.encoding == "br", fetched
