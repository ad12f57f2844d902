"""Votes over HTTP: suggesting, voting once, changing a vote, closing, adopting the new
passport name."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Ballot, Vote, VoteOption
from app.timeutil import london_today, now_utc
from tests.conftest import csrf_token


def _new_vote(
    kim, suggestions=False, options="Skills Passport\nMy Life Kit\nReady Steady Go", voters=("young_people",)
):
    token = csrf_token(kim, "/admin/votes")
    data = {
        "csrf_token": token,
        "question": "What should we call the passport?",
        "about": "passport_name",
        "options": options,
        "voters": list(voters),
        "closes_on": (london_today() + timedelta(days=10)).isoformat(),
    }
    if suggestions:
        data["suggestions_close_on"] = (london_today() + timedelta(days=3)).isoformat()
    return kim.post("/admin/votes", data=data)


def _vote_id(app):
    with app.app_context():
        return db.session.scalar(select(Vote.id).order_by(Vote.id.desc()))


def _options(app, vote_id):
    with app.app_context():
        return dict(
            db.session.execute(
                select(VoteOption.label, VoteOption.id).where(VoteOption.vote_id == vote_id)
            ).all()
        )


def _cast(client, vote_id, option_id):
    token = csrf_token(client, f"/votes/{vote_id}")
    return client.post(f"/votes/{vote_id}", data={"csrf_token": token, "what": "vote", "option": option_id})


def test_a_vote_is_run_and_the_winning_name_is_adopted_everywhere(app, client_for, demo):
    kim = client_for("kim")
    assert _new_vote(kim).status_code == 302
    vote_id = _vote_id(app)
    options = _options(app, vote_id)
    maya, jordan, sam = client_for("maya"), client_for("jordan"), client_for("sam")
    _cast(maya, vote_id, options["My Life Kit"])
    _cast(jordan, vote_id, options["My Life Kit"])
    _cast(sam, vote_id, options["Skills Passport"])
    # Sam changes his mind: still one ballot.
    _cast(sam, vote_id, options["My Life Kit"])
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id)) == 3
        )
    assert "Results" not in maya.get(f"/votes/{vote_id}").get_data(as_text=True)
    token = csrf_token(kim, f"/admin/votes/{vote_id}")
    kim.post(f"/admin/votes/{vote_id}", data={"csrf_token": token, "what": "close"})
    late = _cast(maya, vote_id, options["Skills Passport"])
    assert "has closed" in maya.get(late.headers["Location"]).get_data(as_text=True)
    assert "3 votes" in maya.get(f"/votes/{vote_id}").get_data(as_text=True)
    # Only a winner can be adopted.
    kim.post(f"/admin/votes/{vote_id}", data={"csrf_token": token, "option": options["Skills Passport"]})
    assert "Passport to Independence" in maya.get("/passport").get_data(as_text=True)
    kim.post(f"/admin/votes/{vote_id}", data={"csrf_token": token, "option": options["My Life Kit"]})
    for path in ("/passport", "/", "/passport/print"):
        assert "My Life Kit" in maya.get(path).get_data(as_text=True), path
    assert "My Life Kit" in client_for("alex").get(f"/care/young-people/{demo['maya']}/passport").get_data(
        as_text=True
    )


def test_suggestions_first_then_voting(app, client_for, demo):
    kim = client_for("kim")
    assert _new_vote(kim, suggestions=True, options="").status_code == 302
    vote_id = _vote_id(app)
    maya = client_for("maya")
    token = csrf_token(maya, f"/votes/{vote_id}")
    maya.post(f"/votes/{vote_id}", data={"csrf_token": token, "what": "suggest", "label": "Life Skills Map"})
    again = maya.post(
        f"/votes/{vote_id}", data={"csrf_token": token, "what": "suggest", "label": "life skills map"}
    )
    assert "already suggested" in maya.get(again.headers["Location"]).get_data(as_text=True)
    assert "Life Skills Map" in maya.get(f"/votes/{vote_id}").get_data(as_text=True)
    early = _cast(maya, vote_id, _options(app, vote_id)["Life Skills Map"])
    assert "has not started" in maya.get(early.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        vote = db.session.get(Vote, vote_id)
        vote.suggestions_close_at = now_utc() - timedelta(minutes=1)
        db.session.commit()
    assert _cast(maya, vote_id, _options(app, vote_id)["Life Skills Map"]).status_code == 302


def test_people_outside_the_vote_cannot_see_or_vote(app, client_for, demo):
    kim = client_for("kim")
    _new_vote(kim)
    vote_id = _vote_id(app)
    alex = client_for("alex")
    assert alex.get(f"/votes/{vote_id}").status_code == 404
    assert "What should we call" not in alex.get("/votes").get_data(as_text=True)


def test_bad_vote_settings_are_refused_and_kept(app, client_for, demo):
    kim = client_for("kim")
    html = _new_vote(kim, options="Only one").get_data(as_text=True)
    assert "at least two options" in html and "What should we call the passport?" in html
