"""Fixtures: one migrated database for the run (SQLite, or TEST_DATABASE_URL), a fresh app
per test, and every row removed after each test so tests never see each other's data."""

from __future__ import annotations

import os
import re
from contextlib import contextmanager

import flask_migrate
import pytest
from sqlalchemy import create_engine, event, text

from app import create_app
from app.content_loader import load_content
from app.demo import DEMO_PASSWORD, load_demo_data
from app.extensions import db
from app.models import User
from app.timeutil import london_today, now_utc


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        db.engine.dispose()
    return url


def make_app(database_url: str, **settings):
    return create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, **settings})


def wipe(app) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def app_settings() -> dict:
    """Override in a test module to change settings for its tests."""
    return {}


@pytest.fixture
def app(database_url, app_settings):
    # No app context is held open here: each request must get its own, as in production
    # (a shared one would share `g` and the database session between requests).
    app = make_app(database_url, **app_settings)
    yield app
    wipe(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def demo(app) -> dict[str, int]:
    """The demo authority; returns the id of each account by username."""
    with app.app_context():
        load_content(now_utc())
        load_demo_data(london_today())
        db.session.commit()
        return {u.username: u.id for u in db.session.scalars(db.select(User))}


CSRF_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def csrf_token(client, path: str = "/login") -> str:
    """The CSRF token a page gives this client (the same one its forms carry)."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, username: str, password: str = DEMO_PASSWORD, **extra):
    token = csrf_token(client, "/login")
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token, **extra}
    )


@pytest.fixture
def login_as(client, demo):
    """Signs the test client in as a demo account; returns the client."""

    def _login(username: str):
        response = sign_in(client, username)
        assert response.status_code == 302, f"could not sign in as {username}"
        return client

    return _login


@contextmanager
def count_statements(app):
    """Counts the SQL statements sent while the block runs."""
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def client_signed_in(app, username: str):
    """A new test client signed in as a demo account (for tests with several people)."""
    client = app.test_client()
    assert sign_in(client, username).status_code == 302, username
    return client


def post_form(client, path: str, **data):
    """Posts a form the way the page would: with the CSRF token the page gives."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def page_html(client, path: str, status: int = 200, *, follow_redirects: bool = False) -> str:
    response = client.get(path, follow_redirects=follow_redirects)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)
