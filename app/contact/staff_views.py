"""The worker's inbox, each adult's card, the contacts a worker records, and the manager's
response times."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field

from app import sent_once, unit_of_work
from app.access import (
    allowed_or_404,
    current_actor,
    load_profile,
    refuse,
    roles_required,
    subject_of,
    young_person_or_404,
)
from app.contact import service
from app.contact.forms import ContactForm, ReplyForm, StaffCardForm
from app.contact.words import CARD_PROBLEMS, problem_message
from app.domain import messages as rules
from app.domain.policy import Action
from app.domain.roles import WORKER_ROLES, ContactKind, Role
from app.domain.safety import (
    AwayProblem,
    HoursProblem,
    check_away,
    check_hours,
    days_from_text,
    days_to_text,
)
from app.extensions import db
from app.forms_common import ButtonForm, SelectChoice, checked, required
from app.models import MessageThread, YoungPersonContact
from app.paging import page_number
from app.people import relationships
from app.safety import service as safety
from app.timeutil import london_today, now_utc


@roles_required(*WORKER_ROLES)
def inbox():
    page = db.paginate(
        service.inbox_query(current_user, london_today()),
        page=page_number(),
        per_page=current_app.config["INBOX_PAGE_SIZE"],
        error_out=False,
    )
    unread = service.unread_counts([t.id for t in page.items], from_worker=False)
    return render_template(
        "contact/inbox.html",
        page=page,
        unread=unread,
        open_alerts=safety.visible_alerts(current_user, london_today()),
    )


@roles_required(*WORKER_ROLES)
def inbox_thread(thread_id: int):
    thread = db.session.get(MessageThread, thread_id)
    profile = load_profile(thread.young_person_id) if thread is not None else None
    allowed = (
        thread is not None
        and profile is not None
        and rules.may_read(
            current_actor(), service.conversation_of(thread), subject_of(profile), london_today()
        )
    )
    profile = allowed_or_404(allowed, Action.READ_MESSAGES.value, profile, asked_for=thread_id)
    if thread is None:  # not allowed, so allowed_or_404 has answered 404 already
        abort(404)
    me = current_user._get_current_object()
    now = now_utc()
    form = ReplyForm()
    problem = None
    if form.validate_on_submit():
        repeat, problem = sent_once.check(
            form, me.id, sent_once.change_of("reply", thread.id, form.body.data)
        )
        if repeat is not None:
            flash(_("Sent."), "success")
            return redirect(repeat)
        if problem is None:
            try:
                message = service.send(thread, me, form.body.data, now)
            except rules.MessageProblem as error:
                unit_of_work.discard()
                problem = problem_message(error.reason, kind=thread.worker_kind)
                form.body.errors = [problem]
            else:
                target = url_for("contact.inbox_thread", thread_id=thread.id, _anchor=f"message-{message.id}")
                sent_once.went_to(me.id, form.send_key.data, target)
                flash(_("Sent."), "success")
                return redirect(target)
    elif form.body.errors:
        problem = " ".join(form.body.errors)
    messages = service.messages_in(thread)
    if request.method == "GET":
        service.mark_read(thread, me, now)
    return render_template(
        "contact/inbox_thread.html",
        thread=thread,
        profile=profile,
        messages=messages,
        form=form,
        problem=problem,
    )


@roles_required(Role.CARER, *WORKER_ROLES)
def my_card():
    """What young people see about me on their "My people" page and wherever they write to
    me: my words, when I work, and while I am away, who to contact instead."""
    me = current_user._get_current_object()
    is_worker = me.role in WORKER_ROLES
    today = london_today()
    card = service.card_of(me)
    form = StaffCardForm(obj=card if request.method == "GET" else None, for_worker=is_worker)
    if is_worker:
        _cover_choices(form, me.id)
    if request.method == "GET":
        form.version.data = str(card.version or 1)
        if is_worker:
            _show_hours_and_away(form, card, today)
    problem = None
    if form.validate_on_submit():
        # A card made just now (nothing written yet) is version 1 once saved.
        if form.version.data and form.version.data != str(card.version or 1):
            problem = _(
                "Your card was changed somewhere else while you were editing. Your words are "
                "still here: check them and save again."
            )
            form.version.data = str(card.version or 1)
        elif not is_worker or _check_hours_and_away(form, today):
            _save_card(card, form, is_worker, today)
            try:
                db.session.flush()  # two saves at once: the second is told here
            except StaleDataError:
                unit_of_work.discard()
                problem = _("Your card was changed somewhere else. Please check it and save again.")
            else:
                flash(_("Your card is saved."), "success")
                return redirect(url_for("contact.my_card"))
    return render_template("contact/my_card.html", form=form, problem=problem, is_worker=is_worker)


def _cover_choices(form: StaffCardForm, me_id: int) -> None:
    form.away_cover_user_id.choices = [SelectChoice(0, _("Choose a person…"))] + [
        SelectChoice(uid, name) for uid, name in service.cover_people(me_id)
    ]
    form.away_cover_team_id.choices = [SelectChoice(0, _("Choose a team…"))] + [
        SelectChoice(team.id, team.name) for team in service.all_teams()
    ]


def _show_hours_and_away(form: StaffCardForm, card, today) -> None:
    form.work_days.data = sorted(days_from_text(card.work_days))
    if card.away_until is None or card.away_until < today:
        # An away period that is over is not shown, so saving the card ends it.
        form.away_from.data = form.away_until.data = None
        form.away_cover_user_id.data = form.away_cover_team_id.data = 0


def _check_hours_and_away(form: StaffCardForm, today) -> bool:
    """The worker's hours and away period through the rules; each problem goes on its field
    in plain words. True if all is well."""
    ok = True
    try:
        check_hours(form.work_days.data or [], form.work_starts.data, form.work_ends.data)
    except HoursProblem as problem:
        target: Field = form.work_days if problem.reason == "no_days" else form.work_ends
        target.errors = [str(CARD_PROBLEMS[problem.reason])]
        ok = False
    person, team = form.away_cover_user_id.data or 0, form.away_cover_team_id.data or 0
    try:
        if form.away_until.data is not None and person and team:
            raise AwayProblem("two_covers")
        check_away(form.away_until.data, form.away_from.data, bool(person or team), today)
    except AwayProblem as problem:
        on_field: dict[str, Field] = {
            "until_past": form.away_until,
            "starts_after_until": form.away_from,
        }
        target = on_field.get(problem.reason, form.away_cover_user_id)
        target.errors = [str(CARD_PROBLEMS[problem.reason])]
        ok = False
    return ok


def _save_card(card, form: StaffCardForm, is_worker: bool, today) -> None:
    for name in ("about_me", "working_hours", "allow_call", "allow_text", "allow_email"):
        setattr(card, name, getattr(form, name).data)
    for name in ("phone", "email"):
        setattr(card, name, (getattr(form, name).data or "").strip() or None)
    card.about_me = card.about_me or ""
    card.working_hours = card.working_hours or ""
    if is_worker:
        card.work_days = days_to_text(form.work_days.data or [])
        card.work_starts, card.work_ends = form.work_starts.data, form.work_ends.data
        until = form.away_until.data
        # Clearing the last day ends the away period, and with it who covers.
        card.away_until = until
        card.away_from = (form.away_from.data or today) if until else None
        card.away_cover_user_id = (form.away_cover_user_id.data or None) if until else None
        card.away_cover_team_id = (form.away_cover_team_id.data or None) if until else None
    card.updated_at = now_utc()


def _contacts_profile(young_person_id: int):
    return young_person_or_404(young_person_id, Action.MANAGE_ACCOUNT)


@roles_required(Role.MANAGER, *WORKER_ROLES)
def contacts(young_person_id: int):
    """Independent reviewing officer, independent visitor, advocate: recorded here, shown on
    the young person's "My people" page."""
    profile = _contacts_profile(young_person_id)
    form = ContactForm()
    if request.method == "GET":
        form.starts_on.data = london_today()
    if form.validate_on_submit():
        starts_on = form.starts_on.data or london_today()
        db.session.add(
            YoungPersonContact(
                young_person_id=profile.user_id,
                kind=ContactKind(form.kind.data),
                name=required(form.name.data).strip(),
                phone=(form.phone.data or "").strip() or None,
                email=(form.email.data or "").strip() or None,
                about=(form.about.data or "").strip() or None,
                starts_on=starts_on,
                recorded_by_id=current_user.id,
            )
        )
        flash(
            _("Saved. %(name)s will see this on their “My people” page.", name=profile.preferred_name),
            "success",
        )
        return redirect(url_for("contact.contacts", young_person_id=profile.user_id))
    return render_template(
        "contact/contacts.html", profile=profile, form=form, contacts=service.contacts_for(profile.user_id)
    )


@roles_required(Role.MANAGER, *WORKER_ROLES)
def end_contact(young_person_id: int, contact_id: int):
    checked(ButtonForm())
    profile = _contacts_profile(young_person_id)
    contact = db.session.get(YoungPersonContact, contact_id)
    if contact is None or contact.young_person_id != profile.user_id:
        refuse("end_contact", asked_for=contact_id, young_person_id=profile.user_id)
    today = london_today()
    if contact.ends_on is not None:
        flash(_("That has ended already."), "error")
    else:
        # Ending on the day it started would hide it from "people who used to help me".
        contact.ends_on = max(today, contact.starts_on + timedelta(days=1))
        flash(_("Moved to “people who used to help”."), "success")
    return redirect(url_for("contact.contacts", young_person_id=profile.user_id))


@roles_required(Role.MANAGER)
def response_times():
    """How long young people and carers wait for a first answer, per team and overall.
    Counts and times only, never a child's name."""
    now = now_utc()
    today = london_today()
    since = now - timedelta(days=365)
    summaries = rules.response_times(service.waits_since(since, today), now)
    teams = sorted({team for team, _kind in summaries if team is not None})
    return render_template(
        "contact/response_times.html",
        summaries=summaries,
        teams=teams,
        kinds=list(rules.MessageKind),
        changed=relationships.changed_worker_since(today - timedelta(days=365), today),
    )
