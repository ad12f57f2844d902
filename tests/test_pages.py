"""Each role's pages over HTTP: what they show, what they do not, and how many SQL
statements they cost."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Allocation, LivingArrangement
from app.timeutil import london_today
from tests.conftest import count_statements, page_html
from tests.factories import (
    add_young_people,
    create_carer,
    create_manager,
    create_officer,
    create_personal_adviser,
    create_worker,
    create_young_person,
    records,
)

MAX_STATEMENTS = 12


def _maya_and_her_people(app, **more) -> dict[str, int]:
    """Maya (13) living with Alex, with Priya as her social worker; Tom, a personal
    adviser who is not hers; and whatever `more` adds (name: factory)."""
    with records(app):
        alex, priya = create_carer("alex", "Alex Marsh"), create_worker("priya", "Priya Natarajan")
        tom = create_personal_adviser("tom", "Tom Ellery")
        maya = create_young_person(
            "maya", age=13, carer=alex, worker=priya, preferred_name="Maya", full_name="Maya Fenwick-Adeyemi"
        )
        made = {name: make(alex=alex, priya=priya, tom=tom) for name, make in more.items()}
        return {"maya": maya.user_id, "alex": alex.id, "priya": priya.id, "tom": tom.id} | {
            name: getattr(row, "user_id", None) or row.id for name, row in made.items()
        }


def _jordan(alex, priya, tom):
    return create_young_person("jordan", age=17, carer=alex, worker=priya, pa=tom, preferred_name="Jordan")


def _sam(alex, priya, tom):
    return create_young_person("sam", age=19, pa=tom, preferred_name="Sam")


def _riley(alex, priya, tom):
    """Riley (14) lives with Bea and has Omar as her social worker."""
    return create_young_person(
        "riley", age=14, carer=create_carer("bea"), worker=create_worker("omar"), preferred_name="Riley"
    )


def test_maya_sees_her_name_and_her_social_worker(app, client_for):
    _maya_and_her_people(app)
    html = page_html(client_for("maya"), "/")
    assert "Hi Maya" in html
    assert "Priya Natarajan" in html and "Your social worker" in html
    assert "Tom Ellery" not in html


def test_jordan_sees_social_worker_and_personal_adviser(app, client_for):
    _maya_and_her_people(app, jordan=_jordan)
    html = page_html(client_for("jordan"), "/")
    assert "Priya Natarajan" in html and "Tom Ellery" in html
    assert "Your personal adviser" in html


def test_sam_sees_his_personal_adviser_only(app, client_for):
    _maya_and_her_people(app, sam=_sam)
    html = page_html(client_for("sam"), "/")
    assert "Tom Ellery" in html and "Your personal adviser" in html
    assert "Your social worker" not in html


def test_young_persons_home_links_only_to_pages_that_exist(app, login_as):
    client = login_as("maya")
    html = page_html(client, "/")
    import re

    for href in set(re.findall(r'href="(/[^"]*)"', html)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code in (200, 302), href


def test_young_persons_pages_never_say_lac(login_as):
    client = login_as("maya")
    for path in ["/", "/account", "/help", "/install"]:
        assert "LAC" not in page_html(client, path).replace("PLACE", "")


def test_carer_sees_the_young_people_living_with_them(app, client_for):
    _maya_and_her_people(app, jordan=_jordan, sam=_sam, riley=_riley)
    html = page_html(client_for("alex"), "/")
    assert "Maya" in html and "Jordan" in html
    assert "Riley" not in html and "Sam" not in html
    assert "Age 13" in html and "Age 17" in html


def test_carer_page_for_a_young_person_shows_only_what_carers_need(app, client_for):
    people = _maya_and_her_people(app)
    html = page_html(client_for("alex"), f"/care/young-people/{people['maya']}")
    assert "Maya Fenwick-Adeyemi" in html and "Priya Natarajan" in html
    assert "activation code" not in html.lower()
    assert "Date of birth" not in html


def test_carer_cannot_see_a_young_person_who_lives_elsewhere(app, client_for):
    people = _maya_and_her_people(app, riley=_riley)
    assert client_for("alex").get(f"/care/young-people/{people['riley']}").status_code == 404


def test_carer_cannot_see_child_who_moved_out(app, client_for):
    people = _maya_and_her_people(app)
    with app.app_context():
        row = db.session.scalar(
            select(LivingArrangement).where(LivingArrangement.young_person_id == people["maya"])
        )
        row.ends_on = london_today()
        db.session.commit()
    client = client_for("alex")
    assert client.get(f"/care/young-people/{people['maya']}").status_code == 404
    assert "Maya" not in page_html(client, "/")


def test_worker_caseload_shows_age_and_status(app, client_for):
    _maya_and_her_people(app, jordan=_jordan, sam=_sam)
    html = page_html(client_for("tom"), "/care/young-people")
    assert "Jordan" in html and "Sam" in html and "Maya" not in html
    assert "Age 17" in html and "Age 19" in html
    assert "Care leaver" in html and "In care" in html
    assert "You are their personal adviser" in html


def test_worker_whose_allocation_ended_loses_access(app, client_for):
    people = _maya_and_her_people(app, riley=_riley)
    with app.app_context():
        row = db.session.scalar(select(Allocation).where(Allocation.young_person_id == people["riley"]))
        row.ends_on = london_today()
        db.session.commit()
    client = client_for("omar")
    assert client.get(f"/care/young-people/{people['riley']}").status_code == 404
    assert "Riley" not in page_html(client, "/care/young-people")


def test_staff_view_of_a_young_person_is_audited(app, client_for):
    from app.models import AuditEvent

    people = _maya_and_her_people(app)
    page_html(client_for("priya"), f"/care/young-people/{people['maya']}")
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "viewed")).one()
        assert (event.actor_id, event.young_person_id, event.outcome, event.detail) == (
            people["priya"],
            people["maya"],
            "allowed",
            {"page": "care.young_person"},
        )


def test_manager_home_counts_people_and_worker_changes(app, client_for):
    with records(app):
        create_manager("kim")
    html = page_html(client_for("kim"), "/")
    assert "People using the app" in html
    assert "change of worker in the last 12 months: 0" in html


def test_officer_home(app, client_for):
    with records(app):
        create_officer("lee")
    assert "complaints" in page_html(client_for("lee"), "/")


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
        html = page_html(client, "/care/young-people")
    assert "You work with 5 young people" in html
    _add_young_people(app, demo["omar"], 495, start=4)
    with count_statements(app) as large:
        html = page_html(client, "/care/young-people")
    assert "You work with 500 young people" in html
    assert "Page 1 of 20" in html
    assert len(small) == len(large) <= MAX_STATEMENTS
    assert "Page 2 of 20" in page_html(client, "/care/young-people?page=2")


def test_caseload_page_past_the_end_is_empty_not_an_error(login_as):
    assert login_as("priya").get("/care/young-people?page=99").status_code == 200
