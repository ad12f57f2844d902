"""Leave this site quickly: a neutral page at once, the session ended on the server, and
Back (even from the browser's back/forward cache) shows nothing personal."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from app.models import LoginSession
from tests.broken_database import database_fails
from tests.browser.helpers import (
    BROWSER,
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    assert_accessible,
    layout_report,
    sign_in,
)

pytestmark = BROWSER

LEAVE = "Leave this site quickly"
# What someone picking up the phone afterwards must not see: who Maya is, who looks after
# her, and what she was doing.
PERSONAL = ("Maya", "Fenwick", "Priya", "Alex", "safe", "message")


def session_cookie(context) -> str:
    return next(cookie["value"] for cookie in context.cookies() if cookie["name"] == "session")


def wait_for_the_session_to_end(page: Page, live_server, cookie: str) -> None:
    """Waits until the server has ended the session this cookie belongs to. A person cannot
    press Back within milliseconds of leaving; a test can, before the beacon has arrived."""
    app = live_server.app
    token = app.session_interface.get_signing_serializer(app).loads(cookie)["_user_id"]
    digest = hashlib.sha256(token.encode()).hexdigest()
    for _ in range(50):
        with app.app_context():
            ended = db.session.scalar(select(LoginSession.ended_at).where(LoginSession.token_hash == digest))
            db.session.remove()
        if ended is not None:
            return
        page.wait_for_timeout(100)
    pytest.fail("the session was not ended on the server", pytrace=False)


def assert_nothing_personal(page: Page, live_server) -> None:
    """The page is the neutral site or the sign-in page, and says nothing about anyone."""
    if not page.url.startswith(live_server.exit_url):
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    html = page.content().lower()
    found = [word for word in PERSONAL if word.lower() in html]
    assert not found, f"{page.url} shows {found}"


def go_back_through_everything(page: Page, live_server) -> list[str]:
    """Presses Back until there is nowhere left to go; every page on the way says nothing."""
    seen = []
    for _ in range(8):
        if page.go_back() is None:
            break
        seen.append(page.url)
        assert_nothing_personal(page, live_server)
    return seen


def test_the_button_replaces_the_page_so_back_does_not_return(context, live_server):
    sign_in(context.new_page(), "maya")
    # A fresh tab whose history is: something ordinary, then the app.
    page = context.new_page()
    page.goto(live_server.exit_url + "?before")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi Maya")

    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")

    page.go_back()
    assert page.url == live_server.exit_url + "?before"
    assert "Maya" not in page.content()


def test_leaving_from_not_safe_signs_out_so_back_shows_nothing(context, live_server, new_context):
    page = context.new_page()
    sign_in(page, "maya")
    page.goto("/people")
    page.goto("/not-safe")
    cookie = session_cookie(context)

    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")
    wait_for_the_session_to_end(page, live_server, cookie)

    page.go_back()
    assert "/people" in page.url  # where she was before; the sign-in page now
    assert_nothing_personal(page, live_server)
    assert len(go_back_through_everything(page, live_server)) >= 2

    # Someone who copied the cookie before she left gets nothing with it.
    elsewhere = new_context()
    elsewhere.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
    other = elsewhere.new_page()
    other.goto("/")
    assert "/login" in other.url
    assert_nothing_personal(other, live_server)


def test_shift_three_times_from_a_conversation_signs_out(page, live_server):
    sign_in(page, "maya")
    page.goto("/people")
    page.goto("/messages/social-worker")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya")
    cookie = session_cookie(page.context)

    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")
    wait_for_the_session_to_end(page, live_server, cookie)

    page.go_back()
    assert_nothing_personal(page, live_server)
    go_back_through_everything(page, live_server)


def test_a_browser_without_beacons_signs_out_with_fetch(context, live_server):
    context.add_init_script("delete Navigator.prototype.sendBeacon")
    page = context.new_page()
    sign_in(page, "maya")
    cookie = session_cookie(context)
    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    wait_for_the_session_to_end(page, live_server, cookie)


def test_leaving_forgets_what_the_page_can_but_keeps_passport_ticks_waiting_for_a_signal(page, live_server):
    sign_in(page, "maya")
    page.goto("/people")
    waiting = '[{"owner": "x", "label": "Cook a meal", "fields": {"idempotency_key": "k1"}}]'
    page.evaluate(
        """async (waiting) => {
          localStorage.setItem("care-companion-offline-queue", waiting);
          sessionStorage.setItem("something", "personal");
          const cache = await caches.open("something-personal");
          await cache.put("/people", new Response("Maya"));
        }""",
        waiting,
    )

    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)

    page.goto(live_server.url + "/login")  # the same tab, back on the app's site
    assert page.evaluate("sessionStorage.length") == 0
    assert "something-personal" not in page.evaluate("caches.keys()")
    assert page.evaluate('localStorage.getItem("care-companion-offline-queue")') == waiting


def test_pressing_shift_three_times_leaves(page, live_server):
    sign_in(page, "maya")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")


def test_two_shift_presses_do_not_leave(page):
    page.goto("/login")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    expect(page).to_have_title(re.compile("^Sign in"))


def test_typing_capital_letters_does_not_leave(page):
    # Activation codes are in capitals, and passwords may have some: each capital is a
    # Shift press, and typing one must never throw a young person out of the app.
    page.goto("/activate")
    code = page.locator('input[name="code"]')
    code.focus()
    for letter in "ABCD":
        page.keyboard.press(f"Shift+Key{letter}")
    page.wait_for_timeout(300)
    expect(page).to_have_title(re.compile("^Choose your password"))
    expect(code).to_have_value("ABCD")


def test_without_javascript_the_button_still_leaves(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/login")
    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")


def test_without_javascript_leaving_signs_out_too(new_context, live_server):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "maya")
    page.goto("/not-safe")
    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    # The form's answer signed her out before the browser went on to the neutral site.
    page.go_back()
    assert_nothing_personal(page, live_server)


def test_leaving_from_a_missing_page_signs_out(context, live_server):
    page = context.new_page()
    sign_in(page, "maya")
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    cookie = session_cookie(context)

    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")
    wait_for_the_session_to_end(page, live_server, cookie)


def test_leaving_works_while_the_database_is_down(context, live_server, axe):
    page = context.new_page()
    sign_in(page, "maya")
    with database_fails(live_server.app, dropped=True):
        page.goto("/people")
        expect(page.get_by_role("heading", level=1)).to_have_text("Please try again in a minute")
        expect(page.get_by_role("link", name="In danger right now? Call 999")).to_be_visible()
        assert_accessible(page, axe)
        page.get_by_role("button", name=LEAVE).click()
        page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")
    page.goto(live_server.url + "/")  # this browser is signed out, whatever the server could do
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_sensitive_pages_have_a_neutral_title_for_the_app_switcher(page):
    sign_in(page, "maya")
    for path in ("/not-safe", "/messages/social-worker", "/speak-up", "/advocate"):
        page.goto(path)
        expect(page).to_have_title("Care Companion")
    page.goto("/people")
    expect(page).to_have_title("My people – Care Companion")


def test_the_button_is_accessible(page, axe):
    page.goto("/login")
    assert_accessible(page, axe)
    sign_in(page, "maya")
    page.goto("/not-safe")
    button = page.get_by_role("button", name=LEAVE)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44
    assert_accessible(page, axe)
    assert not layout_report(page)


# The back/forward cache. Playwright turns it off in the browsers it starts; a phone has it
# on, so these tests start one of their own with it on.


@pytest.fixture(scope="module")
def bfcache_browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield browser
    browser.close()


@pytest.fixture
def bfcache_page(bfcache_browser, live_server):
    context = bfcache_browser.new_context(viewport=PHONE, locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def remember_this_document(page: Page) -> None:
    page.evaluate("window.sameDocument = true")


def is_same_document(page: Page) -> bool:
    return page.evaluate("window.sameDocument === true")


def back_to_a_new_load(page: Page) -> None:
    """Back, then waits for a page to load. A page the cache brings back fires no load
    event; a signed-in one reloads itself at once, and that load is the one waited for."""
    with page.expect_event("load"):
        page.go_back(wait_until="commit")


def test_the_back_forward_cache_is_on_in_this_browser(bfcache_page, live_server):
    # Without this, the tests below would pass for the wrong reason.
    page = bfcache_page
    page.goto(live_server.exit_url + "?one")
    remember_this_document(page)
    page.goto(live_server.exit_url + "?two")
    page.go_back(wait_until="commit")
    expect(page).to_have_url(live_server.exit_url + "?one")
    assert is_same_document(page)


def test_a_signed_in_page_is_never_shown_from_the_back_forward_cache(bfcache_page):
    page = bfcache_page
    sign_in(page, "maya")
    page.goto("/people")
    remember_this_document(page)
    page.goto("/help")
    back_to_a_new_load(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("My people")
    assert not is_same_document(page)  # asked for again, so the server decides what it shows


def test_after_leaving_the_back_forward_cache_brings_back_nothing_personal(bfcache_page, live_server):
    page = bfcache_page
    sign_in(page, "maya")
    page.goto("/people")
    remember_this_document(page)
    page.goto("/not-safe")
    cookie = session_cookie(page.context)
    page.get_by_role("button", name=LEAVE).click()
    page.wait_for_url(live_server.exit_url)
    wait_for_the_session_to_end(page, live_server, cookie)

    back_to_a_new_load(page)
    assert not is_same_document(page)
    assert_nothing_personal(page, live_server)


def test_a_page_restored_from_memory_hides_and_reloads(page):
    # What app.js does when the browser says a signed-in page came from the cache.
    sign_in(page, "maya")
    page.goto("/people")
    remember_this_document(page)
    with page.expect_event("load"):
        page.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))")
    assert not is_same_document(page)
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
