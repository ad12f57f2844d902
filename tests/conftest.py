"""Fixtures: one migrated database for each test process (SQLite, or TEST_DATABASE_URL with
the xdist worker's name added), a fresh app per test, and every row removed after each test
so tests never see each other's data.

`client_for(username)` is a test client signed in as that person; `get_page(client,
endpoint, **values)` opens the page an endpoint names and returns it parsed. Records come
from tests/factories.py; the whole demo council (`demo`) is for journeys and the access
matrix."""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy import create_engine, event, make_url, text

from app import create_app
from app.content_loader import load_content
from app.demo import DEMO_PASSWORD, load_demo_data
from app.extensions import db
from app.models import User
from app.timeutil import london_today, now_utc

TRANSLATIONS = Path(__file__).resolve().parents[1] / "app" / "translations"


def compile_catalogs(translations: Path = TRANSLATIONS) -> list[Path]:
    """Compiles each messages.po whose .mo is missing or older, as `make translations` does,
    so a bare `pytest` in a fresh clone passes. Each .mo is written to a temporary file and
    moved into place, so test processes starting together never read half a file."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po in sorted(translations.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as infile:
            catalog = read_po(infile, locale=po.parent.parent.name)
        if catalog.fuzzy:  # pybabel compile skips a catalog marked fuzzy too
            continue
        handle, temporary = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as outfile:
            write_mo(outfile, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
        compiled.append(mo)
    return compiled


def pytest_configure(config) -> None:
    compile_catalogs()


class _TemplateCodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run (keyed by name and source, so an
    edited template is compiled again)."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="session", autouse=True)
def _apps_share_what_never_changes():
    """Each test gets a new app, as in production each process has one; but the apps of one
    run share what would only be built again the same: one engine per database URL and
    engine options (its pool and its cache of compiled SQL), and the compiled templates.
    Building them afresh was more than half of a page test's time (signing two people in
    and opening five pages: 0.35 s, 0.15 s with both shared). Nothing a test can change is
    shared: each app still has its own config, session, `g` and template globals."""
    engines: dict[str, object] = {}
    make_engine = SQLAlchemy._make_engine
    create_jinja_environment = Flask.create_jinja_environment
    templates = _TemplateCodeCache()

    def shared_engine(self, bind_key, options, app):
        key = repr((bind_key, sorted(options.items(), key=lambda item: item[0])))
        if key not in engines:
            engines[key] = make_engine(self, bind_key, options, app)
        return engines[key]

    def jinja_environment(self):
        environment = create_jinja_environment(self)
        environment.bytecode_cache = templates
        return environment

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLAlchemy, "_make_engine", shared_engine)
        patch.setattr(Flask, "create_jinja_environment", jinja_environment)
        yield
    for engine in engines.values():
        engine.dispose()  # type: ignore[attr-defined]


def worker_database_url(url: str, worker: str | None = None) -> str:
    """TEST_DATABASE_URL for this test process: with pytest-xdist each worker has its own
    database, named after the one given plus the worker ("test_gw0")."""
    worker = worker or os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    """Creates the database if it is missing (through the server's own `postgres`
    database), then empties it."""
    parsed = make_url(url)
    server = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        found = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not found:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    server.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        url = worker_database_url(url)
        _reset_postgres(url)
    else:
        # tmp_path_factory gives each xdist worker a directory of its own.
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=os.path.join(app.root_path, "..", "migrations"))
        db.engine.dispose()
    return url


_instance_folder: list[str] = []


def make_app(database_url: str, **settings):
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url, **settings})
    # An instance folder for this test process alone, not the checkout's: `reminders
    # send-due` keeps its SQLite lock file there, and two xdist workers running it at
    # once must not take each other's lock.
    if not _instance_folder:
        _instance_folder.append(tempfile.mkdtemp(prefix="instance-"))
    app.instance_path = _instance_folder[0]
    return app


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


def signed_in(client, username: str, password: str = DEMO_PASSWORD):
    """Signs `client` in (the demo accounts and the factories' people share one password);
    returns the client."""
    response = sign_in(client, username, password)
    assert response.status_code == 302, f"could not sign in as {username}"
    return client


@pytest.fixture
def client_for(app):
    """`client_for("maya")`: a new test client signed in as that person, so one test can
    have several people at once. The person must exist (`demo`, or a factory)."""

    def _client_for(username: str, password: str = DEMO_PASSWORD):
        return signed_in(app.test_client(), username, password)

    return _client_for


@pytest.fixture
def login_as(client, demo):
    """Signs the `client` fixture in as a demo account; returns it."""

    def _login(username: str):
        return signed_in(client, username)

    return _login


def url(client, endpoint: str, **values) -> str:
    """The path of an endpoint for this client's app (`url(client, "passport.my_skill",
    skill_id=3)`)."""
    with client.application.test_request_context():
        return url_for(endpoint, **values)


def get_page(client, endpoint: str, status: int = 200, **values) -> BeautifulSoup:
    """Opens the page an endpoint names (`get_page(maya, "passport.my_skill", skill_id=3)`),
    checks the status and returns the page parsed, to find things in with `select` or read
    with `get_text`."""
    path = url(client, endpoint, **values)
    response = client.get(path)
    assert response.status_code == status, (endpoint, path, response.status_code)
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(page: BeautifulSoup) -> str:
    """A parsed page's words with the whitespace of the markup squeezed to single spaces."""
    return " ".join(page.get_text(" ").split())


@contextmanager
def count_statements(app):
    """Counts the SQL statements sent while the block runs. SQLite's BEGIN is not one:
    SQLAlchemy sends it there itself (app/database.py), where PostgreSQL's driver begins
    silently, and a count must mean the same on both."""
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement != "BEGIN":
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def post_form(client, path: str, **data):
    """Posts a form the way the page would: with the CSRF token the page gives."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def page_html(client, path: str, status: int = 200, *, follow_redirects: bool = False) -> str:
    response = client.get(path, follow_redirects=follow_redirects)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)
