"""The app as a phone app: its service worker, installability and what it shows offline."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    assert_accessible,
    cached_urls,
    is_shell,
    service_worker_scope,
    sign_in,
)

pytestmark = BROWSER


def test_signing_in_registers_the_service_worker_for_the_whole_site(page, live_server):
    sign_in(page, "maya")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi Maya")

    assert service_worker_scope(page) == live_server.url + "/"
    # The worker has kept its shell by now (it activates only after caching it), and
    # nothing else.
    caches = cached_urls(page)
    stored = [url for urls in caches.values() for url in urls]
    assert live_server.url + "/offline" in stored
    assert [url for url in stored if not is_shell(url)] == []


def test_chromium_finds_the_app_installable(playwright_driver, live_server, tmp_path):
    # Chromium never offers to install from an incognito-like context, so this one keeps
    # a profile on disk.
    context = playwright_driver.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        viewport=PHONE,
        base_url=live_server.url,
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto("/login")
        service_worker_scope(page)
        cdp = context.new_cdp_session(page)

        manifest = cdp.send("Page.getAppManifest")
        assert manifest["url"] == live_server.url + "/manifest.webmanifest"
        assert manifest["errors"] == []

        errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert errors == []
    finally:
        context.close()


def test_offline_the_worker_shows_the_offline_page_with_nothing_personal(context, page, axe):
    sign_in(page, "maya")
    service_worker_scope(page)

    context.set_offline(True)
    try:
        for path in ("/", "/account"):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
            html = page.content()
            assert "Maya" not in html
            assert "Fenwick" not in html
            expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        assert_accessible(page, axe)
    finally:
        context.set_offline(False)


def test_offline_the_offline_page_has_its_versioned_stylesheet_from_the_shell(context, page):
    sign_in(page, "maya")
    service_worker_scope(page)
    context.set_offline(True)
    try:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
        stylesheet = page.evaluate(
            """() => {
              const sheet = [...document.styleSheets].find((s) => s.href && s.href.includes("app.css"));
              return sheet ? { href: sheet.href, rules: sheet.cssRules.length } : null;
            }"""
        )
        assert stylesheet and "?v=" in stylesheet["href"] and stylesheet["rules"] > 10
        # A page from before the stylesheet changed asks for it without the version: offline,
        # the worker answers with the copy it keeps.
        status = page.evaluate("() => fetch('/static/css/app.css').then((r) => r.status, () => 'failed')")
        assert status == 200
    finally:
        context.set_offline(False)
