"""What the young person is told about who has their "I don't feel safe", and the words
staff read about alerts. Plain words: a young person may be frightened when they read
these."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.safety import Because, EventKind, NotWorking, Outcome, TeamKind

TEAM_WORDS = {
    TeamKind.DUTY.value: _l("the duty team"),
    TeamKind.OUT_OF_HOURS.value: _l("the out-of-hours team"),
}

BECAUSE = {
    Because.SOCIAL_WORKER: _l("Social worker"),
    Because.PERSONAL_ADVISER: _l("Personal adviser"),
    Because.COVER: _l("Covering while the worker is away"),
    Because.DUTY: _l("Duty team"),
    Because.OUT_OF_HOURS: _l("Out-of-hours team"),
    Because.TEAM_MANAGER: _l("Team manager"),
    Because.SERVICE_MANAGER: _l("Service manager"),
    Because.NEW_WORKER: _l("New worker"),
}

OUTCOMES = {
    Outcome.SPOKE_TO_YOUNG_PERSON: _l("Spoke to the young person"),
    Outcome.VISITED: _l("Visited"),
    Outcome.STRATEGY_DISCUSSION: _l("Strategy discussion"),
    Outcome.POLICE_CALLED: _l("Police called"),
    Outcome.REFERRED: _l("Referred to another service"),
    Outcome.OTHER: _l("Other"),
}

EVENTS = {
    EventKind.RAISED: _l("Sent by the young person"),
    EventKind.TOLD: _l("Told at once"),
    EventKind.ESCALATED: _l("Nobody had taken it on, so it went to more people"),
    EventKind.SEEN: _l("Opened"),
    EventKind.ACKNOWLEDGED: _l("Taken on: “I've got this”"),
    EventKind.NOTE: _l("Note"),
    EventKind.WORKER_CHANGED: _l("The young person has a new worker, who was told"),
    EventKind.CLOSED: _l("Alert closed"),
}

PROBLEMS = {
    "too_long": _l(
        "That is a lot to say here. Please use fewer than 2,000 characters. Your words are still here."
    ),
    "place_too_long": _l("Please say where you are in fewer words."),
    "taken_already": _l("Someone else has already taken this on."),
    "closed_already": _l("This alert is already closed."),
    "no_outcome": _l("Choose what was done."),
    "no_note": _l("Write a note about what was done."),
    "note_too_long": _l("Please keep the note under 4,000 characters."),
    "changed": _l("Someone else changed this alert at the same time. Check what they did and try again."),
}


def problem(reason: str) -> str:
    return str(PROBLEMS.get(reason, PROBLEMS["changed"]))


def _why(name: str, why: str, until: str | None) -> str:
    if why == NotWorking.AWAY.value and until:
        return _(
            "%(name)s is away until %(date)s",
            name=name,
            date=format_date(date.fromisoformat(until), "EEEE d MMMM"),
        )
    if why == NotWorking.BANK_HOLIDAY.value:
        return _("%(name)s is not working today, because it is a bank holiday", name=name)
    return _("%(name)s is not working right now", name=name)


def told_words(summary: dict, *, sent: bool) -> list[str]:
    """Who has the message (or will have it), in sentences for the young person; never
    "we have told Priya" when Priya is away."""
    team = str(TEAM_WORDS.get(summary.get("team_kind") or "", "")) or None
    lines: list[str] = []
    for worker in summary.get("working", []):
        lines.append(
            _("%(name)s has your message.", name=worker["name"])
            if sent
            else _("%(name)s is working now and will get it straight away.", name=worker["name"])
        )
    for absent in summary.get("absent", []):
        why = _why(absent["name"], absent["why"], absent.get("until"))
        if team:
            lines.append(
                _("%(why)s, so %(team)s has your message.", why=why, team=team)
                if sent
                else _("%(why)s, so %(team)s will get it now.", why=why, team=team)
            )
        elif summary.get("working"):
            lines.append(_("%(why)s. They will see it when they are back.", why=why))
        else:
            lines.append(
                _("%(why)s, so our managers have your message.", why=why)
                if sent
                else _("%(why)s, so our managers will get it now.", why=why)
            )
        if absent.get("cover"):
            lines.append(_("While they are away, %(who)s is helping instead.", who=absent["cover"]))
    if not summary.get("working") and not summary.get("absent"):
        if team:
            lines.append(
                _("You do not have a worker right now, so %(team)s has your message.", team=team)
                if sent
                else _("You do not have a worker right now, so %(team)s will get it now.", team=team)
            )
        else:
            lines.append(
                _("You do not have a worker right now, so our managers have your message.")
                if sent
                else _("You do not have a worker right now, so our managers will get it now.")
            )
    return lines


def answer_within(wait: timedelta) -> str:
    minutes = max(int(wait.total_seconds() // 60), 1)
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext(
            "Someone will try to get back to you within %(num)s hour.",
            "Someone will try to get back to you within %(num)s hours.",
            hours,
        )
    return ngettext(
        "Someone will try to get back to you within %(num)s minute.",
        "Someone will try to get back to you within %(num)s minutes.",
        minutes,
    )
