"""Failing well: the error pages never ask the database and always show the quick exit and
the help numbers; the database out of reach answers 503 with Retry-After; a read whose
connection dropped is tried once more, a POST never; SQLite runs in WAL mode
(app/errors.py, app/database.py, app/unit_of_work.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask_login import current_user
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from app.database import SQLITE_BUSY_TIMEOUT_MS, is_sqlite_file
from app.extensions import db
from app.models import AuditEvent, User
from tests.broken_database import database_fails
from tests.conftest import csrf_token, make_app, text_of
from tests.factories import create_young_person, records

QUICK_EXIT = "Leave this site quickly"
OUT_OF_HOURS = "0300 123 4567"  # OUT_OF_HOURS_PHONE's default


@pytest.fixture
def app_settings():
    return {"PROPAGATE_EXCEPTIONS": False}  # a bug answers the 500 page, as in production


@pytest.fixture(autouse=True)
def _failing_views(app):
    """Views that fail in the ways a real one might, added before the app's first request."""

    @app.get("/_fail/after-reading")
    def after_reading():
        assert current_user.full_name  # the person is loaded
        app.extensions["database_fails"].on = True
        db.session.execute(text("SELECT 1"))

    @app.get("/_fail/bug")
    def bug():
        raise RuntimeError("a bug")

    @app.get("/_fail/bad-sql")
    def bad_sql():
        db.session.execute(text("SELECT * FROM no_such_table"))


@pytest.fixture
def maya(app, client_for):
    with records(app):
        create_young_person("maya", age=13)
    return client_for("maya")


def assert_calm(page: BeautifulSoup) -> None:
    """The quick exit works (its form, and app.js that makes it instant), and the help
    numbers are there: 999, Childline and the out-of-hours team."""
    form = page.select_one("form[data-quick-exit]")
    assert form is not None and form["action"] == "/leave"
    assert QUICK_EXIT in form.get_text()
    assert page.select_one('script[src*="js/app.js"]') is not None
    assert page.select_one('link[rel="stylesheet"][href*="css/app.css"]') is not None
    numbers = [a["href"] for a in page.select(".help-numbers a")]
    assert "tel:999" in numbers and "tel:08001111" in numbers
    assert OUT_OF_HOURS in text_of(page)


def parsed(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_500_page_with_the_database_failing_asks_it_nothing(app, maya):
    with database_fails(app, dropped=False) as failures:
        response = maya.get("/")
    assert response.status_code == 500
    # Loading Maya failed; the page itself asked for nothing, not even who she is.
    assert len(failures.attempts) == 1
    assert_calm(parsed(response))


def test_the_500_page_after_a_rollback_does_not_read_the_person_again(app, maya):
    # The person was loaded, then the request failed: after the rollback their row is stale,
    # and reading it again (their language, their name in the nav) would ask the database.
    with database_fails(app, dropped=False, on=False) as failures:
        response = maya.get("/_fail/after-reading")
    assert response.status_code == 500
    assert failures.attempts == ["SELECT 1"]
    assert_calm(parsed(response))


def test_a_bug_that_is_not_the_database_still_gets_the_calm_500_page(app, maya):
    page = parsed(maya.get("/_fail/bug"))
    assert "Something went wrong" in text_of(page)
    assert_calm(page)


def test_a_database_error_that_is_a_bug_is_a_500_not_an_outage(app, maya):
    response = maya.get("/_fail/bad-sql")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert_calm(parsed(response))


def test_the_405_page_says_which_methods_work(app, maya):
    response = maya.delete("/passport")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert_calm(parsed(response))


def test_the_404_page_for_someone_signed_in_asks_the_database_nothing(app, maya):
    with database_fails(app, dropped=False) as failures:
        response = maya.get("/no-such-page")
    assert response.status_code == 404
    assert failures.attempts == []
    page = parsed(response)
    assert "We cannot find that page" in text_of(page)
    assert_calm(page)
    assert page.body.has_attr("data-signed-in")  # hidden again if it comes back on Back


def test_a_refused_record_is_still_audited_and_the_page_still_calm(app, maya):
    response = maya.get("/passport/skills/987654")
    assert response.status_code == 404
    assert_calm(parsed(response))
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action).where(AuditEvent.outcome == "refused")).all()


def test_the_404_page_still_answers_when_the_audit_cannot_be_written(app, maya):
    with database_fails(app, dropped=False):
        response = maya.get("/passport/skills/987654")
    assert response.status_code in (404, 500)
    assert_calm(parsed(response))


def test_an_error_page_speaks_the_persons_language_without_asking_the_database(app, maya):
    token = csrf_token(maya, "/account")
    assert maya.post("/account/language", data={"locale": "ar", "csrf_token": token}).status_code == 302
    with database_fails(app, dropped=False) as failures:
        response = maya.get("/no-such-page")
    assert failures.attempts == []
    page = parsed(response)
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"


def test_every_error_page_is_drawn_by_the_layout_that_needs_no_database(app):
    templates = Path(app.root_path) / "templates" / "errors"
    pages = [page for page in templates.glob("*.html") if not page.name.startswith("_")]
    assert len(pages) >= 6
    for page in pages:
        assert page.read_text().startswith('{% extends "errors/_layout.html" %}'), page.name


def test_the_database_out_of_reach_answers_503_with_retry_after(app, maya):
    with database_fails(app, dropped=True) as failures:
        response = maya.get("/")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    # Tried once more (a fresh connection may work), never more than that.
    assert len(failures.attempts) == 2
    page = parsed(response)
    assert "Please try again in a minute" in text_of(page)
    assert_calm(page)


def test_a_connection_that_cannot_be_made_answers_503(database_url):
    # No database at all: a SQLite file in a folder that does not exist, or a port where no
    # PostgreSQL listens.
    if make_url(database_url).get_backend_name() == "sqlite":
        nowhere = "sqlite:////no/such/folder/app.db"
    else:
        nowhere = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
    down = make_app(nowhere, PROPAGATE_EXCEPTIONS=False)

    @down.get("/_read")
    def read():
        return str(db.session.scalar(text("SELECT 1")))

    try:
        response = down.test_client().get("/_read")
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert_calm(parsed(response))
        assert down.test_client().get("/healthz").status_code == 503
    finally:
        with down.app_context():
            db.engine.dispose()


def test_a_read_whose_connection_dropped_is_tried_once_more(app, maya):
    with database_fails(app, dropped=True, times=1) as failures:
        response = maya.get("/")
    assert response.status_code == 200
    assert "Hi Maya" in response.get_data(as_text=True)
    assert len(failures.attempts) > 1  # the first failed, the second try read everything


def test_a_post_whose_connection_dropped_is_never_sent_twice(app, maya):
    token = csrf_token(maya, "/account")
    with database_fails(app, dropped=True, times=1):
        response = maya.post("/account/language", data={"locale": "ar", "csrf_token": token})
    # A second try would have worked (only the first statement fails) and redirected.
    assert response.status_code == 503
    assert "may not have been saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.username == "maya")) is None


def test_a_dropped_pooled_connection_is_replaced_before_use(app, client):
    # pool_pre_ping: the pool's one connection is closed underneath it (as when the database
    # restarts while the app is idle); the next request gets a new one, not an error.
    with app.app_context():
        engine = db.engine
    engine.dispose()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
    assert raw is not None
    raw.close()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_a_postgresql_restart_is_not_noticed(app, maya):
    # The server really ends every connection the app holds (as a restart or a failover
    # does); the next page opens on a new one.
    with app.app_context():
        engine = db.engine
        if engine.url.get_backend_name() != "postgresql":
            pytest.skip("PostgreSQL only")
    assert maya.get("/").status_code == 200
    outside = create_engine(engine.url, poolclass=NullPool)  # not one of the pool's own
    with outside.connect() as conn:
        ended = conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    outside.dispose()
    assert ended >= 1
    response = maya.get("/")
    assert response.status_code == 200
    assert "Hi Maya" in response.get_data(as_text=True)


def test_the_quick_exit_works_with_the_database_down(app, maya):
    with database_fails(app, dropped=True):
        response = maya.post("/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    cookies = response.headers.getlist("Set-Cookie")
    assert any(c.startswith("session=;") for c in cookies), cookies


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context():
        if db.engine.url.get_backend_name() != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as conn:
            assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
            assert conn.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS


@pytest.mark.parametrize(
    ("url", "is_file"),
    [
        ("sqlite:////tmp/app.db", True),
        ("sqlite:///relative.db", True),
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("sqlite:///file:shared?mode=memory&uri=true", False),
        ("postgresql+psycopg://postgres@127.0.0.1/app", False),
    ],
)
def test_only_sqlite_files_get_a_journal_to_change(url, is_file):
    assert is_sqlite_file(make_url(url)) is is_file
