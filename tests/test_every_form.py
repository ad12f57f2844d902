"""Every form on every page a demo account reaches saves when filled in with valid data
(issue 12, finding 19: "Forms that cannot work").

For each demo account the test signs in, starts at home and follows same-site links with
GET, as a person tapping around would. On every page it fills in each <form method=post>
the way a browser would (what the page pre-filled is kept, empty fields get plain valid
values, the CSRF token comes from the page, CSRF is on) and submits it. A form "saves"
when the answer is not a 4xx or 5xx and is either a redirect to a page without an error
message, or a page without one. Pages are fetched again before each form, so a form is
always filled in from the page as it is now (with the newest lock_version)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import sign_in
from tests.page_forms import parse, submit

ACCOUNTS = (
    "maya",
    "jordan",
    "sam",
    "riley",
    "alex",
    "bea",
    "priya",
    "omar",
    "tom",
    "lee",
    "kim",
    "hana",
    "nia",
    "ezra",
)

# Forms that are not submitted with made-up data, each for a stated reason. Keyed by the
# path their action posts to.
NOT_SUBMITTED = {
    # Ends the session: nothing after it could be checked. tests/test_auth.py covers it.
    "/logout": "signs out",
    # Ends the session and leaves the site. tests/test_quick_exit.py covers it.
    "/leave": "quick exit",
}

# Forms submitted after every other form of the account, because they end the session
# (a password change signs the person in again with the new password).
SUBMITTED_LAST = {"/account/password"}

# Links not followed: they change something, leave the site or are not pages.
NOT_FOLLOWED = re.compile(r"^/(static/|sw\.js|manifest\.webmanifest|healthz|signed-out)")

# At most this many pages of one shape (the path with its numbers taken out), so that long
# lists (a caseload, an inbox) do not make the test slow; the first ones are enough to
# reach every kind of form.
PAGES_PER_SHAPE = 3
MAX_PAGES = 250
# Likewise for forms of one shape on a page with many (one per skill, per item): they are
# the same form with another prefix.
FORMS_PER_SHAPE = 2


# Pages with the forms finding 19 was about, which each account's crawl must reach.
REACHED = {
    "kim": [r"/admin/promise/up_to_15/draft"],
    "priya": [r"/care/young-people/\d+/plan/draft"],
}


def _same_site(href: str, base: str) -> str | None:
    url = urlsplit(urljoin("http://localhost" + base, href))
    if url.scheme not in ("http", "https") or url.netloc != "localhost":
        return None
    path = url.path + (f"?{url.query}" if url.query else "")
    if NOT_FOLLOWED.match(path):
        return None
    return path


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def _problems(html: str) -> list[str]:
    """The error messages a page shows: the error summary, field errors, error notices."""
    found = re.findall(r'class="error-summary"|class="error-message"|class="notice notice--error"', html)
    if not found:
        return []
    texts = re.findall(
        r'<(?:p|div) class="(?:error-message|notice notice--error|error-summary)"[^>]*>(.*?)</(?:p|div)>',
        html,
        flags=re.S,
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", t)).strip() for t in texts] or found


# Error notices a page may show without any form having failed: they describe the record,
# not the answer to the form (e.g. a plan draft behind a newer version, with its own button).
STANDING_NOTICES = ("A newer version was published after this draft was started.",)


def _new_problems(before: str, after: str) -> list[str]:
    known = set(_problems(before))
    return [p for p in _problems(after) if p not in known and not p.startswith(STANDING_NOTICES)]


def _form_key(form: dict) -> tuple:
    names = tuple(sorted({c.get("name", "") for c in form["controls"] if c.get("name")}))
    return (form["attrs"].get("action", ""), names)


@pytest.fixture
def app_settings() -> dict:
    # CSRF on, as in production. Rate limits off: one person submitting every form in a
    # minute is this test, not a person, and the limits have their own tests.
    return {"WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False}


def _crawl_and_submit(client, username: str) -> tuple[list[str], list[str], int, list[str]]:
    failures: list[str] = []
    queue = deque(["/"])
    seen_pages: set[str] = set()
    shapes: dict[str, int] = {}
    done_forms: set[tuple] = set()
    form_shapes: dict[str, int] = {}
    deferred: list[tuple[str, tuple]] = []
    gone: list[str] = []
    submitted = 0

    def fresh(page: str):
        response = client.get(page)
        if response.status_code in (301, 302, 303, 307, 308):
            target = _same_site(response.headers["Location"], page)
            if target:
                queue.append(target.split("#")[0])
            return None
        if response.status_code != 200 or "text/html" not in response.content_type:
            return None
        return response.get_data(as_text=True)

    def try_form(page: str, key: tuple) -> None:
        nonlocal submitted
        html = fresh(page)
        if html is None:
            return
        form = next((f for f in parse(html).forms if _form_key(f) == key), None)
        if form is None:
            # An earlier form changed the page so this one is no longer offered (an alert
            # acknowledged has no "I have it" button any more): nothing to submit.
            gone.append(f"{page} {key[0]}")
            return
        path, pairs, response = submit(client, page, form)
        submitted += 1
        status = response.status_code
        where = f"{username}: form on {page} posting to {path}"
        if status >= 400:
            failures.append(f"{where} answered {status}. Sent: {pairs}")
            return
        if status in (301, 302, 303, 307, 308):
            target = _same_site(response.headers["Location"], page)
            if target is None:
                return
            # Pages a form leads to (a draft just started) are crawled too.
            queue.append(target.split("#")[0])
            after = client.get(target)
            problems = _new_problems("", after.get_data(as_text=True)) if after.status_code == 200 else []
            if after.status_code >= 400:
                failures.append(f"{where} redirected to {target}, which answered {after.status_code}")
            elif problems:
                failures.append(f"{where} redirected to a page with problems: {problems}. Sent: {pairs}")
            return
        problems = _new_problems(html, response.get_data(as_text=True))
        if problems:
            failures.append(f"{where} came back with problems: {problems}. Sent: {pairs}")

    while queue and len(seen_pages) < MAX_PAGES:
        page = queue.popleft()
        if page in seen_pages:
            continue
        shape = _shape(page)
        if shapes.get(shape, 0) >= PAGES_PER_SHAPE:
            continue
        html = fresh(page)
        seen_pages.add(page)
        if html is None:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        parsed = parse(html)
        for form in parsed.forms:
            if form["attrs"].get("method", "get").lower() != "post":
                continue
            key = _form_key(form)
            action_path = urlsplit(form["attrs"].get("action") or page).path
            if action_path in NOT_SUBMITTED or key in done_forms:
                continue
            done_forms.add(key)
            form_shape = _shape(repr(key))
            if form_shapes.get(form_shape, 0) >= FORMS_PER_SHAPE:
                continue
            form_shapes[form_shape] = form_shapes.get(form_shape, 0) + 1
            if action_path in SUBMITTED_LAST:
                deferred.append((page, key))
                continue
            try_form(page, key)
        assert not parsed.loose, f"{page}: controls name a form that is not on the page: {parsed.loose}"
        for href in parsed.links:
            target = _same_site(href, page)
            if target and target not in seen_pages:
                queue.append(target.split("#")[0])
    for page, key in deferred:
        try_form(page, key)
    return failures, sorted(seen_pages), submitted, gone


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_form_a_demo_account_reaches_saves_with_valid_data(app, client, demo, username):
    assert sign_in(client, username).status_code == 302
    failures, pages, submitted, gone = _crawl_and_submit(client, username)
    assert not failures, "\n".join(failures)
    # The crawl really reached pages and forms (a broken crawler must not pass quietly);
    # forms gone by the time their turn came are few.
    assert len(pages) >= 3 and submitted >= 1 and len(gone) <= submitted, (pages, submitted, gone)
    for page in REACHED.get(username, ()):
        assert any(re.fullmatch(page, seen) for seen in pages), f"{username} never reached {page}"
