"""Hostile and careless input on every route, as every demo account that can reach it
(issue 12): no 5xx; nothing saved that should not be (a refused request changes no table,
and no text is stored with a control character in it); and a form that comes back with a
problem still holds what the person typed.

The routes are the access matrix's (one list for both). Each account first opens every page
the matrix lets it reach and reads the forms on them, so every field of every form is
filled; a route whose form is on no page gets every field name seen. One request per route
per kind of hostility, only where that kind applies (dates only where a form has one)."""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from flask import got_request_exception
from sqlalchemy import JSON, String, Text, func, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from app.clean_input import clean_data, clean_text
from app.extensions import db
from app.models import (
    AuditEvent,
    Complaint,
    ComplaintDraft,
    Message,
    MessageThread,
    PushSubscription,
    Skill,
    SkillEvent,
    SkillProgress,
)
from tests import test_access_matrix as matrix
from tests.conftest import sign_in
from tests.test_access_matrix import ACCOUNTS, ENDS_SESSION, MATRIX, YOUNG_PEOPLE, World

NUL_TEXT = "Words\x00 kept\x1b here\x85 and\u200b\ud800 there"
LONG_TEXT = "long " * 20_000  # 100,000 characters
BIG_IDS = {"id-2^31": str(2**31), "id-2^63": str(2**63)}
BAD_DATES = {
    "date-0000-00-00": "0000-00-00",
    "date-9999-12-31": "9999-12-31",
    "date-2026-02-30": "2026-02-30",
    "date-yesterday": "yesterday",
}
# Query-string names the views read (request.args), each given the hostile value too.
QUERY_NAMES = ("page", "version", "role", "band", "next", "sent", "item")
# Tables a refused request may still write to: the audit log says who was refused, and a
# session notes when it was last used.
MAY_CHANGE_ON_REFUSAL = {"audit_events", "login_sessions"}
NUMBERISH = {"number", "hidden", "select", "radio", "checkbox"}


# The matrix's world (its demo council and the ids its addresses need), as a fixture here.
world = matrix.world


@lru_cache(maxsize=256)
def _quoted(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"))


def form_body(data: MultiDict) -> str:
    """A urlencoded body as a browser sends it: a lone surrogate cannot be UTF-8, so it goes
    as the bytes a careless client would send (which arrive percent-encoded, as text)."""
    return "&".join(f"{_quoted(key)}={_quoted(value)}" for key, value in data.items(multi=True))


def as_received(value: str) -> str:
    """What a view gets for `value` sent in a form body: cleaned, bad bytes left as %XX."""
    return clean_text(value.encode("utf-8", "surrogatepass").decode("utf-8", "werkzeug.url_quote"))


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> kind (text, date, number, ...)
    autosave: bool = False


class _Forms(HTMLParser):
    """The POST forms on a page and the fields in each (the standard library's parser)."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.values: dict[str, list[str]] = {}  # what the page shows in each field, by name
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(a.get("action") or self.page_path, autosave="data-autosave" in a)
                self.forms.append(self._form)
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.values.setdefault(name, [])
            else:
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea":
            kind, self._textarea = "textarea", name
            self.values.setdefault(name, []).append("")
        elif tag == "select":
            kind, self._select = "select", name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))
            return
        elif tag == "button":
            kind = "button"
        else:
            return
        if self._form is not None and tag != "option" and name != "csrf_token":
            self._form.fields.setdefault(name, kind)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            # As in a browser: a newline straight after <textarea> is not part of the value.
            if not self.values[self._textarea][-1]:
                data = data.removeprefix("\r\n").removeprefix("\n")
            self.values[self._textarea][-1] += data


def parse_forms(html: str, page_path: str) -> _Forms:
    parser = _Forms(page_path)
    parser.feed(html)
    return parser


@dataclass(frozen=True)
class Hostility:
    name: str
    text: str | None = None  # for text fields (None: a plain, recognisable sentence)
    number: str | None = None  # for numbers, ids, choices and hidden fields
    date: str | None = None
    path_id: str | None = None  # replaces every number in the address
    twice: bool = False  # every field twice, with different values
    only_with_dates: bool = False
    json: object = None  # f(fields) -> a JSON body, sent instead of a form body (POST only)


def nested_json(fields: dict[str, str]) -> dict:
    """Every field as the wrong shape, and a push subscription made of nonsense."""
    body: dict = {name: [NUL_TEXT, {"deeper": [2**63]}] for name in fields}
    body.update(endpoint=f"https://fcm.googleapis.com/{NUL_TEXT}", keys={"p256dh": [1], "auth": 2**63})
    return body


HOSTILITIES = [
    Hostility("nul", text=NUL_TEXT, number="1\x00", date="2026-03-04\x00"),
    Hostility("100k-characters", text=LONG_TEXT, number=LONG_TEXT, date=LONG_TEXT),
    *(Hostility(name, number=value, path_id=value) for name, value in BIG_IDS.items()),
    *(Hostility(name, date=value, only_with_dates=True) for name, value in BAD_DATES.items()),
    Hostility("wrong-types", number="twelve", date="12"),
    Hostility("duplicated-fields", twice=True),
    Hostility("json-nested", json=nested_json),
    Hostility("json-not-an-object", json=lambda fields: [1, NUL_TEXT, None]),
]


def typed(name: str) -> str:
    """A recognisable sentence for one field, so the page can be checked for it."""
    return f"Typed into {name} by hand"


def values_for(form_fields: dict[str, str], how: Hostility) -> MultiDict:
    data: MultiDict = MultiDict()
    for name, kind in form_fields.items():
        if kind == "date":
            value = how.date if how.date is not None else "2026-03-04"
        elif kind in NUMBERISH:
            value = how.number if how.number is not None else "1"
        elif kind == "password":
            value = how.text if how.text is not None else "not the password at all"
        else:
            value = how.text if how.text is not None else typed(name)
        data.add(name, value)
        if how.twice:
            data.add(name, "a second, different value" if kind not in NUMBERISH else "2")
    return data


def query_for(how: Hostility) -> MultiDict:
    value = how.number or how.text or how.date or "yesterday"
    query: MultiDict = MultiDict()
    for name in QUERY_NAMES:
        query.add(name, value)
        if how.twice:
            query.add(name, "2")
    return query


def with_path_id(path: str, how: Hostility) -> str:
    if how.path_id is None:
        return path
    return re.sub(r"(?<=/)\d+(?=/|$)", how.path_id, path)


@dataclass
class Target:
    endpoint: str
    method: str
    path: str
    form: Form | None  # the form found on a page for this address, if any


def rules_by_endpoint(app) -> dict[str, set[str]]:
    methods: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods.setdefault(rule.endpoint, set()).update(rule.methods or ())
    return methods


def reachable_path(row, world: World, account: str | None) -> str | None:
    """The row's address for a young person this account may reach, or None."""
    targets = YOUNG_PEOPLE if row.per_young_person else [None]
    for target in targets:
        yp = world.yp_id(target) if target else None
        expected = row.expect(world, account, yp)
        # A 404 is a refusal; nobody signed in who is sent to sign in has not reached it.
        if expected == 404 or (account is None and expected == 302):
            continue
        return row.path(world, yp) if callable(row.path) else row.path
    return None


@lru_cache(maxsize=1)
def _counting():
    tables = db.metadata.sorted_tables
    names = [t.name for t in tables]
    return names, select(
        *(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables)
    )


def table_counts() -> dict[str, int]:
    """How many rows each table has, in one statement (built once, so it is quick)."""
    names, statement = _counting()
    return dict(zip(names, db.session.execute(statement).one(), strict=True))


def dirty_text() -> list[str]:
    """Every stored text (and JSON) value that holds a control character or a lone surrogate."""
    found = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is not None and clean_data(value) != value:
                    found.append(f"{table.name}.{column.name}: {str(value)[:80]!r}")
    return found


def kept_problems(html: str, path: str, sent: MultiDict, how: Hostility) -> list[str]:
    """Fields of the form sent that the page shows again, but without what was typed."""
    page = parse_forms(html, path)
    # Only the form that was sent: a page's other forms start empty, as they should.
    kinds = {
        name: kind
        for form in page.forms
        if urlsplit(form.action).path == urlsplit(path).path
        for name, kind in form.fields.items()
    }
    problems = []
    for name, kind in kinds.items():
        shown = page.values.get(name)
        # Passwords are never shown again, on purpose; a hidden field is the page's own.
        if name not in sent or kind in ("password", "hidden") or not shown:
            continue
        # Usernames are kept in lower case, and a field may keep both of two values.
        typed_values = [as_received(v).casefold() for v in sent.getlist(name)]
        shown_text = " ".join(shown).casefold()
        if typed_values[0].startswith("typed into ") and not any(v in shown_text for v in typed_values):
            problems.append(f"{name}: sent {typed_values[0][:40]!r}, page shows {shown[0][:40]!r}")
        if (
            how.text == NUL_TEXT
            and kind in ("text", "textarea")
            and as_received(NUL_TEXT).casefold() not in shown_text
        ):
            problems.append(f"{name}: the cleaned words are not shown again ({shown[0][:40]!r})")
    return problems


@pytest.fixture
def app_settings():
    # CSRF and sign-in throttling have their own tests; here they would only hide the views.
    return {
        # A 5xx is an answer to count here, not an exception that stops the test.
        "PROPAGATE_EXCEPTIONS": False,
        "WTF_CSRF_ENABLED": False,
        "LOGIN_LIMIT_PER_ACCOUNT": "10000 per minute",
        "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
    }


def discover(client, world: World, account: str | None) -> tuple[list[Target], list[Form]]:
    """What this account can reach: the matrix's routes (and POST to those that take it),
    and the forms on its pages."""
    methods = rules_by_endpoint(client.application)
    forms: list[Form] = []
    targets: list[Target] = []
    for endpoint, row in MATRIX.items():
        path = reachable_path(row, world, account)
        if path is None:
            continue
        if row.method == "GET":
            response = client.get(path)
            if response.status_code == 200 and "html" in (response.mimetype or ""):
                forms.extend(parse_forms(response.get_data(as_text=True), path).forms)
            targets.append(Target(endpoint, "GET", path, None))
        if "POST" in methods[endpoint]:
            targets.append(Target(endpoint, "POST", path, None))
    by_action: dict[str, Form] = {}
    for form in forms:
        known = by_action.setdefault(urlsplit(form.action).path, Form(form.action, autosave=form.autosave))
        known.fields.update(form.fields)
    for target in targets:
        if target.method == "POST":
            target.form = by_action.get(target.path)
    return targets, forms


def every_field(forms: list[Form]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for form in forms:
        for name, kind in form.fields.items():
            fields.setdefault(name, kind)
    return fields


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a or "anonymous")
def test_hostile_input_never_answers_5xx_saves_nothing_bad_and_keeps_what_was_typed(
    app, client, world, account
):
    if account:
        assert sign_in(client, account).status_code == 302
    with app.app_context():
        targets, forms = discover(client, world, account)
        fallback_fields = every_field(forms)
    # A form on a page for a route whose matrix address has no form (a real device, item or
    # answer instead of 999999): one such form per route.
    adapter = app.url_map.bind("localhost")
    with_form = {t.endpoint for t in targets if t.method == "POST" and t.form}
    for form in forms:
        action = urlsplit(form.action).path
        try:
            endpoint, _ = adapter.match(action, method="POST")
        except HTTPException:
            continue
        if endpoint not in with_form:
            targets.append(Target(endpoint, "POST", action, form))
            with_form.add(endpoint)
    targets.sort(key=lambda t: t.endpoint in ENDS_SESSION)

    failures: list[str] = []
    errors: list[str] = []

    def note_error(sender, exception, **extra):
        frame = traceback.extract_tb(exception.__traceback__)[-1]
        errors.append(f"{type(exception).__name__}: {exception} at {frame.filename}:{frame.lineno}")

    got_request_exception.connect(note_error, app)
    for target in targets:
        fields = target.form.fields if target.form else fallback_fields
        has_dates = any(kind == "date" for kind in fields.values())
        for how in HOSTILITIES:
            if how.only_with_dates and (target.method == "GET" or not has_dates):
                continue
            if how.json is not None and target.method == "GET":
                continue
            # A request line that long never reaches the app: the server refuses it first
            # (gunicorn's limit is 4,094 bytes).
            if how.name == "100k-characters" and target.method == "GET":
                continue
            path = with_path_id(target.path, how)
            label = f"{target.method} {path[:80]} ({target.endpoint}) [{how.name}]"
            # A header arrives as Latin-1 bytes, so it can hold a NUL but no surrogate.
            headers = {"User-Agent": "Phone\x00\x1b" if how.name == "nul" else "Phone"}
            variants: list[dict] = [{}]
            if target.form and target.form.autosave and how.text is not None:
                variants.append({"X-Autosave": "1"})
            for extra in variants:
                if target.method == "POST":
                    with app.app_context():
                        before = table_counts()
                if target.method == "GET":
                    response = client.get(path, query_string=form_body(query_for(how)), headers=headers)
                    sent: MultiDict = MultiDict()
                elif how.json is not None:
                    sent = MultiDict()
                    response = client.post(path, json=how.json(fields), headers=headers)
                else:
                    sent = values_for(fields, how)
                    response = client.post(
                        path,
                        data=form_body(sent),
                        content_type="application/x-www-form-urlencoded",
                        headers={**headers, **extra},
                    )
                status = response.status_code
                if status >= 500:
                    why = errors[-1][:300] if errors else ""
                    failures.append(f"{label}{' autosave' if extra else ''}: {status} {why}")
                    continue
                if 400 <= status < 500 and target.method == "POST":
                    with app.app_context():
                        after = table_counts()
                    changed = {t for t in before if before[t] != after[t] and t not in MAY_CHANGE_ON_REFUSAL}
                    if changed:
                        failures.append(f"{label}: refused ({status}) but changed {sorted(changed)}")
                if (
                    target.method == "POST"
                    and status in (200, 400, 409, 422)
                    and response.mimetype == "text/html"
                ):
                    for problem in kept_problems(response.get_data(as_text=True), path, sent, how):
                        failures.append(f"{label}: {problem}")
            if target.endpoint in ENDS_SESSION and account:
                assert sign_in(client, account).status_code == 302
    with app.app_context():
        failures.extend(f"stored with a control character: {d}" for d in dirty_text())
    assert not failures, "\n".join(failures)


# Finding 5, one by one: each of these answered 500 on PostgreSQL and lost what was typed. ---


def test_control_characters_go_and_the_rest_stays():
    assert clean_text("a\x00b\x07c\x1b[0m\x7f\x85\x9fd") == "abc[0md"
    assert clean_text("line one\r\n\tline two\n") == "line one\r\n\tline two\n"
    assert clean_text("emoji 😀, Arabic مرحبا, accents é") == "emoji 😀, Arabic مرحبا, accents é"
    assert clean_text("lone \ud800 surrogate") == "lone \ufffd surrogate"
    assert clean_data({"k\x00": ["v\x00", {"x": "\x1b"}, 3, None]}) == {"k": ["v", {"x": ""}, 3, None]}
    # Overrides and isolates turn words around for the reader; Arabic's own marks stay.
    assert clean_text("Mr\u202eevil\u202c Smith \u2067x\u2069") == "Mrevil Smith x"
    assert clean_text("\u200fمرحبا\u200e \u061c") == "\u200fمرحبا\u200e \u061c"


def test_a_complaint_with_a_nul_is_autosaved_and_sent_without_it(app, client_for, demo):
    maya = client_for("maya")
    typed = {"what_happened": "My phone\x00 was taken\x1b away", "put_right": "Give\x00 it back"}
    saved = maya.post("/complaints/new", data=typed, headers={"X-Autosave": "1"})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    with app.app_context():
        draft = db.session.scalar(select(ComplaintDraft).where(ComplaintDraft.author_id == demo["maya"]))
        assert (draft.what_happened, draft.put_right) == ("My phone was taken away", "Give it back")
    sent = maya.post(
        "/complaints/new",
        data={**typed, "wants_advocate": "no", "send": "1", "lock_version": draft.lock_version},
    )
    assert sent.status_code == 302
    with app.app_context():
        complaint = db.session.scalar(
            select(Complaint).where(Complaint.young_person_id == demo["maya"]).order_by(Complaint.id.desc())
        )
        assert complaint.what_happened == "My phone was taken away"


def test_a_message_and_a_reply_with_a_nul_are_saved_without_it(app, client_for, demo):
    maya = client_for("maya")
    assert maya.post("/messages/social-worker", data={"body": "Hello\x00 Priya"}).status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(MessageThread).where(MessageThread.participant_id == demo["maya"]))
    priya = client_for("priya")
    assert priya.post(f"/inbox/{thread.id}", data={"body": "Hi\x00 Maya\x07"}).status_code == 302
    with app.app_context():
        bodies = list(db.session.scalars(select(Message.body).where(Message.thread_id == thread.id)))
    assert "Hello Priya" in bodies and "Hi Maya" in bodies


def test_sign_in_with_a_nul_keeps_the_username_and_says_what_is_wrong(app, demo):
    client = app.test_client()
    response = client.post("/login", data={"username": "maya\x00", "password": "wrong\x00password"})
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 401)
    assert 'value="maya"' in html


def test_a_path_with_a_nul_is_a_404_and_the_refusal_is_audited(app, client_for, demo):
    priya = client_for("priya")
    assert priya.get("/care/young-people/%00").status_code == 404
    assert priya.get(f"/care/young-people/{2**31}").status_code == 404
    assert priya.get(f"/care/young-people/{2**63}/plan").status_code == 404


def test_a_header_we_keep_is_stored_without_control_characters(app, client_for, demo):
    client = client_for("maya")
    client.post(
        "/leave", headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://elsewhere.example\x00\x1b"}
    )
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "quick_exit"))
    assert event.detail["origin"] == "https://elsewhere.example"


def test_a_push_subscription_with_a_nul_or_a_lone_surrogate_is_refused_with_words(app, client_for, demo):
    client = client_for("maya")
    for endpoint in ("https://fcm.googleapis.com/fcm/send/a\u0000b", "https://fcm.googleapis.com/\ud800"):
        body = {"endpoint": endpoint, "keys": {"p256dh": "x\u0000", "auth": ["y"]}}
        response = client.post("/reminders/subscriptions", json=body)
        assert response.status_code == 400
        assert response.get_json()["message"] == "This browser sent something we could not use."
    with app.app_context():
        assert not db.session.scalar(select(func.count(PushSubscription.id)))


def test_a_json_body_sent_to_a_form_is_refused_and_saves_nothing(app, client_for, demo):
    client = client_for("maya")
    for body in ([1, 2], {"what_happened": {"a": 1}}, {"what_happened": [1, [2]]}, "text", 5):
        assert client.post("/complaints/new", json=body).status_code == 415
    with app.app_context():
        assert not db.session.scalar(select(func.count(ComplaintDraft.id)))


@pytest.mark.parametrize("accept", ["application/json", "text/html"], ids=["offline-queue", "form"])
def test_an_idempotency_key_over_64_characters_is_refused_with_words_and_changes_nothing(
    app, client_for, demo, accept
):
    maya = client_for("maya")
    with app.app_context():
        events = db.session.scalar(select(func.count(SkillEvent.id)))
        started = select(SkillProgress.skill_id).where(SkillProgress.young_person_id == demo["maya"])
        skill = db.session.scalar(
            select(Skill.id).where(Skill.starts_at_age <= 13, Skill.id.not_in(started)).order_by(Skill.id)
        )
    response = maya.post(
        f"/passport/skills/{skill}",
        data={"to_step": "learning", "expected_step": "not_started", "idempotency_key": "k" * 65},
        headers={"Accept": accept},
    )
    message = "We could not save that. Please go back to the page and try again."
    if accept == "application/json":
        assert response.status_code == 400
        assert response.get_json()["message"] == message
    else:
        assert response.status_code == 302
        assert message in maya.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(SkillEvent.id))) == events
    # Exactly 64 is a key the database can keep.
    ok = maya.post(
        f"/passport/skills/{skill}",
        data={"to_step": "learning", "expected_step": "not_started", "idempotency_key": "k" * 64},
        headers={"Accept": "application/json"},
    )
    assert ok.status_code == 200 and ok.get_json()["status"] == "ok"
