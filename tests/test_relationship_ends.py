"""Issue 12, finding 11: once a relationship ends, nothing about the young person leaks
through a list or a notification. Every list and notification follows the same rule as
the page it links to (policy.may), so when Tom's allocation to Jordan ends, or Jordan moves
out from Alex's, Jordan's name and references go, and the linked pages answer 404."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.reminders import Candidate, Reason
from app.extensions import db
from app.models import Allocation, Complaint, DeliveryState, LivingArrangement, Notification, PushDelivery
from app.people import relationships
from app.push import delivery
from app.timeutil import london_today
from tests.conftest import csrf_token, page_html, post_form
from tests.fake_push import FakePushService
from tests.test_push import PUBLIC, Clock, noon, sender, subscribe


@pytest.fixture
def app_settings():
    from tests.test_push import PRIVATE

    return {
        "VAPID_PRIVATE_KEY": PRIVATE,
        "VAPID_PUBLIC_KEY": PUBLIC,
        "PUSH_ALLOW_HTTP": True,
        "PUSH_SERVICE_HOSTS": ["127.0.0.1"],
    }


def end_allocation(app, worker_id: int, young_person_id: int) -> None:
    with app.app_context():
        row = db.session.scalar(
            select(Allocation).where(
                Allocation.worker_id == worker_id,
                Allocation.young_person_id == young_person_id,
                Allocation.ends_on.is_(None),
            )
        )
        relationships.end(row, london_today(), by_id=worker_id)
        db.session.commit()


def move_out(app, carer_id: int, young_person_id: int) -> None:
    with app.app_context():
        row = db.session.scalar(
            select(LivingArrangement).where(
                LivingArrangement.carer_id == carer_id,
                LivingArrangement.young_person_id == young_person_id,
                LivingArrangement.ends_on.is_(None),
            )
        )
        relationships.end(row, london_today(), by_id=carer_id)
        db.session.commit()


def end(app, demo, reader: str) -> None:
    if reader == "alex":
        move_out(app, demo["alex"], demo["jordan"])
    else:
        end_allocation(app, demo[reader], demo["jordan"])


def remind(app, candidate: Candidate) -> list[int]:
    with app.app_context():
        _, created = delivery.remind([candidate], noon())
        db.session.commit()  # as the sender would
        return created


def bell(html: str) -> bool:
    return 'class="bell__count"' in html


# Complaints the officer shared ------------------------------------------------------------


def test_a_shared_complaint_is_gone_from_toms_list_once_his_allocation_to_jordan_ends(app, client_for, demo):
    jordan = client_for("jordan")
    sent = post_form(
        jordan,
        "/complaints/new",
        what_happened="My phone was taken away.",
        put_right="Give it back.",
        about_who="",
        wants_advocate="no",
        send="1",
    )
    assert sent.status_code == 302
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).order_by(Complaint.id.desc()).limit(1))
        complaint_id, reference, lock = complaint.id, complaint.reference, complaint.lock_version
    lee = client_for("lee")
    shared = post_form(
        lee,
        f"/officer/complaints/{complaint_id}/share",
        lock_version=lock,
        worker=str(demo["tom"]),
        note="FYI",
    )
    assert shared.status_code == 302
    tom = client_for("tom")
    assert reference in page_html(tom, "/care/complaints")
    page_html(tom, f"/care/complaints/{complaint_id}")

    end_allocation(app, demo["tom"], demo["jordan"])

    assert reference not in page_html(tom, "/care/complaints")
    page_html(tom, f"/care/complaints/{complaint_id}", 404)


# Notifications ----------------------------------------------------------------------------

READERS = [
    # reader, reason, where the notification links, a page about Jordan it stands for
    (
        "alex",
        Reason.PRACTISE_SKILLS,
        "/care/young-people/{jordan}/passport",
        "/care/young-people/{jordan}/passport",
    ),
    ("priya", Reason.SIGN_OFF_WAITING, "/care/passport-queue", "/care/young-people/{jordan}/passport"),
    ("tom", Reason.REVIEWS_DUE, "/care/young-people/{jordan}", "/care/young-people/{jordan}"),
    ("tom", Reason.MESSAGE_UNANSWERED, "/inbox", "/care/young-people/{jordan}"),
]


@pytest.mark.parametrize(("reader", "reason", "url", "page"), READERS)
def test_a_notification_about_jordan_goes_when_the_relationship_ends(
    app, client_for, demo, reader, reason, url, page
):
    url, page = url.format(jordan=demo["jordan"]), page.format(jordan=demo["jordan"])
    [created] = remind(app, Candidate(demo[reader], reason, f"leak-test:{reason}", demo["jordan"], url))
    client = client_for(reader)
    before = page_html(client, "/notifications")
    assert "About Jordan." in before and bell(before)
    page_html(client, page)

    end(app, demo, reader)

    after = page_html(client, "/notifications")
    assert "Jordan" not in after
    assert not bell(after)
    assert f"/notifications/{created}/read" not in after
    opened = client.post(f"/notifications/{created}/read", data={"csrf_token": csrf_token(client, "/")})
    assert opened.status_code == 404
    page_html(client, page, 404)
    with app.app_context():
        assert db.session.get(Notification, created).read_at is None


def test_a_young_persons_own_notifications_stay(app, client_for, demo):
    remind(app, Candidate(demo["jordan"], Reason.NEW_PLAN_VERSION, "plan:leak", demo["jordan"], "/plan"))
    end(app, demo, "alex")
    end(app, demo, "priya")
    jordan = client_for("jordan")
    assert bell(page_html(jordan, "/notifications"))


def test_a_reminder_about_a_young_person_who_moved_out_is_not_recorded(app, demo):
    move_out(app, demo["alex"], demo["jordan"])
    assert remind(app, Candidate(demo["alex"], Reason.PRACTISE_SKILLS, "practise:x", demo["jordan"])) == []
    assert remind(app, Candidate(demo["alex"], Reason.PRACTISE_SKILLS, "practise:y", demo["maya"])) != []


def test_a_queued_push_about_a_young_person_who_moved_out_is_not_sent(app, demo):
    fake = FakePushService(expected_key=PUBLIC).start()
    try:
        subscribe(app, demo["alex"], fake)
        clock = Clock(noon())
        with app.app_context():
            candidates = [
                Candidate(demo["alex"], Reason.PRACTISE_SKILLS, "practise:jordan", demo["jordan"]),
                Candidate(demo["alex"], Reason.PRACTISE_SKILLS, "practise:maya", demo["maya"]),
            ]
            delivery.remind(candidates, clock())  # queued, not yet sent
            db.session.commit()  # as the sender would
        move_out(app, demo["alex"], demo["jordan"])
        with app.app_context():
            report = delivery.deliver(
                end_batch=db.session.commit, sender=sender(), clock=clock, sleep=clock.sleep, max_wait=0
            )
            rows = {
                n.subject: d.state
                for d, n in db.session.execute(
                    select(PushDelivery, Notification).join(
                        Notification, PushDelivery.notification_id == Notification.id
                    )
                )
            }
        assert report.sent == 1 and report.withheld == 1
        assert rows == {"practise:jordan": DeliveryState.FAILED, "practise:maya": DeliveryState.SENT}
        assert len(fake.delivered()) == 1
    finally:
        fake.stop()


# The other lists --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reader", "lists"),
    [
        ("priya", ["/care/young-people", "/inbox", "/care/passport-queue", "/alerts", "/notifications"]),
        ("tom", ["/care/young-people", "/inbox", "/care/passport-queue", "/alerts", "/care/complaints"]),
        ("alex", ["/", "/notifications"]),
    ],
)
def test_lists_lose_jordan_when_the_relationship_ends(app, client_for, demo, reader, lists):
    client = client_for(reader)
    home = "/care/young-people" if reader != "alex" else "/"
    assert "Jordan" in page_html(client, home)
    end(app, demo, reader)
    for path in lists:
        assert "Jordan" not in page_html(client, path, follow_redirects=True), path
    page_html(client, f"/care/young-people/{demo['jordan']}", 404)


def test_an_urgent_alert_goes_from_a_worker_who_no_longer_works_with_jordan(app, client_for, demo):
    from tests.test_safety import TUESDAY, at

    app.config["CLOCK"] = lambda: at(TUESDAY, 10)
    jordan = client_for("jordan")
    assert post_form(jordan, "/not-safe", place="", body="Help").status_code == 302
    with app.app_context():
        alert_id, notification_id = db.session.execute(
            select(Notification.subject, Notification.id).where(
                Notification.user_id == demo["tom"], Notification.reason == Reason.URGENT_ALERT
            )
        ).one()
    alert_id = int(alert_id.partition(":")[2])
    tom = client_for("tom")
    assert "About Jordan." in page_html(tom, "/notifications")
    assert "Jordan" in page_html(tom, "/alerts")
    page_html(tom, f"/alerts/{alert_id}")

    end_allocation(app, demo["tom"], demo["jordan"])

    assert "Jordan" not in page_html(tom, "/notifications")
    assert "Jordan" not in page_html(tom, "/alerts")
    page_html(tom, f"/alerts/{alert_id}", 404)
    opened = tom.post(f"/notifications/{notification_id}/read", data={"csrf_token": csrf_token(tom, "/")})
    assert opened.status_code == 404
    # Priya still works with Jordan: she still has it.
    priya = client_for("priya")
    assert "About Jordan." in page_html(priya, "/notifications")
