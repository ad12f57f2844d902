"""A carer moving in and a worker being allocated go through one handler and one rule
(`relationships._take_over`): each check below is asked of both, so a change that breaks
one of them, or lets the two drift apart, fails here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Allocation, AuditEvent, LivingArrangement
from app.timeutil import london_today
from tests.conftest import csrf_token

# (URL part, form field, model, who they have now, someone new, what is audited)
KINDS = {
    "living": ("living", "carer_id", LivingArrangement, "alex", "bea", "moved_in"),
    "allocations": ("allocations", "worker_id", Allocation, "priya", "omar", "allocated"),
}


def _post(client, demo, kind: str, person: str, starts_on):
    part, field, *_rest = KINDS[kind]
    page = f"/admin/people/{demo['maya']}"
    return client.post(
        f"{page}/{part}",
        data={
            "csrf_token": csrf_token(client, page),
            field: demo[person],
            "starts_on": starts_on.isoformat(),
        },
    )


def _rows(app, demo, model) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(model).where(model.young_person_id == demo["maya"])
        )


def _before_the_current_one(app, demo, model):
    with app.app_context():
        starts_on = db.session.scalar(
            select(model.starts_on).where(model.young_person_id == demo["maya"], model.ends_on.is_(None))
        )
    return starts_on - timedelta(days=1)


# (who is chosen: the one they have now or someone new, when, what is said)
REFUSED = {
    "the one they have now": ("now", lambda app, demo, model: london_today(), None),
    "before the current one started": (
        "new",
        _before_the_current_one,
        "That date is before the start of the one they have now. Choose a later date.",
    ),
    "more than a year ahead": (
        "new",
        lambda app, demo, model: london_today() + timedelta(days=400),
        "Choose a date within the next year.",
    ),
}
ALREADY = {
    "living": "They already live with this carer.",
    "allocations": "This worker already works with them.",
}


@pytest.mark.parametrize("problem", REFUSED)
@pytest.mark.parametrize("kind", KINDS)
def test_a_start_the_rule_refuses_changes_nothing_and_says_why(app, client, login_as, demo, kind, problem):
    _part, _field, model, now, new, _action = KINDS[kind]
    who, when, message = REFUSED[problem]
    login_as("kim")
    before = _rows(app, demo, model)
    response = _post(client, demo, kind, now if who == "now" else new, when(app, demo, model))
    assert response.status_code == 200
    assert (message or ALREADY[kind]) in response.get_data(as_text=True)
    assert _rows(app, demo, model) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_one_ends_the_old_one_and_is_audited_with_who_and_when(app, client, login_as, demo, kind):
    _part, field, model, now, new, action = KINDS[kind]
    login_as("kim")
    starts_on = london_today()
    response = _post(client, demo, kind, new, starts_on)
    assert response.status_code == 302
    assert "Saved:" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        person_column = model.carer_id if kind == "living" else model.worker_id
        old = db.session.scalar(
            select(model).where(model.young_person_id == demo["maya"], person_column == demo[now])
        )
        assert old.ends_on == starts_on
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))
        assert event.young_person_id == demo["maya"]
        assert event.detail == {field: demo[new], "starts_on": starts_on.isoformat()}
