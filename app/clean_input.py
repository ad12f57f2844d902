"""Text from outside, cleaned once, where every request comes in.

PostgreSQL refuses a NUL byte and a lone UTF-16 surrogate in text, so either answered 500
and lost what the person typed; other control characters are invisible on the page and
only ever get there by accident or on purpose. Cleaning each form (a WTForms filter on a
base form) would leave out the views that read `request.form` or JSON themselves, and every
new form that forgot the base class. The request class is the one door all of them use: the
address bar, form bodies (urlencoded and multipart), JSON bodies and headers are cleaned
before any view, form or audit record sees them, so no route can skip it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Request, abort, current_app, request
from werkzeug.datastructures import Headers, ImmutableMultiDict, MultiDict

# C0 controls except tab, newline and carriage return (people type those), DEL, the C1
# controls (U+0080 to U+009F), and the bidirectional embeddings, overrides and isolates
# (U+202A to U+202E, U+2066 to U+2069): pasted into a name or a message they turn the words
# after them around for whoever reads it ("Mr<RLO>evil" read "Mrlive" to the officer).
# The marks people's keyboards put in Arabic text (U+200E, U+200F, U+061C) stay.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A surrogate in a Python string is always a lone one (JSON's "\ud800" gives one): it has no
# UTF-8 form, so the database cannot store it. It becomes the replacement character.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Headers and the path reach us as Latin-1 decoded bytes, where 0x80 to 0x9F are parts of
# UTF-8 letters, so only the C0 controls (except tab) and DEL go.
_RAW_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def clean_text(value: str) -> str:
    """`value` without control characters (tab, newline and carriage return stay) and with
    any lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", value))


def clean_data(value: Any) -> Any:
    """Every string in parsed JSON (keys too) cleaned with clean_text."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_data(item) for item in value]
    if isinstance(value, dict):
        return {clean_data(key): clean_data(item) for key, item in value.items()}
    return value


class CleanMultiDict(ImmutableMultiDict):
    """Query string and form fields, keys and values cleaned. Uploaded files pass as they
    are: they are bytes, not text."""

    def __init__(self, mapping=None):
        # MultiDict reads every shape werkzeug may pass (pairs, a dict, another MultiDict).
        items = MultiDict(mapping).items(multi=True)
        super().__init__(
            (clean_text(key), clean_text(value) if isinstance(value, str) else value) for key, value in items
        )


class CleanRequest(Request):
    parameter_storage_class = CleanMultiDict

    def __init__(self, environ: dict, *args: Any, **kwargs: Any) -> None:
        # The path is cleaned in the environ, before routing, so the route matched, the
        # audit log's target and any redirect back all see the same path.
        for key in ("PATH_INFO", "SCRIPT_NAME"):
            if key in environ and _RAW_CONTROL.search(environ[key]):
                environ[key] = _RAW_CONTROL.sub("", environ[key])
        super().__init__(environ, *args, **kwargs)
        if any(_RAW_CONTROL.search(value) for _, value in self.headers.items()):
            cleaned = [(name, _RAW_CONTROL.sub("", value)) for name, value in self.headers.items()]
            self.headers = Headers(cleaned)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        # Flask swaps in the app's JSON provider per request, so the body is cleaned here,
        # after parsing (cleaning the raw bytes would miss escapes like "\u0000").
        return clean_data(super().get_json(force=force, silent=silent, cache=cache))


def takes_json(view: Callable) -> Callable:
    """Marks a view that reads a JSON body (put it straight under the route decorator)."""
    view.takes_json = True  # type: ignore[attr-defined]
    return view


def refuse_unexpected_json() -> None:
    """Flask-WTF reads a JSON body as a form's data when there is no form body, and a list,
    a number or a nested object there breaks the form (a 500). Our pages send JSON to one
    view (push subscriptions); any other view refuses a JSON body (415) before it runs."""
    if not request.is_json or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "takes_json", False):
        abort(415)


def init_app(app: Flask) -> None:
    app.request_class = CleanRequest
    app.before_request(refuse_unexpected_json)
