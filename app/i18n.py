"""Languages: the person's own choice, then what their browser asks for, then English (UK).
Right-to-left languages get dir="rtl" on the page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from babel import Locale
from flask import Flask, current_app, request
from flask.cli import AppGroup
from flask_babel import get_locale
from flask_login import current_user

ROOT = Path(__file__).resolve().parent.parent


def select_locale() -> str:
    available = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in available:
        return current_user.locale
    return request.accept_languages.best_match(list(available)) or current_app.config["BABEL_DEFAULT_LOCALE"]


def text_direction() -> str:
    locale = get_locale() or Locale.parse("en_GB")
    return locale.text_direction


def html_lang() -> str:
    locale = get_locale() or Locale.parse("en_GB")
    return str(locale).replace("_", "-")


def init_app(app: Flask) -> None:
    @app.context_processor
    def _language():
        return {"html_lang": html_lang(), "text_direction": text_direction()}


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
