"""Making a complaint on a phone: the draft survives leaving the page, and sending it gives
a reference and the date of the answer."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import AdvocacyRequest, Complaint, User
from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


def test_jordan_starts_a_complaint_comes_back_to_the_draft_and_sends_it(page, live_server, axe):
    journey = AxeJourney(page, axe)
    sign_in(page, "jordan")
    journey.visit("/", "Hi Jordan")
    page.get_by_role("link", name="Speak up: complain, get an advocate, say thank you").click()
    journey.check("Speak up")
    page.get_by_role("link", name="Make a complaint").click()
    journey.check("Make a complaint")

    # He starts, and it is saved as he types.
    page.get_by_label("What happened?").fill("My room was searched while I was at college.")
    expect(page.locator("[data-autosave-status]")).to_have_text("Saved", timeout=10_000)

    # He leaves the page, and comes back later.
    page.get_by_role("link", name="Back to Speak up").click()
    journey.check("Speak up")
    page.get_by_role("link", name="Finish my complaint").click()
    journey.check("Make a complaint")
    expect(page.get_by_text("You started this before. Here is what you wrote.")).to_be_visible()
    expect(page.get_by_label("What happened?")).to_have_value("My room was searched while I was at college.")

    # Sending without the rest: told what is missing, nothing lost.
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Tell us what would make it better.")
    journey.check("Make a complaint")
    expect(page.get_by_label("What happened?")).to_have_value("My room was searched while I was at college.")

    page.get_by_label("What would make it better?").fill("Ask me first, and let me be there.")
    page.get_by_label("Yes, please").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My complaint")
    reference = page.locator(".big-date").first.inner_text()
    assert re.fullmatch(r"NC-\d{4}-\d{4}", reference)
    expect(page.get_by_text("What happens next")).to_be_visible()
    expect(page.get_by_text("We will answer by:")).to_be_visible()
    journey.check("My complaint")

    with live_server.app.app_context():
        jordan = db.session.scalar(select(User.id).where(User.username == "jordan"))
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert complaint.young_person_id == jordan and complaint.wants_advocate
        assert db.session.scalar(
            select(AdvocacyRequest.id).where(AdvocacyRequest.complaint_id == complaint.id)
        )

    page.get_by_role("link", name="Back to Speak up").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    journey.check("Speak up")
    journey.assert_clean()


def test_speak_up_pages_for_young_people_are_accessible(page, axe):
    journey = AxeJourney(page, axe)
    sign_in(page, "sam")
    journey.visit("/speak-up", "Speak up")
    page.locator(".card__title a").first.click()  # his closed complaint, with "not happy"
    journey.check("My complaint")
    expect(page.get_by_role("heading", name="I'm not happy with the answer")).to_be_visible()
    journey.visit("/advocate", "Get an advocate")
    journey.visit("/thanks/new", "Say thank you")
    page.get_by_role("button", name="Send my thank you").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check("Say thank you")
    journey.assert_clean()


def test_speak_up_pages_for_staff_are_accessible(new_context, axe):
    lee = new_context().new_page()
    journey = AxeJourney(lee, axe)
    sign_in(lee, "lee")
    journey.visit("/officer/complaints", "Complaints")
    lee.locator("tbody tr").first.get_by_role("link").click()
    journey.check()
    journey.visit("/officer/advocacy", "Advocacy requests")
    journey.visit("/thanks", "Thank yous for you")
    journey.assert_clean()

    kim = new_context().new_page()
    journey = AxeJourney(kim, axe)
    sign_in(kim, "kim")
    journey.visit("/admin/speak-up", "Complaints, advocacy and compliments")
    journey.assert_clean()

    alex = new_context().new_page()
    journey = AxeJourney(alex, axe)
    sign_in(alex, "alex")
    alex.get_by_role("link", name="Make a complaint for Maya").click()
    journey.check("Make a complaint for Maya")
    alex.get_by_role("button", name="Send").click()
    expect(alex.locator("[data-error-summary]")).to_be_visible()
    journey.check("Make a complaint for Maya")
    journey.visit("/thanks", "Thank yous for you")
    journey.assert_clean()

    priya = new_context().new_page()
    journey = AxeJourney(priya, axe)
    sign_in(priya, "priya")
    journey.visit("/care/complaints", "Complaints shared with you")
    journey.assert_clean()
