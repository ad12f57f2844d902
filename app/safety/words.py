"""What the young person is told about who has their "I don't feel safe", and the words
staff read about alerts. Plain words: a young person may be frightened when they read
these."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.safety import Because, EventKind, NotWorking, Outcome, TeamKind
from app.labels import labels

TEAM_WORDS = {
    TeamKind.DUTY.value: _l("the duty team"),
    TeamKind.OUT_OF_HOURS.value: _l("the out-of-hours team"),
}

BECAUSE = labels(
    Because,
    {
        Because.SOCIAL_WORKER: _l("Social worker"),
        Because.PERSONAL_ADVISER: _l("Personal adviser"),
        Because.COVER: _l("Covering while the worker is away"),
        Because.DUTY: _l("Duty team"),
        Because.OUT_OF_HOURS: _l("Out-of-hours team"),
        Because.TEAM_MANAGER: _l("Team manager"),
        Because.SERVICE_MANAGER: _l("Service manager"),
        Because.NEW_WORKER: _l("New worker"),
    },
)

OUTCOMES = labels(
    Outcome,
    {
        Outcome.SPOKE_TO_YOUNG_PERSON: _l("Spoke to the young person"),
        Outcome.VISITED: _l("Visited"),
        Outcome.STRATEGY_DISCUSSION: _l("Strategy discussion"),
        Outcome.POLICE_CALLED: _l("Police called"),
        Outcome.REFERRED: _l("Referred to another service"),
        Outcome.OTHER: _l("Other"),
    },
)

EVENTS = labels(
    EventKind,
    {
        EventKind.RAISED: _l("Sent by the young person"),
        EventKind.TOLD: _l("Told at once"),
        EventKind.ESCALATED: _l("Nobody had taken it on, so it went to more people"),
        EventKind.SEEN: _l("Opened"),
        EventKind.ACKNOWLEDGED: _l("Taken on: “I've got this”"),
        EventKind.NOTE: _l("Note"),
        EventKind.WROTE: _l("Wrote to the young person"),
        EventKind.WORKER_CHANGED: _l("The young person has a new worker, who was told"),
        EventKind.CLOSED: _l("Alert closed"),
    },
)

PROBLEMS = {
    "too_long": _l(
        "That is a lot to say here. Please use fewer than 2,000 characters. Your words are still here."
    ),
    "taken_already": _l("Someone else has already taken this on."),
    "closed_already": _l("This alert is already closed."),
    "no_outcome": _l("Choose what was done."),
    "no_note": _l("Write a note about what was done."),
    "note_too_long": _l("Please keep the note under 4,000 characters."),
    "changed": _l("Someone else changed this alert at the same time. Check what they did and try again."),
    "no_conversation": _l(
        "They have no worker, so there is no conversation to write in. Ring them or their carer."
    ),
    "empty": _l("Write something first."),
}


def problem(reason: str, alert=None) -> str:
    if reason == "taken_already" and alert is not None and alert.acknowledged_by is not None:
        return _("%(name)s has already taken this on.", name=alert.acknowledged_by.full_name)
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
        # Who covers, unless that is the team that already has it.
        cover = absent.get("cover")
        if cover and not (summary.get("team") and cover.casefold() == summary["team"].casefold()):
            lines.append(
                _("While %(name)s is away, %(who)s is helping instead.", name=absent["name"], who=cover)
            )
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


YOUR = {
    Because.SOCIAL_WORKER: _l("%(name)s (your social worker)"),
    Because.PERSONAL_ADVISER: _l("%(name)s (your personal adviser)"),
    Because.NEW_WORKER: _l("%(name)s (your new worker)"),
    Because.COVER: _l("%(name)s (helping while your worker is away)"),
    Because.DUTY: _l("%(name)s from the duty team"),
    Because.OUT_OF_HOURS: _l("%(name)s from the out-of-hours team"),
    Because.TEAM_MANAGER: _l("%(name)s (a manager)"),
    Because.SERVICE_MANAGER: _l("%(name)s (a manager)"),
}


def _who(user, because: Because | None) -> str:
    """Who someone is, for a young person who may never have met them."""
    if because is None:
        from app.domain.roles import Role

        because = Because.SERVICE_MANAGER if user.role in (Role.MANAGER, Role.TEAM_MANAGER) else Because.DUTY
    return str(YOUR[because]) % {"name": user.full_name}


def happening(alert) -> list[str]:
    """What has happened to a young person's alert, in time order, in their words: sent,
    who has it, who has seen it (of the people told), more people told, who is on it."""
    from flask_babel import format_datetime

    told_by = {r.user_id: r.because for r in alert.recipients}
    lines = [
        _(
            "Sent on %(day)s at %(time)s.",
            day=format_datetime(alert.raised_at, "EEEE d MMMM"),
            time=format_datetime(alert.raised_at, "HH:mm"),
        )
    ]
    told = next((e for e in alert.events if e.kind is EventKind.TOLD), None)
    lines += told_words((told.detail or {}) if told else {}, sent=True)
    for event in sorted(alert.events, key=lambda e: (e.at, e.id)):
        when = format_datetime(event.at, "HH:mm")
        if event.kind is EventKind.SEEN and event.actor_id in told_by:
            lines.append(
                _("Seen by %(who)s at %(time)s.", who=_who(event.actor, told_by[event.actor_id]), time=when)
            )
        elif event.kind is EventKind.ESCALATED:
            lines.append(_("Nobody had answered yet, so at %(time)s we told more people.", time=when))
        elif event.kind is EventKind.ACKNOWLEDGED:
            lines.append(
                _(
                    "%(who)s is on it, since %(time)s.",
                    who=_who(event.actor, told_by.get(event.actor_id)),
                    time=when,
                )
            )
        elif event.kind is EventKind.CLOSED:
            lines.append(
                _(
                    "%(who)s has done something about this now.",
                    who=_who(event.actor, told_by.get(event.actor_id)),
                )
            )
    return lines
