"""Every form with an email address saves one (email-validator checks its form only: no
look-ups), and refuses one that is not an address, keeping what was typed."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AdvocacyRequest, StaffCard, YoungPersonContact
from tests.conftest import page_html, post_form


def _card(**fields) -> dict:
    return {
        "about_me": "Ask me anything.",
        "working_hours": "Tuesday to Saturday",
        "work_days": ["1", "2", "3", "4", "5"],
        "work_starts": "10:00",
        "work_ends": "18:00",
        "phone": "01632 960103",
        "version": "1",
        **fields,
    }


def test_a_staff_card_saves_an_email_address(app, client_for, demo):
    tom = client_for("tom")
    response = post_form(
        tom, "/account/card", **_card(email="tom.ellery@northshire.example", allow_email="y")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(StaffCard, demo["tom"]).email == "tom.ellery@northshire.example"


def test_a_staff_card_refuses_what_is_not_an_address_and_keeps_it(app, client_for, demo):
    tom = client_for("tom")
    response = post_form(tom, "/account/card", **_card(email="tom at the office"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "That does not look like an email address." in html
    assert "tom at the office" in html


def test_a_contact_a_worker_records_saves_an_email_address(app, client_for, demo):
    priya = client_for("priya")
    response = post_form(
        priya,
        f"/care/young-people/{demo['maya']}/contacts",
        kind="advocate",
        name="Dana Whitfield",
        phone="01632 960123",
        email="dana.whitfield@example.org",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.scalar(
            select(YoungPersonContact).where(YoungPersonContact.name == "Dana Whitfield")
        )
        assert contact.email == "dana.whitfield@example.org"
    bad = post_form(
        priya, f"/care/young-people/{demo['maya']}/contacts", kind="advocate", name="Dan", email="dan@"
    )
    assert bad.status_code == 200 and "That does not look like an email address." in bad.get_data(
        as_text=True
    )


def test_the_officer_allocates_an_advocate_with_an_email_address(app, client_for, demo):
    riley = client_for("riley")
    assert post_form(riley, "/advocate", help_with="My review").status_code == 302
    with app.app_context():
        request_id = db.session.scalar(
            select(AdvocacyRequest.id).where(AdvocacyRequest.young_person_id == demo["riley"])
        )
    lee = client_for("lee")
    refer = {f"r{request_id}-service_name": "Northshire Advocacy", f"r{request_id}-lock_version": "1"}
    assert post_form(lee, f"/officer/advocacy/{request_id}/refer", **refer).status_code == 302
    bad = post_form(
        lee,
        f"/officer/advocacy/{request_id}/allocate",
        **{
            f"a{request_id}-name": "Ola",
            f"a{request_id}-email": "javascript:alert(6)",
            f"a{request_id}-lock_version": "2",
        },
    )
    assert bad.status_code in (200, 400, 409) and "That does not look like an email address." in bad.get_data(
        as_text=True
    )
    good = post_form(
        lee,
        f"/officer/advocacy/{request_id}/allocate",
        **{
            f"a{request_id}-name": "Ola",
            f"a{request_id}-email": "ola@advocacy.example",
            f"a{request_id}-lock_version": "2",
        },
    )
    assert good.status_code == 302, good.get_data(as_text=True)
    assert "ola@advocacy.example" in page_html(riley, "/people")
