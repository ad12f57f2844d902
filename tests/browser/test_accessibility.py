"""axe-core finds nothing on the pages each kind of person reaches, on a phone-sized screen,
including forms shown with their errors."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import BROWSER, AxeJourney, sign_in

pytestmark = BROWSER


@pytest.fixture
def journey(page, axe):
    return AxeJourney(page, axe)


def test_pages_for_someone_not_signed_in(page, journey):
    journey.visit("/login", "Sign in")
    journey.visit("/activate", "Choose your password")
    journey.visit("/help", "Get help now")
    journey.visit("/install", "Put the app on your phone")
    journey.visit("/offline", "You are offline")
    journey.assert_clean()


def test_forms_shown_with_their_errors(page, journey):
    page.goto("/login")
    page.locator('input[name="username"]').fill("maya")
    page.locator('input[name="password"]').fill("not-her-password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_contain_text("do not match")
    # The person's input comes back; the password never does.
    expect(page.locator('input[name="username"]')).to_have_value("maya")
    journey.check("Sign in")

    page.goto("/login")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Enter your username.")
    expect(page.locator("[data-error-summary]")).to_be_focused()
    journey.check("Sign in")

    page.goto("/activate")
    page.locator('input[name="username"]').fill("maya")
    page.locator('input[name="code"]').fill("ABCD-EFGH-JKMN")
    page.get_by_role("button", name="Save my password").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check("Choose your password")
    journey.assert_clean()


def test_pages_for_a_young_person(page, journey):
    sign_in(page, "maya")
    journey.check("Hi Maya")
    journey.visit("/account", "My account")
    journey.visit("/help", "Get help now")
    journey.visit("/install", "Put the app on your phone")
    journey.visit("/offline", "You are offline")

    page.goto("/account")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("[data-error-summary]").first).to_be_visible()
    journey.check("My account")
    journey.assert_clean()


def test_pages_for_a_social_worker(page, journey):
    sign_in(page, "priya")
    journey.check("My young people")
    page.get_by_role("link", name="Maya", exact=True).click()
    journey.check("Maya")
    journey.visit("/care/young-people/new", "Add a young person")
    page.get_by_role("button", name="Add and make an activation code").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check("Add a young person")
    journey.assert_clean()


def test_pages_for_a_foster_carer(page, journey):
    sign_in(page, "alex")
    journey.check("Hello Alex Marsh")
    page.get_by_role("link", name="Maya", exact=True).click()
    journey.check("Maya")
    journey.assert_clean()


def test_pages_for_the_complaints_officer(page, journey):
    sign_in(page, "lee")
    journey.check("Hello Lee Whitcombe")
    journey.assert_clean()


def test_pages_for_a_service_manager(page, journey):
    sign_in(page, "kim")
    journey.check("Hello Kim Ashworth")
    journey.visit("/admin/people", "People")
    page.get_by_role("link", name="Maya Fenwick-Adeyemi").click()
    journey.check("Maya Fenwick-Adeyemi")
    page.goto("/admin/people")
    page.get_by_role("link", name="Alex Marsh").click()
    journey.check("Alex Marsh")
    page.goto("/admin/people?role=social_worker")
    page.get_by_role("link", name="Priya Natarajan").click()
    journey.check("Priya Natarajan")
    journey.visit("/admin/people/new", "Add a carer or member of staff")
    page.get_by_role("button", name="Add and make an activation code").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check("Add a carer or member of staff")
    journey.visit("/admin/young-people/new", "Add a young person")
    page.get_by_role("button", name="Add and make an activation code").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    journey.check("Add a young person")
    journey.assert_clean()


def test_teams_and_cover_pages_for_a_service_manager(page, journey):
    sign_in(page, "kim")
    page.get_by_role("link", name="Urgent alerts: teams, cover and settings").click()
    journey.check("Urgent alerts: cover and settings")
    journey.visit("/admin/teams", "Teams")
    page.get_by_role("link", name="Duty team", exact=True).click()
    journey.check("Change Duty team")
    page.get_by_label("Closes at").fill("08:00")
    page.get_by_role("button", name="Save the team").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("must open before it closes")
    journey.check("Change Duty team")
    journey.visit("/admin/teams/new", "Add a team")
    page.get_by_label("Name").fill("Second duty")
    page.get_by_label("Duty team: takes urgent alerts in its opening hours", exact=False).check()
    page.get_by_role("button", name="Save the team").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("There is already a duty team")
    journey.check("Add a team")
    page.goto("/admin/people?role=team_manager")
    page.get_by_role("link", name="Hana Osei").click()
    journey.check("Hana Osei")
    journey.assert_clean()


def test_a_workers_card_with_its_problems(page, journey):
    sign_in(page, "tom")
    journey.visit("/account/card", "My card")
    page.get_by_label("Last day I am away").fill("2020-01-01")
    page.get_by_role("button", name="Save my card").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("must be today or later")
    journey.check("My card")
    journey.assert_clean()


def test_asking_to_talk_shows_only_the_chosen_workers_times(page, journey):
    sign_in(page, "jordan")
    journey.visit("/talk", "Ask to talk")
    times = page.locator("#call_time")
    # Priya is chosen first: Tom's late times are hidden by the page's script.
    expect(times.locator('option[value="17:30"]')).to_be_disabled()
    expect(times.locator('option[value="09:00"]')).to_be_enabled()
    page.get_by_label("Tom Ellery, personal adviser").check()
    expect(times.locator('option[value="09:00"]')).to_be_disabled()
    expect(times.locator('option[value="17:30"]')).to_be_enabled()
    page.get_by_role("button", name="Ask to talk").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("Pick a day and a time")
    journey.check("Ask to talk")
    journey.assert_clean()


def test_a_missing_page(page, journey):
    sign_in(page, "maya")
    page.goto("/care/young-people/999999")
    journey.check("We cannot find that page")
    journey.assert_clean()


# Pages that do something other than show a page, or are not ours to check.
NOT_PAGES = re.compile(r"^/(static/|sw\.js|manifest\.webmanifest|logout)")


def same_site_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "(links) => links.map((link) => link.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != origin:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not NOT_PAGES.match(path):
            paths.append(path)
    return paths


def page_shape(path: str) -> str:
    """/care/young-people/8 and /9 show the same template: one of them is enough. So are
    ?role=... and ?page=2."""
    return re.sub(r"\d+", "N", urlsplit(path).path)


# Checked for every role by the journeys above; the same template for everyone.
ALREADY_CHECKED = {"/help", "/install", "/account"}


@pytest.mark.parametrize(
    "username", ["maya", "jordan", "sam", "alex", "priya", "tom", "lee", "kim", "hana", "nia", "ezra"]
)
def test_every_page_two_links_from_home(page, journey, live_server, username):
    """New pages get checked without anyone having to list them here."""
    sign_in(page, username)
    journey.check()
    seen = {page_shape(page.url), *ALREADY_CHECKED}
    queue = [(path, 1) for path in same_site_links(page, live_server.url)]
    while queue:
        path, depth = queue.pop(0)
        if page_shape(path) in seen:
            continue
        seen.add(page_shape(path))
        journey.visit(path)
        if depth < 2:
            queue.extend((link, depth + 1) for link in same_site_links(page, live_server.url))
    print(f"{username}: checked {sorted(seen - ALREADY_CHECKED)}")
    journey.assert_clean()
