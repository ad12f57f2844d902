"""Issue 12, finding 7: a new activation code must not be a quiet way into someone's account.

Priya making a new code for Maya (who has a password) ends Maya's sessions at once, is kept
and audited, Maya is told at her next sign-in who made it and when, the officer hears of it
when Maya has a complaint open, and the managers see it. A manager's or the officer's
account needs a second manager."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy import select

from app.domain.reminders import Reason
from app.domain.roles import Role
from app.extensions import db
from app.models import AccountReset, ActivationCode, AuditEvent, Complaint, LoginSession, Notification, User
from tests.conftest import csrf_token, page_html, post_form, sign_in

CODE = re.compile(r"data-activation-code>([A-Z0-9-]+)<")
LONDON = ZoneInfo("Europe/London")


def _activate(client, username: str, code: str, password: str = "kettle meadow orbit"):
    token = csrf_token(client, "/activate")
    return client.post(
        "/activate",
        data={
            "username": username,
            "code": code,
            "password": password,
            "confirm": password,
            "csrf_token": token,
        },
    )


def _reset(client, path: str, **data) -> str:
    response = post_form(client, path, **data)
    assert response.status_code == 200, response.status_code
    return CODE.search(response.get_data(as_text=True)).group(1)


def _second_manager(app, demo) -> int:
    """Max, a second service manager (the demo has only Kim), with the demo password."""
    with app.app_context():
        kim = db.session.get(User, demo["kim"])
        max_ = User(
            username="max", full_name="Max Ferrow", role=Role.MANAGER, password_hash=kim.password_hash
        )
        db.session.add(max_)
        db.session.commit()
        return max_.id


def _events(app, action: str, outcome: str = "allowed") -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == action, AuditEvent.outcome == outcome)
            )
        )


def _officer_notifications(app, demo) -> list[Notification]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Notification).where(
                    Notification.user_id == demo["lee"], Notification.reason == Reason.ACCOUNT_RESET
                )
            )
        )


def test_priya_resetting_maya_ends_mayas_sessions_at_once(app, client_for, demo):
    mayas_phone = client_for("maya")
    assert mayas_phone.get("/").status_code == 200
    priya = client_for("priya")
    _reset(priya, f"/care/young-people/{demo['maya']}/activation-code", reason="She forgot her password")
    # Not only when the code is used: at once, so no one stays signed in as her meanwhile.
    assert mayas_phone.get("/").status_code == 302
    # Her phone's sign-in page says why, so being signed out is no mystery.
    said = mayas_phone.get("/", follow_redirects=True).get_data(as_text=True)
    assert "You were signed out because a new sign-in code was made for you." in said
    with app.app_context():
        sessions = db.session.scalars(select(LoginSession).where(LoginSession.user_id == demo["maya"])).all()
        assert sessions and all(s.ended_at is not None and s.end_reason == "new_code" for s in sessions)
        reset = db.session.scalar(select(AccountReset))
        assert (reset.user_id, reset.requested_by_id, reset.reason) == (
            demo["maya"],
            demo["priya"],
            "She forgot her password",
        )
        assert reset.made_at is not None and reset.seen_at is None and reset.confirmed_by_id is None
    [event] = _events(app, "account_reset")
    assert (event.actor_id, event.young_person_id) == (demo["priya"], demo["maya"])


def test_maya_is_told_once_at_her_next_sign_in_who_made_the_code_and_when(app, client_for, demo):
    priya = client_for("priya")
    code = _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    with app.app_context():
        made_at = db.session.scalar(select(AccountReset.made_at))
    day = format_datetime(made_at, "d MMMM", tzinfo=LONDON, locale="en_GB")
    time = format_datetime(made_at, "HH:mm", tzinfo=LONDON, locale="en_GB")

    maya = app.test_client()
    response = _activate(maya, "maya", code)
    assert response.status_code == 302 and response.headers["Location"].endswith("/new-code-notice")
    html = page_html(maya, "/new-code-notice")
    assert f"On {day} at {time}, Priya Natarajan made a new sign-in code for you." in html
    # Priya may be the problem: Maya is told who else she can tell, and how.
    assert "tell an adult you trust, like your carer or your advocate" in html
    assert "complaints team" in html and 'href="/speak-up"' in html
    with app.app_context():
        assert db.session.scalar(select(AccountReset.seen_at)) is not None
    assert _events(app, "account_reset_seen")[0].actor_id == demo["maya"]

    # Once: the next sign-in goes straight home.
    assert maya.get("/new-code-notice").status_code == 302
    again = app.test_client()
    response = sign_in(again, "maya", "kettle meadow orbit")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_the_notice_comes_at_an_ordinary_sign_in_when_the_code_was_not_used(app, client_for, demo):
    priya = client_for("priya")
    _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    maya = app.test_client()
    response = sign_in(maya, "maya")  # she remembered her password after all
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/new-code-notice")
    assert "Priya Natarajan made a new sign-in code for you" in page_html(maya, "/new-code-notice")


def test_a_notice_keeps_where_the_person_was_going(app, client_for, demo):
    priya = client_for("priya")
    _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    maya = app.test_client()
    token = csrf_token(maya, "/login")
    response = maya.post(
        "/login?next=/passport", data={"username": "maya", "password": "demo-pass-2026", "csrf_token": token}
    )
    assert response.headers["Location"] == "/new-code-notice?next=/passport"
    assert 'href="/passport"' in page_html(maya, "/new-code-notice?next=/passport")


def test_the_officer_is_told_when_maya_has_a_complaint_open(app, client_for, demo):
    with app.app_context():
        complaint_id = db.session.scalar(
            select(Complaint.id).where(Complaint.young_person_id == demo["maya"])
        )
    priya = client_for("priya")
    _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    [notification] = _officer_notifications(app, demo)
    assert notification.young_person_id == demo["maya"]
    assert notification.url == f"/officer/complaints/{complaint_id}"
    [event] = _events(app, "account_reset_officer_told")
    assert event.actor_id == demo["priya"] and event.detail["officer_ids"] == [demo["lee"]]

    lee = client_for("lee")
    html = page_html(lee, "/notifications")
    assert "Someone made a new sign-in code for a young person who has a complaint open." in html
    assert "About Maya." in html
    html = page_html(lee, f"/officer/complaints/{complaint_id}")
    assert "New sign-in codes made since this complaint came in" in html
    assert "Priya Natarajan made one on" in html


def test_the_officer_is_not_told_when_there_is_no_complaint_open(app, client_for, demo):
    with app.app_context():
        statuses = db.session.scalars(
            select(Complaint.status).where(Complaint.young_person_id == demo["sam"])
        )
        assert {s.value for s in statuses} == {"closed"}  # the demo's: Sam's bus pass came
    tom = client_for("tom")
    _reset(tom, f"/care/young-people/{demo['sam']}/activation-code")
    assert _officer_notifications(app, demo) == []
    assert _events(app, "account_reset_officer_told") == []
    assert len(_events(app, "account_reset")) == 1  # still a reset, kept and audited


def test_the_manager_sees_every_reset_and_whether_the_person_signed_in_since(app, client_for, demo):
    priya = client_for("priya")
    code = _reset(priya, f"/care/young-people/{demo['maya']}/activation-code", reason="Lost phone")
    kim = client_for("kim")
    assert 'href="/admin/resets"' in page_html(kim, "/")
    html = page_html(kim, "/admin/resets")
    row = re.search(r'<tr data-reset="\d+">(.*?)</tr>', html, re.S).group(1)
    assert "Maya Fenwick-Adeyemi" in row and "Priya Natarajan" in row and "Lost phone" in row
    assert row.rstrip().endswith("<td>No</td>")
    assert _activate(app.test_client(), "maya", code).status_code == 302
    row = re.search(r'<tr data-reset="\d+">(.*?)</tr>', page_html(kim, "/admin/resets"), re.S).group(1)
    assert row.rstrip().endswith("<td>Yes</td>")


def test_resets_are_listed_newest_first(app, client_for, demo):
    priya = client_for("priya")
    _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    _reset(priya, f"/care/young-people/{demo['jordan']}/activation-code")
    html = page_html(client_for("kim"), "/admin/resets")
    assert html.index("Jordan Blackwood-Reyes") < html.index("Maya Fenwick-Adeyemi")


def test_with_no_other_manager_kim_is_told_who_could_agree(app, client_for, demo):
    kim = client_for("kim")
    post_form(kim, f"/admin/people/{demo['lee']}/activation-code", reason="Lee is locked out")
    html = page_html(kim, "/admin/resets")
    assert "There is no other service manager who can agree yet." in html
    _second_manager(app, demo)
    html = page_html(kim, "/admin/resets")
    assert "There is no other service manager who can agree yet." not in html
    assert "Another manager must agree to this one." in html


def test_kim_cannot_reset_the_officer_alone_a_second_manager_confirms(app, client_for, demo):
    max_id = _second_manager(app, demo)
    lees_laptop = client_for("lee")
    kim = client_for("kim")
    assert "Ask a second manager for a new code" in page_html(kim, f"/admin/people/{demo['lee']}")
    response = post_form(kim, f"/admin/people/{demo['lee']}/activation-code", reason="Lee is locked out")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/resets"
    with app.app_context():
        assert db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == demo["lee"])) is None
        reset = db.session.scalar(select(AccountReset))
        assert reset.needs_confirmation and reset.made_at is None
        reset_id = reset.id
    assert lees_laptop.get("/").status_code == 200  # nothing happens to Lee until a second manager agrees
    html = page_html(kim, "/admin/resets")
    assert "Lee Whitcombe" in html and "Another manager must agree to this one." in html
    assert f"/admin/resets/{reset_id}/confirm" not in html

    # Kim cannot be her own second manager: quiet 404, loud audit, nothing made.
    assert post_form(kim, f"/admin/resets/{reset_id}/confirm").status_code == 404
    [refusal] = _events(app, "confirm_account_reset", "refused")
    assert refusal.actor_id == demo["kim"] and refusal.detail["asked_for"] == reset_id
    with app.app_context():
        assert db.session.get(AccountReset, reset_id).made_at is None

    max_ = client_for("max")
    assert f"/admin/resets/{reset_id}/confirm" in page_html(max_, "/admin/resets")
    response = post_form(max_, f"/admin/resets/{reset_id}/confirm")
    assert response.status_code == 200
    code = CODE.search(response.get_data(as_text=True)).group(1)
    assert lees_laptop.get("/").status_code == 302  # signed out once the code exists
    with app.app_context():
        reset = db.session.get(AccountReset, reset_id)
        assert reset.confirmed_by_id == max_id and reset.made_at is not None
    [event] = _events(app, "account_reset")
    assert event.actor_id == max_id and event.detail["requested_by_id"] == demo["kim"]

    lee = app.test_client()
    assert _activate(lee, "lee", code).status_code == 302
    html = page_html(lee, "/new-code-notice")
    assert "Kim Ashworth made a new sign-in code for you." in html and "Max Ferrow agreed to it." in html
    assert "tell a service manager or the complaints officer today" in html


def test_kim_cannot_reset_another_manager_alone(app, client_for, demo):
    max_id = _second_manager(app, demo)
    kim = client_for("kim")
    assert post_form(kim, f"/admin/people/{max_id}/activation-code").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == max_id)) is None
        assert db.session.scalar(select(AccountReset.made_at)) is None
    # Max cannot agree to his own reset either.
    max_ = client_for("max")
    with app.app_context():
        reset_id = db.session.scalar(select(AccountReset.id))
    assert post_form(max_, f"/admin/resets/{reset_id}/confirm").status_code == 404
    assert _events(app, "confirm_account_reset", "refused")[0].actor_id == max_id


def test_kim_resets_a_worker_alone(app, client_for, demo):
    omars_laptop = client_for("omar")
    kim = client_for("kim")
    _reset(kim, f"/admin/people/{demo['omar']}/activation-code")
    assert omars_laptop.get("/").status_code == 302
    with app.app_context():
        reset = db.session.scalar(select(AccountReset))
        assert (reset.user_id, reset.requested_by_id, reset.needs_confirmation) == (
            demo["omar"],
            demo["kim"],
            False,
        )


def test_a_worker_cannot_reset_a_young_person_not_on_their_caseload(app, client_for, demo):
    mayas_phone = client_for("maya")
    omar = client_for("omar")
    assert post_form(omar, f"/care/young-people/{demo['maya']}/activation-code").status_code == 404
    [refusal] = _events(app, "manage_account", "refused")
    assert (refusal.actor_id, refusal.young_person_id) == (demo["omar"], demo["maya"])
    with app.app_context():
        assert db.session.scalar(select(ActivationCode).where(ActivationCode.user_id == demo["maya"])) is None
        assert db.session.scalar(select(AccountReset)) is None
    assert mayas_phone.get("/").status_code == 200


def test_using_a_code_ends_a_session_started_after_it_was_made(app, client_for, demo):
    priya = client_for("priya")
    code = _reset(priya, f"/care/young-people/{demo['maya']}/activation-code")
    mayas_phone = client_for("maya")  # signs in again with her old password
    assert mayas_phone.get("/").status_code == 200
    assert _activate(app.test_client(), "maya", code).status_code == 302
    assert mayas_phone.get("/").status_code == 302


def test_a_too_long_reason_comes_back_with_what_was_typed_and_nothing_is_made(app, client_for, demo):
    priya = client_for("priya")
    reason = "She lost her phone on the bus. " * 20
    response = post_form(priya, f"/care/young-people/{demo['maya']}/activation-code", reason=reason)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "You can write up to 500 characters" in html
    assert reason.strip() in html
    with app.app_context():
        assert db.session.scalar(select(AccountReset)) is None
        assert db.session.scalar(select(ActivationCode)) is None


def test_a_first_code_for_someone_without_a_password_is_not_a_reset(app, client_for, demo):
    with app.app_context():
        db.session.get(User, demo["riley"]).password_hash = None
        db.session.commit()
    omar = client_for("omar")
    _reset(omar, f"/care/young-people/{demo['riley']}/activation-code")
    with app.app_context():
        assert db.session.scalar(select(AccountReset)) is None
    assert len(_events(app, "activation_code_issued")) == 1


def test_asking_twice_for_the_officers_code_is_one_request(app, client_for, demo):
    kim = client_for("kim")
    for _ in range(2):
        assert post_form(kim, f"/admin/people/{demo['lee']}/activation-code").status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(AccountReset)).all()) == 1
    assert len(_events(app, "account_reset_requested")) == 1
