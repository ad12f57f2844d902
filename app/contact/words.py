"""The words young people, carers and workers read about people's parts and problems."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.messages import CallWay, MessageKind
from app.domain.roles import AllocationKind
from app.labels import labels

# "Asked to talk %(way)s", in the conversation.
CALL_WAYS = labels(
    CallWay,
    {
        CallWay.PHONE: _l("on the phone"),
        CallWay.IN_PERSON: _l("face to face"),
        CallWay.ALONE: _l("face to face, on my own without my carer"),
    },
)

# The kinds of message on the response times page.
MESSAGE_KINDS = labels(
    MessageKind,
    {
        MessageKind.NOT_SAFE: _l("“I don't feel safe”"),
        MessageKind.CALL_BACK: _l("Asked to talk"),
        MessageKind.MESSAGE: _l("Messages"),
    },
)

PART_NAMES = {
    "social_worker": _l("social worker"),
    "personal_adviser": _l("personal adviser"),
    "carer": _l("carer"),
    "independent_reviewing_officer": _l("independent reviewing officer"),
    "independent_visitor": _l("independent visitor"),
    "advocate": _l("advocate"),
}

# Each part in words a 9-year-old can read (DESIGN.md, "Language matters").
PART_ABOUT = {
    "social_worker": _l("Your social worker helps make sure you are safe and happy, and writes your plan."),
    "personal_adviser": _l(
        "Your personal adviser helps you get ready for life on your own: money, a home, "
        "college or work. They write your pathway plan with you."
    ),
    "carer": _l("Your carer looks after you at home, every day."),
    "independent_reviewing_officer": _l(
        "Your independent reviewing officer runs your review meetings and checks that "
        "your plan is right for you."
    ),
    "independent_visitor": _l(
        "Your independent visitor is a friendly adult who spends time with you, just for you."
    ),
    "advocate": _l("Your advocate helps you say what you want, and makes sure people listen."),
}


def part_name(part: str) -> str:
    return str(PART_NAMES.get(part, part))


def problem_message(reason: str, *, kind: AllocationKind, worker=None) -> str:
    part = part_name(kind.value)
    if reason == "empty":
        return _("Write your message first.")
    if reason == "too_long":
        return _("Your message is too long. Please make it shorter than 2,000 characters.")
    if reason == "no_worker":
        return _(
            "You do not have a %(part)s at the moment, so nobody would read this. "
            "Your words are still here. You can ask someone on the “My people” page.",
            part=part,
        )
    if reason == "worker_changed":
        return _(
            "Your %(part)s has changed. It is now %(name)s. Your words are still here: "
            "press Send again to send them to %(name)s.",
            part=part,
            name=worker.name if worker else "",
        )
    if reason == "call_time_missing":
        return _("Pick a day and a time that is good for you.")
    if reason == "call_time_past":
        return _("That time has already gone. Pick a time that is still to come.")
    if reason == "call_time_too_far":
        return _("Pick a time in the next 3 weeks.")
    return _("Something went wrong. Your words are still here. Please try again.")


def call_time_message(reason: str, *, name: str, hours: str, away_until: date | None) -> str | None:
    """Why a time to talk does not suit the worker, in words a 9-year-old can read; None
    for the other reasons (problem_message has those)."""
    if reason == "call_time_not_working":
        # First names read more easily here: "Tom works Tuesday to Saturday, ...".
        first = name.split()[0] if name.split() else name
        return _("%(name)s works %(hours)s. Pick a time when they work.", name=first, hours=hours)
    if reason == "call_time_bank_holiday":
        return _("That day is a bank holiday, so %(name)s is not at work. Pick another day.", name=name)
    if reason == "call_time_away":
        return _(
            "%(name)s is away until %(date)s. Pick a day after that.",
            name=name,
            date=format_date(away_until, "EEEE d MMMM") if away_until else "",
        )
    return None


# What a worker reads when their card cannot be saved.
CARD_PROBLEMS = {
    "no_days": _l("Tick the days you work."),
    "no_times": _l("Enter the time you start and the time you finish, like 09:00 and 17:00."),
    "ends_before_starts": _l("The time you finish must be after the time you start."),
    "until_past": _l("The last day you are away must be today or later."),
    "starts_after_until": _l("The first day you are away must be on or before the last day."),
    "no_cover": _l("Choose who young people should contact while you are away."),
    "two_covers": _l("Choose a person or a team, not both."),
}
