"""The manager's teams and cover pages over HTTP: the teams list, adding and changing a
team, one duty team only, two managers editing at once, putting people in teams, and the
urgent alerts cover page with and without Notify."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.safety import TeamKind
from app.extensions import db
from app.models import AuditEvent, Team, User
from tests.conftest import page_html as _html
from tests.conftest import post_form as _post
from tests.conftest import sign_in

NOT_CONFIGURED = (
    "GOV.UK Notify is not set up, so nobody is sent a text or an email. To send them, set "
    "NOTIFY_API_KEY and a template: see the README."
)


def _team(app, name) -> Team:
    with app.app_context():
        return db.session.scalar(select(Team).where(Team.name == name))


def _team_form(team: Team, **changes) -> dict:
    """What the change form posts for `team` as it is, with `changes`."""
    data = {
        "name": team.name,
        "kind": team.kind.value,
        "manager_id": str(team.manager_id or 0),
        "phone": team.phone or "",
        "days": list(team.days),
        "opens_at": team.opens_at.strftime("%H:%M"),
        "closes_at": team.closes_at.strftime("%H:%M"),
        "version": str(team.version),
    }
    return data | changes


# The teams page ----------------------------------------------------------------------------


def test_manager_sees_every_team_with_its_kind_manager_members_phone_and_hours(login_as):
    html = _html(login_as("kim"), "/admin/teams")
    for words in (
        "Children in care team",
        "Leaving care team",
        "Duty team",
        "Out-of-hours team",
        "Workers' team",
        "Hana Osei",
        "Priya Natarajan",
        "Omar Haddad",
        "Tom Ellery",
        "Nia Brennan",
        "Ezra Quinlan",
        "01632 960300",
        "01632 960999",
        "Monday to Friday, 9:00 to 17:00",
        "evenings, nights, weekends and bank holidays",
        "Add a team",
        'href="/admin/safety"',
    ):
        assert words in html, words


def test_manager_adds_a_team_and_it_is_audited(app, login_as):
    kim = login_as("kim")
    response = _post(
        kim,
        "/admin/teams/new",
        name="  Fostering   team ",
        kind="casework",
        manager_id="0",
        phone="01632 960400",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/teams")
    html = _html(kim, "/admin/teams")
    assert "Saved: Fostering team." in html and "01632 960400" in html
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Fostering team"))
        assert team.kind is TeamKind.CASEWORK and team.manager_id is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "team_created"))
        assert event.detail["team_id"] == team.id


def test_manager_changes_the_duty_teams_phone_and_hours(app, login_as, demo):
    kim = login_as("kim")
    duty = _team(app, "Duty team")
    response = _post(
        kim,
        f"/admin/teams/{duty.id}",
        **_team_form(
            duty, phone="01632 960333", days=["0", "1", "2", "3"], opens_at="08:30", closes_at="16:30"
        ),
    )
    assert response.status_code == 302
    changed = _team(app, "Duty team")
    assert changed.phone == "+441632960333" and changed.days == "0123"
    assert changed.opens_at.strftime("%H:%M") == "08:30" and changed.version == duty.version + 1
    assert "Monday to Thursday, 8:30 to 16:30" in _html(kim, "/admin/safety")


def test_there_can_be_only_one_duty_team(app, login_as):
    kim = login_as("kim")
    response = _post(kim, "/admin/teams/new", name="Second duty", kind="duty", manager_id="0", days=["0"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is already a duty team. There can only be one" in html
    assert 'value="Second duty"' in html  # what was typed is still there
    # Nor can another team become a second out-of-hours team.
    leaving = _team(app, "Leaving care team")
    html = _post(kim, f"/admin/teams/{leaving.id}", **_team_form(leaving, kind="out_of_hours")).get_data(
        as_text=True
    )
    assert "There is already an out-of-hours team" in html
    with app.app_context():
        assert db.session.scalar(select(Team).where(Team.name == "Second duty")) is None
        assert db.session.get(Team, leaving.id).kind is TeamKind.CASEWORK


def test_team_names_are_unique_and_duty_hours_must_make_sense(app, login_as):
    kim = login_as("kim")
    html = _post(kim, "/admin/teams/new", name="duty TEAM", kind="casework", manager_id="0").get_data(
        as_text=True
    )
    assert "There is already a team with that name" in html
    duty = _team(app, "Duty team")
    html = _post(
        kim, f"/admin/teams/{duty.id}", **_team_form(duty, opens_at="17:00", closes_at="09:00")
    ).get_data(as_text=True)
    assert "The duty team must open before it closes." in html and 'value="17:00"' in html
    html = _post(kim, f"/admin/teams/{duty.id}", **_team_form(duty, days=[])).get_data(as_text=True)
    assert "Tick the days the duty team is open." in html
    assert _team(app, "Duty team").version == duty.version


def test_the_later_of_two_managers_editing_a_team_is_told(app, login_as):
    kim = login_as("kim")
    duty = _team(app, "Duty team")
    seen = _html(kim, f"/admin/teams/{duty.id}")
    assert f'name="version" type="hidden" value="{duty.version}"' in seen
    # Someone else saves the team meanwhile.
    with app.app_context():
        db.session.get(Team, duty.id).phone = "01632 960311"
        db.session.commit()
    response = _post(kim, f"/admin/teams/{duty.id}", **_team_form(duty, phone="01632 960322"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else changed this team while you were editing" in html
    assert 'value="01632 960322"' in html  # the later writer's words are kept
    assert _team(app, "Duty team").phone == "01632 960311"  # and nothing was overwritten
    # Saving again, now on top of the current version, works.
    again = _post(kim, f"/admin/teams/{duty.id}", **_team_form(_team(app, "Duty team"), phone="01632 960322"))
    assert again.status_code == 302 and _team(app, "Duty team").phone == "+441632960322"


def test_only_active_staff_who_can_manage_are_offered_as_team_manager(app, login_as, demo):
    kim = login_as("kim")
    html = _html(kim, "/admin/teams/new")
    manager_select = html.split('id="manager_id"')[1].split("</select>")[0]
    assert (
        "Hana Osei" in manager_select and "Kim Ashworth" in manager_select and "Nia Brennan" in manager_select
    )
    for name in ("Alex Marsh", "Lee Whitcombe", "Maya"):
        assert name not in manager_select


# People in teams ---------------------------------------------------------------------------


def test_manager_moves_a_worker_to_another_team_and_it_is_audited(app, login_as, demo):
    kim = login_as("kim")
    page = _html(kim, f"/admin/people/{demo['omar']}")
    assert "In Children in care team." in page and 'action="/admin/people/' in page
    duty = _team(app, "Duty team")
    response = _post(kim, f"/admin/people/{demo['omar']}/team", team_id=str(duty.id))
    assert response.status_code == 302
    html = _html(kim, response.headers["Location"])
    assert "Saved: Omar Haddad is in Duty team." in html and "In Duty team." in html
    with app.app_context():
        assert db.session.get(User, demo["omar"]).team_id == duty.id
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "team_changed"))
        assert event.actor_id == demo["kim"]
        assert event.detail == {
            "user_id": demo["omar"],
            "from_team_id": _team(app, "Children in care team").id,
            "to_team_id": duty.id,
        }
    # And out of every team.
    _post(kim, f"/admin/people/{demo['omar']}/team", team_id="0")
    with app.app_context():
        assert db.session.get(User, demo["omar"]).team_id is None


def test_moving_the_last_person_out_of_the_duty_team_warns_at_once(app, login_as, demo):
    kim = login_as("kim")
    casework = _team(app, "Children in care team")
    response = _post(kim, f"/admin/people/{demo['nia']}/team", team_id=str(casework.id))
    html = _html(kim, response.headers["Location"])
    assert "Nobody is in Duty team now, so urgent alerts in its hours go to the other team instead." in html
    # Moving someone who leaves others behind says nothing of the kind.
    moved = _post(kim, f"/admin/people/{demo['omar']}/team", team_id=str(_team(app, "Leaving care team").id))
    assert "Nobody is in" not in _html(kim, moved.headers["Location"])


def test_team_managers_and_managers_have_a_team_too_but_carers_do_not(app, login_as, demo):
    kim = login_as("kim")
    hana = _html(kim, f"/admin/people/{demo['hana']}")
    assert "Team manager" in hana and "Manages: Children in care team, Duty team." in hana
    assert 'name="team_id"' in _html(kim, f"/admin/people/{demo['kim']}")
    assert 'name="team_id"' not in _html(kim, f"/admin/people/{demo['alex']}")
    duty = _team(app, "Duty team")
    response = _post(kim, f"/admin/people/{demo['alex']}/team", team_id=str(duty.id))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, demo["alex"]).team_id is None


def test_manager_adds_a_team_manager(app, login_as):
    kim = login_as("kim")
    assert 'value="team_manager"' in _html(kim, "/admin/people/new")
    response = _post(kim, "/admin/people/new", full_name="Rae Lund", username="rae", role="team_manager")
    assert response.status_code == 200 and "data-activation-code" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "rae")).value == "team_manager"


# Urgent alerts: cover and settings -------------------------------------------------------


def test_cover_page_shows_the_duty_and_out_of_hours_teams_and_the_ladder(login_as):
    kim = login_as("kim")
    assert 'href="/admin/safety"' in _html(kim, "/")
    html = _html(kim, "/admin/safety")
    assert "Urgent alerts: cover and settings" in html
    duty, rest = html.split('id="duty-title"')[1].split('id="ooh-title"')
    assert "Monday to Friday, 9:00 to 17:00" in duty and "01632 960300" in duty and "Nia Brennan" in duty
    out_of_hours = rest.split('id="ladder-title"')[0]
    assert "01632 960999" in out_of_hours and "Ezra Quinlan" in out_of_hours
    assert "after 15 minutes" in html and "After 15 more minutes: the team manager." in html
    assert "the service managers (Kim Ashworth)" in html
    assert "Web push is not set up" in html
    assert NOT_CONFIGURED in html
    # The demo's duty and out-of-hours cover is complete; the leaving care team has no
    # manager, so that rung is passed over for Tom's young people, and the page says so.
    assert html.count("notice--error") == 1
    assert "These teams have no team manager" in html and ": Leaving care team." in html


def test_cover_page_warns_when_a_team_is_missing_or_empty(app, login_as, demo):
    kim = login_as("kim")
    with app.app_context():
        db.session.get(User, demo["nia"]).team_id = None  # the duty team is empty now
        db.session.scalar(select(Team).where(Team.kind == TeamKind.OUT_OF_HOURS)).kind = TeamKind.CASEWORK
        db.session.commit()
    html = _html(kim, "/admin/safety")
    assert "Nobody is in the duty team." in html
    assert "There is no out-of-hours team." in html
    assert "go straight to the service managers" in html


class TestWithNotifyAndPush:
    @pytest.fixture
    def app_settings(self):
        return {
            "NOTIFY_API_KEY": "test-key",
            "NOTIFY_SMS_TEMPLATE_ID": "sms-template",
            "VAPID_PRIVATE_KEY": "private",
            "VAPID_PUBLIC_KEY": "public",
            "SAFETY_ESCALATE_AFTER": timedelta(minutes=10),
        }

    def test_cover_page_says_notify_and_push_are_set_up(self, login_as):
        html = _html(login_as("kim"), "/admin/safety")
        assert "GOV.UK Notify is set up" in html and "There is no email template" in html
        assert NOT_CONFIGURED not in html
        assert "Web push is set up" in html
        assert "after 10 minutes" in html and "After 10 more minutes: the team manager." in html


def test_a_key_without_a_template_is_not_configured(app, login_as):
    app.config["NOTIFY_API_KEY"] = "test-key"
    assert NOT_CONFIGURED in _html(login_as("kim"), "/admin/safety")


def test_only_managers_reach_the_teams_and_cover_pages(app, demo):
    for username in ("priya", "hana", "lee", "alex", "maya"):
        client = app.test_client()
        sign_in(client, username)
        for path in ("/admin/teams", "/admin/teams/new", "/admin/safety"):
            assert client.get(path).status_code == 404, (username, path)


@pytest.mark.parametrize("phone", ["call the office lol", "12", "+44 7700 900+123", "0" * 16])
def test_a_team_phone_must_be_a_number_someone_can_ring(app, login_as, demo, phone):
    kim = login_as("kim")
    duty = _team(app, "Duty team")
    page = _html(kim, f"/admin/teams/{duty.id}")
    form = dict(re.findall(r'name="(\w+)" (?:type="hidden" )?value="([^"]*)"', page))
    response = _post(
        kim,
        f"/admin/teams/{duty.id}",
        **{
            **form,
            "name": "Duty team",
            "kind": "duty",
            "phone": phone,
            "days": ["0", "1"],
            "opens_at": "09:00",
            "closes_at": "17:00",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That does not look like a phone number." in html
    assert phone in html
    assert _team(app, "Duty team").phone == "+441632960300"
