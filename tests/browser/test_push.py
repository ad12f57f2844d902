"""Reminders in a real browser: a push delivered to the service worker shows a notification
that says nothing about care, permission is never asked for on page load, and the settings
and notification pages pass axe-core."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from app.domain.reminders import Candidate, Reason
from app.extensions import db
from app.models import Notification, User
from app.push import service
from app.push.sender import generate_keys
from app.push.service import PayloadMaker
from app.timeutil import now_utc
from tests.browser.helpers import BROWSER, AxeJourney, service_worker_scope, sign_in, wait_until

pytestmark = BROWSER

NOTIFICATIONS = """navigator.serviceWorker.ready
  .then((registration) => registration.getNotifications())
  .then((list) => list.map((n) => ({ title: n.title, body: n.body, data: n.data })))"""


@pytest.fixture
def push_keys(live_server):
    """The live server with VAPID keys, for this test only."""
    private, public = generate_keys()
    config = live_server.app.config
    before = {k: config.get(k) for k in ("VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY")}
    config.update(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public)
    yield public
    config.update(before)


def payload_as_sent(app, show_details: bool) -> str:
    """Exactly what send-due would encrypt for a new plan version."""
    with app.app_context():
        note = Notification(id=41, reason=Reason.NEW_PLAN_VERSION, url="/plan")
        return PayloadMaker(app.config["APP_NAME"], "en_GB")(note, show_details, None).decode()


def registration_id(cdp, scope: str) -> str:
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        for registration in found:
            if registration["scopeURL"] == scope and not registration["isDeleted"]:
                return registration["registrationId"]
        cdp.send("Runtime.evaluate", {"expression": "1"})  # let the events arrive
    pytest.fail(f"no service worker registration for {scope}: {found}")


def deliver_a_push(new_context, live_server, username: str, *, show_details: bool) -> dict:
    """Signs in, delivers one push as the sender would send it, returns what was shown."""
    context = new_context()
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, username)
    scope = service_worker_scope(page)
    cdp = context.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id(cdp, scope),
            "data": payload_as_sent(live_server.app, show_details=show_details),
        },
    )
    wait_until(page, NOTIFICATIONS + ".then((list) => list.length > 0)")
    (shown,) = page.evaluate(NOTIFICATIONS)
    return shown


def test_a_push_shows_a_notification_that_says_nothing_about_care(new_context, live_server):
    shown = deliver_a_push(new_context, live_server, "maya", show_details=False)
    assert shown["title"] == live_server.app.config["APP_NAME"]
    assert shown["body"] == "You have something new"
    assert shown["data"] == {"url": "/notifications"}
    text = json.dumps(shown)
    assert "Maya" not in text and "plan" not in text.lower()


def test_a_push_with_details_chosen_says_what_it_is(new_context, live_server):
    shown = deliver_a_push(new_context, live_server, "jordan", show_details=True)
    assert shown["body"] == "There is a new version of your plan to read."
    assert shown["data"] == {"url": "/plan"}


def test_permission_is_asked_only_when_the_button_is_pressed(page, push_keys):
    sign_in(page, "maya")
    page.goto("/reminders")
    button = page.get_by_role("button", name="Turn on reminders on this phone")
    expect(button).to_be_visible()  # push.js found a browser that can get reminders
    expect(page.get_by_text("This browser cannot get reminders")).to_be_hidden()
    assert page.evaluate("Notification.permission") == "default"


@pytest.fixture
def some_notifications(live_server):
    """Two reminders for maya and one for priya; removed afterwards (the server is shared)."""
    app = live_server.app
    with app.app_context():
        users = dict(db.session.execute(select(User.username, User.id)).all())
        maya, priya = users["maya"], users["priya"]
        _, created = service.remind(
            [
                Candidate(maya, Reason.NEW_PLAN_VERSION, "plan:axe", maya, "/plan"),
                Candidate(maya, Reason.REVIEW_TOMORROW, "review:axe", maya, "/review"),
                Candidate(priya, Reason.SIGN_OFF_WAITING, "progress:axe", maya, "/care/passport-queue"),
            ],
            now_utc().replace(hour=12),
        )
        db.session.commit()  # as the sender would
    yield
    with app.app_context():
        db.session.execute(delete(Notification).where(Notification.id.in_(created)))
        db.session.commit()


@pytest.mark.parametrize("username", ["maya", "priya"])
def test_reminder_pages_pass_axe(page, axe, push_keys, some_notifications, username):
    journey = AxeJourney(page, axe)
    sign_in(page, username)
    page.get_by_role("link", name="Notifications").click()
    journey.check("Notifications")
    expect(page.get_by_role("button", name="Open").first).to_be_visible()
    journey.visit("/reminders", "Reminders")
    journey.assert_clean()
