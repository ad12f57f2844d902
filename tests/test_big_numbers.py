"""Numbers in addresses past what the database holds are a quiet 404 (or the first page),
never a 500, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from tests.factories import (
    create_manager,
    create_officer,
    create_plan,
    create_worker,
    create_young_person,
    records,
)

HUGE = [2**31, 2**63, 10**30]


@pytest.fixture
def people(app) -> dict[str, int]:
    """Maya with her social worker Priya and a plan; Lee, the officer; Kim, a manager."""
    with records(app):
        priya = create_worker("priya")
        maya = create_young_person("maya", worker=priya)
        create_plan(maya, priya)
        create_officer("lee")
        create_manager("kim")
        return {"maya": maya.user_id, "priya": priya.id}


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("priya", "/care/young-people/{n}"),
        ("priya", "/inbox/{n}"),
        ("priya", "/alerts/{n}"),
        ("lee", "/officer/complaints/{n}"),
        ("kim", "/admin/people/{n}"),
        ("kim", "/admin/teams/{n}"),
        ("maya", "/passport/skills/{n}"),
        ("maya", "/complaints/{n}"),
    ],
)
def test_an_id_too_big_for_the_database_is_a_404(app, client_for, people, username, path, number):
    client = client_for(username)
    assert client.get(path.format(n=number)).status_code == 404


@pytest.mark.parametrize("number", [*HUGE, -5, 0])
@pytest.mark.parametrize(
    ("username", "path"), [("priya", "/"), ("priya", "/inbox"), ("kim", "/admin/people")]
)
def test_a_page_number_too_big_or_below_one_answers(app, client_for, people, username, path, number):
    client = client_for(username)
    assert client.get(f"{path}?page={number}", follow_redirects=True).status_code == 200


def test_a_plan_version_too_big_is_a_404(app, client_for, people):
    priya = client_for("priya")
    assert priya.get(f"/care/young-people/{people['maya']}/plan?version={2**63}").status_code == 404
