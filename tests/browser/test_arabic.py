"""Arabic, a right-to-left language: chosen on the account page, or asked for by the
browser, the pages say lang="ar" dir="rtl" and still pass axe-core."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER

# The catalog is optional here: lang and dir come from the locale even without it.
ARABIC_CATALOG = Path(__file__).resolve().parents[2] / "app/translations/ar/LC_MESSAGES/messages.mo"


def html_language(page) -> tuple[str, str]:
    lang, direction = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    return lang, direction


def test_choosing_arabic_on_the_account_page(page, axe):
    sign_in(page, "sam")
    assert html_language(page) == ("en-GB", "ltr")

    page.goto("/account")
    page.get_by_label("العربية").check()
    page.get_by_role("button", name="Save language").click()
    page.wait_for_url("**/account")
    try:
        assert html_language(page) == ("ar", "rtl")
        expect(page.get_by_label("العربية")).to_be_checked()
        if ARABIC_CATALOG.exists():
            expect(page.get_by_role("heading", level=1)).not_to_have_text("My account")

        journey = AxeJourney(page, axe)
        journey.check()
        journey.visit("/")
        assert html_language(page) == ("ar", "rtl")
        journey.visit("/help")
        assert html_language(page) == ("ar", "rtl")
        journey.assert_clean()
    finally:
        # The live server's accounts are shared by every browser test: Sam goes back to
        # English for the others.
        page.goto("/account")
        page.get_by_label("English").check()
        page.locator('form[action="/account/language"] button[type="submit"]').click()
        page.wait_for_url("**/account")
        assert html_language(page) == ("en-GB", "ltr")


def test_a_browser_asking_for_arabic_gets_it_before_signing_in(new_context, axe):
    page = new_context(locale="ar", extra_http_headers={"Accept-Language": "ar"}).new_page()
    journey = AxeJourney(page, axe)
    for path in ("/login", "/help", "/offline"):
        journey.visit(path)
        assert html_language(page) == ("ar", "rtl"), path
    journey.assert_clean()
