"""The browser journeys' world: the app served over real HTTP from its own migrated SQLite
database with the demo authority, a neutral "Weather" site for quick exit, and one headless
Chromium for the whole run (a fresh context per test, sized like a phone).

The database fixtures in tests/conftest.py wipe their database after every test; a live
server shared by the whole session cannot live with that, so it keeps its own."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.content_loader import load_content
from app.demo import load_demo_data
from app.extensions import db
from app.timeutil import london_today, now_utc
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, PHONE

REPO = Path(__file__).resolve().parents[2]
WEATHER_PAGE = Path(__file__).with_name("weather.html")


@dataclass(frozen=True)
class LiveServer:
    url: str
    exit_url: str
    app: object


class _QuietWSGIHandler(WSGIRequestHandler):
    # One line per request would bury a failing test's output.
    def log_request(self, *args, **kwargs):
        pass


class _WeatherHandler(BaseHTTPRequestHandler):
    """Every path answers with the same ordinary page, so query strings work too."""

    def do_GET(self):
        body = WEATHER_PAGE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def _serve_in_background(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    weather = ThreadingHTTPServer(("127.0.0.1", 0), _WeatherHandler)
    _serve_in_background(weather)
    exit_url = f"http://127.0.0.1:{weather.server_address[1]}/weather"

    database = tmp_path_factory.mktemp("browser-db") / "app.db"
    app = create_app(
        {
            "APP_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "QUICK_EXIT_URL": exit_url,
            "WTF_CSRF_ENABLED": True,
        }
    )
    with app.app_context():
        flask_migrate.upgrade(directory=str(REPO / "migrations"))
        # As `make run` does: the council's starting content, then the demo authority.
        load_content(now_utc())
        load_demo_data(london_today())
        db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietWSGIHandler)
    _serve_in_background(server)
    yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", exit_url=exit_url, app=app)
    server.shutdown()
    weather.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Makes phone-sized contexts on the live server; closes them after the test."""
    made = []

    def _new_context(**options):
        settings = {"viewport": PHONE, "locale": "en-GB", "base_url": live_server.url, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield _new_context
    for context in made:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
