"""Security headers, caching rules, the PWA files and languages."""

from __future__ import annotations

import json
import struct

import pytest

from tests.conftest import csrf_token
from tests.factories import create_worker, create_young_person, records


@pytest.fixture
def maya(app, client_for):
    """A test client signed in as a young person, Maya."""
    with records(app):
        create_young_person("maya", preferred_name="Maya")
    return client_for("maya")


def test_every_response_carries_the_security_headers(maya):
    for path in [
        "/",
        "/login",
        "/nope",
        "/manifest.webmanifest",
        "/sw.js",
        "/static/css/app.css",
        "/healthz",
    ]:
        headers = maya.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp, path
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]


def test_personal_pages_are_never_stored(maya):
    for path in ["/", "/account", "/help"]:
        assert maya.get(path).headers["Cache-Control"] == "no-store", path


def test_static_shell_may_be_cached(client):
    assert client.get("/static/css/app.css").headers.get("Cache-Control") != "no-store"


def test_templates_have_no_inline_scripts_styles_or_outside_urls():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parent.parent / "app"
    for path in list((root / "templates").rglob("*.html")) + list((root / "static").rglob("*.css")):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\sstyle=", text), path
        assert "<style" not in text, path
        assert not re.search(r"(src|href)=\"https?://", text), path


def test_manifest_makes_the_app_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Northshire Care Companion"
    assert manifest["theme_color"].startswith("#")
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        png = client.get(icon["src"]).data
        width, height = struct.unpack(">II", png[16:24])
        assert f"{width}x{height}" == icon["sizes"]


def test_service_worker_is_served_at_the_root_with_a_versioned_cache(client):
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert 'const SHELL_CACHE = "shell-' in body
    assert "/offline" in body and "/static/css/app.css" in body
    # Pages are never put in the cache: only the shell list is.
    assert "cache.put" not in body


def test_offline_page_says_nothing_personal_even_when_signed_in(maya):
    html = maya.get("/offline").get_data(as_text=True)
    assert "You are offline" in html
    assert "Maya" not in html and "Sign out" not in html


def test_quick_exit_is_on_every_page(app, client, client_for):
    for path in ["/login", "/activate", "/help", "/offline", "/nope"]:
        assert "data-quick-exit" in client.get(path).get_data(as_text=True), path
    with records(app):
        create_worker("priya")
    assert "Leave this site quickly" in client_for("priya").get("/care/young-people").get_data(as_text=True)


def test_install_page_has_iphone_steps(client):
    html = client.get("/install").get_data(as_text=True)
    assert "Add to Home Screen" in html and "data-install-button" in html


def test_browser_language_picks_arabic_right_to_left(client):
    html = client.get("/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html


def test_person_language_setting_wins_over_the_browser(maya):
    token = csrf_token(maya, "/account")
    response = maya.post(
        "/account/language", data={"locale": "ar", "csrf_token": token}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    html = maya.get("/", headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert 'dir="rtl"' in html


def test_arabic_catalog_translates_the_pages(client):
    import pathlib

    if not (
        pathlib.Path(__file__).resolve().parent.parent / "app/translations/ar/LC_MESSAGES/messages.mo"
    ).exists():
        pytest.fail("Arabic catalog is not compiled (tests/conftest.py compiles it at the start)")
    html = client.get("/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert "Leave this site quickly" not in html
    assert "Sign in" not in html


def test_unknown_language_is_refused(maya):
    token = csrf_token(maya, "/account")
    html = maya.post("/account/language", data={"locale": "xx", "csrf_token": token}).get_data(as_text=True)
    assert "Not a valid choice" in html or "Choose a language" in html


def test_a_huge_body_is_refused_before_it_is_read_with_a_page_in_plain_words(client):
    response = client.post(
        "/login",
        data=b"username=" + b"a" * (9 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "That was too much to send" in response.get_data(as_text=True)


def test_a_form_of_ordinary_size_is_still_read(client):
    # 100,000 characters in a field (the hostile-input size) is well within the limits.
    response = client.post("/login", data={"username": "x" * 100_000, "password": "y"})
    assert response.status_code in (200, 400)


def test_an_activation_code_names_the_public_address_whatever_the_host_header(app):
    from types import SimpleNamespace

    from flask import render_template

    person = SimpleNamespace(username="ada", display_name="Ada")
    with app.test_request_context("/admin/people/new", headers={"Host": "evil.example"}):
        html = render_template("_partials/activation_code.html", person=person, code="ABCD")
    assert "evil.example" not in html
    assert "http://127.0.0.1:5000/activate" in html


def test_production_answers_only_for_its_public_host(monkeypatch):
    from app import create_app

    monkeypatch.setenv("PUBLIC_URL", "https://care.northshire.example")
    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.5")
    app = create_app(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "x" * 40,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "WEB_CONCURRENCY": "1",
        }
    )
    assert app.config["TRUSTED_HOSTS"] == ["care.northshire.example", "10.0.0.5"]
    assert app.test_client().get("/healthz", headers={"Host": "evil.example"}).status_code == 400
