"""Reviews, getting ready for them, entitlements and the health passport over HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import HealthPassport, HealthPassportChange, Review, ReviewPreparation
from app.timeutil import london_today
from tests.conftest import csrf_token


def test_young_person_sees_their_next_review_and_how_to_take_part(app, client_for, demo):
    maya = client_for("maya")
    html = maya.get("/review").get_data(as_text=True)
    assert "Your next review is on" in html
    assert "Chair the meeting" in html
    assert "My next review" in maya.get("/").get_data(as_text=True)


def test_preparation_is_saved_as_they_go_and_shared(app, client_for, demo):
    maya = client_for("maya")
    token = csrf_token(maya, "/review/prepare")
    autosave = maya.post(
        "/review/prepare",
        data={"csrf_token": token, "going_well": "Art club"},
        headers={"X-Autosave": "1", "X-CSRFToken": token},
    )
    assert autosave.status_code == 200 and autosave.get_json()["saved"] is True
    lock = autosave.get_json()["lock_version"]
    page = maya.get("/review/prepare").get_data(as_text=True)
    assert "Art club" in page
    priya = client_for("priya")
    assert "Art club" not in priya.get(f"/care/young-people/{demo['maya']}").get_data(as_text=True)
    response = maya.post(
        "/review/prepare",
        data={
            "csrf_token": token,
            "lock_version": lock,
            "going_well": "Art club",
            "not_going_well": "Maths",
            "want_to_change": "More time with my nan",
            "who_there": "Alex and my nan",
            "chair": "help",
            "share": "1",
        },
    )
    assert response.status_code == 302
    html = priya.get(f"/care/young-people/{demo['maya']}").get_data(as_text=True)
    assert "More time with my nan" in html and "Maybe, with some help" in html


def test_stale_preparation_save_is_told_not_lost(app, client_for, demo):
    maya = client_for("maya")
    token = csrf_token(maya, "/review/prepare")
    first = maya.post(
        "/review/prepare",
        data={"csrf_token": token, "going_well": "one"},
        headers={"X-Autosave": "1", "X-CSRFToken": token},
    ).get_json()
    maya.post(
        "/review/prepare",
        data={"csrf_token": token, "lock_version": first["lock_version"], "going_well": "two"},
        headers={"X-Autosave": "1", "X-CSRFToken": token},
    )
    stale = maya.post(
        "/review/prepare",
        data={"csrf_token": token, "lock_version": first["lock_version"], "going_well": "three"},
        headers={"X-Autosave": "1", "X-CSRFToken": token},
    )
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.scalar(select(ReviewPreparation.going_well)) == "two"


def test_worker_books_and_records_reviews(app, client_for, demo):
    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}"
    token = csrf_token(priya, base)
    past = (london_today() - timedelta(days=1)).isoformat()
    response = priya.post(f"{base}/reviews/book", data={"csrf_token": token, "booked_for": past})
    assert "in the past" in priya.get(response.headers["Location"]).get_data(as_text=True)
    soon = (london_today() + timedelta(days=3)).isoformat()
    priya.post(f"{base}/reviews/book", data={"csrf_token": token, "booked_for": soon})
    priya.post(f"{base}/reviews/held", data={"csrf_token": token, "held_on": london_today().isoformat()})
    with app.app_context():
        held = db.session.scalars(
            select(Review.held_on).where(Review.young_person_id == demo["maya"], Review.held_on.is_not(None))
        ).all()
    assert london_today() in held


def test_review_dates_that_make_no_sense_are_refused(app, client_for, demo):
    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}"
    token = csrf_token(priya, base)

    def reviews():
        with app.app_context():
            return db.session.scalars(
                select(Review.id).where(Review.young_person_id == demo["maya"]).order_by(Review.id)
            ).all()

    before = reviews()
    far = priya.post(f"{base}/reviews/book", data={"csrf_token": token, "booked_for": "2099-12-31"})
    assert "within the next year" in priya.get(far.headers["Location"]).get_data(as_text=True)
    old = priya.post(f"{base}/reviews/held", data={"csrf_token": token, "held_on": "1990-01-01"})
    assert "before they were born" in priya.get(old.headers["Location"]).get_data(as_text=True)
    assert reviews() == before


def test_caseload_flags_overdue_reviews_and_plans(app, client_for, demo):
    with app.app_context():
        for review in db.session.scalars(select(Review).where(Review.young_person_id == demo["riley"])):
            db.session.delete(review)
        db.session.commit()
    html = client_for("omar").get("/care/young-people").get_data(as_text=True)
    # Riley came into care 400 days ago and has had no review: the first was due long ago.
    assert "Review overdue" in html


def test_entitlements_for_16_and_over_only(app, client_for, demo):
    assert "Setting-up-home allowance" in client_for("sam").get("/entitlements").get_data(as_text=True)
    assert client_for("maya").get("/entitlements").status_code == 404
    assert "What I&#39;m entitled to" not in client_for("maya").get("/").get_data(as_text=True)


def test_manager_edits_the_local_offer(app, client_for, demo):
    kim = client_for("kim")
    token = csrf_token(kim, "/admin/local-offer")
    response = kim.post(
        "/admin/local-offer/items",
        data={
            "csrf_token": token,
            "new-area": "leisure",
            "new-title": "Free swimming",
            "new-body": "Swim for free at any Northshire pool.",
            "new-who_to_ask": "Your personal adviser",
        },
    )
    assert response.status_code == 302
    assert "Free swimming" in client_for("sam").get("/entitlements").get_data(as_text=True)
    bad = kim.post(
        "/admin/local-offer/items",
        data={
            "csrf_token": token,
            "new-area": "leisure",
            "new-title": "",
            "new-body": "Kept words",
            "new-who_to_ask": "x",
        },
    )
    assert "Enter a title." in bad.get_data(as_text=True) and "Kept words" in bad.get_data(as_text=True)


def test_health_passport_is_kept_by_the_care_leaver_and_their_pa(app, client_for, demo):
    sam = client_for("sam")
    token = csrf_token(sam, "/health-passport")
    response = sam.post(
        "/health-passport",
        data={
            "csrf_token": token,
            "gp": "Harbour Surgery",
            "allergies": "Penicillin",
            "nhs_number": "943 476 5919",
        },
    )
    assert response.status_code == 302
    tom = client_for("tom")
    html = tom.get(f"/care/young-people/{demo['sam']}/health-passport").get_data(as_text=True)
    assert "Harbour Surgery" in html and "Penicillin" in html
    with app.app_context():
        lock = db.session.get(HealthPassport, demo["sam"]).lock_version
    token_t = csrf_token(tom, f"/care/young-people/{demo['sam']}/health-passport")
    tom.post(
        f"/care/young-people/{demo['sam']}/health-passport",
        data={
            "csrf_token": token_t,
            "lock_version": lock,
            "gp": "Harbour Surgery",
            "allergies": "Penicillin, nuts",
            "nhs_number": "943 476 5919",
        },
    )
    with app.app_context():
        changes = db.session.scalars(select(HealthPassportChange).order_by(HealthPassportChange.id)).all()
        assert [c.changed_by_id for c in changes] == [demo["sam"], demo["tom"]]
        assert changes[1].before == {"allergies": "Penicillin"}
    printed = sam.get("/health-passport/print").get_data(as_text=True)
    assert "Penicillin, nuts" in printed and "Sam Okafor-Lindqvist" in printed
    # A social worker, a carer, or another PA's young person: no.
    assert client_for("priya").get(f"/care/young-people/{demo['jordan']}/health-passport").status_code == 404
    assert client_for("maya").get("/health-passport").status_code == 404


def test_bad_nhs_number_is_refused_and_input_kept(app, client_for, demo):
    sam = client_for("sam")
    token = csrf_token(sam, "/health-passport")
    html = sam.post(
        "/health-passport", data={"csrf_token": token, "gp": "Harbour Surgery", "nhs_number": "123 456 7890"}
    ).get_data(as_text=True)
    assert "does not look right" in html and "Harbour Surgery" in html
    with app.app_context():
        assert db.session.get(HealthPassport, demo["sam"]) is None
