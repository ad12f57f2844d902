"""Plans over HTTP: a worker drafts and publishes; the young person reads and answers;
versions and views are never lost."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import PlanSection, PlanVersion, PlanView
from app.timeutil import london_today
from tests.conftest import csrf_token


def _draft(app, yp_id):
    with app.app_context():
        plan = db.session.scalar(
            select(PlanVersion).where(PlanVersion.young_person_id == yp_id, PlanVersion.state == "draft")
        )
        sections = {s.key: s.id for s in plan.sections}
        return plan.id, plan.lock_version, sections


def _current_section(app, yp_id, key="going_well"):
    with app.app_context():
        return db.session.scalar(
            select(PlanSection.id)
            .join(PlanVersion)
            .where(
                PlanVersion.young_person_id == yp_id, PlanVersion.state == "published", PlanSection.key == key
            )
            .order_by(PlanVersion.number.desc())
            .limit(1)
        )


def _write_and_publish(app, worker, yp_id, words="Maya is doing well at school."):
    base = f"/care/young-people/{yp_id}/plan"
    token = csrf_token(worker, base)
    assert worker.post(f"{base}/draft", data={"csrf_token": token}).status_code == 302
    _, lock, sections = _draft(app, yp_id)
    key = next(iter(sections))
    sid = sections[key]
    assert (
        worker.post(
            f"{base}/draft/sections/{sid}",
            data={"csrf_token": token, "lock_version": lock, f"s{sid}-text": words},
        ).status_code
        == 302
    )
    _, lock, _ = _draft(app, yp_id)
    return worker.post(f"{base}/draft/publish", data={"csrf_token": token, "lock_version": lock})


def test_worker_publishes_and_young_person_reads_and_adds_a_view(app, client_for, demo):
    priya = client_for("priya")
    assert _write_and_publish(app, priya, demo["maya"]).status_code == 302
    maya = client_for("maya")
    html = maya.get("/plan").get_data(as_text=True)
    assert "Maya is doing well at school." in html
    assert "What&#39;s going well" in html or "What's going well" in html
    section_id = _current_section(app, demo["maya"])
    token = csrf_token(maya, "/plan")
    response = maya.post(
        f"/plan/sections/{section_id}/views",
        data={"csrf_token": token, f"v{section_id}-text": "I like my new school"},
    )
    assert response.status_code == 302
    html = priya.get(f"/care/young-people/{demo['maya']}/plan").get_data(as_text=True)
    assert "I like my new school" in html


def test_a_new_version_keeps_the_old_one_and_its_views(app, client_for, demo):
    priya = client_for("priya")
    _write_and_publish(app, priya, demo["maya"], "Version one words.")
    maya = client_for("maya")
    section_id = _current_section(app, demo["maya"])
    token = csrf_token(maya, "/plan")
    maya.post(
        f"/plan/sections/{section_id}/views",
        data={"csrf_token": token, f"v{section_id}-text": "My view on v1"},
    )
    _write_and_publish(app, priya, demo["maya"], "Version two words.")
    html = maya.get("/plan").get_data(as_text=True)
    assert "Version two words." in html and "My view on v1" not in html
    # The demo council's plan is version 1; this test published versions 2 and 3.
    old = maya.get("/plan/versions/2").get_data(as_text=True)
    assert "Version one words." in old and "My view on v1" in old
    assert "older version" in old
    with app.app_context():
        assert db.session.scalar(select(PlanView.text)) == "My view on v1"
        numbers = db.session.scalars(
            select(PlanVersion.number)
            .where(PlanVersion.young_person_id == demo["maya"])
            .order_by(PlanVersion.number)
        ).all()
    assert numbers == [1, 2, 3]


def test_views_only_on_the_current_version(app, client_for, demo):
    priya = client_for("priya")
    _write_and_publish(app, priya, demo["maya"], "one")
    old_section = _current_section(app, demo["maya"])
    _write_and_publish(app, priya, demo["maya"], "two")
    maya = client_for("maya")
    token = csrf_token(maya, "/plan")
    assert (
        maya.post(
            f"/plan/sections/{old_section}/views", data={"csrf_token": token, f"v{old_section}-text": "late"}
        ).status_code
        == 404
    )


def test_action_with_a_date_in_the_past_is_refused_and_kept(app, client_for, demo):
    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}/plan"
    token = csrf_token(priya, base)
    priya.post(f"{base}/draft", data={"csrf_token": token})
    _, lock, sections = _draft(app, demo["maya"])
    sid = sections["needs_to_happen"]
    yesterday = (london_today() - timedelta(days=1)).isoformat()
    html = priya.post(
        f"{base}/draft/sections/{sid}/actions",
        data={
            "csrf_token": token,
            f"a{sid}-lock_version": lock,
            f"a{sid}-what": "Dentist check-up",
            f"a{sid}-who": "Alex",
            f"a{sid}-by_when": yesterday,
        },
    ).get_data(as_text=True)
    assert "The date is in the past" in html
    assert 'value="Dentist check-up"' in html and f'value="{yesterday}"' in html
    tomorrow = (london_today() + timedelta(days=1)).isoformat()
    assert (
        priya.post(
            f"{base}/draft/sections/{sid}/actions",
            data={
                "csrf_token": token,
                f"a{sid}-lock_version": lock,
                f"a{sid}-what": "Dentist check-up",
                f"a{sid}-who": "Alex",
                f"a{sid}-by_when": tomorrow,
            },
        ).status_code
        == 302
    )


def test_second_worker_publishing_over_a_newer_version_is_told(app, client_for, demo):
    priya, tom = client_for("priya"), client_for("tom")
    jordan = demo["jordan"]
    _write_and_publish(app, priya, jordan, "First plan")
    base = f"/care/young-people/{jordan}/plan"
    token_p, token_t = csrf_token(priya, base), csrf_token(tom, base)
    # Tom starts the shared draft from version 1 ...
    tom.post(f"{base}/draft", data={"csrf_token": token_t})
    # ... and while he works, the draft is published by someone else in another way: simulate
    # a second version published directly.
    with app.app_context():
        from app.domain.promise import VersionState
        from app.timeutil import now_utc

        plan = db.session.scalar(
            select(PlanVersion)
            .where(PlanVersion.young_person_id == jordan, PlanVersion.state == "published")
            .order_by(PlanVersion.number.desc())
            .limit(1)
        )
        db.session.add(
            PlanVersion(
                young_person_id=jordan,
                kind=plan.kind,
                state=VersionState.PUBLISHED,
                number=plan.number + 1,
                created_by_id=demo["priya"],
                published_at=now_utc(),
                published_by_id=demo["priya"],
            )
        )
        db.session.commit()
    _, lock, _sections = _draft(app, jordan)
    response = tom.post(f"{base}/draft/publish", data={"csrf_token": token_t, "lock_version": lock})
    html = tom.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone published a newer version" in html
    with app.app_context():
        assert (
            db.session.scalar(
                select(PlanVersion.state).where(
                    PlanVersion.young_person_id == jordan, PlanVersion.number.is_(None)
                )
            ).value
            == "draft"
        )
    del token_p


def test_two_editors_on_one_draft(app, client_for, demo):
    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}/plan"
    token = csrf_token(priya, base)
    priya.post(f"{base}/draft", data={"csrf_token": token})
    _, lock, sections = _draft(app, demo["maya"])
    sid = sections["worried"]
    first = priya.post(
        f"{base}/draft/sections/{sid}",
        data={"csrf_token": token, "lock_version": lock, f"s{sid}-text": "First words"},
    )
    assert first.status_code == 302
    stale = priya.post(
        f"{base}/draft/sections/{sid}",
        data={"csrf_token": token, "lock_version": lock, f"s{sid}-text": "Stale words"},
    )
    html = stale.get_data(as_text=True)
    assert "Someone else changed this draft" in html
    with app.app_context():
        assert db.session.get(PlanSection, sid).text == "First words"


def test_plans_are_private(app, client_for, demo):
    priya = client_for("priya")
    _write_and_publish(app, priya, demo["maya"], "Private words")
    for name in ("riley", "alex", "omar", "lee"):
        client = client_for(name)
        assert client.get(f"/care/young-people/{demo['maya']}/plan").status_code == 404, name
    riley = client_for("riley")
    assert "Private words" not in riley.get("/plan").get_data(as_text=True)


def test_young_person_is_told_about_a_new_plan(app, client_for, demo):
    priya = client_for("priya")
    _write_and_publish(app, priya, demo["maya"], "New!")
    maya = client_for("maya")
    assert "Your plan has changed" in maya.get("/").get_data(as_text=True)
    maya.get("/plan")
    assert "Your plan has changed" not in maya.get("/").get_data(as_text=True)


def test_pathway_plan_from_16(app, client_for, demo):
    tom = client_for("tom")
    base = f"/care/young-people/{demo['sam']}/plan"
    tom.post(f"{base}/draft", data={"csrf_token": csrf_token(tom, base)})
    _, _, sections = _draft(app, demo["sam"])
    assert list(sections) == [
        "education_work",
        "money",
        "home",
        "health",
        "family_friends",
        "identity",
        "practical_skills",
    ]


def test_words_and_actions_taken_out_of_a_draft_are_kept_in_its_history(app, client_for, demo):
    from app.models import PlanAction, PlanDraftChange

    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}/plan"
    token = csrf_token(priya, base)
    assert priya.post(f"{base}/draft", data={"csrf_token": token}).status_code == 302
    plan_id, lock, sections = _draft(app, demo["maya"])
    sid = sections["going_well"]
    for words in ("First words.", "Second words."):
        _, lock, _ = _draft(app, demo["maya"])
        priya.post(
            f"{base}/draft/sections/{sid}",
            data={"csrf_token": token, "lock_version": lock, f"s{sid}-text": words},
        )
    _, lock, _ = _draft(app, demo["maya"])
    due = (london_today() + timedelta(days=10)).isoformat()
    priya.post(
        f"{base}/draft/sections/{sid}/actions",
        data={
            "csrf_token": token,
            f"a{sid}-lock_version": lock,
            f"a{sid}-what": "Visit the new school",
            f"a{sid}-who": "Priya",
            f"a{sid}-by_when": due,
        },
    )
    with app.app_context():
        action_id = db.session.scalar(select(PlanAction.id).where(PlanAction.what == "Visit the new school"))
    _, lock, _ = _draft(app, demo["maya"])
    assert (
        priya.post(
            f"{base}/draft/actions/{action_id}/remove", data={"csrf_token": token, "lock_version": lock}
        ).status_code
        == 302
    )
    with app.app_context():
        changes = db.session.scalars(
            select(PlanDraftChange)
            .where(PlanDraftChange.plan_version_id == plan_id)
            .order_by(PlanDraftChange.id)
        ).all()
        history = [(c.kind, c.before, c.after, c.actor_id) for c in changes]
    first_text = history[0][1]  # what the draft started with, copied from the published plan
    assert history == [
        ("text", first_text, "First words.", demo["priya"]),
        ("text", "First words.", "Second words.", demo["priya"]),
        ("action_added", None, f"Visit the new school | Priya | {due}", demo["priya"]),
        ("action_removed", f"Visit the new school | Priya | {due}", None, demo["priya"]),
    ]
    html = priya.get(f"{base}/draft").get_data(as_text=True)
    assert "Changes to this draft" in html and "First words." in html and "Action taken out:" in html


def _words_form(client, page: str, html: str | None = None):
    from tests.page_forms import parse

    html = html or client.get(page).get_data(as_text=True)
    return next(f for f in parse(html).forms if f["attrs"].get("id") == "plan-words")


def _type(form, section_id: int, words: str) -> None:
    control = next(c for c in form["controls"] if c.get("name") == f"s{section_id}-text")
    control["value"] = words


def _press_save(form, section_id: int) -> dict:
    """The form as sent by the Save button of one section (its formaction)."""
    button = next(
        c
        for c in form["controls"]
        if c["tag"] == "button" and c.get("formaction", "").endswith(f"/{section_id}")
    )
    buttons = [c for c in form["controls"] if c["tag"] == "button"]
    return {**form, "controls": [button, *(c for c in form["controls"] if c not in buttons)]}


def test_saving_one_section_keeps_what_was_typed_in_another(app, client_for, demo):
    from tests.page_forms import submit

    priya = client_for("priya")
    base = f"/care/young-people/{demo['maya']}/plan"
    priya.post(f"{base}/draft", data={"csrf_token": csrf_token(priya, base)})
    _, _, sections = _draft(app, demo["maya"])
    form = _words_form(priya, f"{base}/draft")
    _type(form, sections["going_well"], "Maya loves her new school.")
    _type(form, sections["worried"], "Maya is not sleeping well.")
    _path, _pairs, response = submit(priya, f"{base}/draft", _press_save(form, sections["worried"]))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#section-{sections['worried']}")
    with app.app_context():
        assert db.session.get(PlanSection, sections["going_well"]).text == "Maya loves her new school."
        assert db.session.get(PlanSection, sections["worried"]).text == "Maya is not sleeping well."


def test_after_a_conflict_the_worker_sees_both_versions_and_the_next_save_works(app, client_for, demo):
    from tests.page_forms import submit

    mine, theirs = client_for("priya"), client_for("priya")
    base = f"/care/young-people/{demo['maya']}/plan"
    page = f"{base}/draft"
    mine.post(page, data={"csrf_token": csrf_token(mine, base)})
    _, _, sections = _draft(app, demo["maya"])
    worried, going_well = sections["worried"], sections["going_well"]
    my_form, their_form = _words_form(mine, page), _words_form(theirs, page)
    _type(their_form, worried, "Their words about worries.")
    assert submit(theirs, page, _press_save(their_form, worried))[2].status_code == 302
    _type(my_form, worried, "My words about worries.")
    _type(my_form, going_well, "My words about what goes well.")
    response = submit(mine, page, _press_save(my_form, going_well))[2]
    html = response.get_data(as_text=True)
    assert "Someone else changed this draft" in html
    assert "data-saved-meanwhile" in html and "Their words about worries." in html
    assert "My words about worries." in html and "My words about what goes well." in html
    # The page now carries the newest version: saving again works, with my words.
    again = _words_form(mine, page, html)
    assert submit(mine, page, _press_save(again, worried))[2].status_code == 302
    with app.app_context():
        assert db.session.get(PlanSection, worried).text == "My words about worries."
        assert db.session.get(PlanSection, going_well).text == "My words about what goes well."
