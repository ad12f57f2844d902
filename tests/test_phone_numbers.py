"""Issue 12, finding 13: phone numbers are UK or international numbers, stored in one form
(E.164), shown the way people write them, and a tel:/sms: link is only ever made from a
real number, by its normal form."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import phones
from app.extensions import db
from app.models import StaffCard, Team, YoungPersonContact
from tests.conftest import page_html, post_form

GOOD = [
    ("07700 900123", "+447700900123", "07700 900123"),
    ("+44 7700 900123", "+447700900123", "07700 900123"),
    ("+44 (0)20 7946 0000", "+442079460000", "020 7946 0000"),
    ("020-7946-0000", "+442079460000", "020 7946 0000"),
    ("0800 1111", "+448001111", "0800 1111"),  # Childline
    ("0306 999 0145", "+443069990145", "0306 999 0145"),
    ("116 123", "116123", "116123"),  # Samaritans: a short number, rung as it is
    ("+33 1 23 45 67 89", "+33123456789", "+33 1 23 45 67 89"),
    ("0033 1 23 45 67 89", "+33123456789", "+33 1 23 45 67 89"),
    ("+1 202 555 0143", "+12025550143", "+1 202-555-0143"),
]
JUNK = [
    "javascript:alert(6)",
    "not a phone!!",
    "12",
    "12345",
    "07700 900",
    "+44 7700 900+123",
    "0" * 16,
    "tel:999",
]


@pytest.mark.parametrize(("typed", "stored", "shown"), GOOD)
def test_uk_and_international_numbers_have_one_stored_form(typed, stored, shown):
    assert phones.normalise(typed) == stored
    assert phones.link_target(stored) == stored
    assert phones.readable(stored) == shown


@pytest.mark.parametrize("junk", JUNK)
def test_what_is_not_a_number_is_refused_and_never_linked(junk):
    assert phones.normalise(junk) is None
    assert phones.link_target(junk) is None
    assert phones.readable(junk) == junk.strip()


def test_a_number_stored_before_normalising_is_linked_by_its_normal_form():
    assert phones.link_target("07700 900101") == "+447700900101"


def _priyas_card(**changes) -> dict:
    return {
        "about_me": "I love board games.",
        "working_hours": "Monday to Thursday, 9am to 5pm",
        "work_days": ["0", "1", "2", "3"],
        "work_starts": "09:00",
        "work_ends": "17:00",
        "phone": "01632 960101",
        "email": "",
        "allow_call": "y",
        "allow_text": "y",
        "away_from": "",
        "away_until": "",
        "away_cover_user_id": "0",
        "away_cover_team_id": "0",
        "version": "1",
    } | changes


@pytest.mark.parametrize(("typed", "stored", "shown"), [GOOD[1], GOOD[7]])
def test_a_staff_card_saves_the_normal_form_and_links_to_it(app, client_for, demo, typed, stored, shown):
    priya = client_for("priya")
    response = post_form(priya, "/account/card", **_priyas_card(phone=typed))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffCard, demo["priya"]).phone == stored
    # Her form shows it the way people write it.
    assert f'value="{shown}"' in page_html(priya, "/account/card")
    maya = page_html(client_for("maya"), "/people")
    assert f'href="tel:{stored}"' in maya and f'href="sms:{stored}"' in maya


# A short number is a service's: a worker's "999" would make "Call Priya" ring the police.
@pytest.mark.parametrize("junk", ["javascript:alert(6)", "not a phone!!", "999", "123", "116 123"])
def test_a_staff_card_refuses_junk_and_keeps_the_words(app, client_for, demo, junk):
    priya = client_for("priya")
    response = post_form(priya, "/account/card", **_priyas_card(phone=junk, about_me="New words"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That does not look like a phone number." in html
    assert f'value="{junk}"' in html and "New words" in html
    with app.app_context():
        card = db.session.get(StaffCard, demo["priya"])
        assert card.phone == "+447700900101" and card.about_me != "New words"


def test_a_contact_and_an_advocate_are_stored_normalised(app, client_for, demo):
    priya = client_for("priya")
    saved = post_form(
        priya,
        f"/care/young-people/{demo['maya']}/contacts",
        kind="advocate",
        name="Dana Whitfield",
        phone="01632 960123",
    )
    assert saved.status_code == 302
    bad = post_form(
        priya,
        f"/care/young-people/{demo['maya']}/contacts",
        kind="advocate",
        name="Eve Junk",
        phone="javascript:alert(6)",
    )
    assert bad.status_code == 200 and "That does not look like a phone number." in bad.get_data(as_text=True)
    with app.app_context():
        phones_by_name = dict(
            db.session.execute(select(YoungPersonContact.name, YoungPersonContact.phone)).all()
        )
        assert phones_by_name["Dana Whitfield"] == "+441632960123" and "Eve Junk" not in phones_by_name
    assert 'href="tel:+441632960123"' in page_html(client_for("maya"), "/people")


def test_a_team_phone_is_stored_normalised(app, demo):
    with app.app_context():
        duty = db.session.scalar(select(Team).where(Team.name == "Duty team"))
        assert duty.phone == "+441632960300"  # the demo's, normalised too


def test_bad_numbers_stored_before_the_checks_are_shown_as_text_never_linked(app, client_for, demo):
    with app.app_context():
        db.session.get(StaffCard, demo["priya"]).phone = "javascript:alert(6)"
        db.session.get(StaffCard, demo["alex"]).phone = "ring the office"
        db.session.scalar(select(Team).where(Team.name == "Out-of-hours team")).phone = "ring 999!!"
        db.session.commit()
    people = page_html(client_for("maya"), "/people")
    assert "javascript:" not in people and "tel:ring" not in people and "sms:ring" not in people
    for name in ("Priya Natarajan", "Alex Marsh"):
        # The Call and Text buttons name the person; "Send a message" says "to ...".
        assert f'<span class="visually-hidden"> {name}</span></a>' not in people
    assert "Evenings and weekends: ring 999!!" in people
    assert 'href="tel:ring' not in page_html(client_for("maya"), "/help")
