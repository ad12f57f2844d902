"""My people and messages over HTTP: who sees whom, who may read and write which
conversation, introductions to new workers, urgent messages, and what bad input gets."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.messages import MessageKind
from app.domain.roles import AllocationKind, Role
from app.domain.working_days import ENGLAND
from app.extensions import db
from app.models import (
    Allocation,
    AuditEvent,
    Message,
    MessageThread,
    StaffCard,
    Team,
    User,
    YoungPersonContact,
    YoungPersonProfile,
)
from app.people import relationships
from app.timeutil import london_today
from tests.conftest import count_statements
from tests.conftest import page_html as _html
from tests.conftest import post_form as _post
from tests.factories import add_young_people

MAX_STATEMENTS = 12


def _current_people(html: str) -> str:
    """The part of "My people" above "People who used to help me"."""
    return html.split("People who used to help me")[0]


def _thread_id(app, participant: str, kind: AllocationKind, young_person: str | None = None) -> int | None:
    with app.app_context():
        ids = {u.username: u.id for u in db.session.scalars(select(User))}
        return db.session.scalar(
            select(MessageThread.id).where(
                MessageThread.participant_id == ids[participant],
                MessageThread.young_person_id == ids[young_person or participant],
                MessageThread.worker_kind == kind,
            )
        )


# My people --------------------------------------------------------------------------------


def test_maya_sees_priya_and_alex_with_what_they_do(login_as):
    html = _current_people(_html(login_as("maya"), "/people"))
    assert "Priya Natarajan" in html and "Alex Marsh" in html
    assert "Your social worker helps make sure you are safe and happy" in html
    assert "Your carer looks after you at home" in html
    assert "I love board games" in html  # Priya's "about me"
    assert "Monday to Thursday, 9am to 5pm" in html
    assert 'href="tel:+447700900101"' in html and 'href="sms:+447700900101"' in html
    assert "Tom Ellery" not in html
    # The contacts the council recorded for her.
    assert "Grace Oduya" in html and "independent reviewing officer" in html
    assert "Dan Whitfield" in html


def test_buttons_show_only_the_ways_the_council_allows(login_as):
    html = _current_people(_html(login_as("riley"), "/people"))
    assert "Omar Haddad" in html
    assert 'href="tel:+441632960102"' in html
    assert "sms:+441632960102" not in html  # Omar allows calls, not texts
    assert "mailto:" not in html


def test_jordan_also_sees_tom(login_as):
    html = _current_people(_html(login_as("jordan"), "/people"))
    assert "Priya Natarajan" in html and "Alex Marsh" in html and "Tom Ellery" in html
    assert "Your personal adviser helps you get ready" in html
    assert "mailto:tom.ellery@northshire.example" in html


def test_the_advocate_the_officer_allocated_is_one_of_my_people(login_as):
    html = _current_people(_html(login_as("jordan"), "/people"))
    assert "Dana Whitfield" in html and "Your advocate helps you say what you want" in html
    assert 'href="tel:+441632960123"' in html and "mailto:dana.whitfield@example.org" in html


def test_sam_sees_tom_and_no_social_worker(login_as):
    html = _html(login_as("sam"), "/people")
    current = _current_people(html)
    assert "Tom Ellery" in current
    assert "social worker" not in current.lower()
    # The social worker he had until 18 is one of the people who used to help.
    assert "Omar Haddad, your social worker" in html.split("People who used to help me")[1]


def test_my_people_has_the_numbers_for_help_now(login_as):
    html = _html(login_as("maya"), "/people")
    assert 'href="tel:999"' in html and 'href="tel:08001111"' in html
    assert "childline.org.uk" in html and 'href="sms:85258' in html
    # The out-of-hours team's own number, as the manager set it (demo: 01632 960999).
    assert 'href="tel:+441632960999"' in html


def test_without_an_out_of_hours_team_number_the_configured_one_is_shown(app, login_as):
    from app.models import Team

    maya = login_as("maya")
    with app.app_context():
        db.session.execute(db.update(Team).values(phone=None))
        db.session.commit()
    assert "0300 123 4567" in _html(maya, "/people")


def test_a_new_worker_is_introduced_once_and_the_old_one_moves_to_used_to_help(app, login_as, demo):
    maya = login_as("maya")
    assert "Meet " not in _html(maya, "/")
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["maya"])
        relationships.allocate(
            profile, db.session.get(User, demo["omar"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    html = _html(maya, "/")
    assert "Meet Omar Haddad, your new social worker" in html
    assert "I support Northshire Rovers" in html
    assert "Meet " not in _html(maya, "/")  # once only
    people = _html(maya, "/people")
    assert "Omar Haddad" in _current_people(people)
    assert "Priya Natarajan" not in _current_people(people)
    assert "Priya Natarajan, your social worker" in people.split("People who used to help me")[1]


def test_first_workers_are_not_introduced_as_new(login_as):
    for name in ("maya", "jordan", "sam", "riley"):
        assert "Meet " not in _html(login_as(name), "/")


def test_worker_records_an_advocate_who_then_shows_on_my_people(app, client_for, login_as, demo):
    priya = login_as("priya")
    path = f"/care/young-people/{demo['maya']}/contacts"
    response = _post(priya, path, kind="advocate", name="Ruth Bell", phone="01632 960300", starts_on="")
    assert response.status_code == 302
    maya = client_for("maya")
    html = _current_people(_html(maya, "/people"))
    assert "Ruth Bell" in html and "Your advocate helps you say what you want" in html
    with app.app_context():
        contact_id = db.session.scalar(
            select(YoungPersonContact.id).where(YoungPersonContact.name == "Ruth Bell")
        )
    assert _post(priya, f"{path}/{contact_id}/end").status_code == 302
    with app.app_context():
        assert db.session.get(YoungPersonContact, contact_id).ends_on is not None


def test_recording_a_contact_without_a_name_keeps_what_was_typed(login_as, demo):
    priya = login_as("priya")
    response = _post(
        priya, f"/care/young-people/{demo['maya']}/contacts", kind="advocate", phone="01632 960999"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter their name." in html and 'value="01632 960999"' in html


def test_omar_cannot_record_contacts_for_maya(login_as, demo):
    omar = login_as("omar")
    assert omar.get(f"/care/young-people/{demo['maya']}/contacts").status_code == 404


# Messages -----------------------------------------------------------------------------------


def test_demo_has_messages_one_unread_and_a_call_back_request(app, demo):
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id))) >= 5
        unread_by_young_people = db.session.scalar(
            select(func.count(Message.id)).where(Message.from_worker, Message.read_at.is_(None))
        )
        assert unread_by_young_people == 1
        assert (
            db.session.scalar(select(func.count(Message.id)).where(Message.kind == MessageKind.CALL_BACK))
            == 1
        )


def test_maya_is_told_of_her_unread_message_and_reading_it_marks_it_read(app, login_as):
    maya = login_as("maya")
    assert "You have 1 new message." in _html(maya, "/")
    html = _html(maya, "/messages/social-worker")
    assert "I am sorting it out with your nan" in html
    assert "You have 1 new message." not in _html(maya, "/")
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Message.id)).where(Message.read_at.is_(None), Message.from_worker)
            )
            == 0
        )


def test_jordan_writes_to_tom_who_answers_and_jordan_sees_it_was_read(app, client_for, demo):
    jordan = client_for("jordan")
    response = _post(
        jordan, "/messages/personal-adviser", body="Can we meet on Friday?", to_worker=str(demo["tom"])
    )
    assert response.status_code == 302
    assert "Not read yet" in _html(jordan, "/messages/personal-adviser")

    tom = client_for("tom")
    inbox = _html(tom, "/inbox")
    assert "Jordan" in inbox and "unread" in inbox
    thread = _thread_id(app, "jordan", AllocationKind.PERSONAL_ADVISER)
    assert "Can we meet on Friday?" in _html(tom, f"/inbox/{thread}")
    assert _post(tom, f"/inbox/{thread}", body="Friday at 4 is good.").status_code == 302

    html = _html(jordan, "/messages/personal-adviser")
    assert "Friday at 4 is good." in html
    assert "Read " in html.split("Can we meet on Friday?")[1].split("Friday at 4 is good.")[0]
    with app.app_context():
        asked = db.session.scalar(select(Message).where(Message.body == "Can we meet on Friday?"))
        assert asked.answered_at is not None and asked.answered_by_id == demo["tom"]
        assert db.session.get(MessageThread, thread).waiting_since is None


def test_priya_does_not_see_jordans_conversation_with_tom(app, login_as):
    priya = login_as("priya")
    thread = _thread_id(app, "jordan", AllocationKind.PERSONAL_ADVISER)
    assert priya.get(f"/inbox/{thread}").status_code == 404
    assert "Thursday" not in _html(priya, "/inbox")


def test_riley_cannot_read_or_write_into_mayas_conversations(app, login_as):
    riley = login_as("riley")
    thread = _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    assert riley.get(f"/inbox/{thread}").status_code == 404
    assert _post(riley, f"/inbox/{thread}", body="hello").status_code == 404
    # Her own conversation page is hers: nothing of Maya's is in it.
    assert "my nan" not in _html(riley, "/messages/social-worker")
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id)).where(Message.body == "hello")) == 0


def test_alex_writes_to_priya_about_maya_but_not_about_riley(app, client_for, login_as, demo):
    alex = login_as("alex")
    maya_path = f"/care/young-people/{demo['maya']}/messages/social-worker"
    assert _post(alex, maya_path, body="Maya did really well at school today.").status_code == 302
    riley_path = f"/care/young-people/{demo['riley']}/messages/social-worker"
    assert alex.get(riley_path).status_code == 404
    assert _post(alex, riley_path, body="About Riley").status_code == 404
    priya = client_for("priya")
    inbox = _html(priya, "/inbox")
    assert "Alex Marsh (carer) about Maya" in inbox
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id)).where(Message.body == "About Riley")) == 0


def test_alex_cannot_read_mayas_own_conversation_with_priya(app, login_as, demo):
    alex = login_as("alex")
    thread = _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    assert alex.get(f"/inbox/{thread}").status_code == 404
    html = _html(alex, f"/care/young-people/{demo['maya']}/messages/social-worker")
    assert "dentist" in html  # his own conversation about her
    assert "my nan" not in html and "sorting it out with your nan" not in html


def test_carer_cannot_reach_young_persons_own_pages(login_as):
    alex = login_as("alex")
    for path in ("/people", "/messages", "/messages/social-worker", "/talk", "/not-safe"):
        assert alex.get(path).status_code == 404, path


def test_refused_conversation_is_audited_and_allowed_view_too(app, client_for, login_as, demo):
    thread = _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    omar = login_as("omar")
    assert omar.get(f"/inbox/{thread}").status_code == 404
    priya = client_for("priya")
    assert priya.get(f"/inbox/{thread}").status_code == 200
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.young_person_id == demo["maya"]).order_by(AuditEvent.id)
        ).all()
    assert [(e.actor_id, e.action, e.outcome) for e in events] == [
        (demo["omar"], "read_messages", "refused"),
        (demo["priya"], "viewed", "allowed"),
    ]
    assert events[1].detail == {"page": "contact.inbox_thread"}
    assert all(e.young_person_id == demo["maya"] for e in events)


def test_new_worker_sees_the_history_and_old_worker_loses_it(app, client_for, login_as, demo):
    thread = _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["maya"])
        relationships.allocate(
            profile, db.session.get(User, demo["omar"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    omar = login_as("omar")
    assert "Can I see my nan at Christmas?" in _html(omar, f"/inbox/{thread}")
    priya = client_for("priya")
    assert priya.get(f"/inbox/{thread}").status_code == 404


# Bad input ----------------------------------------------------------------------------------


def test_an_empty_message_is_refused_with_a_clear_word(app, login_as, demo):
    maya = login_as("maya")
    response = _post(maya, "/messages/social-worker", body="   ", to_worker=str(demo["priya"]))
    assert response.status_code == 200
    assert "Write your message first." in response.get_data(as_text=True)


def test_an_over_long_message_comes_back_whole(app, login_as, demo):
    maya = login_as("maya")
    words = "I want to tell you about my week. " * 70
    response = _post(maya, "/messages/social-worker", body=words, to_worker=str(demo["priya"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is too long. You can write up to 2,000 characters" in html
    assert words.strip() in html.replace("&#39;", "'")
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Message.id)).where(Message.body.like("I want to tell%"))) == 0
        )


def test_writing_to_a_worker_who_changed_meanwhile_keeps_the_words_and_names_the_new_one(app, login_as, demo):
    maya = login_as("maya")
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["maya"])
        relationships.allocate(
            profile, db.session.get(User, demo["omar"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    response = _post(maya, "/messages/social-worker", body="Is Friday OK?", to_worker=str(demo["priya"]))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "It is now Omar Haddad" in html and "Is Friday OK?" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Message.id)).where(Message.body == "Is Friday OK?")) == 0
    # Sent again, it goes to Omar.
    assert (
        _post(maya, "/messages/social-worker", body="Is Friday OK?", to_worker=str(demo["omar"])).status_code
        == 302
    )


def test_writing_when_nobody_holds_that_part_any_more(app, login_as, demo):
    maya = login_as("maya")
    with app.app_context():
        allocation = db.session.scalar(
            select(Allocation).where(Allocation.young_person_id == demo["maya"], Allocation.ends_on.is_(None))
        )
        allocation.starts_on = london_today() - timedelta(days=30)
        relationships.end(allocation, london_today(), by_id=demo["kim"])
        db.session.commit()
    html = _html(maya, "/messages/social-worker")  # the history is still hers to read
    assert "Can I see my nan at Christmas?" in html and "You do not have a social worker" in html
    response = _post(maya, "/messages/social-worker", body="Hello?", to_worker=str(demo["priya"]))
    assert response.status_code == 200
    assert "nobody would read this" in response.get_data(as_text=True)


# In the demo, Priya works Monday to Thursday and Tom Tuesday to Saturday.
PRIYAS_DAYS = (0, 1, 2, 3)
TOMS_DAYS = (1, 2, 3, 4, 5)


def _next_day_at_work(days, after: date | None = None) -> date:
    """The first day after `after` (default today) that is one of `days` and not a bank
    holiday in England."""
    day = (after or london_today()) + timedelta(days=1)
    while day.weekday() not in days or day in ENGLAND:
        day += timedelta(days=1)
    return day


def test_a_call_back_time_in_the_past_is_refused_and_the_note_kept(login_as):
    jordan = login_as("jordan")
    response = _post(
        jordan,
        "/talk",
        worker_kind="personal_adviser",
        way="alone",
        call_day="2020-01-01",
        call_time="10:00",
        body="About college",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That time has already gone" in html and "About college" in html


def test_asking_to_talk_reaches_the_worker(app, client_for, login_as, demo):
    jordan = login_as("jordan")
    when = _next_day_at_work(TOMS_DAYS)
    response = _post(
        jordan,
        "/talk",
        worker_kind="personal_adviser",
        way="alone",
        call_day=when.isoformat(),
        call_time="16:30",
        body="About my flat",
    )
    assert response.status_code == 302
    tom = client_for("tom")
    html = _html(tom, f"/inbox/{_thread_id(app, 'jordan', AllocationKind.PERSONAL_ADVISER)}")
    assert "Asked to talk face to face, on my own without my carer" in html
    assert "16:30" in html and "About my flat" in html


# Urgent ------------------------------------------------------------------------------------


def test_not_safe_goes_to_the_top_of_the_inbox_marked_urgent(app, client_for, login_as, demo):
    maya = login_as("maya")
    response = _post(maya, "/not-safe", place="At the park", body="Someone is following me")
    assert response.status_code == 302
    sent = _html(maya, response.headers["Location"])
    assert "Priya Natarajan" in sent and 'href="tel:999"' in sent and "0800 1111" in sent

    priya = client_for("priya")
    inbox = _html(priya, "/inbox")
    first = re.search(r'<li class="card([^"]*)">\s*<h2 class="card__title"><a href="/inbox/(\d+)"', inbox)
    assert "card--urgent" in first.group(1)
    assert int(first.group(2)) == _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    html = _html(priya, f"/inbox/{first.group(2)}")
    assert "feel safe: urgent" in html and "At the park" in html
    assert _post(priya, f"/inbox/{first.group(2)}", body="I am calling you now.").status_code == 302
    with app.app_context():
        # An answer is not a closed alert (tests/test_safety.py closes one).
        assert (
            db.session.scalar(select(MessageThread.urgent).where(MessageThread.id == int(first.group(2))))
            is True
        )


def test_not_safe_may_be_sent_without_saying_anything(app, login_as):
    maya = login_as("maya")
    assert _post(maya, "/not-safe", place="", body="").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(select(func.count(Message.id)).where(Message.kind == MessageKind.NOT_SAFE)) == 1
        )


# Away, cards and response times -------------------------------------------------------------


def test_away_worker_tells_anyone_who_writes_who_to_contact(app, client_for, login_as, demo):
    tom = login_as("tom")
    back = london_today() + timedelta(days=10)
    with app.app_context():
        duty = db.session.scalar(select(Team.id).where(Team.name == "Duty team"))
    response = _post(
        tom,
        "/account/card",
        about_me="Ask me anything.",
        working_hours="Tuesday to Saturday",
        work_days=["1", "2", "3", "4", "5"],
        work_starts="10:00",
        work_ends="18:00",
        phone="01632 960103",
        email="",
        allow_call="y",
        away_until=back.isoformat(),
        away_cover_user_id="0",
        away_cover_team_id=str(duty),
        version="1",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    jordan = client_for("jordan")
    html = _html(jordan, "/messages/personal-adviser")
    assert "Tom Ellery is away until" in html and "contact: Duty team" in html
    assert 'href="tel:+441632960300"' in html
    assert "Tom Ellery is away until" in _html(jordan, "/people")


def test_card_changed_elsewhere_keeps_what_was_typed(app, login_as, demo):
    tom = login_as("tom")
    with app.app_context():
        card = db.session.get(StaffCard, demo["tom"])
        card.working_hours = "Changed elsewhere"
        db.session.commit()
        version = card.version
    response = _post(
        tom, "/account/card", about_me="My new words", working_hours="Mon", version=str(version - 1)
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "changed somewhere else" in html and "My new words" in html


def test_manager_sees_response_times_per_team_without_names(app, login_as):
    html = _html(login_as("kim"), "/admin/response-times")
    assert "Leaving care team" in html and "Children in care team" in html
    assert "Median wait" in html and "Still waiting" in html
    for name in ("Maya", "Jordan", "Sam", "Riley", "Fenwick"):
        assert name not in html


def test_manager_sees_how_fast_urgent_ones_were_answered(app, client_for, login_as):
    maya = login_as("maya")
    _post(maya, "/not-safe", place="", body="")
    priya = client_for("priya")
    _post(priya, f"/inbox/{_thread_id(app, 'maya', AllocationKind.SOCIAL_WORKER)}", body="Calling now")
    kim = client_for("kim")
    html = _html(kim, "/admin/response-times")
    urgent_row = html.split("<h2>Everyone</h2>")[1].split("feel safe")[1].split("</tr>")[0]
    assert "<td>1</td>" in urgent_row  # one answered


def test_worker_change_count_for_the_manager(app, login_as, demo):
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["riley"])
        relationships.allocate(
            profile, db.session.get(User, demo["priya"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    assert "1 young person had a new worker in the last 12 months." in _html(
        login_as("kim"), "/admin/response-times"
    )


# Cost -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("maya", ["/people", "/messages", "/messages/social-worker", "/talk", "/not-safe", "/"]),
        ("alex", ["/", "/care/young-people/{maya}/messages/social-worker", "/account/card"]),
        ("priya", ["/inbox", "/inbox/{thread}", "/care/young-people/{maya}/contacts"]),
        ("kim", ["/admin/response-times"]),
    ],
)
def test_contact_pages_stay_within_12_statements(app, login_as, demo, username, paths):
    client = login_as(username)
    thread = _thread_id(app, "maya", AllocationKind.SOCIAL_WORKER)
    for template in paths:
        path = template.format(thread=thread, **demo)
        client.get(path)
        with count_statements(app) as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= MAX_STATEMENTS, (path, len(statements), statements)


def _add_conversations(app, worker_id: int, how_many: int, start: int = 0) -> None:
    """Young people on the worker's caseload, each waiting for an answer (the first added
    has waited least)."""
    from app.timeutil import now_utc

    with app.app_context():
        now = now_utc()
        for n, user in enumerate(add_young_people(worker_id, how_many, start, prefix="inbox"), start):
            thread = MessageThread(
                young_person_id=user.id,
                participant_id=user.id,
                participant_role=Role.YOUNG_PERSON,
                worker_kind=AllocationKind.SOCIAL_WORKER,
                waiting_since=now - timedelta(minutes=n),
            )
            db.session.add(thread)
            db.session.flush()
            db.session.add(
                Message(
                    thread_id=thread.id,
                    sender_id=user.id,
                    sender_role=Role.YOUNG_PERSON,
                    from_worker=False,
                    body=f"Hello {n}",
                    created_at=now - timedelta(minutes=n),
                )
            )
        db.session.commit()


def test_inbox_costs_the_same_for_5_and_500_conversations(app, login_as, demo):
    omar = login_as("omar")
    _add_conversations(app, demo["omar"], 5)
    omar.get("/inbox")
    with count_statements(app) as small:
        html = _html(omar, "/inbox")
    assert html.count('href="/inbox/') == 5
    _add_conversations(app, demo["omar"], 495, start=5)
    with count_statements(app) as large:
        html = _html(omar, "/inbox")
    assert html.count('href="/inbox/') == 30
    assert len(small) == len(large) <= MAX_STATEMENTS
    # Longest waiting first: Person 499 has waited longest.
    assert html.index("Person 499") < html.index("Person 498")


def test_carer_sees_which_conversation_has_a_new_answer(app, client_for, login_as, demo):
    alex = login_as("alex")
    path = f"/care/young-people/{demo['maya']}/messages/social-worker"
    _post(alex, path, body="Maya has a cold today.")
    priya = client_for("priya")
    thread = _thread_id(app, "alex", AllocationKind.SOCIAL_WORKER, young_person="maya")
    _post(priya, f"/inbox/{thread}", body="Thanks, I hope she feels better.")
    html = _html(alex, "/")
    assert "You have 1 new message from a worker." in html
    button = html.split(f'href="{path}"')[1].split("</a>")[0]
    assert "New" in button
    _html(alex, path)
    assert "new message" not in _html(alex, "/")
