"""The passport on a phone: marking a skill with no signal, and renaming it by vote."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Skill, SkillEvent, User
from app.timeutil import london_today
from tests.browser.helpers import BROWSER, AxeJourney, service_worker_scope, sign_in

pytestmark = BROWSER


def test_maya_marks_a_skill_offline_and_it_is_sent_once(page, context, live_server, axe):
    journey = AxeJourney(page, axe)
    sign_in(page, "maya")
    service_worker_scope(page)
    page.goto("/passport")
    journey.check("Passport to Independence")
    with live_server.app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.key == "ride_a_bike_safely"))
        skill_id, title = skill.id, skill.title
        maya_id = db.session.scalar(select(User.id).where(User.username == "maya"))

    context.set_offline(True)
    card = page.locator(f"#skill-{skill_id}")
    card.get_by_role("button", name="I'm learning this").click()
    waiting = page.locator("[data-offline-queue-status]")
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text(title)
    journey.check("Passport to Independence")

    context.set_offline(False)
    page.wait_for_load_state()
    expect(page.locator(f"#skill-{skill_id}")).to_contain_text("Learning", timeout=10_000)
    expect(page.locator("[data-offline-queue-status]")).to_be_hidden()
    with live_server.app.app_context():
        events = db.session.scalars(
            select(SkillEvent).where(SkillEvent.young_person_id == maya_id, SkillEvent.skill_id == skill_id)
        ).all()
    assert len(events) == 1 and events[0].to_step.value == "learning"
    journey.assert_clean()


def test_a_vote_renames_the_passport_everywhere(new_context, axe):
    kim = new_context().new_page()
    journey = AxeJourney(kim, axe)
    sign_in(kim, "kim")
    kim.goto("/admin/votes")
    journey.check("Votes")
    kim.get_by_label("Question").fill("Which name do you like best?")
    kim.get_by_label("A new name for the passport").check()
    kim.get_by_label("Options, one on each line").fill("Life Kit\nNext Steps")
    kim.get_by_label("Young people").check()
    kim.get_by_label("Voting closes on").fill((london_today() + timedelta(days=7)).isoformat())
    kim.get_by_role("button", name="Start the vote").click()
    expect(kim.get_by_role("heading", level=1)).to_have_text("Which name do you like best?")
    vote_url = kim.url.replace("/admin/votes/", "/votes/")
    journey.check()

    for name, choice in (("maya", "Life Kit"), ("jordan", "Life Kit"), ("sam", "Next Steps")):
        page = new_context().new_page()
        voter = AxeJourney(page, axe)
        sign_in(page, name)
        page.goto(vote_url)
        page.get_by_label(choice).check()
        page.get_by_role("button", name="Vote").click()
        expect(page.get_by_text("Your vote is saved.")).to_be_visible()
        voter.check("Which name do you like best?")
        voter.assert_clean()

    kim.get_by_role("button", name="Close the vote now").click()
    kim.locator("tr", has_text="Life Kit").get_by_role("button").click()
    expect(kim.get_by_text("Adopted: Life Kit.")).to_be_visible()
    journey.check()
    journey.assert_clean()

    maya = new_context().new_page()
    sign_in(maya, "maya")
    expect(maya.get_by_role("link", name="Life Kit")).to_be_visible()
    maya.goto("/passport")
    expect(maya.get_by_role("heading", level=1)).to_have_text("Life Kit")
    AxeJourney(maya, axe).check("Life Kit")


def test_an_offline_change_survives_the_sign_in_ending_and_is_not_shown_to_someone_else(
    page, context, live_server
):
    sign_in(page, "jordan")
    service_worker_scope(page)
    page.goto("/passport")
    with live_server.app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.key == "store_food_safely"))
        skill_id, title = skill.id, skill.title
        jordan_id = db.session.scalar(select(User.id).where(User.username == "jordan"))
    context.set_offline(True)
    page.locator(f"#skill-{skill_id}").get_by_role("button", name="I'm learning this").click()
    expect(page.locator("[data-offline-queue-status]")).to_contain_text(title)

    # The sign-in ends while the phone is offline (an idle sign-out), then signal returns.
    context.clear_cookies()
    context.set_offline(False)
    page.wait_for_timeout(500)
    # Someone else signs in on this phone: they neither see nor send Jordan's change.
    sign_in(page, "sam")
    page.goto("/passport")
    expect(page.locator("[data-offline-queue-status]")).to_be_hidden()
    page.goto("/")
    page.locator('form[action="/logout"] button').click()

    sign_in(page, "jordan")
    page.goto("/passport")
    expect(page.locator(f"#skill-{skill_id}")).to_contain_text("Learning", timeout=10_000)
    with live_server.app.app_context():
        events = db.session.scalars(
            select(SkillEvent).where(SkillEvent.young_person_id == jordan_id, SkillEvent.skill_id == skill_id)
        ).all()
    assert len(events) == 1
