"""The passport over HTTP: who may mark what, sign-off, concurrent changes, history, and
a change sent twice."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.models import Skill, SkillEvent, SkillProgress
from tests.conftest import csrf_token


def _skill(app, max_age=11):
    # The newest such skill: the demo progress is on the first ones.
    with app.app_context():
        return db.session.scalar(
            select(Skill.id).where(Skill.starts_at_age <= max_age).order_by(Skill.id.desc()).limit(1)
        )


def _step(client, path, to_step, expected, note="", key=None, json=False):
    token = csrf_token(client, "/")
    headers = {"Accept": "application/json"} if json else {}
    return client.post(
        path,
        data={
            "csrf_token": token,
            "to_step": to_step,
            "expected_step": expected,
            "note": note,
            "idempotency_key": key or uuid.uuid4().hex,
        },
        headers=headers,
    )


def _events(app, yp, skill):
    with app.app_context():
        return [
            (e.from_step.value, e.to_step.value, e.actor_role.value)
            for e in db.session.scalars(
                select(SkillEvent)
                .where(SkillEvent.young_person_id == yp, SkillEvent.skill_id == skill)
                .order_by(SkillEvent.id)
            )
        ]


def test_carer_marks_skills_only_for_young_people_living_with_them(app, client_for, demo):
    skill = _skill(app)
    alex, bea = client_for("alex"), client_for("bea")
    for name in ("maya", "jordan"):
        path = f"/care/young-people/{demo[name]}/passport/skills/{skill}"
        assert _step(alex, path, "practised", "not_started", "We made toast").status_code == 302
        assert _step(bea, path, "practised", "practised").status_code == 404
    path = f"/care/young-people/{demo['riley']}/passport/skills/{skill}"
    assert _step(alex, path, "practised", "not_started").status_code == 404
    assert _step(bea, path, "practised", "not_started").status_code == 302
    assert alex.get(f"/care/young-people/{demo['riley']}/passport").status_code == 404
    assert "We made toast" in alex.get(f"/care/young-people/{demo['maya']}/passport").get_data(as_text=True)


def test_the_whole_journey_to_sign_off_with_history(app, client_for, demo):
    skill = _skill(app)
    maya, alex, priya = client_for("maya"), client_for("alex"), client_for("priya")
    yp = demo["maya"]
    assert _step(maya, f"/passport/skills/{skill}", "learning", "not_started").status_code == 302
    assert (
        _step(
            alex,
            f"/care/young-people/{yp}/passport/skills/{skill}",
            "practised",
            "learning",
            "Did it twice this week",
        ).status_code
        == 302
    )
    assert _step(maya, f"/passport/skills/{skill}", "can_do", "practised").status_code == 302
    # A young person cannot sign off their own skill.
    refused = _step(maya, f"/passport/skills/{skill}", "signed_off", "can_do")
    assert "not possible" in maya.get(refused.headers["Location"]).get_data(as_text=True)
    queue = priya.get("/care/passport-queue").get_data(as_text=True)
    assert "Maya" in queue
    token = csrf_token(priya, "/care/passport-queue")
    assert (
        priya.post(
            "/care/passport-queue",
            data={"csrf_token": token, "decision": "sign_off", "item": f"{yp}:{skill}"},
        ).status_code
        == 302
    )
    assert _events(app, yp, skill) == [
        ("not_started", "learning", "young_person"),
        ("learning", "practised", "carer"),
        ("practised", "can_do", "young_person"),
        ("can_do", "signed_off", "social_worker"),
    ]
    page = maya.get("/passport").get_data(as_text=True)
    assert "Well done!" in page
    with app.app_context():
        title = db.session.get(Skill, skill).title
    assert title in maya.get("/passport/print").get_data(as_text=True)
    history = maya.get(f"/passport/skills/{skill}").get_data(as_text=True)
    assert "Did it twice this week" in history and "Priya Natarajan" in history


def test_worker_sends_back_with_a_note_that_carer_and_young_person_see(app, client_for, demo):
    skill = _skill(app)
    jordan, tom, alex = client_for("jordan"), client_for("tom"), client_for("alex")
    yp = demo["jordan"]
    path = f"/care/young-people/{yp}/passport/skills/{skill}"
    _step(jordan, f"/passport/skills/{skill}", "learning", "not_started")
    _step(alex, path, "practised", "learning")
    _step(jordan, f"/passport/skills/{skill}", "can_do", "practised")
    no_note = _step(tom, path, "sent_back", "can_do")
    assert "write a note" in tom.get(no_note.headers["Location"]).get_data(as_text=True)
    assert _step(tom, path, "sent_back", "can_do", "Try it on your own once more").status_code == 302
    assert "Try it on your own once more" in jordan.get("/passport").get_data(as_text=True)
    assert "Try it on your own once more" in alex.get(f"/care/young-people/{yp}/passport").get_data(
        as_text=True
    )


def test_tom_signs_off_for_jordan_and_sam_but_not_maya(app, client_for, demo):
    skill = _skill(app)
    tom, alex = client_for("tom"), client_for("alex")
    for name in ("jordan", "sam"):
        client = client_for(name)
        _step(client, f"/passport/skills/{skill}", "learning", "not_started")
        if name == "jordan":  # Jordan lives with Alex and practises with him first
            _step(alex, f"/care/young-people/{demo[name]}/passport/skills/{skill}", "practised", "learning")
        _step(client, f"/passport/skills/{skill}", "can_do", "practised" if name == "jordan" else "learning")
        assert (
            _step(
                tom, f"/care/young-people/{demo[name]}/passport/skills/{skill}", "signed_off", "can_do"
            ).status_code
            == 302
        )
        assert _events(app, demo[name], skill)[-1] == ("can_do", "signed_off", "personal_adviser")
    assert tom.get(f"/care/young-people/{demo['maya']}/passport").status_code == 404


def test_a_second_concurrent_change_is_refused_with_a_clear_message(app, client_for, demo):
    skill = _skill(app)
    maya, alex = client_for("maya"), client_for("alex")
    yp = demo["maya"]
    _step(maya, f"/passport/skills/{skill}", "learning", "not_started")
    _step(alex, f"/care/young-people/{yp}/passport/skills/{skill}", "practised", "learning")
    # Another of Alex's pages still shows "learning"; Maya has moved on meanwhile.
    _step(maya, f"/passport/skills/{skill}", "can_do", "practised")
    late = _step(alex, f"/care/young-people/{yp}/passport/skills/{skill}", "practised", "learning", json=True)
    assert late.status_code == 409
    message = late.get_json()["message"]
    assert "While you were looking, Maya moved this skill to “I can do this”" in message
    with app.app_context():
        assert (
            db.session.scalar(
                select(SkillProgress.step).where(
                    SkillProgress.skill_id == skill, SkillProgress.young_person_id == yp
                )
            ).value
            == "can_do"
        )


def test_a_change_sent_twice_is_saved_once(app, client_for, demo):
    skill = _skill(app)
    maya = client_for("maya")
    key = uuid.uuid4().hex
    first = _step(maya, f"/passport/skills/{skill}", "learning", "not_started", key=key, json=True)
    again = _step(maya, f"/passport/skills/{skill}", "learning", "not_started", key=key, json=True)
    assert first.get_json()["status"] == "ok" and again.get_json()["status"] == "repeated"
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(SkillEvent).where(SkillEvent.idempotency_key == key)
            )
            == 1
        )


def test_bad_input(app, client_for, demo):
    skill = _skill(app)
    maya = client_for("maya")
    assert _step(maya, "/passport/skills/999999", "learning", "not_started").status_code == 404
    unknown = _step(maya, f"/passport/skills/{skill}", "flying", "not_started", json=True)
    assert unknown.status_code == 409 and unknown.get_json()["reason"] == "unknown_step"
    alex = client_for("alex")
    long = _step(
        alex,
        f"/care/young-people/{demo['maya']}/passport/skills/{skill}",
        "practised",
        "not_started",
        "x" * 501,
        json=True,
    )
    assert long.get_json()["reason"] == "note_too_long"


def test_age_gate_hides_and_refuses_skills_for_older_young_people(app, client_for, demo):
    with app.app_context():
        older = db.session.scalar(select(Skill).where(Skill.starts_at_age >= 16).limit(1))
        older_id, title = older.id, older.title
    maya = client_for("maya")
    assert title not in maya.get("/passport").get_data(as_text=True)
    refused = _step(maya, f"/passport/skills/{older_id}", "learning", "not_started", json=True)
    assert refused.get_json()["reason"] == "too_young"


def _progress_on(app, yp, how_many, step="can_do"):
    from app.domain.passport import Step

    with app.app_context():
        done = set(
            db.session.scalars(select(SkillProgress.skill_id).where(SkillProgress.young_person_id == yp))
        )
        skills = db.session.scalars(
            select(Skill).where(Skill.id.not_in(done or {0})).order_by(Skill.id)
        ).all()
        for n in range(how_many):
            skill = skills[n % len(skills)] if n < len(skills) else None
            if skill is None:
                skill = Skill(
                    key=f"extra_{yp}_{n}",
                    area="money",
                    position=100 + n,
                    title=f"Extra {n}",
                    description="d",
                    tip="t",
                    starts_at_age=11,
                )
                db.session.add(skill)
                db.session.flush()
            db.session.add(SkillProgress(young_person_id=yp, skill_id=skill.id, step=Step(step)))
        db.session.commit()


def test_passport_page_and_queue_cost_the_same_for_10_and_200_skills(app, client_for, demo):
    from tests.conftest import count_statements

    maya, priya = client_for("maya"), client_for("priya")
    _progress_on(app, demo["maya"], 10)
    maya.get("/passport"), priya.get("/care/passport-queue")
    with count_statements(app) as small_page:
        maya.get("/passport")
    with count_statements(app) as small_queue:
        priya.get("/care/passport-queue")
    _progress_on(app, demo["maya"], 190)
    with count_statements(app) as large_page:
        assert maya.get("/passport").status_code == 200
    with count_statements(app) as large_queue:
        # 200 of Maya's, and one of Jordan's from the demo.
        assert "201 skills are waiting" in priya.get("/care/passport-queue").get_data(as_text=True)
    assert len(small_page) == len(large_page) <= 12
    assert len(small_queue) == len(large_queue) <= 12


def test_manager_adds_rewords_reorders_and_retires_skills(app, client_for, demo):
    kim = client_for("kim")
    token = csrf_token(kim, "/admin/skills")
    response = kim.post(
        "/admin/skills/new",
        data={
            "csrf_token": token,
            "new-area": "money",
            "new-title": "Use a cash machine",
            "new-description": "You can take money out safely.",
            "new-tip": "Go with your carer.",
            "new-starts_at_age": 13,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(Skill).where(Skill.title == "Use a cash machine"))
        new_id = new.id
        first = db.session.scalar(select(Skill).where(Skill.area == "money").order_by(Skill.position))
        first_id = first.id
    bad = kim.post(
        f"/admin/skills/{new_id}",
        data={
            "csrf_token": token,
            f"s{new_id}-area": "money",
            f"s{new_id}-title": "",
            f"s{new_id}-description": "Kept words",
            f"s{new_id}-tip": "t",
            f"s{new_id}-starts_at_age": 9,
        },
    )
    html = bad.get_data(as_text=True)
    assert "Enter a title." in html and "Choose an age from 10 to 25." in html and "Kept words" in html
    kim.post(f"/admin/skills/{first_id}/down", data={"csrf_token": token})
    with app.app_context():
        order = db.session.scalars(
            select(Skill.id).where(Skill.area == "money", Skill.retired_at.is_(None)).order_by(Skill.position)
        ).all()
    assert order.index(first_id) == 1
    maya = client_for("maya")
    assert "Use a cash machine" in maya.get("/passport").get_data(as_text=True)  # Maya is 13: it starts at 13
    kim.post(f"/admin/skills/{first_id}/retire", data={"csrf_token": token})
    with app.app_context():
        title = db.session.get(Skill, first_id).title
        kept = db.session.scalar(
            select(func.count()).select_from(SkillProgress).where(SkillProgress.skill_id == first_id)
        )
    assert title not in maya.get("/passport").get_data(as_text=True)
    assert kept >= 1  # the demo's progress on it is kept


def test_carer_sees_what_to_practise_next_sent_back_first(app, client_for, demo):
    skill = _skill(app)
    jordan, tom, alex = client_for("jordan"), client_for("tom"), client_for("alex")
    _step(jordan, f"/passport/skills/{skill}", "learning", "not_started")
    _step(alex, f"/care/young-people/{demo['jordan']}/passport/skills/{skill}", "practised", "learning")
    _step(jordan, f"/passport/skills/{skill}", "can_do", "practised")
    _step(
        tom,
        f"/care/young-people/{demo['jordan']}/passport/skills/{skill}",
        "sent_back",
        "can_do",
        "Once more",
    )
    html = alex.get(f"/care/young-people/{demo['jordan']}/passport").get_data(as_text=True)
    next_up = html[html.index("Skills to practise next") : html.index("All skills")]
    with app.app_context():
        title = db.session.get(Skill, skill).title
    first_card = next_up.split('class="card skill')[1]
    assert title in first_card and "Sent back" in first_card and "Once more" in first_card
    assert next_up.count('class="card skill') == 5


def test_bulk_decisions_refuse_unknown_skills_and_change_nothing_for_someone_else(app, client_for, demo):
    priya = client_for("priya")
    _progress_on(app, demo["maya"], 1)
    with app.app_context():
        waiting = db.session.scalar(
            select(SkillProgress).where(
                SkillProgress.young_person_id == demo["maya"], SkillProgress.step == "can_do"
            )
        )
        skill_id = waiting.skill_id
    token = csrf_token(priya, "/care/passport-queue")
    unknown = priya.post(
        "/care/passport-queue",
        data={"csrf_token": token, "decision": "sign_off", "item": [f"{demo['maya']}:999999", "junk"]},
    )
    assert unknown.status_code == 302
    assert "Not changed: 2" in priya.get("/care/passport-queue").get_data(as_text=True)

    # Riley is not on Priya's caseload: the whole request is refused before Maya's changes.
    mixed = priya.post(
        "/care/passport-queue",
        data={
            "csrf_token": token,
            "decision": "sign_off",
            "item": [f"{demo['maya']}:{skill_id}", f"{demo['riley']}:{skill_id}"],
        },
    )
    assert mixed.status_code == 404
    with app.app_context():
        step = db.session.scalar(
            select(SkillProgress.step).where(
                SkillProgress.young_person_id == demo["maya"], SkillProgress.skill_id == skill_id
            )
        )
    assert step.value == "can_do"


def test_carers_page_has_no_repeated_ids(app, client_for, demo):
    alex = client_for("alex")
    html = alex.get(f"/care/young-people/{demo['maya']}/passport").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    repeated = {i for i in ids if ids.count(i) > 1}
    assert not repeated, sorted(repeated)[:5]
    assert "Skills to practise next" in html
