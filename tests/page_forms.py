"""Forms on a page, read and filled in the way a browser does: for tests that submit a
page's own forms (tests/test_every_form.py) rather than hand-made data."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.datastructures import MultiDict

from app.demo import DEMO_PASSWORD
from app.timeutil import london_today

STRONG_PASSWORD = "teapot river purple lantern"


class _PageParser(HTMLParser):
    """The page's links and its post forms with their controls, including controls outside
    a form that belong to it through a form="id" attribute (as a browser counts them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.loose: list[dict] = []
        self.current: dict | None = None
        self.textarea: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None

    def _owner(self, attrs: dict) -> dict | None:
        if attrs.get("form"):
            owner = self.by_id.get(attrs["form"])
            if owner is None:
                self.loose.append(attrs)
            return owner
        return self.current

    def handle_starttag(self, tag, attrs_list):
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        elif tag == "form":
            form = {"attrs": attrs, "controls": []}
            self.forms.append(form)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = form
            self.current = form
        elif tag in ("input", "button"):
            owner = self._owner(attrs)
            if owner is not None:
                owner["controls"].append({"tag": tag, **attrs})
        elif tag == "textarea":
            owner = self._owner(attrs)
            self.textarea = {"tag": tag, **attrs, "value": ""}
            if owner is not None:
                owner["controls"].append(self.textarea)
        elif tag == "select":
            owner = self._owner(attrs)
            self.select = {"tag": tag, **attrs, "options": []}
            if owner is not None:
                owner["controls"].append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = {**attrs, "text": ""}
            self.select["options"].append(self.option)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data
        elif self.option is not None:
            self.option["text"] += data


def parse(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    # A browser drops the first newline after <textarea>.
    for form in parser.forms:
        for control in form["controls"]:
            if control["tag"] == "textarea":
                control["value"] = re.sub(r"^\r?\n", "", control["value"])
    return parser


_numbers = itertools.count(1)

# Fields left as the page has them, because valid data means leaving them: the away
# cover is a person or a team, not both, and the person is chosen.
LEFT_AS_THEY_ARE = {"away_cover_team_id"}

# Selects whose valid choice depends on another field: the first time offered for "today"
# may have gone by now (the rule says so in plain words), so a day to come is picked.
LAST_OPTION = {"call_day"}


def _text_value(control: dict) -> str:
    """A plain valid value for an empty field, from its type and name."""
    kind = control.get("type", "text").lower()
    name = control.get("name", "").lower()
    today = london_today()
    if kind == "date":
        if "birth" in name or "dob" in name:
            # 17: a young person any kind of worker may add (a personal adviser is from 16).
            return (today - timedelta(days=365 * 17 + 30)).isoformat()
        if any(word in name for word in ("held", "happened", "started", "moved", "from")):
            return today.isoformat()
        if "suggestions" in name:  # suggestions close before voting does
            return (today + timedelta(days=7)).isoformat()
        return (today + timedelta(days=28)).isoformat()
    if kind == "time":
        return "10:30"
    if kind == "number":
        return control.get("min") or "1"
    if kind == "email" or "email" in name:
        return "sam.test@example.org"
    if kind == "tel" or "phone" in name or "mobile" in name:
        return "07700 900123"
    if kind == "password":
        return DEMO_PASSWORD if "current" in name else STRONG_PASSWORD
    if kind == "url":
        return "https://example.org/"
    if "username" in name:
        return f"newperson{next(_numbers)}"
    if "nhs" in name:
        return "943 476 5919"  # a valid NHS number (check digit) used in NHS examples
    if "name" in name:
        return "Robin Test"
    return "Plain words for this test."


def fill(form: dict) -> tuple[list[tuple[str, str]], dict]:
    """The name/value pairs a browser sends for this form after a person fills every field
    with valid data and presses its first submit button; and that button."""
    pairs: list[tuple[str, str]] = []
    radios_done: set[str] = set()
    controls = form["controls"]
    button = next(
        (
            c
            for c in controls
            if (c["tag"] == "button" and c.get("type", "submit") == "submit")
            or (c["tag"] == "input" and c.get("type") in ("submit", "image"))
        ),
        None,
    )
    for control in controls:
        name = control.get("name")
        if not name or "disabled" in control:
            continue
        tag, kind = control["tag"], control.get("type", "text").lower()
        if tag == "button" or kind in ("submit", "image", "reset", "button"):
            continue
        if tag == "textarea":
            pairs.append((name, control["value"] or _text_value(control)))
        elif tag == "select" and name in LEFT_AS_THEY_ARE:
            chosen = [o for o in control["options"] if "selected" in o] or control["options"][:1]
            pairs.extend((name, o.get("value", o["text"].strip())) for o in chosen[:1])
        elif tag == "select":
            options = control["options"]
            # A pre-selected "Choose a person…" placeholder (value "" or 0, an int field)
            # is what a person changes; anything else the page chose is kept.
            chosen = [o for o in options if "selected" in o and o.get("value", "x") not in ("", "0")]
            if name in LAST_OPTION:
                chosen = options[-1:]
            if not chosen:
                real = [o for o in options if o.get("value", o["text"]).strip() not in ("", "0")]
                chosen = (real or options)[:1]
            for option in chosen if "multiple" in control else chosen[:1]:
                pairs.append((name, option.get("value", option["text"].strip())))
        elif kind == "radio":
            group = [c for c in controls if c.get("name") == name and c.get("type") == "radio"]
            if name in radios_done:
                continue
            radios_done.add(name)
            checked = next((c for c in group if "checked" in c), group[0])
            pairs.append((name, checked.get("value", "on")))
        elif kind == "checkbox":
            group = [c for c in controls if c.get("name") == name and c.get("type") == "checkbox"]
            # Boxes of one name (choose skills, days) may want at least one ticked, and a
            # box of its own is a yes that is always valid: the first of each is ticked.
            first_of_unticked_group = control is group[0] and not any("checked" in c for c in group)
            if "checked" in control or "required" in control or first_of_unticked_group:
                pairs.append((name, control.get("value", "on")))
        elif kind == "file":
            continue  # an optional photo: a browser sends an empty file part, left out here
        else:
            pairs.append((name, control.get("value") or _text_value(control)))
    if button is not None and button.get("name"):
        pairs.append((button["name"], button.get("value", "")))
    return pairs, button or {}


def submit(client, page: str, form: dict):
    pairs, button = fill(form)
    action = button.get("formaction") or form["attrs"].get("action") or page
    action = urljoin("http://localhost" + page, action)
    path = urlsplit(action).path + (f"?{urlsplit(action).query}" if urlsplit(action).query else "")
    response = client.post(path, data=MultiDict(pairs), headers={"Referer": "http://localhost" + page})
    return path, pairs, response
