"""Reviews: when the next one is, getting ready for it, and the worker booking it."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import sent_once, unit_of_work
from app.access import roles_required, young_person_or_404
from app.domain.policy import Action
from app.domain.roles import WORKER_ROLES, Role
from app.forms_common import LockForm, after_conflict, form_problems
from app.reviews import service
from app.reviews.forms import BookReviewForm, HeldReviewForm, PreparationForm
from app.reviews.service import ReviewProblem
from app.timeutil import london_today, now_utc


def _message(reason: str) -> str:
    return {
        "changed_meanwhile": _("This was changed on another phone or tab. Look again, then save."),
        "too_long": _("Please use fewer than 4,000 characters."),
        "bad_chair": _("Choose one of the answers about chairing."),
        "date_in_past": _("The date is in the past. Choose today or a later date."),
        "date_in_future": _("That date has not happened yet."),
        "too_far_ahead": _("Choose a date within the next year."),
        "before_born": _("That date is before they were born. Check the year."),
        "before_care": _("That date is before they came into care. Check the year."),
    }[reason]


@roles_required(Role.YOUNG_PERSON)
def my_review():
    profile = current_user.profile
    status = service.statuses([profile], london_today())[profile.user_id]
    return render_template("reviews/my_review.html", status=status, prep=service.preparation(profile.user_id))


@roles_required(Role.YOUNG_PERSON)
def prepare():
    prep = service.preparation(current_user.id)
    autosave = request.headers.get("X-Autosave") == "1"
    form = PreparationForm(obj=prep if request.method == "GET" else None)
    if request.method == "GET" and prep is not None:
        form.lock_version.data = str(prep.lock_version)
    if request.method == "POST" and form.validate():
        share = form.share.data == "1"
        if not autosave:
            # Saving as they type repeats by nature; pressing Save or Share twice must not
            # come back as "changed meanwhile".
            values = [getattr(form, name).data for name in service.PREPARATION_FIELDS]
            repeat, _reused = sent_once.check(
                form, current_user.id, sent_once.change_of("prep", share, *values)
            )
            if repeat is not None:
                return redirect(repeat)
        try:
            prep = service.save_preparation(
                current_user.id,
                LockForm.lock(form) if form.lock_version.data else None,
                {name: getattr(form, name).data for name in service.PREPARATION_FIELDS},
                now_utc(),
                share,
            )
        except ReviewProblem as problem:
            unit_of_work.discard()
            if autosave:
                return jsonify(saved=False, message=_message(problem.reason)), 409
            flash(_message(problem.reason), "error")
            prep = service.preparation(current_user.id)
            if problem.reason == "changed_meanwhile" and prep is not None:
                saved = {name: getattr(prep, name) for name in service.PREPARATION_FIELDS}
                after_conflict(form, prep.lock_version, saved)
        else:
            if autosave:
                return jsonify(saved=True, lock_version=prep.lock_version)
            if share:
                flash(_("Shared. Your worker can read it before your review."), "success")
            else:
                flash(_("Saved. You can come back and add more."), "success")
            sent_once.went_to(current_user.id, form.send_key.data, url_for("reviews.prepare"))
            return redirect(url_for("reviews.prepare"))
    elif request.method == "POST" and autosave:
        return jsonify(saved=False, message=form_problems(form) or _("Please check what you wrote.")), 400
    return render_template("reviews/prepare.html", form=form, prep=prep)


def _record_date(young_person_id: int, form, record, done_message: str):
    """A worker books a review or records one held: one date, then back to the page."""
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    if form.validate():
        try:
            record(profile, form.data_date(), current_user.id, london_today())
        except ReviewProblem as problem:
            unit_of_work.discard()
            flash(_message(problem.reason), "error")
        else:
            flash(done_message, "success")
    else:
        flash(_("Enter the date, like 2026-03-31."), "error")
    return redirect(url_for("care.young_person", young_person_id=young_person_id, _anchor="reviews"))


@roles_required(*WORKER_ROLES)
def book(young_person_id: int):
    return _record_date(young_person_id, BookReviewForm(), service.book, _("Review booked."))


@roles_required(*WORKER_ROLES)
def held(young_person_id: int):
    return _record_date(young_person_id, HeldReviewForm(), service.record_held, _("Review recorded as held."))
