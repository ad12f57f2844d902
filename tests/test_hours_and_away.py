"""A worker's hours and away period over HTTP: set on their card, checked in plain words,
told to young people and carers wherever they write, and "Ask to talk" offering only the
days and times the chosen worker works."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.domain.working_days import ENGLAND
from app.extensions import db
from app.models import StaffCard, Team
from app.timeutil import london_today
from tests.conftest import page_html as _html
from tests.conftest import post_form as _post

# In the demo, Priya works Monday to Thursday, 9:00 to 17:00; Tom Tuesday to Saturday,
# 10:00 to 18:00.
PRIYAS_DAYS = (0, 1, 2, 3)
TOMS_DAYS = (1, 2, 3, 4, 5)


def _long(day: date) -> str:
    """A date as young people read it: "Friday 11 December"."""
    return f"{day:%A} {day.day} {day:%B}"


def _next_day(days, after: date | None = None) -> date:
    """The first day after `after` (default today) that is one of `days` and not a bank
    holiday in England."""
    day = (after or london_today()) + timedelta(days=1)
    while day.weekday() not in days or day in ENGLAND:
        day += timedelta(days=1)
    return day


def _priyas_card(demo, **changes) -> dict:
    """Priya's card as the form posts it, with `changes`."""
    data = {
        "about_me": "I love board games.",
        "working_hours": "Monday to Thursday, 9am to 5pm",
        "work_days": ["0", "1", "2", "3"],
        "work_starts": "09:00",
        "work_ends": "17:00",
        "phone": "01632 960101",
        "email": "",
        "allow_call": "y",
        "away_from": "",
        "away_until": "",
        "away_cover_user_id": "0",
        "away_cover_team_id": "0",
        "version": "1",
    }
    return data | changes


def _options(html: str, select_id: str) -> list[str]:
    """The values offered by a select (not its "Choose…" option)."""
    select_html = html.split(f'id="{select_id}"')[1].split("</select>")[0]
    return [v for v in re.findall(r'value="([^"]*)"', select_html) if v]


# The card ----------------------------------------------------------------------------------


def test_a_last_day_away_in_the_past_is_refused_keeping_what_was_typed(app, login_as, demo):
    priya = login_as("priya")
    yesterday = london_today() - timedelta(days=1)
    response = _post(
        priya,
        "/account/card",
        **_priyas_card(
            demo,
            about_me="My new words",
            away_until=yesterday.isoformat(),
            away_cover_user_id=str(demo["omar"]),
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last day you are away must be today or later." in html
    assert "My new words" in html and f'value="{yesterday.isoformat()}"' in html
    assert f'selected value="{demo["omar"]}"' in html
    with app.app_context():
        assert db.session.get(StaffCard, demo["priya"]).away_until is None


def test_no_one_to_contact_instead_is_refused(app, login_as, demo):
    priya = login_as("priya")
    until = london_today() + timedelta(days=5)
    html = _post(priya, "/account/card", **_priyas_card(demo, away_until=until.isoformat())).get_data(
        as_text=True
    )
    assert "Choose who young people should contact while you are away." in html
    assert f'value="{until.isoformat()}"' in html


def test_a_first_day_after_the_last_or_two_covers_are_refused(login_as, demo):
    priya = login_as("priya")
    today = london_today()
    html = _post(
        priya,
        "/account/card",
        **_priyas_card(
            demo,
            away_from=(today + timedelta(days=6)).isoformat(),
            away_until=(today + timedelta(days=5)).isoformat(),
            away_cover_user_id=str(demo["omar"]),
        ),
    ).get_data(as_text=True)
    assert "The first day you are away must be on or before the last day." in html
    html = _post(
        priya,
        "/account/card",
        **_priyas_card(
            demo,
            away_until=(today + timedelta(days=5)).isoformat(),
            away_cover_user_id=str(demo["omar"]),
            away_cover_team_id="1",
        ),
    ).get_data(as_text=True)
    assert "Choose a person or a team, not both." in html


def test_working_hours_must_have_a_day_and_finish_after_they_start(login_as, demo):
    priya = login_as("priya")
    html = _post(priya, "/account/card", **_priyas_card(demo, work_days=[])).get_data(as_text=True)
    assert "Tick the days you work." in html
    html = _post(
        priya, "/account/card", **_priyas_card(demo, work_starts="17:00", work_ends="09:00")
    ).get_data(as_text=True)
    assert "The time you finish must be after the time you start." in html and 'value="17:00"' in html


def test_an_away_period_is_told_wherever_a_young_person_or_carer_writes(app, client_for, login_as, demo):
    priya = login_as("priya")
    until = london_today() + timedelta(days=7)
    response = _post(
        priya,
        "/account/card",
        **_priyas_card(demo, away_until=until.isoformat(), away_cover_user_id=str(demo["omar"])),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        card = db.session.get(StaffCard, demo["priya"])
        assert (card.away_from, card.away_until, card.away_cover_user_id) == (
            london_today(),
            until,
            demo["omar"],
        )
    told = f"Priya Natarajan is away until {_long(until)}."
    maya = client_for("maya")
    for path in ("/talk", "/messages", "/messages/social-worker", "/people"):
        html = _html(maya, path)
        assert told in html and "contact: Omar Haddad" in html, path
    alex = client_for("alex")
    html = _html(alex, f"/care/young-people/{demo['maya']}/messages/social-worker")
    assert told in html and "contact: Omar Haddad" in html
    # Tom is not away: Jordan's /talk tells of Priya only.
    html = _html(client_for("jordan"), "/talk")
    assert told in html and "Tom Ellery is away" not in html


def test_clearing_the_last_day_ends_the_away_period(app, client_for, login_as, demo):
    priya = login_as("priya")
    until = (london_today() + timedelta(days=3)).isoformat()
    with app.app_context():
        duty = db.session.scalar(select(Team.id).where(Team.name == "Duty team"))
    assert (
        _post(
            priya, "/account/card", **_priyas_card(demo, away_until=until, away_cover_team_id=str(duty))
        ).status_code
        == 302
    )
    assert "is away until" in _html(client_for("maya"), "/people")
    assert 'href="tel:+441632960300"' in _html(client_for("maya"), "/messages/social-worker")
    assert _post(priya, "/account/card", **_priyas_card(demo, version="2")).status_code == 302
    with app.app_context():
        card = db.session.get(StaffCard, demo["priya"])
        assert card.away_until is None and card.away_from is None and card.away_cover_team_id is None
    assert "is away until" not in _html(client_for("maya"), "/people")


def test_an_away_period_over_already_is_not_shown_on_the_card(app, login_as, demo):
    with app.app_context():
        card = db.session.get(StaffCard, demo["priya"])
        card.away_until, card.away_cover_user_id = london_today() - timedelta(days=2), demo["omar"]
        db.session.commit()
    html = _html(login_as("priya"), "/account/card")
    assert 'id="away_until" name="away_until" type="date" value=""' in html
    # So saving the card as it is ends it, rather than being refused.
    assert _post(login_as("priya"), "/account/card", **_priyas_card(demo, version="2")).status_code == 302


def test_an_away_period_still_to_come_is_not_told_yet_but_its_days_are_not_offered(
    app, client_for, login_as, demo
):
    priya = login_as("priya")
    first = _next_day(PRIYAS_DAYS, london_today() + timedelta(days=1))
    response = _post(
        priya,
        "/account/card",
        **_priyas_card(
            demo,
            away_from=first.isoformat(),
            away_until=first.isoformat(),
            away_cover_user_id=str(demo["omar"]),
        ),
    )
    assert response.status_code == 302
    maya = client_for("maya")
    assert "is away until" not in _html(maya, "/people")
    offered = _options(_html(maya, "/talk"), "call_day")
    assert first.isoformat() not in offered and offered
    response = _post(
        maya,
        "/talk",
        worker_kind="social_worker",
        way="phone",
        call_day=first.isoformat(),
        call_time="10:00",
        body="Hi",
    )
    html = response.get_data(as_text=True)
    assert (
        response.status_code == 200
        and f"Priya Natarajan is away until {_long(first)}. Pick a day after that." in html
    )


def test_hours_on_the_card_are_what_young_people_read_and_can_pick(app, client_for, login_as, demo):
    priya = login_as("priya")
    response = _post(
        priya,
        "/account/card",
        **_priyas_card(
            demo, work_days=["0", "2"], work_starts="09:30", work_ends="12:00", working_hours="Mornings"
        ),
    )
    assert response.status_code == 302
    maya = client_for("maya")
    people = _html(maya, "/people")
    assert "When I work: Monday and Wednesday, 9:30 to 12:00" in people and "Mornings" in people
    talk = _html(maya, "/talk")
    assert {date.fromisoformat(d).weekday() for d in _options(talk, "call_day")} <= {0, 2}
    assert _options(talk, "call_time") == ["09:30", "10:00", "10:30", "11:00", "11:30"]


def test_a_carers_card_has_no_hours_or_away(app, login_as, demo):
    alex = login_as("alex")
    html = _html(alex, "/account/card")
    for name in ("work_days", "work_starts", "away_until", "away_cover_user_id"):
        assert f'name="{name}"' not in html
    with app.app_context():
        version = db.session.get(StaffCard, demo["alex"]).version
    response = _post(
        alex, "/account/card", about_me="Pancakes on Sunday.", working_hours="", version=str(version)
    )
    assert response.status_code == 302
    with app.app_context():
        card = db.session.get(StaffCard, demo["alex"])
        assert card.about_me == "Pancakes on Sunday." and card.work_days == "01234"


# Ask to talk -------------------------------------------------------------------------------


def test_talk_offers_only_the_days_and_times_priya_works(login_as):
    html = _html(login_as("maya"), "/talk")
    days = [date.fromisoformat(d) for d in _options(html, "call_day")]
    assert days and {d.weekday() for d in days} <= set(PRIYAS_DAYS)  # no Friday, no weekend
    assert not any(d in ENGLAND for d in days)
    assert all(london_today() <= d < london_today() + timedelta(days=21) for d in days)
    times = _options(html, "call_time")
    assert times[0] == "09:00" and times[-1] == "16:30" and len(times) == 16
    assert "Priya Natarajan works Monday to Thursday, 9:00 to 17:00." in html


def test_talk_refuses_a_time_when_priya_does_not_work_keeping_what_was_typed(login_as):
    maya = login_as("maya")
    friday = _next_day((4,))
    response = _post(
        maya,
        "/talk",
        worker_kind="social_worker",
        way="alone",
        call_day=friday.isoformat(),
        call_time="10:00",
        body="About school",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Priya works Monday to Thursday, 9:00 to 17:00. Pick a time when they work." in html
    assert "About school" in html and 'checked class="choice__input" id="way-2"' in html


def test_with_two_workers_the_time_must_fit_the_one_chosen(app, login_as):
    jordan = login_as("jordan")
    html = _html(jordan, "/talk")
    monday = _next_day((0,))
    # Both workers' days are offered, each marked with whose it is (for the page's script).
    assert f'data-for="social_worker" value="{monday.isoformat()}"' in html
    assert 'data-for="personal_adviser" value="17:30"' in html
    response = _post(
        jordan,
        "/talk",
        worker_kind="personal_adviser",
        way="phone",
        call_day=monday.isoformat(),
        call_time="11:00",
        body="About my flat",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tom works Tuesday to Saturday, 10:00 to 18:00. Pick a time when they work." in html
    assert "About my flat" in html and f'selected value="{monday.isoformat()}"' in html
    assert 'checked class="choice__input" id="worker_kind-1"' in html
    tuesday = _next_day((1,))
    too_early = _post(
        jordan,
        "/talk",
        worker_kind="personal_adviser",
        way="phone",
        call_day=tuesday.isoformat(),
        call_time="09:00",
    )
    assert "Tom works Tuesday to Saturday" in too_early.get_data(as_text=True)
    # The same Monday suits Priya.
    fine = _post(
        jordan,
        "/talk",
        worker_kind="social_worker",
        way="phone",
        call_day=monday.isoformat(),
        call_time="11:00",
    )
    assert fine.status_code == 302


def test_talk_without_a_day_or_a_time_says_what_is_missing(login_as):
    maya = login_as("maya")
    html = _post(maya, "/talk", worker_kind="social_worker", way="phone", call_day="", call_time="").get_data(
        as_text=True
    )
    assert "Pick a day and a time that is good for you." in html


def test_a_card_with_an_email_address_saves_and_a_bad_one_is_refused(app, login_as, demo):
    tom = login_as("tom")
    card = {
        "about_me": "Ask me anything.",
        "working_hours": "",
        "work_days": ["1", "2", "3", "4", "5"],
        "work_starts": "10:00",
        "work_ends": "18:00",
        "email": "tom.ellery@northshire.example",
        "away_cover_user_id": "0",
        "away_cover_team_id": "0",
        "version": "1",
    }
    assert _post(tom, "/account/card", **card).status_code == 302
    html = _post(tom, "/account/card", **(card | {"email": "tom at northshire", "version": "2"})).get_data(
        as_text=True
    )
    assert "That does not look like an email address." in html
