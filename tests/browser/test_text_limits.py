"""A box with a limit, in a real browser: the counter says how much room is left as the
person types, turns into "too many" past the limit without cutting anything, is read out
politely and tied to its box, and works right to left. Autosave refuses an over-long draft
and says why, and the words stay on the page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


def test_the_counter_counts_down_and_says_too_many_without_cutting(new_context, axe):
    # Riley: no other browser journey writes a complaint for him.
    page = new_context().new_page()
    journey = AxeJourney(page, axe)
    sign_in(page, "riley")
    page.goto("/complaints/new")
    box = page.get_by_label("What would make it better?")
    counter = page.locator("#put_right-count")
    expect(counter).to_have_text("Characters left: 4,000")
    assert "put_right-count" in (box.get_attribute("aria-describedby") or "")
    assert counter.get_attribute("aria-live") == "polite"
    assert box.get_attribute("maxlength") is None

    box.fill("Say sorry")
    expect(counter).to_have_text("Characters left: 3,991")
    box.press_sequentially("!")
    expect(counter).to_have_text("Characters left: 3,990")

    # Pasted past the limit: kept whole, and the counter says by how much.
    box.fill("b" * 4_003)
    expect(counter).to_have_text("Too many characters: 3. Please make it shorter.")
    expect(counter).to_have_class("hint counter error-message counter--over")
    assert len(box.input_value()) == 4_003
    # Autosave refuses the whole draft and says which box and by how much.
    status = page.locator("[data-autosave-status]")
    expect(status).to_contain_text("3 characters too many")
    expect(status).to_contain_text("Not saved.")
    expect(status).to_have_class("autosave-status autosave-status--problem")
    assert len(box.input_value()) == 4_003
    journey.check()

    box.fill("b" * 4_000)
    expect(counter).to_have_text("Characters left: 0")
    expect(counter).not_to_have_class("hint counter error-message counter--over")
    journey.assert_clean()


def test_the_counter_works_right_to_left(new_context):
    context = new_context()
    page = context.new_page()
    sign_in(page, "riley")
    # Then the browser asks for Arabic (Riley has not chosen a language of his own).
    context.set_extra_http_headers({"Accept-Language": "ar"})
    page.goto("/complaints/new")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    box = page.locator("#put_right")
    counter = page.locator("#put_right-count")
    box.fill("ب" * 4_001)
    expect(counter).to_have_class("hint counter error-message counter--over")
    # The counter follows the page right to left, and the words stay as typed.
    assert counter.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    assert box.input_value() == "ب" * 4_001


def test_a_problems_link_shows_the_whole_field_below_the_sticky_header(new_context):
    page = new_context().new_page()  # a phone's screen (the browser tests' viewport)
    sign_in(page, "riley")
    page.goto("/complaints/new")
    page.get_by_label("What happened?").fill("a" * 4_050)
    page.get_by_role("button", name="Send").click()
    link = page.locator("[data-error-summary] a").first
    link.click()
    box = page.locator("#what_happened")
    expect(box).to_be_focused()
    label = page.locator("label[for=what_happened]")
    header_bottom = page.locator(".site-header").evaluate("(el) => el.getBoundingClientRect().bottom")
    assert label.evaluate("(el) => el.getBoundingClientRect().top") >= header_bottom
