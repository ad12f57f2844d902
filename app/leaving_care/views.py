"""For young people 16 and over and care leavers: what they are entitled to, and their
health passport."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import unit_of_work
from app.access import manager_only, roles_required, young_person_or_404
from app.domain.health import FIELDS
from app.domain.plans import PlanKind, plan_kind_for
from app.domain.policy import Action
from app.domain.roles import Role
from app.extensions import db
from app.forms_common import ButtonForm, LockForm, SelectChoice, after_conflict, checked
from app.leaving_care import service
from app.leaving_care.forms import AREA_TITLES, HealthPassportForm, OfferItemForm
from app.leaving_care.service import LeavingCareProblem
from app.models import LocalOfferItem
from app.timeutil import london_today, now_utc


def leaving_care_age(profile) -> bool:
    """Entitlements and the health passport are for young people on a pathway plan: 16
    and over, or care leavers."""
    return plan_kind_for(profile.date_of_birth, profile.care_status, london_today()) is PlanKind.PATHWAY_PLAN


def _message(reason: str) -> str:
    return {
        "changed_meanwhile": _("Someone else changed this while you had it open. Look again, then save."),
        "bad_nhs_number": _("That NHS number does not look right. It has 10 numbers, like 943 476 5919."),
        "too_long": _("Please use fewer than 2,000 characters."),
        "bad_area": _("Choose an area."),
    }[reason]


@roles_required(Role.YOUNG_PERSON)
def entitlements():
    if not leaving_care_age(current_user.profile):
        abort(404)
    return render_template("leaving_care/entitlements.html", offer=service.local_offer(), titles=AREA_TITLES)


def _passport_page(profile, form=None, own=True, status=200):
    current = service.passport(profile.user_id)
    if form is None:
        form = HealthPassportForm(formdata=None, data=dict(current.fields) if current else {})
        form.lock_version.data = current.lock_version if current else ""
    return render_template(
        "leaving_care/health_passport.html",
        profile=profile,
        form=form,
        passport=current,
        own=own,
        fields=FIELDS,
    ), status


def _save_passport(profile, own: bool):
    form = HealthPassportForm()
    if form.validate():
        try:
            service.save_passport(
                profile.user_id,
                LockForm.lock(form) if form.lock_version.data else None,
                {name: getattr(form, name).data for name in FIELDS},
                current_user.id,
                now_utc(),
            )
        except LeavingCareProblem as problem:
            unit_of_work.discard()
            if problem.reason == "changed_meanwhile":
                current = service.passport(profile.user_id)
                if current is not None:
                    after_conflict(form, current.lock_version, dict(current.fields or {}))
                form.form_errors.append(_message(problem.reason))
            else:
                target = form.nhs_number if problem.reason == "bad_nhs_number" else form.gp
                target.errors = [*target.errors, _message(problem.reason)]
        else:
            flash(_("Saved."), "success")
            return None
    return _passport_page(profile, form=form, own=own)


@roles_required(Role.YOUNG_PERSON)
def health_passport():
    profile = current_user.profile
    if not leaving_care_age(profile):
        abort(404)
    if request.method == "POST":
        return _save_passport(profile, own=True) or redirect(url_for("leaving_care.health_passport"))
    return _passport_page(profile)


@roles_required(Role.YOUNG_PERSON)
def health_passport_print():
    profile = current_user.profile
    if not leaving_care_age(profile):
        abort(404)
    return render_template(
        "leaving_care/health_passport_print.html",
        profile=profile,
        passport=service.passport(profile.user_id),
        form=HealthPassportForm(formdata=None),
    )


@roles_required(Role.PERSONAL_ADVISER)
def health_passport_for(young_person_id: int):
    profile = young_person_or_404(young_person_id, Action.EDIT_HEALTH_PASSPORT)
    if request.method == "POST":
        return _save_passport(profile, own=False) or redirect(
            url_for("leaving_care.health_passport_for", young_person_id=young_person_id)
        )
    return _passport_page(profile, own=False)


# The manager's pages ----------------------------------------------------------------------


def _offer_form(item=None, prefix="new", posted: bool = False):
    """A local offer item's form; `posted`: filled in from the request (the one sent)."""
    if posted:
        form = OfferItemForm(prefix=prefix, obj=item)
    else:
        form = OfferItemForm(formdata=None, prefix=prefix, obj=item)
    form.area.choices = [SelectChoice(key, str(title)) for key, title in AREA_TITLES.items()]
    return form


def _offer_page(failed=None, failed_key=None, status=200):
    offer = service.local_offer()
    forms = {item.id: _offer_form(item, prefix=f"o{item.id}") for _area, items in offer for item in items}
    new_form = _offer_form()
    if failed_key == "new":
        new_form = failed
    elif failed_key is not None:
        forms[failed_key] = failed
    return render_template(
        "leaving_care/manage_offer.html", offer=offer, forms=forms, new_form=new_form, titles=AREA_TITLES
    ), status


@manager_only
def manage_offer():
    return _offer_page()


@manager_only
def save_offer_item(item_id: int | None = None):
    item = db.get_or_404(LocalOfferItem, item_id) if item_id else None
    form = _offer_form(prefix=f"o{item_id}" if item_id else "new", posted=True)
    if not form.validate():
        return _offer_page(failed=form, failed_key=item_id or "new")
    try:
        service.save_offer_item(
            item,
            area=form.area.data,
            title=form.title.data,
            body=form.body.data,
            who_to_ask=form.who_to_ask.data,
            user_id=current_user.id,
            now=now_utc(),
        )
    except LeavingCareProblem as problem:
        unit_of_work.discard()
        form.area.errors = [_message(problem.reason)]
        return _offer_page(failed=form, failed_key=item_id or "new")
    flash(_("Saved."), "success")
    return redirect(url_for("leaving_care.manage_offer"))


@manager_only
def retire_offer_item(item_id: int):
    checked(ButtonForm())
    item = db.get_or_404(LocalOfferItem, item_id)
    service.retire_offer_item(item, current_user.id, now_utc())
    flash(_("Taken out of the offer."), "success")
    return redirect(url_for("leaving_care.manage_offer"))
