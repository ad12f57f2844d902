"""The manager's pages: people, their accounts and who lives and works with whom."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app import unit_of_work
from app.access import manager_only, refuse, subject_of, young_person_or_404
from app.admin.forms import (
    AllocateForm,
    ConfirmResetForm,
    EndForm,
    MoveInForm,
    PersonTeamForm,
    StaffAccountForm,
    StartForm,
)
from app.auth import resets as reset_service
from app.domain.account_resets import NEEDS_SECOND_MANAGER
from app.domain.ages import age_on
from app.domain.policy import Action
from app.domain.roles import WORKER_ROLES, Role
from app.domain.safety import TeamKind
from app.extensions import db
from app.forms_common import NewCodeForm, SelectChoice, required
from app.models import Allocation, LivingArrangement, Team, User, YoungPersonProfile
from app.paging import page_number
from app.people import relationships
from app.people.forms import YoungPersonForm, create_young_person_from, relationship_message
from app.people.relationships import RelationshipProblem
from app.people.service import create_user, first_code
from app.teams import service as teams
from app.timeutil import london_today, now_utc


@manager_only
def people():
    role = request.args.get("role")
    query = select(User).order_by(func.lower(User.full_name), User.id)
    if role in {r.value for r in Role}:
        query = query.where(User.role == role)
    else:
        role = None
    page = db.paginate(
        query,
        page=page_number(),
        per_page=current_app.config["CASELOAD_PAGE_SIZE"],
        error_out=False,
    )
    return render_template("admin/people.html", page=page, role=role, Role=Role)


@manager_only
def new_person():
    form = StaffAccountForm()
    if form.validate_on_submit():
        user = create_user(form.username.data, form.full_name.data, Role(form.role.data))
        db.session.flush()
        code = first_code(user, current_user, now_utc())
        return render_template("admin/activation_code.html", person=user, code=code)
    return render_template("admin/new_person.html", form=form)


@manager_only
def new_young_person():
    form = YoungPersonForm()
    if form.validate_on_submit():
        profile = create_young_person_from(form)
        code = first_code(profile.user, current_user, now_utc())
        return render_template("admin/activation_code.html", person=profile.user, code=code)
    return render_template("admin/new_young_person.html", form=form)


def _people_to_choose() -> tuple[list[SelectChoice], list[SelectChoice]]:
    """Carers and workers to pick from, in one query."""
    carers, workers = [SelectChoice(0, _("Choose…"))], [SelectChoice(0, _("Choose…"))]
    rows = db.session.execute(
        select(User.id, User.full_name, User.role)
        .where(User.role.in_([Role.CARER, *WORKER_ROLES]), User.is_active.is_(True))
        .order_by(func.lower(User.full_name))
    )
    for uid, name, role in rows:
        (carers if role is Role.CARER else workers).append(SelectChoice(uid, name))
    return carers, workers


def _person_page(
    user: User,
    profile=None,
    move_form=None,
    allocate_form=None,
    team_form=None,
    code_form=None,
    status=200,
):
    today = london_today()
    context = {
        "person": user,
        "today": today,
        "Role": Role,
        "end_form": EndForm(),
        "code_form": code_form or NewCodeForm(formdata=None),
        "needs_second_manager": user.password_hash is not None and user.role in NEEDS_SECOND_MANAGER,
    }
    if user.role in teams.TEAM_ROLES:
        team_form = team_form or PersonTeamForm(team_id=user.team_id or 0)
        team_form.team_id.choices = _team_choices()
        context |= {
            "team_form": team_form,
            "team": db.session.get(Team, user.team_id) if user.team_id else None,
            "manages": db.session.scalars(select(Team.name).where(Team.manager_id == user.id)).all(),
        }
    if profile is not None:
        move_form = move_form or MoveInForm(starts_on=today)
        allocate_form = allocate_form or AllocateForm(starts_on=today)
        move_form.carer_id.choices, allocate_form.worker_id.choices = _people_to_choose()
        context |= {
            "profile": profile,
            "age": age_on(profile.date_of_birth, today),
            "move_form": move_form,
            "allocate_form": allocate_form,
        }
    elif user.role is Role.CARER:
        context["young_people"] = relationships.young_people_living_with(user.id, today)
    elif user.role in WORKER_ROLES:
        context["caseload_size"] = relationships.caseload_size(user.id, today)
    return render_template("admin/person.html", **context), status


def _team_choices() -> list[SelectChoice]:
    choices = [SelectChoice(tid, name) for tid, name in teams.all_teams()]
    return [SelectChoice(0, _("Not in a team")), *choices]


def _person_or_404(user_id: int):
    """Any account, and the profile of a young person, which comes through the access
    policy (and so is audited)."""
    profile = db.session.get(YoungPersonProfile, user_id)
    if profile is not None:
        profile = young_person_or_404(user_id, Action.MANAGE_ACCOUNT)
        return profile.user, profile
    return db.get_or_404(User, user_id), None


@manager_only
def person(user_id: int):
    user, profile = _person_or_404(user_id)
    return _person_page(user, profile)


@dataclass(frozen=True)
class _Start:
    """What differs between a carer moving in and a worker being allocated;
    `start_relationship` does the rest once."""

    form: type[StartForm]
    page_form: str  # the form's name on the person's page
    chooses_carer: bool
    start: Callable[..., object]  # the rule, in relationships (it audits what it did)
    saved: Callable[[YoungPersonProfile, User], str]


MOVE_IN = _Start(
    form=MoveInForm,
    page_form="move_form",
    chooses_carer=True,
    start=relationships.move_in,
    saved=lambda profile, carer: _(
        "Saved: %(name)s lives with %(carer)s.", name=profile.preferred_name, carer=carer.full_name
    ),
)
ALLOCATE = _Start(
    form=AllocateForm,
    page_form="allocate_form",
    chooses_carer=False,
    start=relationships.allocate,
    saved=lambda profile, worker: _(
        "Saved: %(worker)s works with %(name)s.", worker=worker.full_name, name=profile.preferred_name
    ),
)


STARTS = {"living": MOVE_IN, "allocations": ALLOCATE}


# One view under two names: the endpoints say what is done, the URLs what is changed.
@manager_only
def start_relationship(user_id: int, what: str):
    """A young person lives with a new carer, or has a new worker, from the day chosen; the
    one they have now ends that day (the rule is in `relationships`)."""
    change = STARTS[what]
    user, profile = _person_or_404(user_id)
    if profile is None:
        return redirect(url_for("admin.person", user_id=user_id))
    form = change.form()
    carers, workers = _people_to_choose()
    form.person.choices = carers if change.chooses_carer else workers
    if form.validate_on_submit():
        person = db.session.get_one(User, form.person.data)  # one of the choices
        starts_on = required(form.starts_on.data)
        try:
            change.start(profile, person, starts_on, london_today(), by_id=current_user.id)
        except RelationshipProblem as problem:
            unit_of_work.discard()
            form.person.errors = [relationship_message(problem.reason)]
        else:
            flash(change.saved(profile, person), "success")
            return redirect(url_for("admin.person", user_id=user_id))
    return _person_page(user, profile, **{change.page_form: form})


@manager_only
def person_team(user_id: int):
    """Puts a worker, team manager or manager in a team, or moves them to another."""
    user, _profile = _person_or_404(user_id)
    if user.role not in teams.TEAM_ROLES:
        return redirect(url_for("admin.person", user_id=user_id))
    form = PersonTeamForm()
    form.team_id.choices = _team_choices()
    if form.validate_on_submit():
        team = db.session.get(Team, form.team_id.data) if form.team_id.data else None
        left = db.session.get(Team, user.team_id) if user.team_id else None
        if teams.move_to_team(user, team, actor_id=current_user.id):
            if team is None:
                flash(_("Saved: %(name)s is not in a team now.", name=user.full_name), "success")
            else:
                flash(_("Saved: %(name)s is in %(team)s.", name=user.full_name, team=team.name), "success")
            if left is not None and left.kind is not TeamKind.CASEWORK and not teams.has_members(left.id):
                # The safety net still holds (the other team, then the managers), but the
                # manager must know at once, not on the next visit to the cover page.
                flash(
                    _(
                        "Nobody is in %(team)s now, so urgent alerts in its hours go to the other "
                        "team instead. Put someone in it soon.",
                        team=left.name,
                    ),
                    "error",
                )
        else:
            flash(_("Nothing was changed: they are in that team already."), "info")
        return redirect(url_for("admin.person", user_id=user_id))
    return _person_page(user, team_form=form)


@manager_only
def end_relationship(user_id: int, kind: str, row_id: int):
    _person_or_404(user_id)
    row: LivingArrangement | Allocation | None
    if kind == "living":
        row = db.session.get(LivingArrangement, row_id)
    else:
        row = db.session.get(Allocation, row_id)
    if row is None or row.young_person_id != user_id:
        refuse("end_relationship", asked_for=row_id, young_person_id=user_id)
    form = EndForm()
    if form.validate_on_submit():
        ends_on = required(form.ends_on.data)
        try:
            relationships.end(row, ends_on, by_id=current_user.id)
        except RelationshipProblem as problem:
            unit_of_work.discard()
            flash(relationship_message(problem.reason), "error")
        else:
            flash(_("Saved."), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("admin.person", user_id=user_id))


@manager_only
def new_activation_code(user_id: int):
    user, profile = _person_or_404(user_id)
    form = NewCodeForm()
    if not form.validate_on_submit():
        return _person_page(user, profile, code_form=form, status=400)
    try:
        outcome = reset_service.ask_for_code(
            current_user._get_current_object(),
            user,
            subject_of(profile) if profile is not None else None,
            london_today(),
            now_utc(),
            (form.reason.data or "").strip(),
        )
    except reset_service.ResetRefused:
        refuse(
            "new_activation_code",
            asked_for=user_id,
            young_person_id=user.id if profile is not None else None,
        )
    if outcome.code is None:
        flash(
            _(
                "A second manager must agree before a new code is made for %(name)s. "
                "They can agree on this page.",
                name=user.full_name,
            ),
            "info",
        )
        return redirect(url_for("admin.resets"))
    return render_template("admin/activation_code.html", person=user, code=outcome.code, reset=outcome.reset)


@manager_only
def resets():
    waiting = reset_service.pending()
    page = db.paginate(
        reset_service.all_made_query(),
        page=page_number(),
        per_page=current_app.config["CASELOAD_PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "admin/resets.html",
        page=page,
        waiting=waiting,
        nobody_to_agree=reset_service.without_anyone_to_agree(waiting),
        signed_in_since=reset_service.signed_in_since(list(page.items)),
        confirm_form=ConfirmResetForm(),
        Role=Role,
    )


@manager_only
def confirm_reset(reset_id: int):
    reset = reset_service.get(reset_id)
    form = ConfirmResetForm()
    if reset is None or not form.validate_on_submit():
        refuse("confirm_account_reset", asked_for=reset_id)
    if reset.made_at is not None:
        flash(_("Another manager has already agreed to this one. Nothing was changed."), "info")
        return redirect(url_for("admin.resets"))
    try:
        code = reset_service.confirm(current_user._get_current_object(), reset, now_utc())
    except reset_service.ResetRefused:
        refuse("confirm_account_reset", asked_for=reset_id)
    return render_template("admin/activation_code.html", person=reset.user, code=code, reset=reset)
