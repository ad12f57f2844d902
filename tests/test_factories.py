"""The factories make records the app itself accepts: the people can sign in and see one
another exactly as the relationships say, and each record is where the app looks for it."""

from __future__ import annotations

from app.domain.complaints import Stage
from app.domain.passport import Step
from app.domain.roles import CareStatus
from tests.conftest import get_page, text_of
from tests.factories import (
    create_carer,
    create_complaint,
    create_officer,
    create_personal_adviser,
    create_plan,
    create_skill,
    create_thread,
    create_worker,
    create_young_person,
    record_step,
    records,
    send_message,
)


def test_a_young_person_made_with_a_carer_and_a_worker_is_seen_by_both_and_no_one_else(app, client_for):
    with records(app):
        alex, priya = create_carer("alex"), create_worker("priya")
        create_worker("omar")
        maya = create_young_person("maya", age=13, carer=alex, worker=priya, preferred_name="Maya")
        maya_id = maya.user_id
    assert "Maya" in text_of(get_page(client_for("alex"), "home.index"))
    assert "Maya" in text_of(get_page(client_for("priya"), "care.caseload"))
    get_page(client_for("omar"), "care.young_person", status=404, young_person_id=maya_id)
    assert "Hi Maya" in text_of(get_page(client_for("maya"), "home.index"))


def test_age_sets_the_care_status_and_a_personal_adviser_is_allocated_from_16(app):
    with records(app):
        tom = create_personal_adviser("tom")
        sam = create_young_person("sam", age=19, pa=tom)
        jordan = create_young_person("jordan", age=17, pa=tom)
        assert sam.care_status is CareStatus.CARE_LEAVER and jordan.care_status is CareStatus.IN_CARE
        assert [a.worker_id for a in sam.allocations] == [tom.id]


def test_a_skill_step_and_a_complaint_at_stage_2_are_where_the_pages_look(app, client_for):
    with records(app):
        lee, priya = create_officer("lee"), create_worker("priya")
        maya = create_young_person("maya", worker=priya)
        skill = create_skill("Make toast")
        event = record_step(maya, skill, Step.LEARNING.value, by=maya.user)
        complaint = create_complaint(maya, stage=2, officer=lee)
        assert (event.to_step, complaint.stage) == (Step.LEARNING, Stage.INVESTIGATION)
        skill_id, reference = skill.id, complaint.reference
    page = get_page(client_for("maya"), "passport.my_skill", skill_id=skill_id)
    assert "Make toast" in text_of(page)
    assert reference in text_of(get_page(client_for("lee"), "voice.officer_list"))


def test_a_message_and_a_plan_reach_the_young_person(app, client_for):
    with records(app):
        priya = create_worker("priya", "Priya Natarajan")
        maya = create_young_person("maya", worker=priya)
        send_message(create_thread(maya, maya.user), priya, "See you on Tuesday.")
        create_plan(maya, priya, text="Swimming on Saturdays.")
    maya_client = client_for("maya")
    assert "Swimming on Saturdays." in text_of(get_page(maya_client, "plans.my_plan"))
    conversation = get_page(maya_client, "contact.conversation", slug="social-worker")
    assert "See you on Tuesday." in text_of(conversation)
