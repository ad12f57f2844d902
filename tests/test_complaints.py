"""Complaints, advocacy and thanks over HTTP: who sees what, the officer's steps through the
statutory stages, the young person's timeline, and bad input refused with nothing lost."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.domain.complaints import EventKind, Status, due_on
from app.extensions import db
from app.models import AdvocacyRequest, AuditEvent, Complaint, ComplaintDraft, ComplaintEvent, Compliment
from app.timeutil import london_today
from app.voice.advocacy import current_advocate
from tests.conftest import count_statements, csrf_token

MAX_STATEMENTS = 12


def _client(client_for, name):
    client = client_for(name)
    client.token = csrf_token(client, "/")
    return client


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.token, **data})


def _raise(client, path="/complaints/new", **extra):
    data = {
        "what_happened": "Priya shouted at me in the meeting.",
        "put_right": "Say sorry and listen to me.",
        "about_who": "Priya",
        "wants_advocate": "no",
        "send": "1",
        **extra,
    }
    return _post(client, path, **data)


def _latest(app) -> Complaint:
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1))
        db.session.expunge(complaint)
        return complaint


def _events(app, complaint_id):
    with app.app_context():
        return [
            (e.kind, e.actor_id, e.note)
            for e in db.session.scalars(
                select(ComplaintEvent)
                .where(ComplaintEvent.complaint_id == complaint_id)
                .order_by(ComplaintEvent.id)
            )
        ]


def _step(app, client, complaint, what, **data):
    lock = data.pop("lock_version", None)
    if lock is None:
        lock = _latest(app).lock_version
    return _post(client, f"/officer/complaints/{complaint.id}/{what}", lock_version=lock, **data)


def test_maya_complains_about_priya_and_takes_it_to_stage_2(app, client_for, demo):
    maya = _client(client_for, "maya")
    response = _raise(maya)
    assert response.status_code == 302
    complaint = _latest(app)
    assert response.location.endswith(f"/complaints/{complaint.id}?sent=1")
    assert (complaint.young_person_id, complaint.raised_by_id, complaint.on_behalf) == (
        demo["maya"],
        demo["maya"],
        False,
    )
    assert re.fullmatch(r"NC-\d{4}-\d{4}", complaint.reference)
    assert complaint.due_on == due_on(1, london_today())

    html = maya.get(response.location).get_data(as_text=True)
    assert complaint.reference in html
    assert "What happens next" in html and "We will answer by" in html
    assert "You asked for an advocate. We are finding one for you." in html  # from the demo
    assert "LAC" not in html.replace("PLACE", "")

    # Priya (the complaint is about her) and Riley cannot see it, even by its number.
    priya = _client(client_for, "priya")
    assert priya.get(f"/care/complaints/{complaint.id}").status_code == 404
    assert priya.get(f"/complaints/{complaint.id}").status_code == 404
    assert complaint.reference not in priya.get("/care/complaints").get_data(as_text=True)
    riley = _client(client_for, "riley")
    assert riley.get(f"/complaints/{complaint.id}").status_code == 404
    with app.app_context():
        refused = db.session.scalars(select(AuditEvent).where(AuditEvent.outcome == "refused")).all()
        assert {e.actor_id for e in refused} >= {demo["priya"], demo["riley"]}

    # Lee sees it, acknowledges, extends with a reason, answers.
    lee = _client(client_for, "lee")
    assert complaint.reference in lee.get("/officer/complaints").get_data(as_text=True)
    assert "Priya shouted" in lee.get(f"/officer/complaints/{complaint.id}").get_data(as_text=True)
    assert _step(app, lee, complaint, "acknowledge").status_code == 302
    assert (
        _step(app, lee, complaint, "extend", days="5", note="Priya is on leave this week.").status_code == 302
    )
    assert _latest(app).due_on == due_on(1, london_today(), 5)
    assert _step(app, lee, complaint, "respond", note="We spoke to Priya. She is sorry.").status_code == 302
    assert _latest(app).status is Status.ANSWERED

    # Maya reads the timeline in plain words and asks for Stage 2.
    html = maya.get(f"/complaints/{complaint.id}").get_data(as_text=True)
    for words in (
        "We got your complaint.",
        "We need more time.",
        "Priya is on leave",
        "We sent you our answer.",
    ):
        assert words in html
    assert "I'm not happy with the answer" in html
    lock = _latest(app).lock_version
    response = _post(
        maya, f"/complaints/{complaint.id}/next-stage", lock_version=lock, note="She was not sorry."
    )
    assert response.status_code == 302
    assert _latest(app).status is Status.ESCALATION_REQUESTED
    assert _step(app, lee, complaint, "escalate", to_stage="2").status_code == 302
    moved = _latest(app)
    assert (moved.stage, moved.status) == (2, Status.OPEN)
    assert moved.due_on == due_on(2, london_today())
    kinds = [kind for kind, _actor, _note in _events(app, complaint.id)]
    assert kinds == [
        EventKind.RECEIVED,
        EventKind.ACKNOWLEDGED,
        EventKind.EXTENDED,
        EventKind.RESPONSE_SENT,
        EventKind.ESCALATION_REQUESTED,
        EventKind.ESCALATED,
    ]
    assert "Your complaint moved to the next step." in maya.get(f"/complaints/{complaint.id}").get_data(
        as_text=True
    )


def test_officer_can_share_a_complaint_with_the_worker(app, client_for, demo):
    maya = _client(client_for, "maya")
    _raise(maya, about_who="", what_happened="My carer's wifi does not work.")
    complaint = _latest(app)
    lee = _client(client_for, "lee")
    assert (
        _step(app, lee, complaint, "share", worker=str(demo["priya"]), note="To fix the wifi").status_code
        == 302
    )
    priya = _client(client_for, "priya")
    assert "wifi" in priya.get(f"/care/complaints/{complaint.id}").get_data(as_text=True)
    assert complaint.reference in priya.get("/care/complaints").get_data(as_text=True)
    # Omar does not work with Maya: sharing with him is refused, so he never sees it.
    assert _step(app, lee, complaint, "share", worker=str(demo["omar"])).status_code == 409
    assert _client(client_for, "omar").get(f"/care/complaints/{complaint.id}").status_code == 404


def test_carer_raising_for_jordan_is_recorded_as_on_his_behalf(app, client_for, demo):
    alex = _client(client_for, "alex")
    path = f"/care/young-people/{demo['jordan']}/complaint"
    assert "Make a complaint for Jordan" in alex.get(path).get_data(as_text=True)
    response = _raise(alex, path, wants_advocate="yes")
    assert response.status_code == 302
    complaint = _latest(app)
    assert (complaint.young_person_id, complaint.raised_by_id, complaint.on_behalf) == (
        demo["jordan"],
        demo["alex"],
        True,
    )
    assert complaint.reference in alex.get(response.location).get_data(as_text=True)  # the flash
    # The carer does not see complaints afterwards; Jordan does, with who wrote it.
    assert alex.get(f"/complaints/{complaint.id}").status_code == 404
    html = _client(client_for, "jordan").get(f"/complaints/{complaint.id}").get_data(as_text=True)
    assert "Alex Marsh wrote this for you." in html
    with app.app_context():
        asked = db.session.scalar(select(AdvocacyRequest).where(AdvocacyRequest.complaint_id == complaint.id))
        # Jordan's demo advocate is already allocated, so this is a new request.
        assert asked is not None and asked.young_person_id == demo["jordan"]


def test_a_young_person_who_said_no_is_still_offered_an_advocate(app, client_for, demo):
    sam = _client(client_for, "sam")
    response = _raise(sam)
    html = sam.get(response.location).get_data(as_text=True)
    assert "Would you like an advocate?" in html and "/advocate" in html


def test_carer_cannot_complain_for_a_young_person_who_lives_elsewhere(app, client_for, demo):
    bea = _client(client_for, "bea")
    assert bea.get(f"/care/young-people/{demo['maya']}/complaint").status_code == 404
    assert _raise(bea, f"/care/young-people/{demo['maya']}/complaint").status_code == 404


def test_empty_complaint_is_refused_and_what_was_typed_is_kept(app, client_for, demo):
    maya = _client(client_for, "maya")
    response = _raise(maya, put_right="", wants_advocate="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tell us what would make it better." in html
    assert "Say if you would like an advocate." in html
    assert "Priya shouted at me in the meeting." in html  # the form keeps the input
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Complaint).where(Complaint.young_person_id == demo["maya"])
            )
            == 1
        )  # the demo one
        draft = db.session.scalar(select(ComplaintDraft).where(ComplaintDraft.author_id == demo["maya"]))
        assert draft.what_happened == "Priya shouted at me in the meeting."


def test_a_draft_is_kept_when_she_leaves_and_comes_back(app, client_for, demo):
    maya = _client(client_for, "maya")
    response = _post(maya, "/complaints/new", what_happened="The heating is broken.", put_right="", send="0")
    assert response.status_code == 302
    html = maya.get("/complaints/new").get_data(as_text=True)
    assert "The heating is broken." in html and "You started this before" in html
    assert "Finish my complaint" in maya.get("/speak-up").get_data(as_text=True)
    # Saving as she types (the autosave script) answers in JSON.
    lock = re.search(r'name="lock_version" type="hidden" value="(\d+)"', html).group(1)
    saved = maya.post(
        "/complaints/new",
        data={
            "csrf_token": maya.token,
            "lock_version": lock,
            "what_happened": "The heating is still broken.",
        },
        headers={"X-Autosave": "1"},
    )
    assert saved.status_code == 200 and saved.json["saved"] is True
    # An older tab saving over it is told, not silently overwritten.
    stale = maya.post(
        "/complaints/new",
        data={"csrf_token": maya.token, "lock_version": lock, "what_happened": "old"},
        headers={"X-Autosave": "1"},
    )
    assert stale.status_code == 409
    assert "The heating is still broken." in maya.get("/complaints/new").get_data(as_text=True)
    # Sending removes the draft.
    _raise(maya, what_happened="The heating is still broken.")
    with app.app_context():
        assert (
            db.session.scalar(select(ComplaintDraft.id).where(ComplaintDraft.author_id == demo["maya"]))
            is None
        )


def test_extension_past_the_limit_is_refused_and_nothing_is_lost(app, client_for, demo):
    _raise(_client(client_for, "maya"))
    complaint = _latest(app)
    lee = _client(client_for, "lee")
    response = _step(app, lee, complaint, "extend", days="11", note="Waiting for the school.")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "past the legal limit" in html
    assert "Waiting for the school." in html  # the officer's words come back
    assert _latest(app).due_on == complaint.due_on
    assert "Give the reason" in _step(app, lee, complaint, "extend", days="3").get_data(as_text=True)
    assert _step(app, lee, complaint, "extend", days="10", note="Waiting for the school.").status_code == 302
    response = _step(app, lee, complaint, "extend", days="1", note="And more.")
    assert response.status_code == 409 and "past the legal limit" in response.get_data(as_text=True)
    assert _latest(app).extension_days == 10


def test_stage_change_out_of_order_is_refused(app, client_for, demo):
    _raise(_client(client_for, "maya"))
    complaint = _latest(app)
    lee = _client(client_for, "lee")
    response = _step(app, lee, complaint, "escalate", to_stage="2")
    assert response.status_code == 409
    assert "has not been sent yet" in response.get_data(as_text=True)
    assert "Write a summary of the answer." in _step(app, lee, complaint, "respond").get_data(as_text=True)
    _step(app, lee, complaint, "respond", note="Sorted.")
    response = _step(app, lee, complaint, "escalate", to_stage="3")
    assert response.status_code == 409
    assert "one stage at a time" in response.get_data(as_text=True)
    assert _latest(app).stage == 1


def test_escalation_after_withdrawal_is_refused(app, client_for, demo):
    maya = _client(client_for, "maya")
    _raise(maya)
    complaint = _latest(app)
    lee = _client(client_for, "lee")
    _step(app, lee, complaint, "respond", note="Sorted.")
    assert _step(app, lee, complaint, "withdraw", note="Maya said it is sorted now.").status_code == 302
    assert _latest(app).status is Status.WITHDRAWN
    response = _step(app, lee, complaint, "escalate", to_stage="2")
    assert response.status_code == 409 and "was withdrawn" in response.get_data(as_text=True)
    lock = _latest(app).lock_version
    response = _post(maya, f"/complaints/{complaint.id}/next-stage", lock_version=lock)
    assert response.status_code == 302
    assert "was withdrawn" in maya.get(response.location).get_data(as_text=True)
    assert _latest(app).status is Status.WITHDRAWN
    assert [k for k, _a, _n in _events(app, complaint.id)][-1] is EventKind.WITHDRAWN


def test_a_late_request_for_the_next_stage_is_recorded_and_flagged(app, client_for, demo):
    maya = _client(client_for, "maya")
    _raise(maya)
    complaint = _latest(app)
    with app.app_context():
        row = db.session.get(Complaint, complaint.id)
        row.status, row.answered_on = Status.ANSWERED, london_today() - timedelta(days=60)
        db.session.commit()
        lock = row.lock_version
    response = _post(maya, f"/complaints/{complaint.id}/next-stage", lock_version=lock)
    assert "after the usual 20 working days" in maya.get(response.location).get_data(as_text=True)
    flagged = _latest(app)
    assert flagged.status is Status.ESCALATION_REQUESTED and flagged.late_request
    lee = _client(client_for, "lee")
    assert "Asked for next stage after 20 working days" in lee.get("/officer/complaints").get_data(
        as_text=True
    )


def test_a_number_that_is_not_a_number_is_refused_with_its_reason(app, client_for, demo):
    _raise(_client(client_for, "maya"))
    complaint = _latest(app)
    response = _step(app, _client(client_for, "lee"), complaint, "extend", days="lots", note="Because")
    assert response.status_code == 400
    assert "Please check the form" in response.get_data(as_text=True)
    assert _latest(app).extension_days == 0


def test_two_officers_at_once_the_second_is_told(app, client_for, demo):
    _raise(_client(client_for, "maya"))
    complaint = _latest(app)
    lee = _client(client_for, "lee")
    assert (
        _step(app, lee, complaint, "acknowledge", lock_version=str(complaint.lock_version)).status_code == 302
    )
    response = _step(app, lee, complaint, "respond", lock_version=str(complaint.lock_version), note="Answer")
    assert response.status_code == 409 and "changed on another" in response.get_data(as_text=True)


def test_officer_list_shows_due_dates_and_lateness(login_as):
    html = login_as("lee").get("/officer/complaints").get_data(as_text=True)
    assert "Stage 1" in html and "Stage 2" in html and "Stage 3" in html
    assert "Late" in html and "On time" in html


def test_young_person_asks_for_an_advocate_and_the_officer_allocates_one(app, client_for, demo):
    riley = _client(client_for, "riley")
    assert "Ask for an advocate" in riley.get("/advocate").get_data(as_text=True)
    assert _post(riley, "/advocate", help_with="My review next month").status_code == 302
    assert "We are finding one for you" in riley.get("/advocate").get_data(as_text=True)
    with app.app_context():
        request_id = db.session.scalar(
            select(AdvocacyRequest.id).where(AdvocacyRequest.young_person_id == demo["riley"])
        )
    lee = _client(client_for, "lee")
    assert "My review next month" in lee.get("/officer/advocacy").get_data(as_text=True)
    # Allocating before the referral is out of order.
    allocate = {
        f"a{request_id}-name": "Ola",
        f"a{request_id}-lock_version": "1",
        f"a{request_id}-phone": "01632 960001",
    }
    response = _post(lee, f"/officer/advocacy/{request_id}/allocate", **allocate)
    assert response.status_code == 409 and "referral" in response.get_data(as_text=True)
    assert (
        _post(
            lee,
            f"/officer/advocacy/{request_id}/refer",
            **{
                f"r{request_id}-service_name": "Northshire Advocacy Service",
                f"r{request_id}-lock_version": "1",
            },
        ).status_code
        == 302
    )
    response = _post(
        lee,
        f"/officer/advocacy/{request_id}/allocate",
        **{f"a{request_id}-name": "Ola Brightwater", f"a{request_id}-lock_version": "2"},
    )
    assert response.status_code == 409 and "phone number or an email" in response.get_data(as_text=True)
    assert "Ola Brightwater" in response.get_data(as_text=True)
    response = _post(
        lee,
        f"/officer/advocacy/{request_id}/allocate",
        **{
            f"a{request_id}-name": "Ola Brightwater",
            f"a{request_id}-phone": "01632 960000",
            f"a{request_id}-lock_version": "2",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        advocate = current_advocate(demo["riley"])
    assert (advocate.name, advocate.phone, advocate.email) == ("Ola Brightwater", "+441632960000", "")
    assert "Ola Brightwater" in riley.get("/advocate").get_data(as_text=True)
    assert "Ola Brightwater" in riley.get("/speak-up").get_data(as_text=True)


def test_current_advocate_is_none_without_an_allocation(app, demo):
    with app.app_context():
        assert current_advocate(demo["maya"]) is None  # asked, not yet allocated
        assert current_advocate(demo["jordan"]).name == "Dana Whitfield"


def test_thank_you_reaches_the_person_thanked(app, client_for, demo):
    maya = _client(client_for, "maya")
    html = maya.get("/thanks/new").get_data(as_text=True)
    assert "Priya Natarajan" in html and "Alex Marsh" in html and "Omar Haddad" not in html
    assert (
        _post(maya, "/thanks/new", person=str(demo["priya"]), message="Thanks for listening.").status_code
        == 302
    )
    assert "Thanks for listening." in _client(client_for, "priya").get("/thanks").get_data(as_text=True)
    # Someone not in her list cannot be chosen.
    response = _post(maya, "/thanks/new", person=str(demo["omar"]), message="Hi")
    assert response.status_code == 200
    # A team by name is fine; nobody at all is not.
    assert (
        _post(maya, "/thanks/new", team="The leaving care team", message="You are great.").status_code == 302
    )
    response = _post(maya, "/thanks/new", person="0", message="To nobody")
    assert "Choose a person, or write the name of a team." in response.get_data(as_text=True)
    assert "To nobody" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Compliment).where(Compliment.from_id == demo["maya"])
            )
            == 3
        )


def test_young_people_do_not_have_a_thanks_inbox(login_as):
    assert login_as("maya").get("/thanks").status_code == 404


def test_manager_counts_never_name_a_child(login_as):
    html = login_as("kim").get("/admin/speak-up").get_data(as_text=True)
    assert "Complaints started at each stage, by month" in html
    assert "answers on time" in html
    for name in ("Maya", "Jordan", "Sam", "Riley", "Fenwick"):
        assert name not in html
    assert "Advocate allocated" in html


def test_homes_link_to_speak_up(app, client_for, demo):
    assert "/speak-up" in _client(client_for, "maya").get("/").get_data(as_text=True)
    alex = _client(client_for, "alex").get("/").get_data(as_text=True)
    assert f"/care/young-people/{demo['maya']}/complaint" in alex and "/thanks" in alex
    assert "/officer/complaints" in _client(client_for, "lee").get("/").get_data(as_text=True)
    assert "/admin/speak-up" in _client(client_for, "kim").get("/").get_data(as_text=True)
    assert "/care/complaints" in _client(client_for, "priya").get("/care/young-people").get_data(as_text=True)


def test_the_allocated_advocate_is_among_the_young_persons_people(app, client_for, demo):
    html = _client(client_for, "jordan").get("/").get_data(as_text=True)
    assert "Dana Whitfield" in html and "Your advocate" in html
    assert "Dana Whitfield" not in _client(client_for, "maya").get("/").get_data(as_text=True)


def test_pages_stay_under_12_statements(app, client_for, demo):
    pages = {
        "maya": ["/speak-up", "/complaints/new", "/advocate", "/thanks/new"],
        "lee": ["/officer/complaints", "/officer/advocacy", "/thanks"],
        "kim": ["/admin/speak-up"],
        "priya": ["/care/complaints", f"/care/young-people/{demo['maya']}/complaint"],
        "alex": ["/thanks", "/thanks/new"],
    }
    with app.app_context():
        ids = dict(db.session.execute(select(Complaint.young_person_id, Complaint.id)).all())
    pages["maya"].append(f"/complaints/{ids[demo['maya']]}")
    pages["lee"].append(f"/officer/complaints/{ids[demo['riley']]}")
    for username, paths in pages.items():
        client = _client(client_for, username)
        for path in paths:
            client.get(path)
            with count_statements(app) as statements:
                assert client.get(path).status_code == 200, path
            assert len(statements) <= MAX_STATEMENTS, (path, len(statements))


def test_demo_has_each_stage_one_late_an_allocated_advocate_and_thanks_and_loads_twice(app, demo):
    from app.demo import load_demo_data

    def snapshot():
        with app.app_context():
            return (
                sorted(db.session.execute(select(Complaint.stage, Complaint.status, Complaint.due_on)).all()),
                db.session.scalar(select(func.count()).select_from(ComplaintEvent)),
                db.session.scalar(select(func.count()).select_from(AdvocacyRequest)),
                db.session.scalar(select(func.count()).select_from(Compliment)),
            )

    before = snapshot()
    with app.app_context():
        load_demo_data(london_today())
        db.session.commit()
    assert snapshot() == before
    complaints, _events, requests, thanks = before
    open_stages = {stage for stage, status, _due in complaints if status is Status.OPEN}
    assert open_stages == {1, 2, 3}
    assert any(status is Status.OPEN and due < london_today() for _s, status, due in complaints)
    assert requests >= 1 and thanks >= 1
    with app.app_context():
        assert current_advocate(demo["jordan"]) is not None
