"""The Promise and the plan, as Maya and Priya use them on a phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


def test_maya_reads_her_promise_and_says_one_is_not_kept(page, axe):
    journey = AxeJourney(page, axe)
    sign_in(page, "maya")
    page.get_by_role("link", name="Our Promise to you").click()
    journey.check("Our Promise to you")
    expect(page.get_by_role("button", name="Read it to me")).to_be_visible()

    card = page.locator("li.promise-item", has_text="We ask you before any move")
    card.get_by_label("No", exact=True).check()
    card.get_by_label("Do you want to say more?").fill("Nobody asked me before I moved last time.")
    card.get_by_role("button", name="Save my answer").click()

    card = page.locator("li.promise-item", has_text="We ask you before any move")
    expect(card).to_contain_text("You said: no, this promise is not kept.")
    expect(card.get_by_role("heading", name="What you can do now")).to_be_visible()
    expect(card).to_contain_text("Tell Priya Natarajan")
    expect(card).to_contain_text("Make a complaint")
    expect(card.get_by_label("No", exact=True)).to_be_checked()
    journey.check("Our Promise to you")
    journey.assert_clean()


def test_priya_publishes_a_plan_and_maya_adds_what_she_thinks(new_context, axe):
    priya = new_context().new_page()
    journey = AxeJourney(priya, axe)
    sign_in(priya, "priya")
    priya.get_by_role("link", name="Maya", exact=True).click()
    journey.check("Maya")
    priya.get_by_role("link", name="Plan", exact=True).click()
    journey.check("Maya's plan")
    priya.get_by_role("button", name="Write a new version").click()
    journey.check("Draft plan for Maya")
    going_well = priya.locator("section.plan-section", has_text="What's going well")
    going_well.get_by_label("Words").fill("You got a certificate for art this term. Well done!")
    going_well.get_by_role("button", name="Save").click()
    expect(priya.get_by_role("status").first).to_contain_text("Saved.")
    priya.get_by_role("button", name="Publish this plan").click()
    expect(priya.get_by_text("Published.")).to_be_visible()
    journey.check("Maya's plan")
    journey.assert_clean()

    maya = new_context().new_page()
    journey = AxeJourney(maya, axe)
    sign_in(maya, "maya")
    maya.get_by_role("link", name="Your plan has changed").click()
    journey.check("My plan")
    section = maya.locator("section.plan-section", has_text="What's going well")
    expect(section).to_contain_text("You got a certificate for art this term.")
    section.get_by_label("What I think").fill("I want to do the art club again next term.")
    section.get_by_role("button", name="Tell my worker what I think").click()
    expect(maya.locator("section.plan-section", has_text="What's going well")).to_contain_text(
        "I want to do the art club again next term."
    )
    journey.check("My plan")
    maya.get_by_role("link", name="Version 1", exact=False).first.click()
    journey.check("My plan")
    expect(maya.get_by_text("This is an older version of your plan")).to_be_visible()
    journey.assert_clean()

    priya.reload()
    expect(priya.get_by_text("I want to do the art club again next term.")).to_be_visible()


def test_review_preparation_saves_as_she_types(new_context, axe):
    page = new_context().new_page()
    journey = AxeJourney(page, axe)
    sign_in(page, "riley")
    page.get_by_role("link", name="My next review").click()
    journey.check("My review")
    page.get_by_role("link", name="Get ready for my review").click()
    journey.check("Get ready for my review")
    page.get_by_label("What is going well for you?").fill("Football on Saturdays")
    expect(page.locator("[data-autosave-status]")).to_have_text("Saved", timeout=8000)
    page.reload()
    expect(page.get_by_label("What is going well for you?")).to_have_value("Football on Saturdays")
    journey.check("Get ready for my review")
    journey.assert_clean()


def test_staff_pages_for_plans_and_the_promise_are_accessible(new_context, axe):
    kim = new_context().new_page()
    journey = AxeJourney(kim, axe)
    sign_in(kim, "kim")
    journey.visit("/admin/promise", "The Promise")
    kim.locator("form", has=kim.get_by_role("button", name="Start a new draft")).first.get_by_role(
        "button"
    ).click()
    journey.check("Draft: Promise for up to 15")
    journey.visit("/admin/local-offer", "Local offer for care leavers")
    journey.assert_clean()

    tom = new_context().new_page()
    journey = AxeJourney(tom, axe)
    sign_in(tom, "tom")
    tom.get_by_role("link", name="Sam").click()
    tom.get_by_role("link", name="Health passport").click()
    journey.check("Sam's health passport")
    journey.assert_clean()

    sam = new_context().new_page()
    journey = AxeJourney(sam, axe)
    sign_in(sam, "sam")
    for path, heading in [
        ("/entitlements", "What I'm entitled to"),
        ("/health-passport", "My health passport"),
        ("/promise", "Our Promise to you at 16 and over"),
        ("/plan", "My pathway plan"),
    ]:
        journey.visit(path, heading)
    journey.assert_clean()


def test_saving_one_plan_section_keeps_what_was_typed_in_another(new_context, axe):
    # Finding 19: each section was its own form, so Save in one lost what was typed in the
    # others. Now one form holds every section's words.
    omar = new_context().new_page()
    journey = AxeJourney(omar, axe)
    sign_in(omar, "omar")
    omar.get_by_role("link", name="Riley", exact=True).click()
    omar.get_by_role("link", name="Plan", exact=True).click()
    omar.get_by_role("button", name="Write a new version").or_(
        omar.get_by_role("button", name="Carry on with the draft")
    ).click()
    journey.check("Draft plan for Riley")
    going_well = omar.locator("section.plan-section", has_text="What's going well")
    worried = omar.locator("section.plan-section", has_text="What we're worried about")
    going_well.get_by_label("Words").fill("Riley scored twice on Saturday.")
    worried.get_by_label("Words").fill("Riley is finding maths hard.")
    worried.get_by_role("button", name="Save").click()
    expect(omar.get_by_role("status").first).to_contain_text("Saved.")
    going_well = omar.locator("section.plan-section", has_text="What's going well")
    worried = omar.locator("section.plan-section", has_text="What we're worried about")
    expect(going_well.get_by_label("Words")).to_have_value("Riley scored twice on Saturday.")
    expect(worried.get_by_label("Words")).to_have_value("Riley is finding maths hard.")
    omar.reload()
    expect(
        omar.locator("section.plan-section", has_text="What's going well").get_by_label("Words")
    ).to_have_value("Riley scored twice on Saturday.")
    journey.check("Draft plan for Riley")
    journey.assert_clean()
