"""Personal pages stay off the phone: never stored by the browser or the service worker,
and signing out empties every cache."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import (
    BROWSER,
    assert_accessible,
    cached_urls,
    is_shell,
    service_worker_scope,
    sign_in,
    wait_until,
)

pytestmark = BROWSER


def test_personal_pages_are_sent_no_store(page):
    sign_in(page, "maya")
    for path in ("/", "/account"):
        response = page.goto(path)
        assert response.status == 200
        assert response.headers["cache-control"] == "no-store", path


def test_signing_out_leaves_no_personal_page_in_any_cache(context, page, axe):
    sign_in(page, "maya")
    service_worker_scope(page)
    page.goto("/account")
    page.goto("/help")
    before = cached_urls(page)
    assert [url for urls in before.values() for url in urls if not is_shell(url)] == []
    # Stands in for a personal page that an older worker, or anything else, once stored:
    # signing out must clear it along with everything else.
    page.evaluate(
        """async () => {
          const cache = await caches.open("left-behind");
          await cache.put("/", new Response("Hi Maya"));
          await cache.put("/care/young-people/1", new Response("Maya Fenwick-Adeyemi"));
        }"""
    )

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    wait_until(
        page,
        """async () => {
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            for (const request of await cache.keys()) {
              const path = new URL(request.url).pathname;
              if (path !== "/offline" && !path.startsWith("/static/")) return false;
            }
          }
          return true;
        }""",
    )
    caches = cached_urls(page)
    assert "left-behind" not in caches
    assert [url for urls in caches.values() for url in urls if not is_shell(url)] == []
    assert_accessible(page, axe)

    # The worker keeps its shell again, so the phone still has the offline page.
    wait_until(page, 'caches.match("/offline").then(Boolean)')
    context.set_offline(True)
    try:
        page.goto("/")
        expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    finally:
        context.set_offline(False)

    # The session really ended: home asks to sign in again.
    page.goto("/")
    assert "/login" in page.url
    assert "Maya" not in page.content()
