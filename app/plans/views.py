"""Plans in words and pictures: the young person reads theirs and says what they think;
their worker drafts and publishes new versions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import unit_of_work
from app.access import refuse, roles_required, young_person_or_404
from app.domain.plans import PlanKind, PlanProblem
from app.domain.policy import Action
from app.domain.roles import WORKER_ROLES, Role
from app.forms_common import ButtonForm, LockForm, after_conflict, checked, required
from app.paging import MAX_ID
from app.plans import service
from app.plans.forms import ActionForm, DraftWordsForm, SectionForm, ViewForm
from app.plans.sections import HINTS, TITLES
from app.timeutil import london_today, now_utc


def _message(reason: str) -> str:
    return {
        "already_published": _("This draft has already been published. Nothing was changed."),
        "changed_meanwhile": _(
            "Someone else changed this draft while you had it open. Their changes are shown "
            "below; please make yours again."
        ),
        "newer_version": _(
            "Someone published a newer version of this plan after you started this draft. Your "
            "draft is kept. Read the newest version, update your draft if you need to, then "
            "publish again."
        ),
        "empty": _("Write at least one section before publishing."),
        "too_long": _("Please use fewer than 4,000 characters."),
        "action_needs_what": _("Say what needs to happen."),
        "action_needs_who": _("Say who will do it."),
        "date_in_past": _("The date is in the past. Choose today or a later date."),
        "no_such_section": _("That part of the plan is not in this draft."),
        "no_such_action": _("That action is not in this draft any more."),
        "not_current": _("You can add what you think to the newest plan only."),
        "empty_view": _("Write what you think first."),
    }[reason]


def _plan_title(kind: PlanKind) -> str:
    return _("My pathway plan") if kind is PlanKind.PATHWAY_PLAN else _("My plan")


# The young person's pages ----------------------------------------------------------------


def _my_plan_page(plan, view_forms=None, status=200):
    young_person_id = current_user.id
    view_forms = view_forms or {}
    latest_id, _latest = service.latest_number(young_person_id)
    is_current = plan is not None and plan.id == latest_id
    if plan is not None:
        for section in plan.sections:
            view_forms.setdefault(section.id, ViewForm(formdata=None, prefix=f"v{section.id}"))
        if is_current:
            service.mark_seen(plan, young_person_id)
    return (
        render_template(
            "plans/my_plan.html",
            plan=plan,
            is_current=is_current,
            versions=service.published(young_person_id),
            view_forms=view_forms,
            titles=TITLES,
            title=_plan_title(plan.kind) if plan else _("My plan"),
        ),
        status,
    )


@roles_required(Role.YOUNG_PERSON)
def my_plan():
    return _my_plan_page(service.version(current_user.id))


@roles_required(Role.YOUNG_PERSON)
def my_plan_version(number: int):
    plan = service.version(current_user.id, number)
    if plan is None:
        abort(404)
    return _my_plan_page(plan)


@roles_required(Role.YOUNG_PERSON)
def add_view(section_id: int):
    plan = service.version(current_user.id)
    if plan is None or section_id not in {s.id for s in plan.sections}:
        refuse("view_plan_section", asked_for=section_id)
    form = ViewForm(prefix=f"v{section_id}")
    if form.validate():
        try:
            service.add_view(plan, section_id, current_user.id, required(form.text.data))
        except PlanProblem as problem:
            unit_of_work.discard()
            form.text.errors = [_message(problem.reason)]
        else:
            flash(_("Thank you. Your worker will see what you think."), "success")
            return redirect(url_for("plans.my_plan", _anchor=f"section-{section_id}"))
    return _my_plan_page(plan, view_forms={section_id: form})


# The worker's pages ----------------------------------------------------------------------

workers_only = roles_required(*WORKER_ROLES)


@workers_only
def plan_for(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.VIEW_RECORD)
    number = request.args.get("version", type=int)
    if number is not None and not 0 < number <= MAX_ID:
        abort(404)
    plan = service.version(young_person_id, number)
    if number and plan is None:
        abort(404)
    return render_template(
        "plans/plan_for.html",
        profile=profile,
        plan=plan,
        versions=service.published(young_person_id),
        draft=service.draft(young_person_id),
        titles=TITLES,
    )


@workers_only
def edit_draft(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    if request.method == "POST":
        checked(ButtonForm())
        service.start_draft(profile, current_user.id, london_today())
        return redirect(url_for("plans.edit_draft", young_person_id=young_person_id))
    plan = service.draft(young_person_id)
    if plan is None:
        return redirect(url_for("plans.plan_for", young_person_id=young_person_id))
    return _draft_page(profile, plan)


def _draft_page(profile, plan, section_forms=None, action_forms=None, words_form=None, status=200):
    section_forms = section_forms or {}
    action_forms = action_forms or {}
    for section in plan.sections:
        section_forms.setdefault(
            section.id, SectionForm(formdata=None, prefix=f"s{section.id}", text=section.text)
        )
        action_forms.setdefault(
            section.id, ActionForm(formdata=None, prefix=f"a{section.id}", lock_version=plan.lock_version)
        )
    latest_id, _latest = service.latest_number(plan.young_person_id)
    return (
        render_template(
            "plans/draft.html",
            profile=profile,
            plan=plan,
            section_forms=section_forms,
            action_forms=action_forms,
            words_form=words_form or DraftWordsForm(formdata=None, lock_version=plan.lock_version),
            lock_form=LockForm(formdata=None, lock_version=plan.lock_version),
            titles=TITLES,
            hints=HINTS,
            behind=plan.based_on_id != latest_id,
            changes=service.draft_changes(plan),
            section_keys={section.id: section.key for section in plan.sections},
        ),
        status,
    )


def _after_conflict(plan, section_forms=None, action_forms=None, words_form=None) -> None:
    """The forms keep what the worker typed, take the draft's version now (so the next save
    works) and show what the other person saved next to it."""
    texts = {section.id: section.text for section in plan.sections}
    for section_id, form in (section_forms or {}).items():
        after_conflict(form, None, {"text": texts.get(section_id, "")})
    for form in [*(action_forms or {}).values(), words_form]:
        if form is not None:
            after_conflict(form, plan.lock_version, {})


def _change(profile, change, message, anchor=None, **forms):
    plan = service.draft(profile.user_id)
    if plan is None:
        flash(_message("already_published"), "error")
        return redirect(url_for("plans.plan_for", young_person_id=profile.user_id))
    try:
        change(plan)
    except PlanProblem as problem:
        unit_of_work.discard()
        flash(_message(problem.reason), "error")
        plan = service.draft(profile.user_id)
        if plan is None:
            return redirect(url_for("plans.plan_for", young_person_id=profile.user_id))
        if problem.reason == "changed_meanwhile":
            _after_conflict(plan, **forms)
        return _draft_page(profile, plan, **forms)
    flash(message, "success")
    return redirect(url_for("plans.edit_draft", young_person_id=profile.user_id, _anchor=anchor))


@workers_only
def save_section(young_person_id: int, section_id: int):
    """Saves the words of every section sent (the page sends them all, whichever section's
    Save was pressed, so words typed in one section are not lost by saving another);
    section_id is the one whose button was pressed."""
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    plan = service.draft(young_person_id)
    if plan is None:
        flash(_message("already_published"), "error")
        return redirect(url_for("plans.plan_for", young_person_id=young_person_id))
    words_form = DraftWordsForm()
    sent = {section.id: SectionForm(prefix=f"s{section.id}") for section in plan.sections}
    section_forms = {sid: form for sid, form in sent.items() if form.text.raw_data}
    valid = [form.validate() for form in section_forms.values()]
    if not all(valid):
        return _draft_page(profile, plan, section_forms=section_forms, words_form=words_form)
    return _change(
        profile,
        lambda plan: service.save_sections(
            plan,
            words_form.lock(),
            {sid: form.text.data or "" for sid, form in section_forms.items()},
            now_utc(),
            actor_id=current_user.id,
        ),
        _("Saved."),
        anchor=f"section-{section_id}",
        section_forms=section_forms,
        words_form=words_form,
    )


@workers_only
def add_action(young_person_id: int, section_id: int):
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    form = ActionForm(prefix=f"a{section_id}")
    if not form.validate():
        return _draft_page(
            profile, service.draft(young_person_id) or abort(404), action_forms={section_id: form}
        )
    return _change(
        profile,
        lambda plan: service.add_action(
            plan,
            LockForm.lock(form),
            section_id,
            what=required(form.what.data),
            who=required(form.who.data),
            by_when=form.by_when.data,
            today=london_today(),
            now=now_utc(),
            actor_id=current_user.id,
        ),
        _("Action added."),
        action_forms={section_id: form},
    )


@workers_only
def remove_action(young_person_id: int, action_id: int):
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    lock = LockForm().lock()
    return _change(
        profile,
        lambda plan: service.remove_action(plan, lock, action_id, now_utc(), actor_id=current_user.id),
        _("Action taken out of the draft."),
    )


@workers_only
def rebase(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    lock = LockForm().lock()
    return _change(
        profile,
        lambda plan: service.rebase_draft(plan, lock, now_utc(), actor_id=current_user.id),
        _("Your draft now follows the newest version. Check it, then publish."),
    )


@workers_only
def publish(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.WRITE_PLAN)
    lock = LockForm().lock()
    plan = service.draft(young_person_id)
    if plan is None:
        flash(_message("already_published"), "error")
        return redirect(url_for("plans.plan_for", young_person_id=young_person_id))
    try:
        service.publish(plan, lock, current_user.id, now_utc())
    except PlanProblem as problem:
        unit_of_work.discard()
        flash(_message(problem.reason), "error")
        return redirect(url_for("plans.edit_draft", young_person_id=young_person_id))
    flash(
        _(
            "Published. %(name)s will see version %(number)s next time they open the app.",
            name=profile.preferred_name,
            number=plan.number,
        ),
        "success",
    )
    return redirect(url_for("plans.plan_for", young_person_id=young_person_id))
