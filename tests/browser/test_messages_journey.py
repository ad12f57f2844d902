"""Messages on a phone: Jordan writes to Tom, Tom answers from his inbox, Jordan sees the
answer and that his message was read. Every page on the way is checked with axe-core."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


def test_jordan_and_tom_message_each_other(new_context, axe):
    jordan = new_context().new_page()
    journey = AxeJourney(jordan, axe)
    sign_in(jordan, "jordan")
    jordan.get_by_role("link", name="My people").first.click()
    journey.check("My people")
    jordan.get_by_role("link", name="Send a message to Tom Ellery").click()
    journey.check("Messages with Tom Ellery")
    jordan.get_by_label("Write to Tom Ellery").fill("Can you help me open a bank account?")
    jordan.get_by_role("button", name="Send").click()
    expect(jordan.get_by_text("Sent to Tom Ellery.")).to_be_visible()
    mine = jordan.locator(".message", has_text="Can you help me open a bank account?")
    expect(mine).to_contain_text("Not read yet")
    journey.check("Messages with Tom Ellery")

    tom = new_context().new_page()
    inbox = AxeJourney(tom, axe)
    sign_in(tom, "tom")
    tom.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    inbox.check("Messages")
    conversation = tom.locator(".inbox .card", has_text="Jordan")
    expect(conversation).to_contain_text("unread")
    conversation.get_by_role("link").click()
    inbox.check("Messages: Jordan")
    expect(tom.get_by_text("Can you help me open a bank account?")).to_be_visible()
    tom.get_by_label("Your answer").fill("Yes. Bring your passport on Thursday.")
    tom.get_by_role("button", name="Send").click()
    expect(tom.get_by_text("Sent.", exact=True)).to_be_visible()
    inbox.check("Messages: Jordan")

    jordan.reload()
    expect(jordan.get_by_text("Yes. Bring your passport on Thursday.")).to_be_visible()
    expect(mine).to_contain_text("Read ")
    journey.check("Messages with Tom Ellery")

    for path, heading in (
        ("/messages", "Messages"),
        ("/talk", "Ask to talk"),
        ("/not-safe", "I don't feel safe"),
    ):
        journey.visit(path, heading)
    journey.assert_clean()
    inbox.visit("/account/card", "My card")
    inbox.assert_clean()


def test_maya_tells_priya_she_does_not_feel_safe(new_context, axe):
    maya = new_context().new_page()
    journey = AxeJourney(maya, axe)
    sign_in(maya, "maya")
    maya.goto("/not-safe")
    journey.check("I don't feel safe")
    maya.get_by_label("Where are you? (you do not have to say)").fill("At the bus station")
    expect(maya.get_by_text("Who gets your message")).to_be_visible()
    maya.get_by_role("button", name="Send now").click()
    journey.check("You told us")
    expect(maya.get_by_role("link", name="In danger right now? Call 999")).to_be_visible()
    journey.assert_clean()

    kim = new_context().new_page()
    manager = AxeJourney(kim, axe)
    sign_in(kim, "kim")
    manager.visit("/admin/response-times", "Response times")
    priya = new_context().new_page()
    worker = AxeJourney(priya, axe)
    sign_in(priya, "priya")
    worker.visit("/inbox", "Messages")
    expect(priya.locator(".inbox .card").first).to_contain_text("Urgent")
    manager.assert_clean()
    worker.assert_clean()
