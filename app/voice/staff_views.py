"""The complaints and advocacy officer's pages, and the manager's counts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import unit_of_work
from app.access import current_actor, looked, refuse, roles_required
from app.auth import resets as account_resets
from app.domain.complaints import (
    LIMIT,
    WORKING_DAYS,
    AdvocacyStatus,
    ComplaintProblem,
    EventKind,
    Stage,
    Status,
    Timeliness,
)
from app.domain.policy import Action, Subject, may
from app.domain.roles import Role
from app.extensions import db
from app.forms_common import LockForm, SelectChoice, after_conflict
from app.models import User
from app.people.relationships import current_workers
from app.timeutil import london_today, now_utc
from app.voice import advocacy, complaints
from app.voice.forms import AllocateForm, ReferForm, StepForm
from app.voice.views import message

officer_only = roles_required(Role.COMPLAINTS_OFFICER)

# The steps the officer's page offers, by the name in the URL.
STEPS = {
    "acknowledge": EventKind.ACKNOWLEDGED,
    "extend": EventKind.EXTENDED,
    "respond": EventKind.RESPONSE_SENT,
    "escalate": EventKind.ESCALATED,
    "ask-next-stage": EventKind.ESCALATION_REQUESTED,
    "share": EventKind.SHARED,
    "close": EventKind.CLOSED,
    "withdraw": EventKind.WITHDRAWN,
}


def _done(kind: EventKind) -> str:
    return {
        EventKind.ACKNOWLEDGED: _("Acknowledged."),
        EventKind.EXTENDED: _("Extended. The new due date is shown below."),
        EventKind.RESPONSE_SENT: _("Response recorded as sent."),
        EventKind.ESCALATED: _("Moved to the next stage."),
        EventKind.ESCALATION_REQUESTED: _("Request for the next stage recorded."),
        EventKind.SHARED: _("Shared."),
        EventKind.CLOSED: _("Closed."),
        EventKind.WITHDRAWN: _("Withdrawn."),
    }[kind]


@officer_only
def officer_list():
    return render_template(
        "voice/officer_list.html",
        rows=complaints.officer_list(london_today()),
        Status=Status,
        Timeliness=Timeliness,
    )


def _complaint_or_404(complaint_id: int, action: Action = Action.VIEW_COMPLAINTS):
    """The complaint if the policy lets the officer do `action` for its young person."""
    complaint = complaints.get(complaint_id)
    subject = Subject(complaint.young_person_id) if complaint else None
    if complaint is None or not may(current_actor(), action, subject, london_today()):
        refuse(
            action.value,
            asked_for=complaint_id,
            young_person_id=complaint.young_person_id if complaint else None,
        )
    looked(action.value, complaint.young_person_id)
    return complaint


def _workers(complaint) -> list[SelectChoice]:
    workers = current_workers([complaint.young_person_id], london_today())[complaint.young_person_id]
    return [SelectChoice(w.user_id, w.name) for w in workers]


def _detail(complaint, form=None, status=200):
    form = form or StepForm(formdata=None)
    form.lock_version.data = complaint.lock_version
    form.worker.choices = _workers(complaint)
    return (
        render_template(
            "voice/officer_complaint.html",
            complaint=complaint,
            form=form,
            timeliness=complaints.status_of(complaint, london_today()),
            next_stage_by=complaints.next_stage_by(complaint),
            extension_left=LIMIT[Stage(complaint.stage)]
            - WORKING_DAYS[Stage(complaint.stage)]
            - complaint.extension_days,
            Status=Status,
            Stage=Stage,
            EventKind=EventKind,
            resets=account_resets.for_young_person_since(complaint.young_person_id, complaint.created_at),
        ),
        status,
    )


@officer_only
def officer_complaint(complaint_id: int):
    return _detail(_complaint_or_404(complaint_id))


@officer_only
def officer_step(complaint_id: int, what: str):
    complaint = _complaint_or_404(complaint_id, Action.WORK_COMPLAINTS)
    kind = STEPS.get(what) or abort(404)
    form = StepForm()
    form.worker.choices = _workers(complaint)
    if not form.validate():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        flash(_("Please check the form: %(problems)s", problems=problems), "error")
        return _detail(complaint, form, 400)
    share_with = None
    if kind is EventKind.SHARED:
        allowed = {choice.value for choice in form.worker.choices}
        share_with = db.session.get(User, form.worker.data) if form.worker.data in allowed else None
    try:
        complaints.step(
            complaint,
            kind,
            current_user._get_current_object(),
            london_today(),
            now_utc(),
            lock_version=LockForm.lock(form),
            note=form.note.data or "",
            extra_days=form.days.data or 0,
            to_stage=form.to_stage.data if kind is EventKind.ESCALATED else None,
            share_with=share_with,
        )
    except ComplaintProblem as problem:
        # Nothing is lost: the page comes back with what the officer typed.
        unit_of_work.discard()
        flash(message(problem.reason), "error")
        return _detail(_complaint_or_404(complaint_id), form, 409)
    flash(_done(kind), "success")
    return redirect(url_for("voice.officer_complaint", complaint_id=complaint_id))


def _advocacy_page(bound: dict | None = None, status: int = 200):
    requests = advocacy.advocacy_requests()
    refer_forms, allocate_forms = {}, {}
    for r in requests:
        refer_forms[r.id] = ReferForm(
            formdata=None,
            prefix=f"r{r.id}",
            lock_version=r.lock_version,
            service_name=advocacy.ADVOCACY_SERVICE,
        )
        allocate_forms[r.id] = AllocateForm(formdata=None, prefix=f"a{r.id}", lock_version=r.lock_version)
    for (what, request_id), form in (bound or {}).items():
        (refer_forms if what == "refer" else allocate_forms)[request_id] = form
    return (
        render_template(
            "voice/officer_advocacy.html",
            requests=requests,
            refer_forms=refer_forms,
            allocate_forms=allocate_forms,
            AdvocacyStatus=AdvocacyStatus,
        ),
        status,
    )


@officer_only
def officer_advocacy():
    return _advocacy_page()


@officer_only
def officer_advocacy_step(request_id: int, what: str):
    asked = advocacy.get_request(request_id) or abort(404)
    if what not in ("refer", "allocate"):
        abort(404)
    form = ReferForm(prefix=f"r{request_id}") if what == "refer" else AllocateForm(prefix=f"a{request_id}")
    try:
        if not form.validate():
            raise ComplaintProblem("needs_service" if what == "refer" else "needs_advocate_name")
        if what == "refer":
            advocacy.refer(
                asked, current_user.id, LockForm.lock(form), form.service_name.data, london_today()
            )
        else:
            advocacy.allocate(
                asked,
                current_user.id,
                LockForm.lock(form),
                name=form.name.data,
                phone=form.phone.data,
                email=form.email.data,
                today=london_today(),
            )
    except ComplaintProblem as problem:
        # The page comes back with what the officer typed, and the request's version now
        # (so the next try works).
        unit_of_work.discard()
        flash(message(problem.reason), "error")
        after_conflict(form, asked.lock_version, {})
        return _advocacy_page({(what, request_id): form}, 409)
    flash(_("Saved."), "success")
    return redirect(url_for("voice.officer_advocacy", _anchor=f"request-{request_id}"))


@roles_required(Role.MANAGER)
def counts():
    return render_template("voice/counts.html", counts=complaints.counts(), Stage=Stage)
