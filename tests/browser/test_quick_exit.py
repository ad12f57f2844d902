"""Leave this site quickly: a neutral page at once, and Back does not come back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, sign_in

pytestmark = BROWSER


def test_the_button_replaces_the_page_so_back_does_not_return(context, live_server):
    sign_in(context.new_page(), "maya")
    # A fresh tab whose history is: something ordinary, then the app.
    page = context.new_page()
    page.goto(live_server.exit_url + "?before")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi Maya")

    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")

    page.go_back()
    assert page.url == live_server.exit_url + "?before"
    assert "Maya" not in page.content()


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


def test_without_javascript_the_link_still_leaves(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/login")
    page.get_by_role("link", name="Leave this site quickly").click()
    page.wait_for_url(live_server.exit_url)
    expect(page).to_have_title("Weather")
