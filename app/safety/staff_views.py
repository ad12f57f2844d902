"""Staff's urgent alerts: the list, one alert with everything that happened, and taking it
on, adding notes and closing it with what was done."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app import audit, unit_of_work
from app.access import current_actor, roles_required, subject_of
from app.contact.service import cards_for, conversation_of
from app.domain import messages as message_rules
from app.domain.ages import age_on
from app.domain.messages import MessageProblem
from app.domain.roles import WORKER_ROLES, Role
from app.domain.safety import AlertProblem, AlertState, EventKind, Outcome
from app.extensions import db
from app.models import MessageThread, SafetyAlert
from app.people import relationships
from app.safety import service, words
from app.safety.forms import AcknowledgeForm, CloseForm, NoteForm, WriteForm
from app.timeutil import app_now, london_date

ALERT_ROLES = (*WORKER_ROLES, Role.TEAM_MANAGER, Role.MANAGER)


def _alert_or_404(alert_id: int) -> SafetyAlert:
    """The alert if the signed-in person may see it; otherwise the same 404 as a missing
    one, and a refusal in the audit log."""
    me = current_user._get_current_object()
    alert = service.load(alert_id)
    if alert is None or not service.may_see(alert, me, london_date(app_now())):
        audit.refused(
            "view_alert",
            actor_id=me.id,
            young_person_id=alert.young_person_id if alert else None,
            asked_for=alert_id,
        )
        abort(404)
    return alert


@roles_required(*ALERT_ROLES)
def alerts():
    me = current_user._get_current_object()
    today = london_date(app_now())
    still_open = service.visible_alerts(me, today)
    recent = [
        a
        for a in service.visible_alerts(me, today, still_open=False, limit=20)
        if a.state is AlertState.CLOSED
    ]
    return render_template(
        "safety/alerts.html",
        still_open=still_open,
        recent=recent,
        moved=service.moved_alerts(still_open, today),
    )


def _page(alert: SafetyAlert, *, note_form=None, close_form=None, write_form=None, status=200):
    me = current_user._get_current_object()
    now = app_now()
    today = london_date(now)
    profile = alert.young_person
    home = relationships.current_carer(profile, today)
    workers = relationships.current_workers([profile.user_id], today)[profile.user_id]
    cards = cards_for([w.user_id for w in workers] + ([home.carer_id] if home else []))
    thread = db.session.get(MessageThread, alert.thread_id) if alert.thread_id else None
    may_read_thread = thread is not None and message_rules.may_read(
        current_actor(), conversation_of(thread), subject_of(profile), today
    )
    ack = AcknowledgeForm(prefix=AcknowledgeForm.PREFIX)
    note_form = note_form or NoteForm(prefix=NoteForm.PREFIX)
    close_form = close_form or CloseForm(prefix=CloseForm.PREFIX)
    write_form = write_form or WriteForm(prefix=WriteForm.PREFIX)
    return (
        render_template(
            "safety/alert.html",
            alert=alert,
            profile=profile,
            age=age_on(profile.date_of_birth, today),
            home=home,
            workers=workers,
            cards=cards,
            thread=thread if may_read_thread else None,
            ack_form=ack,
            note_form=note_form,
            close_form=close_form,
            write_form=write_form,
            away={w.user_id for w in workers if cards.get(w.user_id) and cards[w.user_id].away_on(today)},
            me=me,
            AlertEvent=EventKind,
            Outcome=Outcome,
        ),
        status,
    )


@roles_required(*ALERT_ROLES)
def alert(alert_id: int):
    alert = _alert_or_404(alert_id)
    me = current_user._get_current_object()
    service.mark_seen(alert, me, app_now())
    return _page(alert)


def _act(alert_id: int, form_class, act, done: str):
    """Shared by what staff do to an alert: check the form, do it, and tell the person
    plainly when someone else was first (the rule refuses taking on an alert twice or
    closing it twice; the version column catches two at the same moment)."""
    alert = _alert_or_404(alert_id)
    me = current_user._get_current_object()
    form = form_class(prefix=form_class.PREFIX)
    kept = {} if form_class is AcknowledgeForm else {f"{form_class.PREFIX}_form": form}
    if not form.validate_on_submit():
        return _page(alert, status=400, **kept)  # with what they wrote still in its box
    problem = None
    try:
        act(alert, me, form)
        db.session.flush()  # two at the same moment: the version column tells the second here
    except (AlertProblem, MessageProblem) as error:
        unit_of_work.discard()
        problem = error.reason
    except StaleDataError:
        unit_of_work.discard()
        problem = "changed"
    if problem is None:
        flash(done, "success")
        return redirect(url_for("safety.alert", alert_id=alert_id))
    alert = service.load(alert_id) or abort(404)  # the same alert, read again after the rollback
    message = words.problem(problem, alert)
    field = {
        NoteForm: "note",
        WriteForm: "body",
        CloseForm: "outcome" if problem == "no_outcome" else "note",
    }.get(form_class)
    if field is None:
        flash(message, "error")
        return _page(alert)
    form[field].errors = [message]
    return _page(alert, **kept)


@roles_required(*ALERT_ROLES)
def alert_write(alert_id: int):
    return _act(
        alert_id,
        WriteForm,
        lambda alert, me, form: service.write_to_young_person(alert, me, form.body.data, app_now()),
        _("Sent. They will see it in their messages."),
    )


@roles_required(*ALERT_ROLES)
def alert_acknowledge(alert_id: int):
    return _act(
        alert_id,
        AcknowledgeForm,
        lambda alert, me, form: service.acknowledge(alert, me, app_now()),
        _("You have taken this on. Everyone else told about it can see that."),
    )


@roles_required(*ALERT_ROLES)
def alert_note(alert_id: int):
    return _act(
        alert_id,
        NoteForm,
        lambda alert, me, form: service.add_note(alert, me, form.note.data, app_now()),
        _("Your note is saved."),
    )


@roles_required(*ALERT_ROLES)
def alert_close(alert_id: int):
    return _act(
        alert_id,
        CloseForm,
        lambda alert, me, form: service.close(alert, me, form.outcome.data, form.note.data, app_now()),
        _("The alert is closed, with what was done."),
    )
