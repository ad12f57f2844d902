"""Each role's pages over HTTP: what they show, what they do not, and how many SQL
statements they cost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Allocation, LivingArrangement
from app.timeutil import london_today
from tests.conftest import count_statements
from tests.factories import add_young_people

MAX_STATEMENTS = 12


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_maya_sees_her_name_and_her_social_worker(login_as):
    html = page(login_as("maya"), "/")
    assert "Hi Maya" in html
    assert "Priya Natarajan" in html and "Your social worker" in html
    assert "Tom Ellery" not in html


def test_jordan_sees_social_worker_and_personal_adviser(login_as):
    html = page(login_as("jordan"), "/")
    assert "Priya Natarajan" in html and "Tom Ellery" in html
    assert "Your personal adviser" in html


def test_sam_sees_his_personal_adviser_only(login_as):
    html = page(login_as("sam"), "/")
    assert "Tom Ellery" in html and "Your personal adviser" in html
    assert "Your social worker" not in html


def test_young_persons_home_links_only_to_pages_that_exist(app, login_as):
    client = login_as("maya")
    html = page(client, "/")
    import re

    for href in set(re.findall(r'href="(/[^"]*)"', html)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code in (200, 302), href


def test_young_persons_pages_never_say_lac(login_as):
    client = login_as("maya")
    for path in ["/", "/account", "/help", "/install"]:
        assert "LAC" not in page(client, path).replace("PLACE", "")


def test_carer_sees_the_young_people_living_with_them(login_as, demo):
    html = page(login_as("alex"), "/")
    assert "Maya" in html and "Jordan" in html
    assert "Riley" not in html and "Sam" not in html
    assert "Age 13" in html and "Age 17" in html


def test_carer_page_for_a_young_person_shows_only_what_carers_need(login_as, demo):
    html = page(login_as("alex"), f"/care/young-people/{demo['maya']}")
    assert "Maya Fenwick-Adeyemi" in html and "Priya Natarajan" in html
    assert "activation code" not in html.lower()
    assert "Date of birth" not in html


def test_carer_cannot_see_a_young_person_who_lives_elsewhere(login_as, demo):
    assert login_as("alex").get(f"/care/young-people/{demo['riley']}").status_code == 404


def test_carer_cannot_see_child_who_moved_out(app, login_as, demo):
    with app.app_context():
        row = db.session.scalar(
            select(LivingArrangement).where(LivingArrangement.young_person_id == demo["maya"])
        )
        row.ends_on = london_today()
        db.session.commit()
    client = login_as("alex")
    assert client.get(f"/care/young-people/{demo['maya']}").status_code == 404
    assert "Maya" not in page(client, "/")


def test_worker_caseload_shows_age_and_status(login_as):
    html = page(login_as("tom"), "/care/young-people")
    assert "Jordan" in html and "Sam" in html and "Maya" not in html
    assert "Age 17" in html and "Age 19" in html
    assert "Care leaver" in html and "In care" in html
    assert "You are their personal adviser" in html


def test_worker_whose_allocation_ended_loses_access(app, login_as, demo):
    with app.app_context():
        row = db.session.scalar(
            select(Allocation).where(
                Allocation.young_person_id == demo["riley"], Allocation.worker_id == demo["omar"]
            )
        )
        row.ends_on = london_today()
        db.session.commit()
    client = login_as("omar")
    assert client.get(f"/care/young-people/{demo['riley']}").status_code == 404
    assert "Riley" not in page(client, "/care/young-people")


def test_staff_view_of_a_young_person_is_audited(app, login_as, demo):
    from app.models import AuditEvent

    page(login_as("priya"), f"/care/young-people/{demo['maya']}")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "viewed")).one()
        assert (event.actor_id, event.young_person_id, event.outcome, event.detail) == (
            demo["priya"],
            demo["maya"],
            "allowed",
            {"page": "care.young_person"},
        )


def test_manager_home_counts_people_and_worker_changes(login_as):
    html = page(login_as("kim"), "/")
    assert "People using the app" in html
    assert "change of worker in the last 12 months: 0" in html


def test_officer_home(login_as):
    assert "complaints" in page(login_as("lee"), "/")


ROLE_PAGES = {
    "maya": [
        "/",
        "/account",
        "/help",
        "/install",
        "/promise",
        "/plan",
        "/review",
        "/review/prepare",
        "/passport",
        "/passport/print",
        "/votes",
        "/people",
        "/messages",
    ],
    "jordan": ["/entitlements", "/health-passport", "/health-passport/print"],
    "alex": ["/", "/care/young-people/{maya}", "/account", "/care/young-people/{maya}/passport"],
    "priya": [
        "/care/young-people",
        "/care/young-people/{maya}",
        "/care/young-people/new",
        "/account",
        "/care/young-people/{maya}/plan",
        "/care/young-people/{maya}/promise",
        "/care/young-people/{maya}/passport",
        "/care/passport-queue",
        "/inbox",
    ],
    "tom": ["/care/young-people", "/care/young-people/{sam}", "/care/young-people/{sam}/health-passport"],
    "lee": ["/", "/account"],
    "kim": [
        "/",
        "/admin/people",
        "/admin/people/{maya}",
        "/admin/people/{alex}",
        "/admin/people/new",
        "/admin/young-people/new",
        "/admin/promise",
        "/admin/local-offer",
        "/admin/votes",
        "/admin/skills",
        "/admin/response-times",
    ],
}


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_no_page_issues_more_than_12_statements(app, login_as, demo, username):
    client = login_as(username)
    for template in ROLE_PAGES[username]:
        path = template.format(**demo)
        client.get(path)  # the first request of a minute also refreshes last_seen_at
        with count_statements(app) as statements:
            assert client.get(path).status_code == 200
        assert len(statements) <= MAX_STATEMENTS, (path, len(statements), statements)


def _add_young_people(app, worker_id: int, how_many: int, start: int = 0) -> None:
    with app.app_context():
        add_young_people(worker_id, how_many, start)
        db.session.commit()


def test_caseload_costs_the_same_for_5_and_500_young_people(app, login_as, demo):
    client = login_as("omar")
    _add_young_people(app, demo["omar"], 4)  # with Riley: 5
    client.get("/care/young-people")
    with count_statements(app) as small:
        html = page(client, "/care/young-people")
    assert "You work with 5 young people" in html
    _add_young_people(app, demo["omar"], 495, start=4)
    with count_statements(app) as large:
        html = page(client, "/care/young-people")
    assert "You work with 500 young people" in html
    assert "Page 1 of 20" in html
    assert len(small) == len(large) <= MAX_STATEMENTS
    assert "Page 2 of 20" in page(client, "/care/young-people?page=2")


def test_caseload_page_past_the_end_is_empty_not_an_error(login_as):
    assert login_as("priya").get("/care/young-people?page=99").status_code == 200
