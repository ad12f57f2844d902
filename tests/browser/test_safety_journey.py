""" "I don't feel safe" in a real browser on a phone: the young person sees who will get it and
how much room is left as they type, sends it, and sees what is happening; staff open the
alert, take it on and close it with what was done. axe-core checks every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


def test_the_counter_says_how_much_room_is_left_and_nothing_is_cut(new_context, axe):
    jordan = new_context().new_page()
    journey = AxeJourney(jordan, axe)
    sign_in(jordan, "jordan")
    jordan.goto("/not-safe")
    journey.check("I don't feel safe")
    expect(jordan.get_by_label("Whoever is there")).to_be_checked()
    expect(jordan.get_by_label("Tom Ellery, your personal adviser")).to_be_visible()
    box = jordan.get_by_label("What is happening? (you do not have to say)")
    box.fill("a" * 17_000)
    expect(jordan.get_by_text("You can write 3,000 more characters.")).to_be_visible()
    box.fill("a" * 21_000)
    expect(
        jordan.get_by_text("That is 1,000 characters more than we can send. We will send the first 20,000.")
    ).to_be_visible()
    # The browser does not cut it, and too much never stops it going.
    assert len(box.input_value()) == 21_000
    jordan.get_by_role("button", name="Send now").click()
    journey.check("You told us")
    expect(jordan.get_by_text("so we sent the first 20,000 characters", exact=False)).to_be_visible()
    journey.assert_clean()


def _newest_alert(live_server) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import SafetyAlert

    with live_server.app.app_context():
        newest = db.session.scalar(select(func.max(SafetyAlert.id)))
        db.session.remove()
    return newest


def test_maya_sends_it_and_staff_take_it_on_and_close_it(new_context, axe, live_server):
    maya = new_context().new_page()
    young = AxeJourney(maya, axe)
    sign_in(maya, "maya")
    maya.goto("/not-safe")
    expect(maya.get_by_role("heading", name="Who gets your message")).to_be_visible()
    maya.get_by_label("Where are you? (you do not have to say)").fill("Outside the library")
    maya.get_by_role("button", name="Send now").click()
    young.check("You told us")
    expect(maya.get_by_text(re.compile(r"^Sent on \w+day \d+ \w+ at \d\d:\d\d\.$"))).to_be_visible()
    expect(maya.get_by_role("link", name="Shout: text SHOUT to 85258")).to_be_visible()
    expect(maya.get_by_role("link", name="Chat to Childline online")).to_be_visible()
    assert maya.title() == "Care Companion"  # nothing in the app switcher says why

    kim = new_context().new_page()
    staff = AxeJourney(kim, axe)
    sign_in(kim, "kim")
    staff.check()
    kim.get_by_role("link", name="Urgent alerts").first.click()
    staff.check("Urgent alerts")
    # Other journeys may have left alerts of Maya's open: this one is the newest.
    expect(kim.get_by_role("link", name="Maya does not feel safe").first).to_be_visible()
    staff.visit(f"/alerts/{_newest_alert(live_server)}", "Maya does not feel safe")
    expect(kim.get_by_text("Outside the library").first).to_be_visible()
    kim.get_by_role("button", name="I've got this").click()
    expect(kim.get_by_text("You have taken this on.")).to_be_visible()
    staff.check("Maya does not feel safe")

    kim.get_by_role("button", name="Close the alert").click()
    expect(kim.locator("[data-error-summary]").last).to_contain_text("Choose what was done.")
    staff.check("Maya does not feel safe")
    kim.get_by_label("Spoke to the young person").check()
    kim.get_by_label("What happened, and what happens next").fill("Rang Maya; Alex collected her.")
    kim.get_by_role("button", name="Close the alert").click()
    expect(kim.get_by_text("The alert is closed, with what was done.")).to_be_visible()
    staff.check("Maya does not feel safe")

    maya.reload()
    expect(maya.get_by_text("Kim Ashworth (a manager) is on it", exact=False)).to_be_visible()
    expect(maya.get_by_text("Kim Ashworth (a manager) has done something about this now.")).to_be_visible()

    hana = new_context().new_page()
    manager = AxeJourney(hana, axe)
    sign_in(hana, "hana")
    manager.check("Hello Hana Osei")
    manager.visit("/alerts", "Urgent alerts")
    young.assert_clean()
    staff.assert_clean()
    manager.assert_clean()
