"""The reminder sources for messages and complaints, on the demo authority: who is
reminded of what, and that the reminder goes once the thing is dealt with."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.domain.reminders import Reason
from app.domain.roles import AllocationKind
from app.extensions import db
from app.models import MessageThread, Notification
from app.push.sources import SOURCES
from app.timeutil import now_utc
from tests.conftest import csrf_token


def _candidates(app, source: str, now=None):
    with app.app_context():
        return SOURCES[source](now or now_utc())


def test_a_young_person_is_reminded_of_an_unread_answer_until_they_read_it(app, client_for, demo):
    found = _candidates(app, "new_messages")
    for_maya = [c for c in found if c.person_id == demo["maya"]]
    assert len(for_maya) == 1
    assert for_maya[0].reason is Reason.NEW_MESSAGE and for_maya[0].url == "/messages/social-worker"
    client_for("maya").get("/messages/social-worker")
    assert not [c for c in _candidates(app, "new_messages") if c.person_id == demo["maya"]]


def test_not_feeling_safe_reaches_the_worker_at_once_as_an_alert_not_a_message(app, client_for, demo):
    maya = client_for("maya")
    maya.post("/not-safe", data={"csrf_token": csrf_token(maya, "/"), "place": "", "body": ""})
    # Told in the same request, with no send-due run: an urgent alert (never muted).
    with app.app_context():
        reasons = db.session.scalars(
            select(Notification.reason).where(Notification.user_id == demo["priya"])
        ).all()
    assert Reason.URGENT_ALERT in reasons
    assert not [c for c in _candidates(app, "new_messages") if c.person_id == demo["priya"]]


def test_a_worker_is_reminded_of_a_message_unanswered_for_two_working_days(app, client_for, demo):
    now = now_utc()
    assert not [c for c in _candidates(app, "messages_unanswered", now) if c.person_id == demo["tom"]]
    later = now + timedelta(days=5)  # at least two working days, whatever today is
    waiting = [c for c in _candidates(app, "messages_unanswered", later) if c.person_id == demo["tom"]]
    assert {c.reason for c in waiting} == {Reason.MESSAGE_UNANSWERED}
    assert len(waiting) == 2  # Jordan's question and Sam's request to talk
    with app.app_context():
        thread = db.session.scalar(
            select(MessageThread.id).where(
                MessageThread.participant_id == demo["jordan"],
                MessageThread.worker_kind == AllocationKind.PERSONAL_ADVISER,
            )
        )
    tom = client_for("tom")
    tom.post(f"/inbox/{thread}", data={"csrf_token": csrf_token(tom, "/"), "body": "Yes, after 4."})
    left = [c for c in _candidates(app, "messages_unanswered", later) if c.person_id == demo["tom"]]
    assert len(left) == 1


def test_after_a_change_of_worker_the_new_one_is_reminded(app, client_for, demo):
    from app.models import User, YoungPersonProfile
    from app.people import relationships
    from app.timeutil import london_today

    maya = client_for("maya")
    maya.post(
        "/messages/social-worker",
        data={"csrf_token": csrf_token(maya, "/"), "body": "Hello?", "to_worker": str(demo["priya"])},
    )
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["maya"])
        relationships.allocate(
            profile, db.session.get(User, demo["omar"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    later = now_utc() + timedelta(days=5)
    people = {c.person_id for c in _candidates(app, "messages_unanswered", later)}
    assert demo["omar"] in people and demo["priya"] not in people


def test_a_young_person_hears_when_their_complaint_moves_on(app, demo):
    updates = [c for c in _candidates(app, "complaint_updates") if c.person_id == demo["maya"]]
    assert updates and all(c.reason is Reason.COMPLAINT_UPDATE for c in updates)
    assert all(c.url.startswith("/complaints/") for c in updates)


def test_the_officer_hears_of_late_complaints(app, demo):
    due = _candidates(app, "complaints_due")
    assert due and {c.person_id for c in due} == {demo["lee"]}
    assert any(c.subject.endswith(":late") for c in due)
