"""The access policy on its own: every role against every relationship, with dates."""

from datetime import date

import pytest

from app.domain.policy import Action, Actor, Period, Subject, may, may_see_complaint
from app.domain.roles import AllocationKind, Role

TODAY = date(2026, 11, 22)
YP, OTHER_YP, CARER, SW, PA, OFFICER, MANAGER = 1, 2, 10, 20, 30, 40, 50

SUBJECT = Subject(
    young_person_id=YP,
    carers=(Period(CARER, date(2025, 1, 1)),),
    workers=(
        Period(SW, date(2025, 1, 1), kind=AllocationKind.SOCIAL_WORKER),
        Period(PA, date(2025, 6, 1), kind=AllocationKind.PERSONAL_ADVISER),
    ),
)

ALL = set(Action)
RECORD_KEEPING = {
    Action.VIEW_PROFILE,
    Action.VIEW_RECORD,
    Action.APPROVE_SKILLS,
    Action.READ_MESSAGES,
    Action.MESSAGE_WORKER_ABOUT,
    Action.RAISE_COMPLAINT_FOR,
    Action.MANAGE_ACCOUNT,
    Action.WRITE_PLAN,
}
EXPECTED = {
    Actor(YP, Role.YOUNG_PERSON): {
        Action.VIEW_PROFILE,
        Action.VIEW_RECORD,
        Action.PRACTISE_SKILLS,
        Action.READ_MESSAGES,
        Action.RAISE_COMPLAINT_FOR,
        Action.VIEW_COMPLAINTS,
        Action.ASK_FOR_ADVOCATE,
        Action.EDIT_HEALTH_PASSPORT,
    },
    Actor(OTHER_YP, Role.YOUNG_PERSON): set(),
    Actor(CARER, Role.CARER): {
        Action.VIEW_PROFILE,
        Action.PRACTISE_SKILLS,
        Action.MESSAGE_WORKER_ABOUT,
        Action.RAISE_COMPLAINT_FOR,
    },
    Actor(11, Role.CARER): set(),
    Actor(SW, Role.SOCIAL_WORKER): RECORD_KEEPING,
    Actor(21, Role.SOCIAL_WORKER): set(),
    # Only the personal adviser helps keep the care leaver's health passport.
    Actor(PA, Role.PERSONAL_ADVISER): RECORD_KEEPING | {Action.EDIT_HEALTH_PASSPORT},
    Actor(OFFICER, Role.COMPLAINTS_OFFICER): {Action.VIEW_COMPLAINTS, Action.WORK_COMPLAINTS},
    Actor(MANAGER, Role.MANAGER): {Action.MANAGE_ACCOUNT},
}


@pytest.mark.parametrize("actor", list(EXPECTED), ids=lambda a: f"{a.role}-{a.id}")
@pytest.mark.parametrize("action", list(Action))
def test_every_role_and_relationship(actor, action):
    assert may(actor, action, SUBJECT, TODAY) is (action in EXPECTED[actor])


def test_nobody_may_do_anything_without_a_subject_or_actor():
    for action in Action:
        assert not may(Actor(MANAGER, Role.MANAGER), action, None, TODAY)
        assert not may(None, action, SUBJECT, TODAY)


def test_carer_cannot_see_child_who_moved_out():
    moved_out = Subject(YP, carers=(Period(CARER, date(2025, 1, 1), date(2026, 11, 1)),))
    carer = Actor(CARER, Role.CARER)
    assert may(carer, Action.VIEW_PROFILE, moved_out, date(2026, 10, 31))
    assert not may(carer, Action.VIEW_PROFILE, moved_out, date(2026, 11, 1))
    assert not may(carer, Action.PRACTISE_SKILLS, moved_out, TODAY)


def test_carer_before_the_young_person_moves_in():
    arriving = Subject(YP, carers=(Period(CARER, date(2026, 12, 1)),))
    assert not may(Actor(CARER, Role.CARER), Action.VIEW_PROFILE, arriving, TODAY)
    assert may(Actor(CARER, Role.CARER), Action.VIEW_PROFILE, arriving, date(2026, 12, 1))


def test_worker_whose_allocation_ended_sees_nothing():
    ended = Subject(
        YP, workers=(Period(SW, date(2024, 1, 1), date(2026, 6, 1), AllocationKind.SOCIAL_WORKER),)
    )
    worker = Actor(SW, Role.SOCIAL_WORKER)
    assert may(worker, Action.VIEW_RECORD, ended, date(2026, 5, 31))
    for action in Action:
        assert not may(worker, action, ended, TODAY)


def test_worker_allocated_in_the_wrong_part_is_refused():
    # A personal adviser recorded as the social worker (a data mistake) gets nothing.
    wrong = Subject(YP, workers=(Period(PA, date(2025, 1, 1), kind=AllocationKind.SOCIAL_WORKER),))
    assert not may(Actor(PA, Role.PERSONAL_ADVISER), Action.VIEW_RECORD, wrong, TODAY)


def test_carer_never_reads_messages_or_complaints_or_plans():
    carer = Actor(CARER, Role.CARER)
    for action in (Action.READ_MESSAGES, Action.VIEW_COMPLAINTS, Action.VIEW_RECORD, Action.APPROVE_SKILLS):
        assert not may(carer, action, SUBJECT, TODAY)


def test_worker_never_sees_complaints():
    # A complaint can be about the worker.
    assert not may(Actor(SW, Role.SOCIAL_WORKER), Action.VIEW_COMPLAINTS, SUBJECT, TODAY)


def test_unknown_role_or_action_fails_closed():
    assert not may(Actor(SW, "wizard"), Action.VIEW_PROFILE, SUBJECT, TODAY)
    assert not may(Actor(YP, Role.YOUNG_PERSON), "teleport", SUBJECT, TODAY)


def test_period_end_is_not_included():
    period = Period(CARER, date(2026, 1, 1), date(2026, 2, 1))
    assert period.holds_on(date(2026, 1, 1))
    assert period.holds_on(date(2026, 1, 31))
    assert not period.holds_on(date(2026, 2, 1))
    assert not period.holds_on(date(2025, 12, 31))


def test_worker_may_not_see_complaints_unless_the_officer_shares_one():
    worker = Actor(SW, Role.SOCIAL_WORKER)
    assert not may(worker, Action.VIEW_COMPLAINTS, SUBJECT, TODAY)
    assert may(worker, Action.RAISE_COMPLAINT_FOR, SUBJECT, TODAY)
    assert not may_see_complaint(worker, SUBJECT, [], TODAY)
    assert may_see_complaint(worker, SUBJECT, [SW], TODAY)
    # Shared with someone else, or no longer on the caseload: no.
    assert not may_see_complaint(worker, SUBJECT, [PA], TODAY)
    moved_on = Subject(YP, workers=(Period(SW, date(2025, 1, 1), TODAY, kind=AllocationKind.SOCIAL_WORKER),))
    assert not may_see_complaint(worker, moved_on, [SW], TODAY)


def test_who_may_see_a_complaint():
    assert may_see_complaint(Actor(YP, Role.YOUNG_PERSON), SUBJECT, [], TODAY)
    assert may_see_complaint(Actor(OFFICER, Role.COMPLAINTS_OFFICER), SUBJECT, [], TODAY)
    assert not may_see_complaint(Actor(OTHER_YP, Role.YOUNG_PERSON), SUBJECT, [OTHER_YP], TODAY)
    assert not may_see_complaint(Actor(CARER, Role.CARER), SUBJECT, [CARER], TODAY)
    assert not may_see_complaint(Actor(MANAGER, Role.MANAGER), SUBJECT, [MANAGER], TODAY)
    assert not may_see_complaint(None, SUBJECT, [], TODAY)
    assert not may_see_complaint(Actor(OFFICER, Role.COMPLAINTS_OFFICER), None, [], TODAY)


def test_only_the_young_person_asks_for_their_advocate_and_only_the_officer_works_complaints():
    assert may(Actor(YP, Role.YOUNG_PERSON), Action.ASK_FOR_ADVOCATE, SUBJECT, TODAY)
    assert not may(Actor(OTHER_YP, Role.YOUNG_PERSON), Action.ASK_FOR_ADVOCATE, SUBJECT, TODAY)
    assert may(Actor(OFFICER, Role.COMPLAINTS_OFFICER), Action.WORK_COMPLAINTS, SUBJECT, TODAY)
    for actor in (Actor(YP, Role.YOUNG_PERSON), Actor(SW, Role.SOCIAL_WORKER), Actor(MANAGER, Role.MANAGER)):
        assert not may(actor, Action.WORK_COMPLAINTS, SUBJECT, TODAY)
