"""Every role against every step change of the passport workflow."""

from itertools import product

import pytest

from app.domain.passport import Step, StepProblem, allowed_steps, check_step, old_enough
from app.domain.roles import Role

# For a young person who lives with a carer.
ALLOWED = {
    (Role.YOUNG_PERSON, Step.NOT_STARTED, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.PRACTISED, Step.CAN_DO),
    (Role.YOUNG_PERSON, Step.PRACTISED, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.CAN_DO, Step.LEARNING),
    (Role.YOUNG_PERSON, Step.SENT_BACK, Step.LEARNING),
    (Role.CARER, Step.NOT_STARTED, Step.LEARNING),
    (Role.CARER, Step.NOT_STARTED, Step.PRACTISED),
    (Role.CARER, Step.LEARNING, Step.PRACTISED),
    (Role.CARER, Step.SENT_BACK, Step.PRACTISED),
    *((worker, Step.CAN_DO, Step.SIGNED_OFF) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
    *((worker, Step.CAN_DO, Step.SENT_BACK) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
    *((worker, Step.PRACTISED, Step.SENT_BACK) for worker in (Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER)),
}


# A young person with no carer (a care leaver in their own place) needs no "practised together".
ALLOWED_ON_THEIR_OWN = ALLOWED | {
    (Role.YOUNG_PERSON, Step.LEARNING, Step.CAN_DO),
    (Role.YOUNG_PERSON, Step.SENT_BACK, Step.CAN_DO),
}


@pytest.mark.parametrize("has_carer", [True, False], ids=["with a carer", "on their own"])
@pytest.mark.parametrize(("role", "current", "new"), list(product(Role, Step, Step)))
def test_every_role_and_step_change(role, current, new, has_carer):
    allowed = (role, current, new) in (ALLOWED if has_carer else ALLOWED_ON_THEIR_OWN)
    assert (new in allowed_steps(role, current, has_carer=has_carer)) is allowed
    note = "Let's practise once more" if new is Step.SENT_BACK else None
    if allowed:
        check_step(role, current, new, age=16, starts_at_age=11, note=note, has_carer=has_carer)
    else:
        with pytest.raises(StepProblem) as problem:
            check_step(role, current, new, age=16, starts_at_age=11, note=note, has_carer=has_carer)
        assert problem.value.reason == "not_allowed"


def test_a_young_person_living_with_a_carer_practises_with_them_first():
    assert Step.CAN_DO not in allowed_steps(Role.YOUNG_PERSON, Step.LEARNING)
    assert Step.CAN_DO in allowed_steps(Role.YOUNG_PERSON, Step.LEARNING, has_carer=False)


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
