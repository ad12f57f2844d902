"""Languages: the person's own choice, then what their browser asks for, then English (UK).
Right-to-left languages get dir="rtl" on the page."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from datetime import time
from pathlib import Path

import click
from babel import Locale
from babel.dates import format_time, get_day_names
from babel.lists import format_list
from flask import Flask, current_app, g, request, session
from flask.cli import AppGroup
from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.safety import Hours, day_runs

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    """The person's own choice, then the browser's, then English (UK). An error page never
    asks the database (`g.without_database`): the person's choice is then the one this
    browser's session cookie remembers from their last page."""
    available = current_app.config["LANGUAGES"]
    if not g.get("without_database") and current_user and current_user.is_authenticated:
        chosen = current_user.locale if current_user.locale in available else None
        if session.get("locale") != chosen:
            session["locale"] = chosen
        if chosen:
            return chosen
    elif session.get("locale") in available:
        return session["locale"]
    return request.accept_languages.best_match(list(available)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _locale() -> Locale:
    return get_locale() or Locale.parse("en_GB")


def text_direction() -> str:
    return _locale().text_direction


def html_lang() -> str:
    return str(_locale()).replace("_", "-")


def days_in_words(days: Iterable[int]) -> str:
    """Working days in the reader's language, Monday first: "Monday to Thursday",
    "Monday, Wednesday and Friday", "every day"."""
    chosen = set(days)
    if len(chosen) == 7:
        return _("every day")
    names = get_day_names("wide", locale=_locale())
    parts: list[str] = []
    for first, last in day_runs(chosen):
        if first == last:
            parts.append(names[first])
        elif (last - first) % 7 == 1:  # two days read better as "Monday and Tuesday"
            parts += [names[first], names[last]]
        else:
            parts.append(_("%(first)s to %(last)s", first=names[first], last=names[last]))
    return format_list(parts, locale=_locale())


def time_in_words(moment: time) -> str:
    return format_time(moment, "H:mm", locale=_locale())


def hours_in_words(hours: Hours) -> str:
    """ "Monday to Thursday, 9:00 to 17:00"."""
    return _(
        "%(days)s, %(starts)s to %(ends)s",
        days=days_in_words(hours.days),
        starts=time_in_words(hours.starts),
        ends=time_in_words(hours.ends),
    )


def init_app(app: Flask) -> None:
    @app.context_processor
    def _language():
        return {"html_lang": html_lang(), "text_direction": text_direction()}

    app.jinja_env.globals.update(
        hours_in_words=hours_in_words, time_in_words=time_in_words, format_number=format_number
    )


translate_cli = AppGroup("translate", help="Extract, update and compile translations.")


def _pybabel(*args: str) -> None:
    # The pybabel beside this Python, as a list of arguments: no shell involved.
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(pybabel), *args], check=True, cwd=ROOT)


def _extract() -> None:
    # "--ignore-dirs" replaces Babel's default, which skips folders starting with "_"
    # (our _macros and _partials).
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--ignore-dirs", ".*", "-o", "messages.pot", ".")


@translate_cli.command("extract")
def extract() -> None:
    """Collect every marked string into messages.pot."""
    _extract()


@translate_cli.command("update")
def update() -> None:
    """Extract, then merge new strings into every catalog."""
    _extract()
    _pybabel("update", "-i", "messages.pot", "-d", "app/translations")


@translate_cli.command("compile")
def compile_catalogs() -> None:
    """Compile catalogs to .mo files the app reads."""
    _pybabel("compile", "-d", "app/translations")


@translate_cli.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for LANGUAGE (e.g. "cy" for Welsh)."""
    _extract()
    _pybabel("init", "-i", "messages.pot", "-d", "app/translations", "-l", language)
