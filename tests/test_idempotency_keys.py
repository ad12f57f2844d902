"""Issue 12, finding 16: an idempotency key names one change by one person. The same change
sent again is "repeated"; the key reused for a different change is refused and nothing is
saved; two people's keys never collide."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from app.domain.passport import StepProblem
from app.extensions import db
from app.models import Skill, SkillEvent, SkillProgress, User
from app.passport import service
from app.timeutil import london_today
from tests.conftest import csrf_token


def _two_skills(app) -> tuple[int, int]:
    with app.app_context():
        first, second = db.session.scalars(
            select(Skill.id).where(Skill.starts_at_age <= 11).order_by(Skill.id.desc()).limit(2)
        )
        return first, second


def _send(client, path, to_step, expected, key, note="", json=True):
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        path,
        data={
            "csrf_token": csrf_token(client, "/"),
            "to_step": to_step,
            "expected_step": expected,
            "note": note,
            "idempotency_key": key,
        },
        headers=headers,
    )


def _events_with(app, key) -> list[tuple[int, int, int, str]]:
    with app.app_context():
        return [
            (e.actor_id, e.young_person_id, e.skill_id, e.to_step.value)
            for e in db.session.scalars(select(SkillEvent).where(SkillEvent.idempotency_key == key))
        ]


def _step_of(app, young_person_id, skill_id) -> str | None:
    with app.app_context():
        step = db.session.scalar(
            select(SkillProgress.step).where(
                SkillProgress.young_person_id == young_person_id, SkillProgress.skill_id == skill_id
            )
        )
        return step.value if step else None


def test_same_key_on_another_skill_is_refused_and_nothing_is_saved(app, client_for, demo):
    one, other = _two_skills(app)
    maya = client_for("maya")
    key = uuid.uuid4().hex
    assert _send(maya, f"/passport/skills/{one}", "learning", "not_started", key).get_json()["status"] == "ok"
    reused = _send(maya, f"/passport/skills/{other}", "learning", "not_started", key)
    assert reused.status_code == 409
    body = reused.get_json()
    assert body["status"] == "refused" and body["reason"] == "key_reused"
    assert "sent before as a different change" in body["message"]
    assert _step_of(app, demo["maya"], other) is None
    assert _events_with(app, key) == [(demo["maya"], demo["maya"], one, "learning")]


def test_same_key_and_same_change_is_repeated_once(app, client_for, demo):
    one, _ = _two_skills(app)
    alex = client_for("alex")
    path = f"/care/young-people/{demo['maya']}/passport/skills/{one}"
    key = uuid.uuid4().hex
    first = _send(alex, path, "practised", "not_started", key, note="  Made toast  ")
    # The retry carries the step it saw before its first try, as a queued phone does.
    again = _send(alex, path, "practised", "not_started", key, note="Made toast")
    assert first.get_json()["status"] == "ok"
    assert again.status_code == 200 and again.get_json()["status"] == "repeated"
    assert len(_events_with(app, key)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"to_step": "learning"},  # another step
        {"note": "A different note"},  # another note
        {"young_person": "jordan"},  # another young person
    ],
)
def test_same_key_for_a_different_change_is_refused(app, client_for, demo, change):
    one, _ = _two_skills(app)
    alex = client_for("alex")
    key = uuid.uuid4().hex
    first = _send(
        alex,
        f"/care/young-people/{demo['maya']}/passport/skills/{one}",
        "practised",
        "not_started",
        key,
        note="Toast",
    )
    assert first.get_json()["status"] == "ok"
    young_person = demo[change.get("young_person", "maya")]
    reused = _send(
        alex,
        f"/care/young-people/{young_person}/passport/skills/{one}",
        change.get("to_step", "practised"),
        "practised" if young_person == demo["maya"] else "not_started",
        key,
        note=change.get("note", "Toast"),
    )
    assert reused.status_code == 409 and reused.get_json()["reason"] == "key_reused"
    assert len(_events_with(app, key)) == 1
    assert _step_of(app, demo["maya"], one) == "practised"
    if young_person != demo["maya"]:
        assert _step_of(app, young_person, one) is None


def test_the_form_says_why_a_reused_key_was_refused(app, client_for, demo):
    one, other = _two_skills(app)
    maya = client_for("maya")
    key = uuid.uuid4().hex
    _send(maya, f"/passport/skills/{one}", "learning", "not_started", key, json=False)
    reused = _send(maya, f"/passport/skills/{other}", "learning", "not_started", key, json=False)
    assert reused.status_code == 302
    page = maya.get(reused.headers["Location"]).get_data(as_text=True)
    assert "This was sent before as a different change, so we did not save it." in page
    assert _step_of(app, demo["maya"], other) is None


def test_two_people_with_the_same_key_do_not_collide(app, client_for, demo):
    one, other = _two_skills(app)
    maya, alex = client_for("maya"), client_for("alex")
    key = uuid.uuid4().hex
    mine = _send(maya, f"/passport/skills/{one}", "learning", "not_started", key)
    theirs = _send(
        alex, f"/care/young-people/{demo['maya']}/passport/skills/{other}", "practised", "not_started", key
    )
    assert mine.get_json()["status"] == "ok" and theirs.get_json()["status"] == "ok"
    assert sorted(_events_with(app, key)) == sorted(
        [(demo["maya"], demo["maya"], one, "learning"), (demo["alex"], demo["maya"], other, "practised")]
    )


def test_the_rule_without_http(app, demo):
    one, other = _two_skills(app)
    with app.app_context():
        maya = db.session.get(User, demo["maya"])
        skills = {s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_([one, other])))}

        def change(skill_id, step="learning", note=None):
            return service.change_step(
                maya.profile,
                skills[skill_id],
                step,
                actor=maya,
                note=note,
                expected_step=None,
                idempotency_key="k-1",
                today=london_today(),
            )

        assert not change(one).repeated
        db.session.flush()
        assert change(one).repeated
        for different in (
            {"skill_id": other},
            {"skill_id": one, "note": "hm"},
            {"skill_id": one, "step": "practised"},
        ):
            with pytest.raises(StepProblem) as refused:
                change(**different)
            assert refused.value.reason == "key_reused"
        assert (
            db.session.scalar(
                select(func.count()).select_from(SkillEvent).where(SkillEvent.idempotency_key == "k-1")
            )
            == 1
        )
        db.session.rollback()
