"""The Promise: young people read their version and say if each promise is kept; workers
see their young people's answers; the manager edits drafts and publishes them."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import sent_once, unit_of_work
from app.access import manager_only, roles_required, young_person_or_404
from app.domain.ages import PromiseBand, promise_band
from app.domain.policy import Action
from app.domain.promise import Answer, ItemKind, promise_grew_up
from app.domain.roles import WORKER_ROLES, Role
from app.extensions import db
from app.forms_common import ButtonForm, after_conflict, checked, required
from app.people.relationships import current_workers
from app.promise import service
from app.promise.forms import AnswerForm, DraftTextForm, ItemForm, LockForm, NewItemForm
from app.promise.service import PromiseProblem
from app.timeutil import london_today, now_utc

TEXT_FIELDS = ("title", "intro", "not_kept_title", "not_kept_body")


def _problem_message(reason: str) -> str:
    return {
        "not_in_promise": _("That promise is not in your Promise any more. Please look again."),
        "bad_answer": _("Choose yes, sometimes or no."),
        "too_long": _("Please use fewer than 1,000 characters."),
        "changed_meanwhile": _(
            "Someone else changed this draft while you were working on it. Their change is "
            "shown below; please make yours again."
        ),
        "not_a_draft": _("This version is published, so it cannot be changed. Start a new draft."),
        "no_such_item": _("That item is no longer in this draft."),
        "no_commitments": _("A Promise needs at least one promise before it can be published."),
        "nothing_to_copy": _("There is no published Promise to start from yet."),
    }[reason]


def _answer_form(commitment_id: int, latest=None, posted: bool = False) -> AnswerForm:
    """One promise's answer form; `posted`: filled in from the request (the one sent),
    not from the answer saved (every other promise on the page)."""
    data = {"answer": latest.answer.value, "words": latest.words or ""} if latest else {}
    if posted:
        return AnswerForm(prefix=f"c{commitment_id}", data=data)
    return AnswerForm(formdata=None, prefix=f"c{commitment_id}", data=data)


def _young_person_page(failed_form=None, failed_id=None, status=200):
    profile = current_user.profile
    today = london_today()
    version = service.current_version(promise_band(profile.date_of_birth, today))
    if version is None:
        abort(404)
    answers = service.latest_answers(profile.user_id)
    forms = {
        item.commitment_id: (
            failed_form
            if item.commitment_id == failed_id
            else _answer_form(item.commitment_id, answers.get(item.commitment_id))
        )
        for item in version.items
        if item.commitment.kind is ItemKind.COMMITMENT
    }
    return (
        render_template(
            "promise/promise.html",
            version=version,
            answers=answers,
            forms=forms,
            grew_up=promise_grew_up(profile.date_of_birth, today),
            workers=current_workers([profile.user_id], today)[profile.user_id],
            ItemKind=ItemKind,
            Answer=Answer,
        ),
        status,
    )


@login_required
def promise():
    if current_user.role is Role.YOUNG_PERSON:
        return _young_person_page()
    band = request.args.get("band", PromiseBand.UP_TO_15.value)
    try:
        band = PromiseBand(band)
    except ValueError:
        abort(404)
    version = service.current_version(band)
    if version is None:
        abort(404)
    return render_template(
        "promise/read_only.html", version=version, band=band, PromiseBand=PromiseBand, ItemKind=ItemKind
    )


@roles_required(Role.YOUNG_PERSON)
def answer(commitment_id: int):
    profile = current_user.profile
    version = service.current_version(promise_band(profile.date_of_birth, london_today()))
    form = _answer_form(commitment_id, posted=True)
    if form.validate():
        change = sent_once.change_of("promise_answer", commitment_id, form.answer.data, form.words.data)
        repeat, reused = sent_once.check(form, profile.user_id, change)
        if repeat is not None:
            flash(_("Thank you. Your answer is saved."), "success")
            return redirect(repeat)
        if reused is not None:
            form.answer.errors = [reused]
        else:
            try:
                service.record_answer(
                    profile.user_id, version, commitment_id, form.answer.data, form.words.data
                )
            except PromiseProblem as problem:
                unit_of_work.discard()
                if problem.reason == "not_in_promise":
                    flash(_problem_message(problem.reason), "error")
                    return redirect(url_for("promise.promise"))
                form.answer.errors = [_problem_message(problem.reason)]
            else:
                if form.answer.data == Answer.NO.value:
                    flash(_("Thank you for telling us. Here is what you can do next."), "success")
                else:
                    flash(_("Thank you. Your answer is saved."), "success")
                target = url_for("promise.promise", _anchor=f"promise-{commitment_id}")
                sent_once.went_to(profile.user_id, form.send_key.data, target)
                return redirect(target)
    return _young_person_page(failed_form=form, failed_id=commitment_id)


@roles_required(*WORKER_ROLES)
def answers_for(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.VIEW_RECORD)
    version = service.current_version(promise_band(profile.date_of_birth, london_today()))
    return render_template(
        "promise/answers_for.html",
        profile=profile,
        version=version,
        answers=service.latest_answers(profile.user_id),
        ItemKind=ItemKind,
    )


# The manager's pages --------------------------------------------------------------------


def _icons() -> list[tuple[str, str]]:
    if current_app.static_folder is None:  # pragma: no cover - create_app keeps Flask's
        raise RuntimeError("the app has no static folder")
    folder = Path(current_app.static_folder) / "img" / "promise"
    return [(p.stem, p.stem.replace("_", " ")) for p in sorted(folder.glob("*.svg"))]


def _band_or_404(band: str) -> PromiseBand:
    try:
        return PromiseBand(band)
    except ValueError:
        abort(404)


@manager_only
def manage():
    bands = []
    for band in PromiseBand:
        version = service.current_version(band)
        bands.append(
            {
                "band": band,
                "version": version,
                "draft": service.draft(band),
                "counts": service.answer_counts(version) if version else {},
            }
        )
    return render_template("promise/manage.html", bands=bands, ItemKind=ItemKind, Answer=Answer)


@manager_only
def edit_draft(band: str):
    band = _band_or_404(band)
    if request.method == "POST":
        checked(ButtonForm())
        try:
            service.start_draft(band, current_user.id)
        except PromiseProblem as problem:
            unit_of_work.discard()
            flash(_problem_message(problem.reason), "error")
            return redirect(url_for("promise.manage"))
        return redirect(url_for("promise.edit_draft", band=band.value))
    version = service.draft(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    return _draft_page(version)


def _draft_page(version, text_form=None, item_forms=None, new_form=None, status=200):
    icons = _icons()
    text_form = text_form or DraftTextForm(obj=version, lock_version=version.lock_version)
    item_forms = item_forms or {}
    for item in version.items:
        if item.id not in item_forms:
            item_forms[item.id] = ItemForm(
                formdata=None, prefix=f"i{item.id}", obj=item, lock_version=version.lock_version
            )
    for form in [*item_forms.values(), new_form or NewItemForm(formdata=None, prefix="new")]:
        form.icon.choices = icons
    new_form = new_form or NewItemForm(formdata=None, prefix="new", lock_version=version.lock_version)
    new_form.icon.choices = icons
    new_form.lock_version.data = version.lock_version
    return (
        render_template(
            "promise/draft.html",
            version=version,
            text_form=text_form,
            item_forms=item_forms,
            new_form=new_form,
            lock_form=LockForm(formdata=None, lock_version=version.lock_version),
            ItemKind=ItemKind,
        ),
        status,
    )


def _after_conflict(version, text_form=None, item_forms=None, new_form=None) -> None:
    """The forms keep what the manager typed and take the draft's version now, with what
    is saved now to show beside it."""
    if text_form is not None:
        after_conflict(
            text_form, version.lock_version, {name: getattr(version, name) for name in TEXT_FIELDS}
        )
    items = {item.id: item for item in version.items}
    for item_id, form in (item_forms or {}).items():
        item = items.get(item_id)
        saved = {name: getattr(item, name) for name in ("title", "body", "icon")} if item else {}
        after_conflict(form, version.lock_version, saved)
    if new_form is not None:
        after_conflict(new_form, version.lock_version, {})


def _draft_or_redirect(band: str):
    version = service.draft(_band_or_404(band))
    if version is None:
        flash(_("That draft has been published or is gone. Nothing was changed."), "error")
    return version


def _lock(form) -> int:
    return LockForm.lock(form)


def _apply(version, change, success_message, **page):
    """Runs a draft change; on a problem, shows the draft again with the message."""
    try:
        change()
    except PromiseProblem as problem:
        unit_of_work.discard()
        flash(_problem_message(problem.reason), "error")
        db.session.refresh(version)
        if problem.reason == "changed_meanwhile":
            _after_conflict(version, **page)
        return _draft_page(version, **page)
    flash(success_message, "success")
    return redirect(url_for("promise.edit_draft", band=version.band.value))


@manager_only
def save_draft_text(band: str):
    version = _draft_or_redirect(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    form = DraftTextForm()
    if not form.validate():
        return _draft_page(version, text_form=form)
    return _apply(
        version,
        lambda: service.save_text(
            version,
            _lock(form),
            title=required(form.title.data),
            intro=required(form.intro.data),
            not_kept_title=required(form.not_kept_title.data),
            not_kept_body=required(form.not_kept_body.data),
            actor_id=current_user.id,
        ),
        _("Saved."),
        text_form=form,
    )


@manager_only
def save_item(band: str, item_id: int):
    version = _draft_or_redirect(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    form = ItemForm(prefix=f"i{item_id}")
    form.icon.choices = _icons()
    if not form.validate():
        return _draft_page(version, item_forms={item_id: form})
    return _apply(
        version,
        lambda: service.save_item(
            version,
            _lock(form),
            item_id,
            title=required(form.title.data),
            body=required(form.body.data),
            icon=form.icon.data,
            actor_id=current_user.id,
        ),
        _("Saved."),
        item_forms={item_id: form},
    )


@manager_only
def add_item(band: str):
    version = _draft_or_redirect(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    form = NewItemForm(prefix="new")
    form.icon.choices = _icons()
    if not form.validate():
        return _draft_page(version, new_form=form)
    return _apply(
        version,
        lambda: service.add_item(
            version,
            _lock(form),
            kind=ItemKind(form.kind.data),
            title=required(form.title.data),
            body=required(form.body.data),
            icon=form.icon.data,
            actor_id=current_user.id,
        ),
        _("Added."),
        new_form=form,
    )


@manager_only
def change_item(band: str, item_id: int, change: str):
    version = _draft_or_redirect(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    lock = _lock(LockForm())
    if change == "retire":
        action, message = (
            (lambda: service.retire_item(version, lock, item_id, actor_id=current_user.id)),
            _("Taken out of this draft."),
        )
    else:
        step = -1 if change == "up" else 1
        action, message = (
            (lambda: service.move_item(version, lock, item_id, step, actor_id=current_user.id)),
            _("Moved."),
        )
    return _apply(version, action, message)


@manager_only
def publish(band: str):
    version = _draft_or_redirect(band)
    if version is None:
        return redirect(url_for("promise.manage"))
    lock = _lock(LockForm())
    try:
        service.publish(version, lock, current_user.id, now_utc())
    except PromiseProblem as problem:
        unit_of_work.discard()
        flash(_problem_message(problem.reason), "error")
        return redirect(url_for("promise.edit_draft", band=band))
    flash(_("Published. Young people now see version %(number)s.", number=version.number), "success")
    return redirect(url_for("promise.manage"))
