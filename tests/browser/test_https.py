"""Forms over HTTPS in a real browser, the two ways the app is served in production: behind
a TLS-terminating proxy (X-Forwarded-Proto: https, TRUSTED_PROXIES=1) and by gunicorn doing
TLS itself. Flask-WTF's strict referrer check refuses an HTTPS form post without a Referer
from our origin, so these fail if our pages ever send no referrer again."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import flask_migrate
import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from app.content_loader import load_content
from app.demo import load_demo_data
from app.extensions import db
from app.models import AuditEvent, User
from app.timeutil import london_today, now_utc
from tests.browser.helpers import BROWSER, PHONE, sign_in

pytestmark = BROWSER

REPO = Path(__file__).resolve().parents[2]
OPENSSL = shutil.which("openssl") or "openssl"
# Not forwarded by a proxy: they describe one connection, not the request.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603 (fixed arguments, our own temporary folder)
        [
            OPENSSL,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def demo_database(path: Path) -> str:
    """A migrated SQLite database with the council's content and the demo authority, as
    `make run` makes; returns its URL."""
    url = f"sqlite:///{path}"
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade(directory=str(REPO / "migrations"))
        load_content(now_utc())
        load_demo_data(london_today())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _TLSProxy(ThreadingHTTPServer):
    """Accepts TLS and passes each request on to `upstream` as plain HTTP, saying what a
    load balancer says. The handshake happens in the connection's own thread, so a
    connection the browser opens and never uses holds up nobody."""

    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext, upstream: tuple[str, int]):
        self.tls = tls
        self.upstream = upstream
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    def finish_request(self, request, client_address):
        request.settimeout(10)
        try:
            request = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            request.close()
            return
        super().finish_request(request, client_address)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        host, port = self.server.upstream
        headers["Host"] = f"{host}:{port}"
        headers["X-Forwarded-Proto"] = "https"
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Host"] = self.headers.get("Host", "")
        upstream = http.client.HTTPConnection(host, port, timeout=10)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            content = answer.read()
            self.send_response(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(content)
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _forward

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def behind_a_proxy(tmp_path_factory, certificate):
    """The app, configured as in production behind one proxy, over plain HTTP on 127.0.0.1,
    with the TLS proxy in front of it; yields (the proxy's https:// URL, the app)."""
    url = demo_database(tmp_path_factory.mktemp("https-proxy-db") / "app.db")
    app = create_app(
        {
            "APP_ENV": "testing",
            "SQLALCHEMY_DATABASE_URI": url,
            "TRUSTED_PROXIES": 1,
            "SESSION_COOKIE_SECURE": True,
            "HSTS": True,
            "WTF_CSRF_ENABLED": True,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietWSGIHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(*certificate)
    proxy = _TLSProxy(tls, ("127.0.0.1", server.server_port))
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{proxy.server_address[1]}", app
    proxy.shutdown()
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


def _wait_for_tls(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{log.read_text()}", pytrace=False)
        try:
            with (
                socket.create_connection(("127.0.0.1", port), timeout=1) as sock,
                insecure.wrap_socket(sock, server_hostname="127.0.0.1"),
            ):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not answer on port {port}", pytrace=False)


@pytest.fixture(scope="module")
def gunicorn_tls(tmp_path_factory, certificate):
    """gunicorn serving wsgi:app over TLS itself; yields (its https:// URL, the database URL)."""
    folder = tmp_path_factory.mktemp("https-gunicorn")
    url = demo_database(folder / "app.db")
    # A file, not a pipe nobody reads: a full pipe would stop gunicorn mid-test.
    log = (folder / "gunicorn.log").open("w")
    cert, key = certificate
    port = _free_port()
    # Nothing from the shell that would change how it serves (a Redis, a proxy count).
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TRUSTED_PROXIES")}
    env.update(APP_ENV="development", DATABASE_URL=url)
    process = subprocess.Popen(  # noqa: S603 (this Python, fixed arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--certfile",
            str(cert),
            "--keyfile",
            str(key),
            "--bind",
            f"127.0.0.1:{port}",
            # Threads: a connection the browser opens and leaves idle must not hold up the rest.
            "--threads",
            "4",
            "wsgi:app",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_tls(port, process, Path(log.name))
        yield f"https://127.0.0.1:{port}", url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def https_context(browser):
    made = []

    def _new(base_url: str):
        context = browser.new_context(
            viewport=PHONE, locale="en-GB", base_url=base_url, ignore_https_errors=True
        )
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield _new
    for context in made:
        context.close()


def _sign_in_and_choose_arabic(page) -> None:
    sign_in(page, "maya")
    page.goto("/account")
    page.locator('input[name="locale"][value="ar"]').check()
    page.locator('form[action="/account/language"] button[type="submit"]').click()
    page.wait_for_url(lambda url: url.endswith("/account"))
    expect(page.locator("html")).to_have_attribute("lang", "ar")


def _locale_and_csrf_failures(database_url: str) -> tuple[str | None, int]:
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        locale = db.session.scalar(select(User.locale).where(User.username == "maya"))
        failures = len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "csrf_failed")).all())
        db.session.remove()
        db.engine.dispose()
    return locale, failures


def test_forms_work_behind_a_tls_terminating_proxy(behind_a_proxy, https_context):
    url, app = behind_a_proxy
    context = https_context(url)
    page = context.new_page()
    _sign_in_and_choose_arabic(page)

    session = next(cookie for cookie in context.cookies() if cookie["name"] == "session")
    assert session["secure"] and session["httpOnly"]
    assert _locale_and_csrf_failures(app.config["SQLALCHEMY_DATABASE_URI"]) == ("ar", 0)


def test_forms_work_when_gunicorn_serves_tls_itself(gunicorn_tls, https_context):
    url, database_url = gunicorn_tls
    page = https_context(url).new_page()
    _sign_in_and_choose_arabic(page)
    assert _locale_and_csrf_failures(database_url) == ("ar", 0)
