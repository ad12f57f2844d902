"""My people and messages, for young people and for carers writing about them."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app import sent_once, unit_of_work
from app.access import roles_required, young_person_or_404
from app.contact import service
from app.contact.forms import CallBackForm, MessageForm
from app.contact.words import call_time_message, part_name, problem_message
from app.domain.messages import (
    CallWay,
    MessageKind,
    MessageProblem,
    call_days,
    call_times,
    check_call_time,
)
from app.domain.policy import Action
from app.domain.roles import AllocationKind, Role
from app.domain.safety import Away, Hours
from app.forms_common import SelectChoice
from app.i18n import hours_in_words, time_in_words
from app.people import relationships
from app.timeutil import LONDON, london_today, now_utc


def _kind_or_404(slug: str) -> AllocationKind:
    kind = service.KIND_SLUGS.get(slug)
    if kind is None:
        abort(404)
    return kind


def _away_card(worker):
    """The worker's card when they are away today, so the writer knows who else to ask."""
    if worker is None:
        return None
    card = service.cards_for([worker.user_id]).get(worker.user_id)
    return card if _is_away(card, london_today()) else None


def _is_away(card, today) -> bool:
    return card is not None and card.away_on(today)


def _hours_and_away(card) -> tuple[Hours, Away | None]:
    """A worker's hours and away period; a worker with no card yet has the usual hours."""
    return (card.hours, card.away) if card is not None else (Hours(), None)


@roles_required(Role.YOUNG_PERSON)
def my_people():
    profile = young_person_or_404(current_user.id, Action.VIEW_PROFILE)
    return render_template(
        "contact/my_people.html", people=service.my_people(profile.user_id, london_today()), profile=profile
    )


@roles_required(Role.YOUNG_PERSON)
def my_messages():
    profile = young_person_or_404(current_user.id, Action.READ_MESSAGES)
    today = london_today()
    workers = relationships.current_workers([profile.user_id], today)[profile.user_id]
    threads = {t.worker_kind: t for t in service.threads_of(current_user.id)}
    cards = service.cards_for([w.user_id for w in workers])
    return render_template(
        "contact/my_messages.html",
        workers=workers,
        aways={w.user_id: cards[w.user_id] for w in workers if _is_away(cards.get(w.user_id), today)},
        threads=threads,
        unread=service.unread_counts([t.id for t in threads.values()], from_worker=True),
        slug=service.SLUG_FOR_KIND,
    )


@roles_required(Role.YOUNG_PERSON)
def conversation(slug: str):
    kind = _kind_or_404(slug)
    profile = young_person_or_404(current_user.id, Action.READ_MESSAGES)
    return _conversation(profile, kind, url_for("contact.conversation", slug=slug))


@roles_required(Role.CARER)
def carer_conversation(young_person_id: int, slug: str):
    kind = _kind_or_404(slug)
    profile = young_person_or_404(young_person_id, Action.MESSAGE_WORKER_ABOUT)
    return _conversation(
        profile,
        kind,
        url_for("contact.carer_conversation", young_person_id=young_person_id, slug=slug),
    )


def _conversation(profile, kind: AllocationKind, here: str):
    """One conversation for the young person or a carer: its history, and a message box
    that keeps what was typed whenever it cannot be sent."""
    me = current_user._get_current_object()
    now = now_utc()
    worker = service.current_worker(profile.user_id, kind, london_today())
    thread = service.find_thread(profile.user_id, me.id, kind)
    if thread is None and worker is None:
        abort(404)
    form = MessageForm()
    problem = None
    if form.validate_on_submit():
        change = sent_once.change_of("message", profile.user_id, kind.value, form.body.data)
        repeat, problem = sent_once.check(form, me.id, change)
        if repeat is not None:
            flash(_("Sent."), "success")
            return redirect(repeat)
        if problem is None:
            try:
                worker = service.check_worker_unchanged(form.to_worker.data, worker)
                thread = service.open_thread(profile.user_id, me, kind, now)
                message = service.send(thread, me, form.body.data, now)
            except MessageProblem as error:
                unit_of_work.discard()
                problem = problem_message(error.reason, kind=kind, worker=worker)
            else:
                target = f"{here}#message-{message.id}"
                sent_once.went_to(me.id, form.send_key.data, target)
                flash(_("Sent to %(name)s.", name=worker.name), "success")
                return redirect(target)
    elif form.body.errors:
        problem = " ".join(form.body.errors)
    messages = []
    if thread is not None:
        messages = service.messages_in(thread)
        if request.method == "GET":
            service.mark_read(thread, me, now)
    if worker is not None:
        form.to_worker.data = str(worker.user_id)
    return render_template(
        "contact/conversation.html",
        profile=profile,
        kind=kind,
        worker=worker,
        away=_away_card(worker),
        messages=messages,
        form=form,
        problem=problem,
        action=here,
        about_someone=me.role is Role.CARER,
    )


@roles_required(Role.YOUNG_PERSON)
def call_back():
    """ "Can we talk?": by phone, face to face, or on my own without my carer, at a time
    the worker works (app.domain.messages.check_call_time)."""
    profile = young_person_or_404(current_user.id, Action.READ_MESSAGES)
    me = current_user._get_current_object()
    today, now = london_today(), now_utc()
    workers = relationships.current_workers([profile.user_id], today)[profile.user_id]
    cards = service.cards_for([w.user_id for w in workers])
    form = CallBackForm()
    form.worker_kind.choices = [
        SelectChoice(w.kind.value, _("%(name)s, %(part)s", name=w.name, part=part_name(w.kind.value)))
        for w in workers
    ]
    _offer_times(form, workers, cards, now)
    if request.method == "GET" and workers:
        form.worker_kind.data = workers[0].kind.value
    problem = None
    if workers and form.validate_on_submit():
        worker = next((w for w in workers if w.kind.value == form.worker_kind.data), workers[0])
        hours, away = _hours_and_away(cards.get(worker.user_id))
        change = sent_once.change_of(
            "call_back",
            worker.kind.value,
            form.way.data,
            form.call_day.data,
            form.call_time.data,
            form.body.data,
        )
        repeat, problem = sent_once.check(form, me.id, change)
        if repeat is not None:
            flash(_("Sent."), "success")
            return redirect(repeat)
        if problem is None:
            try:
                call_at = check_call_time(form.wanted(), now, hours, away)
                thread = service.open_thread(profile.user_id, me, worker.kind, now)
                service.send(
                    thread,
                    me,
                    form.body.data,
                    now,
                    kind=MessageKind.CALL_BACK,
                    call_way=CallWay(form.way.data),
                    call_at=call_at,
                )
            except MessageProblem as error:
                unit_of_work.discard()
                problem = call_time_message(
                    error.reason,
                    name=worker.name,
                    hours=hours_in_words(hours),
                    away_until=away.until if away else None,
                ) or problem_message(error.reason, kind=worker.kind, worker=worker)
                if error.reason.startswith("call_time"):
                    missing_time = error.reason == "call_time_missing" and form.call_day.data
                    (form.call_time if missing_time else form.call_day).errors = [problem]
            else:
                target = url_for("contact.conversation", slug=service.SLUG_FOR_KIND[worker.kind])
                sent_once.went_to(me.id, form.send_key.data, target)
                flash(_("We have asked %(name)s to get in touch.", name=worker.name), "success")
                return redirect(target)
    return render_template(
        "contact/call_back.html",
        form=form,
        workers=workers,
        aways={w.user_id: cards[w.user_id] for w in workers if _is_away(cards.get(w.user_id), today)},
        problem=problem,
    )


def _offer_times(form: CallBackForm, workers, cards, now) -> None:
    """The days and times on offer: those of each worker, each marked with whose they are
    (so the page's script can show only the chosen worker's; without it, the rule checks)."""
    today = now.astimezone(LONDON).date()
    days: dict[date, list[str]] = {}
    times: dict[time, list[str]] = {}
    said = []
    for worker in workers:
        hours, away = _hours_and_away(cards.get(worker.user_id))
        for day in call_days(hours, away, now):
            days.setdefault(day, []).append(worker.kind.value)
        for at in call_times(hours):
            times.setdefault(at, []).append(worker.kind.value)
        said.append(_("%(name)s works %(hours)s.", name=worker.name, hours=hours_in_words(hours)))
    form.call_day.choices = [SelectChoice("", _("Choose a day"))] + [
        SelectChoice(day.isoformat(), _day_label(day, today), render_kw={"data-for": " ".join(kinds)})
        for day, kinds in sorted(days.items())
    ]
    form.call_time.choices = [SelectChoice("", _("Choose a time"))] + [
        SelectChoice(at.strftime("%H:%M"), time_in_words(at), render_kw={"data-for": " ".join(kinds)})
        for at, kinds in sorted(times.items())
    ]
    form.call_day.description = " ".join(said)


def _day_label(day: date, today: date) -> str:
    words = format_date(day, "EEEE d MMMM")
    if day == today:
        return _("Today, %(day)s", day=words)
    if day == today + timedelta(days=1):
        return _("Tomorrow, %(day)s", day=words)
    return words
