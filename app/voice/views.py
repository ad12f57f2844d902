"""Speak up: a young person's complaints, asking for an advocate, saying thank you, and a
carer or worker raising a complaint on a young person's behalf."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import sent_once, unit_of_work
from app.access import allowed_or_404, current_actor, roles_required, subject_of, young_person_or_404
from app.domain.complaints import ComplaintProblem, EventKind, Stage, Status
from app.domain.policy import Action, Actor, Subject, may, may_see_complaint
from app.domain.roles import WORKER_ROLES, Role
from app.forms_common import LockForm, SelectChoice, after_conflict, limit_problems
from app.people.relationships import current_workers
from app.timeutil import london_today, now_utc
from app.voice import advocacy, complaints, thanks
from app.voice.forms import AdvocateForm, ComplaintForm, ForYoungPersonForm, NextStageForm, ThanksForm


def message(reason: str) -> str:
    return {
        "changed_meanwhile": _("This was changed on another phone or tab. Look again, then try again."),
        "too_long": _(
            "Something you wrote is too long, so nothing was saved. Your words are still here: "
            "please make them shorter."
        ),
        "empty": _("Tell us what happened and what would make it better."),
        "try_again": _("Something went wrong. Nothing is lost. Please press Send again."),
        "closed": _("This complaint is closed, so that step cannot be taken."),
        "withdrawn": _("This complaint was withdrawn, so that step cannot be taken. Nothing was changed."),
        "not_open": _("That step is for a complaint still waiting for its answer."),
        "already_acknowledged": _("This complaint has already been acknowledged."),
        "not_answered": _("The answer for this stage has not been sent yet, so it cannot move on."),
        "out_of_order": _("A complaint moves one stage at a time: Stage 1, then Stage 2, then Stage 3."),
        "no_next_stage": _("Stage 3 is the last stage."),
        "already_requested": _("You have already asked for the next step. We will be in touch."),
        "escalation_waiting": _("The young person asked for the next stage. Move it on before closing."),
        "no_extension": _("Stage 3 cannot be extended: the review panel meets within 30 working days."),
        "bad_extension": _("Enter how many working days to add."),
        "past_limit": _(
            "That is past the legal limit (Stage 1: 20 working days in all; Stage 2: 65). "
            "Nothing was changed."
        ),
        "needs_note_extended": _("Give the reason for the extension."),
        "needs_note_response_sent": _("Write a summary of the answer."),
        "needs_note_withdrawn": _("Say who asked to withdraw it, and why."),
        "choose_worker": _("Choose the worker to share it with."),
        "unknown": _("That step is not known."),
        "already_done": _("That step has already been recorded."),
        "refer_first": _("Record the referral to the advocacy service first."),
        "needs_service": _("Say which service."),
        "needs_advocate_name": _("Enter the advocate's name."),
        "needs_contact": _("Enter a phone number or an email address for the advocate."),
        "needs_recipient": _("Choose a person, or write the name of a team."),
        "needs_message": _("Write your thank you first."),
    }[reason]


def _draft_values(form) -> dict:
    return {name: getattr(form, name).data for name in complaints.DRAFT_FIELDS}


def _saved_values(saved) -> dict:
    return {name: getattr(saved, name) for name in complaints.DRAFT_FIELDS}


def _complaint_page(profile, form, template: str, done):
    """The complaint form, for the young person or for someone on their behalf: saves the
    draft as they type (X-Autosave), on "Save for later", and whenever sending fails, so
    nothing they typed is lost."""
    author_id = current_user.id
    saved = complaints.draft(author_id, profile.user_id)
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "GET":
        if saved is not None:
            form.process(data={name: getattr(saved, name) for name in complaints.DRAFT_FIELDS})
            form.lock_version.data = saved.lock_version
        return render_template(template, form=form, profile=profile, saved=saved)
    sending = form.send.data == "1" and not autosave
    valid = form.validate() if sending else True
    if not sending or not valid:
        too_long = limit_problems(form) if not sending else []
        if too_long:
            # Nothing is saved rather than something cut; the page keeps every word.
            if autosave:
                return jsonify(saved=False, message=" ".join(too_long)), 400
            return render_template(template, form=form, profile=profile, saved=saved)
        try:
            lock = LockForm.lock(form) if form.lock_version.data else None
            saved = complaints.save_draft(author_id, profile.user_id, lock, _draft_values(form), now_utc())
        except ComplaintProblem as problem:
            unit_of_work.discard()
            if autosave:
                return jsonify(saved=False, message=message(problem.reason)), 409
            flash(message(problem.reason), "error")
            saved = complaints.draft(author_id, profile.user_id)
            if problem.reason == "changed_meanwhile" and saved is not None:
                after_conflict(form, saved.lock_version, _saved_values(saved))
            return render_template(template, form=form, profile=profile, saved=saved)
        form.lock_version.data = saved.lock_version
        if autosave:
            return jsonify(saved=True, lock_version=saved.lock_version)
        if not sending:
            flash(_("Saved. You can come back and finish it later."), "success")
            return redirect(request.path)
        return render_template(template, form=form, profile=profile, saved=saved)
    change = sent_once.change_of(
        "complaint",
        profile.user_id,
        form.what_happened.data,
        form.put_right.data,
        form.about_who.data,
        form.wants_advocate.data,
    )
    repeat, reused = sent_once.check(form, author_id, change)
    if repeat is not None:
        flash(_("Sent."), "success")
        return redirect(repeat)
    if reused is not None:
        flash(reused, "error")
        return render_template(template, form=form, profile=profile, saved=saved)
    try:
        complaint = complaints.send(
            profile,
            current_user._get_current_object(),
            what_happened=form.what_happened.data,
            put_right=form.put_right.data,
            about_who=form.about_who.data,
            wants_advocate=form.wants_advocate.data == "yes",
            today=london_today(),
        )
    except ComplaintProblem as problem:
        unit_of_work.discard()
        flash(message(problem.reason), "error")
        return render_template(template, form=form, profile=profile, saved=saved)
    response = done(complaint)
    sent_once.went_to(author_id, form.send_key.data, response.location)
    return response


# The young person's pages ----------------------------------------------------------------

young_people_only = roles_required(Role.YOUNG_PERSON)


@young_people_only
def index():
    return render_template(
        "voice/index.html",
        complaints=complaints.for_young_person(current_user.id),
        advocate=advocacy.current_advocate(current_user.id),
        waiting=advocacy.open_request(current_user.id),
        draft=complaints.draft(current_user.id, current_user.id),
        Status=Status,
    )


@young_people_only
def new_complaint():
    def done(complaint):
        flash(_("Your complaint is sent. Thank you for telling us."), "success")
        return redirect(url_for("voice.my_complaint", complaint_id=complaint.id, sent=1))

    return _complaint_page(current_user.profile, ComplaintForm(), "voice/new_complaint.html", done)


def _own_complaint_or_404(complaint_id: int):
    complaint = complaints.get(complaint_id)
    subject = Subject(complaint.young_person_id) if complaint else None
    allowed = may_see_complaint(current_actor(), subject, [], london_today())
    allowed_or_404(
        allowed,
        Action.VIEW_COMPLAINTS.value,
        complaint.young_person if complaint else None,
        asked_for=complaint_id,
    )
    return complaint


def _my_complaint_page(complaint, form=None):
    form = form or NextStageForm(formdata=None, lock_version=complaint.lock_version)
    return render_template(
        "voice/my_complaint.html",
        complaint=complaint,
        form=form,
        next_stage_by=complaints.next_stage_by(complaint),
        advocate=advocacy.current_advocate(current_user.id),
        waiting=advocacy.open_request(current_user.id),
        just_sent=request.args.get("sent") == "1",
        Status=Status,
        EventKind=EventKind,
        Stage=Stage,
    )


@young_people_only
def my_complaint(complaint_id: int):
    return _my_complaint_page(_own_complaint_or_404(complaint_id))


@young_people_only
def ask_next_stage(complaint_id: int):
    complaint = _own_complaint_or_404(complaint_id)
    form = NextStageForm()
    if not form.validate():
        return _my_complaint_page(complaint, form)
    try:
        event = complaints.step(
            complaint,
            EventKind.ESCALATION_REQUESTED,
            current_user._get_current_object(),
            london_today(),
            now_utc(),
            lock_version=LockForm.lock(form),
            note=form.note.data or "",
        )
    except ComplaintProblem as problem:
        unit_of_work.discard()
        flash(message(problem.reason), "error")
        if problem.reason == "changed_meanwhile" and LockForm.lock(form) >= 0:
            # The page comes back with what they wrote and the complaint as it is now, so
            # asking again works. (A form with no version is not from our page: refused.)
            complaint = _own_complaint_or_404(complaint_id)
            after_conflict(form, complaint.lock_version, {})
            return _my_complaint_page(complaint, form)
        return redirect(url_for("voice.my_complaint", complaint_id=complaint_id))
    if event.flagged:
        flash(
            _(
                "We got your request. It is after the usual 20 working days, so we will look "
                "at it and tell you what happens."
            ),
            "success",
        )
    else:
        flash(_("We got your request. We will tell you what happens next."), "success")
    return redirect(url_for("voice.my_complaint", complaint_id=complaint_id))


@young_people_only
def ask_advocate():
    if not may(current_actor(), Action.ASK_FOR_ADVOCATE, Subject(current_user.id), london_today()):
        abort(404)  # pragma: no cover - young people may always ask for their own advocate
    form = AdvocateForm()
    if form.validate_on_submit():
        try:
            advocacy.ask_for_advocate(current_user.id, current_user.id, form.help_with.data, london_today())
        except ComplaintProblem as problem:
            unit_of_work.discard()
            form.form_errors.append(message(problem.reason))
        else:
            flash(_("Thank you. We will find an advocate for you and tell you who it is."), "success")
            return redirect(url_for("voice.advocate"))
    return render_template(
        "voice/advocate.html",
        form=form,
        advocate=advocacy.current_advocate(current_user.id),
        waiting=advocacy.open_request(current_user.id),
    )


# Carers and workers, for a young person --------------------------------------------------


@roles_required(Role.CARER, *WORKER_ROLES)
def complain_for(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.RAISE_COMPLAINT_FOR)

    def done(complaint):
        flash(
            _(
                "Sent for %(name)s. The reference is %(reference)s. The complaints officer will "
                "answer by %(date)s and will keep %(name)s told.",
                name=profile.preferred_name,
                reference=complaint.reference,
                date=format_date(complaint.due_on, "long"),
            ),
            "success",
        )
        return redirect(url_for("care.young_person", young_person_id=young_person_id))

    return _complaint_page(profile, ForYoungPersonForm(), "voice/complain_for.html", done)


@roles_required(*WORKER_ROLES)
def shared_list():
    shared = complaints.shared_with(Actor(current_user.id, current_user.role), london_today())
    return render_template("voice/shared_list.html", complaints=shared)


@roles_required(*WORKER_ROLES)
def shared_complaint(complaint_id: int):
    """A complaint the officer shared with this worker, while the young person is on their
    caseload; anything else is the same 404 as a complaint that does not exist."""
    complaint = complaints.get(complaint_id)
    actor = current_actor()
    subject = subject_of(complaint.young_person) if complaint else None
    allowed = may_see_complaint(
        actor, subject, complaints.shared_ids(complaint) if complaint else [], london_today()
    )
    allowed_or_404(
        allowed,
        Action.VIEW_COMPLAINTS.value,
        complaint.young_person if complaint else None,
        asked_for=complaint_id,
    )
    return render_template("voice/shared_complaint.html", complaint=complaint, Stage=Stage)


# Thank you -------------------------------------------------------------------------------


def _people_to_thank() -> list[SelectChoice]:
    """A young person thanks the people around them; staff and carers may thank any
    carer or member of staff."""
    if current_user.role is Role.YOUNG_PERSON:
        today = london_today()
        people = []
        carer = next((a.carer for a in current_user.profile.living_arrangements if a.holds_on(today)), None)
        if carer is not None:
            people.append(SelectChoice(carer.id, carer.full_name))
        people += [
            SelectChoice(w.user_id, w.name)
            for w in current_workers([current_user.id], today)[current_user.id]
        ]
    else:
        people = [SelectChoice(u.id, u.full_name) for u in thanks.staff_to_thank(current_user.id)]
    return [SelectChoice(0, _("Choose a person")), *people]


@login_required
def say_thanks():
    form = ThanksForm()
    form.person.choices = _people_to_thank()
    if form.validate_on_submit():
        try:
            thanks.thank(
                current_user.id,
                to_user_id=form.person.data or None,
                to_team=form.team.data,
                message=form.message.data,
            )
        except ComplaintProblem as problem:
            unit_of_work.discard()
            form.form_errors.append(message(problem.reason))
        else:
            flash(_("Thank you for saying thank you. They will see it."), "success")
            return redirect(url_for("home.index"))
    return render_template("voice/say_thanks.html", form=form)


@roles_required(*thanks.THANKABLE_ROLES)
def my_thanks():
    return render_template("voice/my_thanks.html", thanks=thanks.thanks_for(current_user.id))
