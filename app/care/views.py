"""Pages for carers and workers about the young people they look after or work with."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app import unit_of_work
from app.access import refuse, roles_required, subject_of, young_person_or_404
from app.auth import resets
from app.domain.account_resets import NewCode
from app.domain.ages import age_on
from app.domain.policy import Action
from app.domain.reviews import Timeliness
from app.domain.roles import WORKER_ROLES, CareStatus, Role
from app.extensions import db
from app.forms_common import NewCodeForm
from app.paging import page_number
from app.people import relationships
from app.people.forms import YoungPersonForm, create_young_person_from, relationship_message
from app.people.relationships import RelationshipProblem
from app.people.service import first_code
from app.reviews import service as reviews
from app.reviews.forms import BookReviewForm, HeldReviewForm
from app.safety import service as safety
from app.timeutil import london_today, now_utc


@roles_required(*WORKER_ROLES)
def caseload():
    today = london_today()
    page = db.paginate(
        relationships.caseload_query(current_user.id, today),
        page=page_number(),
        per_page=current_app.config["CASELOAD_PAGE_SIZE"],
        error_out=False,
    )
    statuses = reviews.statuses([a.young_person for a in page.items], today)
    return render_template(
        "care/caseload.html",
        page=page,
        today=today,
        age_on=age_on,
        statuses=statuses,
        Timeliness=Timeliness,
        open_alerts=safety.visible_alerts(current_user, today),
    )


@roles_required(Role.CARER, *WORKER_ROLES)
def young_person(young_person_id: int):
    return _young_person_page(young_person_or_404(young_person_id, Action.VIEW_PROFILE))


def _young_person_page(profile, code_form: NewCodeForm | None = None, status: int = 200):
    today = london_today()
    is_worker = current_user.role in WORKER_ROLES
    prep = reviews.preparation(profile.user_id) if is_worker else None
    return render_template(
        "care/young_person.html",
        profile=profile,
        age=age_on(profile.date_of_birth, today),
        carer=relationships.current_carer(profile, today),
        workers=relationships.current_workers([profile.user_id], today)[profile.user_id],
        is_worker=is_worker,
        is_pa=current_user.role is Role.PERSONAL_ADVISER,
        activated=profile.user.password_hash is not None,
        status=reviews.statuses([profile], today)[profile.user_id] if is_worker else None,
        prep=prep if prep and prep.shared_at else None,
        book_form=BookReviewForm(),
        held_form=HeldReviewForm(held_on=today),
        code_form=code_form or NewCodeForm(formdata=None),
    ), status


@roles_required(*WORKER_ROLES)
def new_young_person():
    form = YoungPersonForm()
    if form.validate_on_submit():
        worker = current_user._get_current_object()
        profile = create_young_person_from(form)
        try:
            relationships.allocate(profile, worker, london_today(), london_today(), by_id=worker.id)
        except RelationshipProblem as problem:
            # A personal adviser adding a young person under 16: nobody is added, and the
            # date of birth they typed comes back with why.
            unit_of_work.discard()
            form.date_of_birth.errors = [relationship_message(problem.reason)]
        else:
            code = first_code(profile.user, worker, now_utc())
            return render_template("care/activation_code.html", profile=profile, code=code, new=True)
    return render_template("care/new_young_person.html", form=form, CareStatus=CareStatus)


@roles_required(*WORKER_ROLES)
def new_activation_code(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.MANAGE_ACCOUNT)
    form = NewCodeForm()
    if not form.validate_on_submit():
        return _young_person_page(profile, code_form=form, status=400)
    try:
        outcome = resets.ask_for_code(
            current_user._get_current_object(),
            profile.user,
            subject_of(profile),
            london_today(),
            now_utc(),
            (form.reason.data or "").strip(),
        )
    except resets.ResetRefused:
        refuse("new_activation_code", asked_for=young_person_id, young_person_id=young_person_id)
    note = _("Any older code for %(name)s no longer works.", name=profile.preferred_name)
    if outcome.kind is NewCode.RESET:
        note = " ".join(
            (
                note,
                _(
                    "%(name)s is signed out everywhere, and will be told who made this code "
                    "when they next sign in.",
                    name=profile.preferred_name,
                ),
            )
        )
    return render_template(
        "care/activation_code.html", profile=profile, code=outcome.code, new=False, note=note
    )
