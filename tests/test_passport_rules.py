"""Every role against every step change of the passport workflow."""

from itertools import product

import pytest

from app.domain.passport import Step, StepProblem, allowed_steps, check_step, old_enough
from app.domain.roles import Role

ALLOWED = {
    (Role.YOUNG_PERSON, Step.NOT_STARTED, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.LEARNING, Step.CAN_DO),
    (Role.YOUNG_PERSON, Step.PRACTISED, Step.CAN_DO),
    (Role.YOUNG_PERSON, Step.PRACTISED, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.CAN_DO, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.SENT_BACK, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.SENT_BACK, Step.CAN_DO),
    (Role.CARER, Step.NOT_STARTED, Step.LEARNING),
    (Role.CARER, Step.NOT_STARTED, Step.PRACTISED),
    (Role.CARER, Step.LEARNING, Step.PRACTISED),
    (Role.CARER, Step.SENT_BACK, Step.PRACTISED),
    *((worker, Step.CAN_DO, Step.SIGNED_OFF) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
    *((worker, Step.CAN_DO, Step.SENT_BACK) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
    *((worker, Step.PRACTISED, Step.SENT_BACK) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
}


@pytest.mark.parametrize(("role", "current", "new"), list(product(Role, Step, Step)))
def test_every_role_and_step_change(role, current, new):
    allowed = (role, current, new) in ALLOWED
    assert (new in allowed_steps(role, current)) is allowed
    note = "Let's practise once more" if new is Step.SENT_BACK else None
    if allowed:
        check_step(role, current, new, age=16, starts_at_age=11, note=note)
    else:
        with pytest.raises(StepProblem) as problem:
            check_step(role, current, new, age=16, starts_at_age=11, note=note)
        assert problem.value.reason == "not_allowed"


def test_a_young_person_cannot_sign_off_their_own_skill():
    assert Step.SIGNED_OFF not in allowed_steps(Role.YOUNG_PERSON, Step.CAN_DO)


def test_signed_off_is_final():
    for role in Role:
        assert allowed_steps(role, Step.SIGNED_OFF) == frozenset()


def test_sending_back_needs_a_note():
    with pytest.raises(StepProblem) as problem:
        check_step(Role.SOCIAL_WORKER, Step.CAN_DO, Step.SENT_BACK, age=14, starts_at_age=11, note="  ")
    assert problem.value.reason == "note_needed"


def test_note_length_limit():
    with pytest.raises(StepProblem) as problem:
        check_step(Role.CARER, Step.LEARNING, Step.PRACTISED, age=14, starts_at_age=11, note="x" * 501)
    assert problem.value.reason == "note_too_long"


def test_age_gate():
    assert not old_enough(14, 15)
    assert old_enough(15, 15)
    with pytest.raises(StepProblem) as problem:
        check_step(Role.YOUNG_PERSON, Step.NOT_STARTED, Step.LEARNING, age=14, starts_at_age=15, note=None)
    assert problem.value.reason == "too_young"


def test_unknown_role_or_step_gets_nothing():
    assert allowed_steps("wizard", Step.LEARNING) == frozenset()
    assert allowed_steps(Role.CARER, "flying") == frozenset()
