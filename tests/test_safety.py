""" "I don't feel safe" over HTTP, with the clock held still: who is told, what the young
person reads, escalation, taking it on, closing it, a change of worker, and who may see it."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.reminders import Reason
from app.domain.safety import AlertState, Because, EventKind
from app.domain.working_days import ENGLAND
from app.extensions import db
from app.models import (
    AuditEvent,
    MessageThread,
    Notification,
    ReminderSettings,
    SafetyAlert,
    SafetyAlertEvent,
    SafetyAlertRecipient,
    StaffCard,
    Team,
    User,
    YoungPersonProfile,
)
from app.people import relationships
from app.safety import service
from app.timeutil import LONDON, london_today
from tests.conftest import page_html, sign_in
from tests.conftest import post_form as _post
from tests.factories import add_young_people


def next_day(weekday: int) -> date:
    """The next `weekday` (0 is Monday) after today that is not a bank holiday."""
    day = london_today() + timedelta(days=1)
    while day.weekday() != weekday or day in ENGLAND:
        day += timedelta(days=1)
    return day


TUESDAY = next_day(1)
FRIDAY = next_day(4)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def clock(app):
    """Holds the app's clock still; `clock.now = ...` moves it."""

    class Clock:
        now = at(TUESDAY, 10)

        def __call__(self):
            return self.now

    held = Clock()
    app.config["CLOCK"] = held
    return held


def _html(client, path, status=200):
    return page_html(client, path, status, follow_redirects=True)


def _text(html: str) -> str:
    """The words on the page, without tags, on one line."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()).replace("&#39;", "'")


def _away(app, username, until: date, *, cover_team: str | None = "Duty team", starts: date | None = None):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        card = db.session.get(StaffCard, user.id)
        card.away_from, card.away_until = starts, until
        card.away_cover_team_id = (
            db.session.scalar(select(Team.id).where(Team.name == cover_team)) if cover_team else None
        )
        db.session.commit()


def _alert(app) -> SafetyAlert:
    with app.app_context():
        return db.session.scalars(select(SafetyAlert).order_by(SafetyAlert.id.desc())).first()


def _told(app, alert_id: int) -> dict[str, Because]:
    with app.app_context():
        rows = db.session.execute(
            select(User.username, SafetyAlertRecipient.because)
            .join(User, SafetyAlertRecipient.user_id == User.id)
            .where(SafetyAlertRecipient.alert_id == alert_id)
        ).all()
    return dict(rows)


def _urgent_notifications(app, username) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(Notification.id))
            .join(User, Notification.user_id == User.id)
            .where(User.username == username, Notification.reason == Reason.URGENT_ALERT)
        )


PREFIX = {"acknowledge": "ack", "note": "note", "close": "close", "write": "write"}


def _act(client, alert_id, what: str, **fields):
    """Posts one of the alert page's three forms (each has its own field prefix)."""
    return _post(
        client, f"/alerts/{alert_id}/{what}", **{f"{PREFIX[what]}-{k}": v for k, v in fields.items()}
    )


def _send(client, **data):
    response = _post(client, "/not-safe", **{"place": "", "body": "", **data})
    assert response.status_code == 302, response.get_data(as_text=True)
    return _text(_html(client, response.headers["Location"]))


# Who is told ----------------------------------------------------------------------------------


def test_priya_away_means_the_duty_team_has_it_and_maya_is_told_so(app, client_for, demo, clock):
    back = TUESDAY + timedelta(days=14)
    _away(app, "priya", back)
    maya = client_for("maya")
    before = _text(_html(maya, "/not-safe"))
    assert "Priya Natarajan is away until" in before and "so the duty team will get it now" in before
    sent = _send(maya, place="At the park", body="Someone is following me")
    assert "so the duty team has your message" in sent
    assert "Priya Natarajan has your message" not in sent and "We have told Priya" not in sent
    assert "Call 999" in sent and "0800 1111" in sent and "85258" in sent

    alert = _alert(app)
    assert _told(app, alert.id) == {"priya": Because.SOCIAL_WORKER, "nia": Because.DUTY}
    nia = client_for("nia")
    for page in ("/", "/inbox"):
        home = _text(_html(nia, page))
        assert "Urgent: 1 young person does not feel safe" in home and "Maya does not feel safe" in home
    detail = _text(_html(nia, f"/alerts/{alert.id}"))
    assert "At the park" in detail and "Someone is following me" in detail
    assert "Nobody has taken this on yet" in detail


def test_at_ten_at_night_the_out_of_hours_team_has_it(app, client_for, demo, clock):
    clock.now = at(TUESDAY, 22)
    maya = client_for("maya")
    sent = _send(maya)
    assert "Priya Natarajan is not working right now, so the out-of-hours team has your message" in sent
    assert _told(app, _alert(app).id) == {"priya": Because.SOCIAL_WORKER, "ezra": Because.OUT_OF_HOURS}
    assert "Maya does not feel safe" in _text(_html(client_for("ezra"), "/alerts"))
    assert _urgent_notifications(app, "nia") == 0


def test_when_priya_is_working_she_has_it_and_nobody_else_yet(app, client_for, demo, clock):
    maya = client_for("maya")
    assert "Priya Natarajan is working now and will get it straight away" in _text(_html(maya, "/not-safe"))
    sent = _send(maya)
    assert "Priya Natarajan has your message" in sent
    assert _told(app, _alert(app).id) == {"priya": Because.SOCIAL_WORKER}


def test_mutes_and_turned_off_reminders_never_stop_an_alert(app, client_for, demo, clock):
    with app.app_context():
        db.session.add(ReminderSettings(user_id=demo["priya"], muted=["messages", "reviews", "passport"]))
        db.session.commit()
    _send(client_for("maya"))
    assert _urgent_notifications(app, "priya") == 1


def test_jordan_chooses_tom_priya_or_whoever_is_there(app, client_for, demo, clock):
    jordan = client_for("jordan")
    page = _text(_html(jordan, "/not-safe"))
    assert "Tom Ellery, your personal adviser" in page and "Priya Natarajan, your social worker" in page
    assert "Whoever is there" in page
    _send(jordan, to="personal_adviser", body="Can Tom call me")
    alert = _alert(app)
    # Tom works Tuesday to Saturday from 10: he is named, and Priya is told too.
    assert _told(app, alert.id) == {"tom": Because.PERSONAL_ADVISER, "priya": Because.SOCIAL_WORKER}
    with app.app_context():
        thread = db.session.get(MessageThread, alert.thread_id)
        assert thread.worker_kind.value == "personal_adviser" and thread.urgent


def test_a_young_person_with_no_worker_still_reaches_the_duty_team(app, demo, clock):
    with app.app_context():
        [user] = add_young_people(demo["omar"], 1, prefix="alone")
        profile = db.session.get(YoungPersonProfile, user.id)
        for allocation in profile.allocations:
            allocation.ends_on = allocation.starts_on + timedelta(days=1)
        user.password_hash = db.session.get(User, demo["maya"]).password_hash
        db.session.commit()
        username = user.username
    client = app.test_client()
    assert sign_in(client, username).status_code == 302
    sent = _send(client)
    assert "You do not have a worker right now, so the duty team has your message" in sent
    assert _told(app, _alert(app).id) == {"nia": Because.DUTY}


# What happens next -------------------------------------------------------------------------------


def test_a_reply_is_not_a_closed_alert(app, client_for, demo, clock):
    _send(client_for("maya"), body="Help")
    alert = _alert(app)
    priya = client_for("priya")
    assert _post(priya, f"/inbox/{alert.thread_id}", body="I am calling you now.").status_code == 302
    with app.app_context():
        assert db.session.get(SafetyAlert, alert.id).state is AlertState.OPEN
        assert db.session.get(MessageThread, alert.thread_id).urgent is True
    assert "Urgent: doesn" in _html(priya, "/inbox")


def test_taking_it_on_and_closing_with_what_was_done(app, client_for, demo, clock):
    _away(app, "priya", TUESDAY + timedelta(days=3))
    maya = client_for("maya")
    _send(maya)
    alert = _alert(app)
    nia = client_for("nia")
    clock.now += timedelta(minutes=2)
    _html(nia, f"/alerts/{alert.id}")
    assert "Seen by Nia Brennan from the duty team at" in _text(_html(maya, "/not-safe/sent"))
    # ... and her message reads as read in her conversation.
    assert "Not read yet" not in _html(maya, "/messages/social-worker")

    clock.now += timedelta(minutes=1)
    assert _act(nia, alert.id, "acknowledge").status_code == 302
    happening = _text(_html(maya, "/not-safe/sent"))
    assert "Nia Brennan from the duty team is on it" in happening
    assert happening.index("Seen by Nia") < happening.index("is on it")
    # Maya hears it in her notifications too (and her phone, with nothing said about why).
    assert "Someone has seen what you sent us and is on it." in _text(_html(maya, "/notifications"))
    # The team manager, looking in, sees who has it.
    assert "Nia Brennan has taken this on" in _text(_html(client_for("hana"), f"/alerts/{alert.id}"))

    no_outcome = _act(nia, alert.id, "close", note="Rang her.")
    assert no_outcome.status_code == 200 and "Choose what was done." in no_outcome.get_data(as_text=True)
    assert "Rang her." in no_outcome.get_data(as_text=True)
    no_note = _act(nia, alert.id, "close", outcome="spoke_to_young_person")
    assert "Write a note about what was done." in no_note.get_data(as_text=True)
    done = _act(
        nia,
        alert.id,
        "close",
        outcome="spoke_to_young_person",
        note="Rang Maya, she is home with Alex.",
    )
    assert done.status_code == 302
    with app.app_context():
        closed = db.session.get(SafetyAlert, alert.id)
        assert closed.state is AlertState.CLOSED and closed.outcome.value == "spoke_to_young_person"
        assert db.session.get(MessageThread, alert.thread_id).urgent is False
    assert "Urgent:" not in _html(nia, "/inbox")


def test_two_people_taking_it_on_at_once_the_second_is_told(app, client_for, demo, clock):
    _send(client_for("maya"))
    alert = _alert(app)
    priya, hana = client_for("priya"), client_for("hana")
    assert _act(priya, alert.id, "acknowledge").status_code == 302
    second = _act(hana, alert.id, "acknowledge")
    assert second.status_code == 200
    assert "Priya Natarajan has already taken this on." in _text(second.get_data(as_text=True))


def test_escalation_climbs_every_15_minutes_until_someone_acts(app, client_for, demo, clock):
    _send(client_for("maya"))
    alert = _alert(app)
    with app.app_context():
        assert service.escalate_due(clock.now + timedelta(minutes=14)) == 0
        assert service.escalate_due(clock.now + timedelta(minutes=15)) == 1
        db.session.commit()
    assert _told(app, alert.id)["nia"] is Because.DUTY
    with app.app_context():
        assert service.escalate_due(clock.now + timedelta(minutes=30)) == 1
        db.session.commit()
    assert _told(app, alert.id)["hana"] is Because.TEAM_MANAGER
    assert _urgent_notifications(app, "hana") == 1
    hana = client_for("hana")
    assert _act(hana, alert.id, "acknowledge").status_code == 302
    with app.app_context():
        assert service.escalate_due(clock.now + timedelta(hours=2)) == 0
        events = [e.kind for e in db.session.get(SafetyAlert, alert.id).events]
    assert events.count(EventKind.ESCALATED) == 2 and EventKind.ACKNOWLEDGED in events
    assert "kim" not in _told(app, alert.id)


def test_a_new_worker_sees_the_open_alert_and_the_team_manager_is_shown_the_move(
    app, client_for, demo, clock
):
    _send(client_for("maya"), body="Help")
    alert = _alert(app)
    with app.app_context():
        profile = db.session.get(YoungPersonProfile, demo["maya"])
        relationships.allocate(
            profile, db.session.get(User, demo["omar"]), london_today(), london_today(), by_id=demo["kim"]
        )
        db.session.commit()
    omar = client_for("omar")
    assert "Maya does not feel safe" in _text(_html(omar, "/"))
    assert "Nobody has taken this on yet" in _text(_html(omar, f"/alerts/{alert.id}"))
    assert _told(app, alert.id)["omar"] is Because.NEW_WORKER
    hana = _text(_html(client_for("hana"), "/"))
    assert "Maya does not feel safe" in hana and "Has a new worker since it was sent: Omar Haddad" in hana
    # Priya is not Maya's worker any more: the alert is no longer hers to see.
    _html(client_for("priya"), f"/alerts/{alert.id}", status=404)


# Who may see it ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["omar", "tom", "bea", "alex", "lee", "ezra", "riley"])
def test_nobody_else_may_see_an_alert_and_each_refusal_is_audited(app, client_for, demo, clock, username):
    _send(client_for("maya"))
    alert = _alert(app)
    _html(client_for(username), f"/alerts/{alert.id}", status=404)
    with app.app_context():
        refused = db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.outcome == "refused", AuditEvent.actor_id == demo[username]
            )
        )
    assert refused == 1


def test_the_service_manager_and_team_manager_see_it_and_each_look_is_audited(app, client_for, demo, clock):
    _send(client_for("maya"))
    alert = _alert(app)
    for username in ("kim", "hana"):
        _html(client_for(username), f"/alerts/{alert.id}")
    with app.app_context():
        looks = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "view_alert")).all()
    assert sorted(looks) == sorted([demo["kim"], demo["hana"]])


# Bad input ----------------------------------------------------------------------------------------


def test_an_empty_alert_is_allowed(app, client_for, demo, clock):
    _send(client_for("maya"))
    assert _alert(app).body == ""


def test_a_long_alert_is_sent_whole(app, client_for, demo, clock):
    maya = client_for("maya")
    page = _html(maya, "/not-safe")
    assert 'data-count-to="20000"' in page and "maxlength" not in page
    words = "I am scared. " * 192  # 2,500 characters
    sent = _send(maya, body=words)
    assert "so we sent the first" not in sent
    assert _alert(app).body == words.strip()


def test_words_past_the_limit_never_stop_the_alert_and_she_is_told(app, client_for, demo, clock):
    maya = client_for("maya")
    words = "help " * 5000  # 25,000 characters
    sent = _send(maya, place="x" * 300, body=words)
    assert "Your message was very long, so we sent the first 20,000 characters" in sent
    alert = _alert(app)
    assert len(alert.body) == 20_000 and alert.body.startswith("x" * 300)  # the place, first
    assert alert.place is None
    assert _told(app, alert.id)  # someone has it


def test_staff_write_to_the_young_person_from_the_alert(app, client_for, demo, clock):
    _away(app, "priya", TUESDAY + timedelta(days=3))
    _send(client_for("maya"))
    alert = _alert(app)
    nia = client_for("nia")
    empty = _act(nia, alert.id, "write", body="  ")
    assert empty.status_code == 200 and "Write something first." in empty.get_data(as_text=True)
    assert (
        _act(
            nia, alert.id, "write", body="Maya, I am Nia from the duty team. I will ring Alex now."
        ).status_code
        == 302
    )
    conversation = _text(_html(client_for("maya"), "/messages/social-worker"))
    assert "Nia Brennan" in conversation and "I will ring Alex now." in conversation
    with app.app_context():
        kinds = [e.kind for e in db.session.get(SafetyAlert, alert.id).events]
    assert EventKind.WROTE in kinds
    # Writing is not closing.
    assert _alert(app).state is AlertState.OPEN


def test_closing_with_a_huge_note_is_refused_and_kept(app, client_for, demo, clock):
    _send(client_for("maya"))
    alert = _alert(app)
    note = "x" * 5000
    response = _act(
        client_for("priya"),
        alert.id,
        "close",
        outcome="other",
        note=note,
    )
    assert response.status_code == 200 and "under 4,000 characters" in response.get_data(as_text=True)
    assert note in response.get_data(as_text=True)


def test_garbage_alert_ids_are_404_not_500(app, client_for, demo, clock):
    priya = client_for("priya")
    _html(priya, "/alerts/999999", status=404)
    assert _act(priya, 999999, "close", outcome="nonsense", note="x").status_code == 404


def test_two_runners_escalating_at_once_tell_each_person_once(app, client_for, demo, clock):
    import threading

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks (SKIP LOCKED) need PostgreSQL; SQLite runs one sender")
    for name in ("maya", "jordan", "riley"):
        _send(client_for(name))
    later = clock.now + timedelta(minutes=15)
    start = threading.Barrier(2)
    moved, errors = [], []

    def runner():
        try:
            with app.app_context():
                start.wait()
                moved.append(service.escalate_due(later))
                db.session.commit()
        except Exception as error:  # reported below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sum(moved) == 3
    with app.app_context():
        escalations = db.session.scalar(
            select(func.count(SafetyAlertEvent.id)).where(SafetyAlertEvent.kind == EventKind.ESCALATED)
        )
        duplicates = db.session.execute(
            select(Notification.dedupe_key, func.count())
            .group_by(Notification.dedupe_key)
            .having(func.count() > 1)
        ).all()
    assert escalations == 3 and duplicates == []
