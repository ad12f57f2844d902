"""Who may make a new activation code for whom (app.domain.account_resets), without the app."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.domain.account_resets import Account, NewCode, may_confirm, new_code
from app.domain.policy import Actor, Period, Subject
from app.domain.roles import AllocationKind, Role

TODAY = date(2026, 12, 1)
PRIYA = Actor(7, Role.SOCIAL_WORKER)
OMAR = Actor(8, Role.SOCIAL_WORKER)
TOM = Actor(9, Role.PERSONAL_ADVISER)
ALEX = Actor(5, Role.CARER)
LEE = Actor(10, Role.COMPLAINTS_OFFICER)
KIM = Actor(11, Role.MANAGER)
MAX = Actor(12, Role.MANAGER)
HANA = Actor(13, Role.TEAM_MANAGER)
MAYA = Account(1, Role.YOUNG_PERSON, has_password=True)
MAYAS = Subject(
    1,
    carers=(Period(5, TODAY - timedelta(days=400)),),
    workers=(Period(7, TODAY - timedelta(days=400), kind=AllocationKind.SOCIAL_WORKER),),
)


def test_worker_resets_a_young_person_on_their_caseload():
    assert new_code(PRIYA, MAYA, MAYAS, TODAY) is NewCode.RESET


def test_a_young_person_without_a_password_gets_an_ordinary_first_code():
    assert new_code(PRIYA, Account(1, Role.YOUNG_PERSON, has_password=False), MAYAS, TODAY) is NewCode.FIRST


@pytest.mark.parametrize("actor", [OMAR, TOM, ALEX, LEE, HANA, Actor(1, Role.YOUNG_PERSON)], ids=str)
def test_nobody_else_but_a_manager_may_make_a_young_persons_code(actor):
    assert new_code(actor, MAYA, MAYAS, TODAY) is NewCode.REFUSED


def test_a_worker_whose_allocation_ended_may_not():
    ended = Subject(
        1, workers=(Period(7, TODAY - timedelta(days=400), TODAY, kind=AllocationKind.SOCIAL_WORKER),)
    )
    assert new_code(PRIYA, MAYA, ended, TODAY) is NewCode.REFUSED


def test_a_subject_for_another_young_person_is_refused():
    assert new_code(PRIYA, Account(2, Role.YOUNG_PERSON, True), MAYAS, TODAY) is NewCode.REFUSED
    assert new_code(PRIYA, MAYA, None, TODAY) is NewCode.REFUSED


@pytest.mark.parametrize("role", [Role.CARER, Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.TEAM_MANAGER])
def test_a_manager_resets_carers_and_workers_alone(role):
    assert new_code(KIM, Account(20, role, True), None, TODAY) is NewCode.RESET
    assert new_code(KIM, MAYA, MAYAS, TODAY) is NewCode.RESET


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COMPLAINTS_OFFICER])
def test_a_managers_or_the_officers_reset_waits_for_a_second_manager(role):
    assert new_code(KIM, Account(20, role, True), None, TODAY) is NewCode.ASK_SECOND_MANAGER
    # Before they have chosen a password there is no account to take over.
    assert new_code(KIM, Account(20, role, False), None, TODAY) is NewCode.FIRST


def test_a_manager_resetting_their_own_account_also_needs_a_second_manager():
    assert new_code(KIM, Account(KIM.id, Role.MANAGER, True), None, TODAY) is NewCode.ASK_SECOND_MANAGER


@pytest.mark.parametrize("actor", [PRIYA, TOM, LEE, HANA, ALEX])
def test_only_a_manager_makes_codes_for_staff(actor):
    assert new_code(actor, Account(20, Role.CARER, True), None, TODAY) is NewCode.REFUSED


def test_closed_accounts_unknown_roles_and_nobody_are_refused():
    assert new_code(KIM, Account(20, Role.CARER, True, is_active=False), None, TODAY) is NewCode.REFUSED
    assert new_code(Actor(11, "wizard"), Account(20, Role.CARER, True), None, TODAY) is NewCode.REFUSED  # type: ignore[arg-type]
    assert new_code(None, MAYA, MAYAS, TODAY) is NewCode.REFUSED


def test_a_second_manager_confirms_but_not_the_one_who_asked_nor_the_person():
    assert may_confirm(MAX, requested_by_id=KIM.id, for_user_id=LEE.id)
    assert not may_confirm(KIM, requested_by_id=KIM.id, for_user_id=LEE.id)
    assert not may_confirm(MAX, requested_by_id=KIM.id, for_user_id=MAX.id)


@pytest.mark.parametrize("actor", [PRIYA, LEE, HANA, None, Actor(3, "wizard")])  # type: ignore[arg-type]
def test_only_managers_confirm(actor):
    assert not may_confirm(actor, requested_by_id=KIM.id, for_user_id=LEE.id)
