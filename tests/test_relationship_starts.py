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


def _current_start(app, demo, model):
    with app.app_context():
        return db.session.scalar(
            select(model.starts_on).where(model.young_person_id == demo["maya"], model.ends_on.is_(None))
        )


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("living", "They already live with this carer."),
        ("allocations", "This worker already works with them."),
    ],
)
def test_choosing_the_one_they_have_now_changes_nothing_and_says_so(
    app, client, login_as, demo, kind, message
):
    _part, _field, model, now, _new, _action = KINDS[kind]
    login_as("kim")
    before = _rows(app, demo, model)
    response = _post(client, demo, kind, now, london_today())
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _rows(app, demo, model) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_start_before_the_current_one_is_refused_for_both(app, client, login_as, demo, kind):
    _part, _field, model, _now, new, _action = KINDS[kind]
    login_as("kim")
    before = _rows(app, demo, model)
    response = _post(client, demo, kind, new, _current_start(app, demo, model) - timedelta(days=1))
    assert response.status_code == 200
    assert "before the start of the one they have now" in response.get_data(as_text=True)
    assert _rows(app, demo, model) == before


@pytest.mark.parametrize("kind", KINDS)
def test_a_start_more_than_a_year_ahead_is_refused_for_both(app, client, login_as, demo, kind):
    _part, _field, model, _now, new, _action = KINDS[kind]
    login_as("kim")
    before = _rows(app, demo, model)
    response = _post(client, demo, kind, new, london_today() + timedelta(days=400))
    assert "Choose a date within the next year." in response.get_data(as_text=True)
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
