"""Loads the council's editable content (app/content/*.json, in our own words) into the
database the first time. After that the content belongs to the council: loading again adds
only what is missing and never overwrites an edit."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from app import ordered_content
from app.extensions import db
from app.models import LocalOfferItem
from app.passport.service import load_skills
from app.promise.service import load_promise
from app.timeutil import now_utc

CONTENT = Path(__file__).resolve().parent / "content"


def read(name: str) -> dict:
    return json.loads((CONTENT / name).read_text(encoding="utf-8"))


def load_local_offer(content: dict, now: datetime) -> int:
    return ordered_content.seed(
        LocalOfferItem, content["areas"], items="items", fields=("title", "body", "who_to_ask"), now=now
    )


def load_content(now: datetime) -> dict[str, int]:
    """Adds missing content."""
    return {
        "promise versions": load_promise(read("promise.json"), now),
        "local offer items": load_local_offer(read("local_offer.json"), now),
        "skills": load_skills(read("skills.json"), now) if (CONTENT / "skills.json").exists() else 0,
    }


@click.group("content")
def content_cli() -> None:
    """The council's editable content."""


@content_cli.command("load")
@with_appcontext
def load_command() -> None:
    """Load the starting content (safe to run on every deploy)."""
    counts = load_content(now_utc())
    db.session.commit()
    click.echo(", ".join(f"{n} {what} added" for what, n in counts.items()))
