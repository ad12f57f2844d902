"""How many bytes a phone fetches: a first visit to /login, then a young person's pages.

Goes through the app as a browser would (Flask's test client, `Accept-Encoding: br, gzip`):
opens a page, then every file the page loads (stylesheet, scripts, icons, pictures, the
manifest), and counts what crosses the wire, headers and (compressed) body. A browser's
cache is modelled: a file fetched once under its versioned URL is kept for a year
(`immutable`), so later pages fetch only what they have not loaded before. The service
worker and the shell it keeps (app/pwa) are counted on their own line: the browser fetches
them after the first page has loaded, in the background.

    make bench        (or: python -m bench.sizes)

The limits (issue 14): a first visit to /login at most 30 KB, a young person's home at
most 20 KB after that. tests/test_wire.py checks the same numbers.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask.testing import FlaskClient

ROOT = Path(__file__).resolve().parent.parent
FIRST_VISIT_LIMIT = 30 * 1024
HOME_AFTER_LIMIT = 20 * 1024
BROWSER_ENCODINGS = "br, gzip"


@dataclass
class Fetched:
    path: str
    status: int
    encoding: str | None
    headers: int
    body: int
    uncompressed: int
    cache_control: str

    @property
    def total(self) -> int:
        return self.headers + self.body


@dataclass
class Visit:
    """One page and the files it loaded that were not in the browser's cache yet."""

    path: str
    fetched: list[Fetched] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(f.total for f in self.fetched)

    @property
    def uncompressed(self) -> int:
        return sum(f.headers + f.uncompressed for f in self.fetched)


def _header_bytes(response) -> int:
    status = len(f"HTTP/1.1 {response.status}\r\n")
    return status + sum(len(f"{k}: {v}\r\n") for k, v in response.headers.items()) + 2


def fetch(client: FlaskClient, path: str) -> tuple[Fetched, str]:
    """One GET as a browser sends it; what it cost and, for a page, its text."""
    response = client.get(path, headers={"Accept-Encoding": BROWSER_ENCODINGS})
    raw = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    plain = decode(raw, encoding)
    fetched = Fetched(
        path,
        response.status_code,
        encoding,
        _header_bytes(response),
        len(raw),
        len(plain),
        response.headers.get("Cache-Control", ""),
    )
    text = plain.decode() if response.mimetype == "text/html" else ""
    return fetched, text


def decode(raw: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        import brotli

        return brotli.decompress(raw)
    if encoding == "gzip":
        import gzip

        return gzip.decompress(raw)
    return raw


def subresources(html: str) -> list[str]:
    """The same-site files a page loads as it opens (not links it only points to)."""
    found = []
    for tag in re.finditer(r"<(?:link|script|img)\b[^>]*>", html, re.IGNORECASE | re.DOTALL):
        text = tag.group(0)
        if text.lower().startswith("<link") and not re.search(
            r'rel="(?:stylesheet|icon|apple-touch-icon|manifest)"', text
        ):
            continue
        match = re.search(r'\b(?:href|src)="(/[^"/][^"]*)"', text)
        if match and match.group(1).replace("&amp;", "&") not in found:
            found.append(match.group(1).replace("&amp;", "&"))
    return found


class Browser:
    """A test client with a cache: a versioned file, once fetched, is not fetched again."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.cache: set[str] = set()

    def visit(self, path: str) -> Visit:
        visit = Visit(path)
        page, html = fetch(self.client, path)
        visit.fetched.append(page)
        for url in subresources(html):
            if url in self.cache:
                continue
            fetched, _ = fetch(self.client, url)
            visit.fetched.append(fetched)
            if "immutable" in fetched.cache_control:
                self.cache.add(url)
        return visit

    def install_service_worker(self) -> Visit:
        """The worker script and the shell it keeps, less what is cached already."""
        visit = Visit("/sw.js and its shell")
        fetched, _ = fetch(self.client, "/sw.js")
        visit.fetched.append(fetched)
        script = self.client.get("/sw.js").get_data(as_text=True)  # uncompressed, to read
        shell = json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
        for url in shell:
            if url in self.cache:
                continue
            fetched, _ = fetch(self.client, url)
            visit.fetched.append(fetched)
            self.cache.add(url)
        return visit

    def sign_in(self, username: str, password: str) -> None:
        html = self.client.get("/login").get_data(as_text=True)
        token = html.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
        response = self.client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, response.status_code


def young_persons_visits(client: FlaskClient, username: str, password: str) -> list[Visit]:
    """A first visit to /login, the service worker, then home, passport and Promise."""
    browser = Browser(client)
    visits = [browser.visit("/login"), browser.install_service_worker()]
    browser.sign_in(username, password)
    visits += [browser.visit(path) for path in ("/", "/passport", "/promise")]
    return visits


def report(visits: list[Visit]) -> str:
    lines = [f"{'what a phone fetches':34} {'files':>5} {'sent KB':>8} {'unzipped KB':>12}"]
    for visit in visits:
        lines.append(
            f"{visit.path:34} {len(visit.fetched):>5} {visit.total / 1024:>8.1f}"
            f" {visit.uncompressed / 1024:>12.1f}"
        )
        for f in visit.fetched:
            lines.append(
                f"  {f.path[:40]:40} {f.encoding or '-':>5} {f.total / 1024:>6.1f}"
                f" {(f.headers + f.uncompressed) / 1024:>6.1f}"
            )
    return "\n".join(lines)


def main() -> None:
    import flask_migrate

    from app import create_app
    from app.content_loader import load_content
    from app.demo import DEMO_PASSWORD, load_demo_data
    from app.extensions import db
    from app.timeutil import london_today, now_utc

    workdir = tempfile.mkdtemp()
    app = create_app({"APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/sizes.db"})
    with app.app_context():
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        load_content(now_utc())
        load_demo_data(london_today())
        db.session.commit()
    visits = young_persons_visits(app.test_client(), "maya", DEMO_PASSWORD)
    print(report(visits))
    login, _worker, home = visits[0], visits[1], visits[2]
    print(
        f"first visit to /login: {login.total / 1024:.1f} KB (limit {FIRST_VISIT_LIMIT // 1024});"
        f" home after it: {home.total / 1024:.1f} KB (limit {HOME_AFTER_LIMIT // 1024})"
    )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "sizes.json").write_text(
        json.dumps(
            [
                {"page": v.path, "files": len(v.fetched), "bytes": v.total, "uncompressed": v.uncompressed}
                for v in visits
            ],
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
