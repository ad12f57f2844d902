"""The passport: young people and carers mark progress, workers sign it off."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import NamedTuple

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import unit_of_work
from app.access import manager_only, roles_required, young_person_or_404
from app.domain.ages import age_on
from app.domain.passport import MAX_NOTE_LENGTH, Step, StepProblem, allowed_steps
from app.domain.policy import Action
from app.domain.roles import WORKER_ROLES, Role
from app.extensions import db
from app.forms_common import ButtonForm, characters, checked, required, too_long_message
from app.models import Skill
from app.paging import page_number
from app.passport import service
from app.passport.forms import QueueForm, SkillStepForm
from app.passport.service import ConcurrentChange
from app.passport.words import AREAS, STEPS, button
from app.people import relationships
from app.timeutil import london_today, now_utc


class KeptNote(NamedTuple):
    """A note refused for its length, shown again in the box it was typed in."""

    skill_id: int
    step: str
    text: str
    message: str


def _message(reason: str) -> str:
    return {
        "not_allowed": _("That step is not possible from where this skill is now."),
        "too_young": _("This skill starts at an older age."),
        "note_needed": _("Please write a note to say why, so they know what to practise."),
        "note_too_long": _("Please keep the note under 500 characters."),
        "unknown_step": _("That step is not one we know."),
        "bad_key": _("We could not save that. Please go back to the page and try again."),
        "changed_meanwhile": _(
            "Someone changed this skill while you were looking. Have a look at where it is now."
        ),
        "key_reused": _(
            "This was sent before as a different change, so we did not save it. "
            "Please open the skill and try again."
        ),
    }[reason]


def _what_changed(profile, skill) -> str | None:
    """Tells the second of two people changing one skill what the first one did."""
    event = service.latest_event(profile.user_id, skill.id)
    if event is None:
        return None
    who = _("you") if event.actor_id == current_user.id else event.actor.display_name
    return _(
        "While you were looking, %(who)s moved this skill to “%(step)s”. "
        "Your change was not saved. Have a look, then try again if you still want to.",
        who=who,
        step=STEPS[event.to_step],
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _context(profile):
    today = london_today()
    age = age_on(profile.date_of_birth, today)
    progress = service.progress_for(profile.user_id)
    areas = service.by_area(service.skills(), progress, age)
    done = sum(a.done for a in areas)
    total = sum(a.total for a in areas)
    return {
        "profile": profile,
        "age": age,
        "progress": progress,
        "areas": areas,
        "done": done,
        "total": total,
        "notes": service.latest_notes(profile.user_id),
        "AREAS": AREAS,
        "Step": Step,
        "allowed": lambda step: allowed_steps(
            current_user.role, step, has_carer=service.lives_with_carer(profile, today)
        ),
        "button": lambda step: button(current_user.role, step),
        "new_key": lambda: uuid.uuid4().hex,
        "max_note": MAX_NOTE_LENGTH,
    }


def _apply(profile, skill_id: int, back_to: str, page):
    """`page(kept_note=...)` shows the passport again with a refused note in its box."""
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        abort(404)
    form = checked(SkillStepForm())
    try:
        outcome = service.change_step(
            profile,
            skill,
            form.to_step.data or "",
            actor=current_user._get_current_object(),
            note=form.note.data,
            expected_step=form.expected_step.data or None,
            idempotency_key=(form.idempotency_key.data or None),
            today=london_today(),
        )
        service.save_change()
    except StepProblem as problem:
        unit_of_work.discard()
        message = _what_changed(profile, skill) if problem.reason == "changed_meanwhile" else None
        message = message or _message(problem.reason)
        note = form.note.data or ""
        if problem.reason == "note_too_long":
            message = too_long_message(MAX_NOTE_LENGTH, characters(note))
        if _wants_json():
            # A key our pages did not make is a broken request, not a clash with someone.
            status = 400 if problem.reason == "bad_key" else 409
            return jsonify(
                status="refused", reason=problem.reason, message=message, skill=skill.title
            ), status
        if problem.reason == "note_too_long":
            # Shown again rather than redirected, which would lose the note.
            flash(message, "error")
            return page(kept_note=KeptNote(skill.id, form.to_step.data or "", note, message))
        flash(message, "error")
        return redirect(back_to)
    except ConcurrentChange:
        unit_of_work.discard()
        message = _what_changed(profile, skill) or _message("changed_meanwhile")
        if _wants_json():
            return jsonify(
                status="refused", reason="changed_meanwhile", message=message, skill=skill.title
            ), 409
        flash(message, "error")
        return redirect(back_to)
    step = outcome.event.to_step
    if _wants_json():
        return jsonify(
            status="repeated" if outcome.repeated else "ok",
            step=step.value,
            label=str(STEPS[step]),
            skill=skill.title,
        )
    if not outcome.repeated:
        flash(_("Saved: %(skill)s – %(step)s.", skill=skill.title, step=STEPS[step]), "success")
    return redirect(back_to)


# Young people ----------------------------------------------------------------------------


def _my_passport_page(profile, kept_note: KeptNote | None = None):
    context = _context(profile)
    context["celebrate"] = service.recently_signed_off(profile.user_id, now_utc() - timedelta(days=14))
    return render_template("passport/my_passport.html", kept_note=kept_note, **context)


@roles_required(Role.YOUNG_PERSON)
def my_passport():
    return _my_passport_page(current_user.profile)


@roles_required(Role.YOUNG_PERSON)
def my_skill(skill_id: int):
    profile = current_user.profile
    if request.method == "POST":
        return _apply(
            profile,
            skill_id,
            url_for("passport.my_passport", _anchor=f"skill-{skill_id}"),
            lambda **kept: _my_passport_page(profile, **kept),
        )
    skill = db.session.get(Skill, skill_id) or abort(404)
    context = _context(profile)
    return render_template(
        "passport/skill.html", skill=skill, history=service.history(profile.user_id, skill_id), **context
    )


@roles_required(Role.YOUNG_PERSON)
def print_summary():
    profile = current_user.profile
    return render_template("passport/print.html", **_context(profile))


# Carers and workers ------------------------------------------------------------------------


def _staff_action() -> Action:
    return Action.PRACTISE_SKILLS if current_user.role is Role.CARER else Action.APPROVE_SKILLS


@roles_required(Role.CARER, *WORKER_ROLES)
def passport_for(young_person_id: int):
    return _passport_for_page(young_person_or_404(young_person_id, _staff_action()))


def _passport_for_page(profile, kept_note: KeptNote | None = None):
    context = _context(profile)
    return render_template(
        "passport/passport_for.html",
        is_carer=current_user.role is Role.CARER,
        next_up=service.practise_next(context["areas"], context["progress"]),
        kept_note=kept_note,
        **context,
    )


@roles_required(Role.CARER, *WORKER_ROLES)
def change_for(young_person_id: int, skill_id: int):
    profile = young_person_or_404(young_person_id, _staff_action())
    return _apply(
        profile,
        skill_id,
        url_for("passport.passport_for", young_person_id=young_person_id, _anchor=f"skill-{skill_id}"),
        lambda **kept: _passport_for_page(profile, **kept),
    )


@roles_required(*WORKER_ROLES)
def queue():
    today = london_today()
    form = QueueForm()
    if request.method == "POST":
        checked(form)
    note = form.note.data or ""
    if request.method == "POST" and characters(note) <= MAX_NOTE_LENGTH:
        return _decide_many(form, today)
    page = db.paginate(
        service.queue_query(current_user.id, today),
        page=page_number(),
        per_page=current_app.config["CASELOAD_PAGE_SIZE"],
        error_out=False,
    )
    names = relationships.preferred_names(p.young_person_id for p in page.items)
    # A note past its limit changes nothing and comes back in its box, with the ticks.
    kept = request.method == "POST"
    return render_template(
        "passport/queue.html",
        page=page,
        names=names,
        max_note=MAX_NOTE_LENGTH,
        note=note if kept else "",
        note_problem=too_long_message(MAX_NOTE_LENGTH, characters(note)) if kept else None,
        chosen=set(form.item.data or []) if kept else set(),
    )


def _decide_many(form: QueueForm, today):
    """Signs off or sends back several skills at once; each one is checked on its own."""
    decision = form.decision.data or ""
    to_step = {"sign_off": Step.SIGNED_OFF.value, "send_back": Step.SENT_BACK.value}.get(decision)
    chosen = form.item.data or []
    if not to_step or not chosen:
        flash(_("Choose at least one skill, then sign off or send back."), "error")
        return redirect(url_for("passport.queue"))
    done, refused = 0, 0
    wanted = []
    for item in chosen:
        try:
            young_person_id, skill_id = (int(x) for x in item.split(":", 1))
        except ValueError:
            refused += 1
            continue
        wanted.append((young_person_id, skill_id))
    # Every young person is checked before anything changes: one who is not on the
    # caseload makes the whole request a 404, with nothing half done.
    profiles = {
        young_person_id: young_person_or_404(young_person_id, Action.APPROVE_SKILLS)
        for young_person_id in sorted({young_person_id for young_person_id, _skill in wanted})
    }
    for young_person_id, skill_id in wanted:
        profile = profiles[young_person_id]
        skill = db.session.get(Skill, skill_id)
        if skill is None:
            refused += 1
            continue
        try:
            # Each skill in a savepoint of its own: one refused leaves the others done.
            with db.session.begin_nested():
                service.change_step(
                    profile,
                    skill,
                    to_step,
                    actor=current_user._get_current_object(),
                    note=form.note.data,
                    expected_step=Step.CAN_DO.value,
                    idempotency_key=None,
                    today=today,
                )
                service.save_change()
            done += 1
        except (StepProblem, ConcurrentChange):
            refused += 1
    if done:
        flash(_("Done: %(count)s.", count=done), "success")
    if refused:
        flash(
            _("Not changed: %(count)s. They may have changed meanwhile, or need a note.", count=refused),
            "error",
        )
    return redirect(url_for("passport.queue"))


# The manager's pages ------------------------------------------------------------------------


def _skills_page(failed=None, failed_key=None, status=200):
    from app.passport.forms import SkillForm

    all_skills = service.skills()
    forms = {s.id: SkillForm(formdata=None, prefix=f"s{s.id}", obj=s) for s in all_skills}
    new_form = SkillForm(formdata=None, prefix="new", starts_at_age=11)
    if failed_key == "new":
        new_form = failed
    elif failed_key is not None:
        forms[failed_key] = failed
    return render_template(
        "passport/manage.html", skills=all_skills, forms=forms, new_form=new_form, AREAS=AREAS
    ), status


@manager_only
def manage_skills():
    return _skills_page()


@manager_only
def save_skill(skill_id: int | None = None):
    from app.passport.forms import SkillForm

    skill = db.get_or_404(Skill, skill_id) if skill_id else None
    form = SkillForm(prefix=f"s{skill_id}" if skill_id else "new")
    if not form.validate():
        return _skills_page(failed=form, failed_key=skill_id or "new")
    try:
        service.save_skill(
            skill,
            area=form.area.data,
            title=required(form.title.data),
            description=required(form.description.data),
            tip=required(form.tip.data),
            starts_at_age=required(form.starts_at_age.data),
            user_id=current_user.id,
            now=now_utc(),
        )
    except service.SkillProblem:
        unit_of_work.discard()
        form.area.errors = [_("Choose an area.")]
        return _skills_page(failed=form, failed_key=skill_id or "new")
    flash(_("Saved."), "success")
    return redirect(url_for("passport.manage_skills"))


@manager_only
def change_skill(skill_id: int, change: str):
    checked(ButtonForm())
    skill = db.get_or_404(Skill, skill_id)
    if change == "retire":
        service.retire_skill(skill, current_user.id, now_utc())
        flash(_("Taken out of the passport. Progress on it is kept."), "success")
    else:
        service.move_skill(skill, -1 if change == "up" else 1, user_id=current_user.id)
        flash(_("Moved."), "success")
    return redirect(url_for("passport.manage_skills", _anchor=f"skill-{skill_id}"))
