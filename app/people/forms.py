"""The form that creates a young person's account, used by workers and by the manager."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, StringField
from wtforms.validators import DataRequired, Regexp, ValidationError

from app.auth.accounts import find_user, normalise_username
from app.domain.ages import age_on, status_consistent
from app.domain.roles import CareStatus
from app.forms_common import SelectChoice, required, text_limit
from app.people.service import create_young_person, same_young_person
from app.timeutil import london_today

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{1,62}$",
    message=_l("Use 2 to 63 letters (A to Z) or numbers. Dots, dashes and underscores are fine too."),
)


def username_field():
    return StringField(
        _l("Username"),
        description=_l("They will use this to sign in. No spaces."),
        validators=[DataRequired(message=_l("Choose a username.")), USERNAME_RULE],
        render_kw={"autocapitalize": "none", "spellcheck": "false", "autocomplete": "off"},
    )


def full_name_field():
    return StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter their full name.")), text_limit(120)],
        render_kw={"autocomplete": "off"},
    )


class AccountFormMixin:
    def validate_username(self, field):
        field.data = normalise_username(field.data or "")
        if find_user(field.data) is not None:
            raise ValidationError(_l("Someone already has that username. Try another."))


class YoungPersonForm(AccountFormMixin, FlaskForm):
    full_name = full_name_field()
    preferred_name = StringField(
        _l("Name they like to be called"),
        validators=[DataRequired(message=_l("Enter the name they like to be called.")), text_limit(80)],
        render_kw={"autocomplete": "off"},
    )
    username = username_field()
    date_of_birth = DateField(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Enter their date of birth, like 2012-03-31."))],
    )
    care_status = RadioField(
        _l("Are they in care or a care leaver?"),
        choices=[
            SelectChoice(CareStatus.IN_CARE.value, _l("In care")),
            SelectChoice(CareStatus.CARE_LEAVER.value, _l("Care leaver")),
        ],
        validators=[DataRequired(message=_l("Choose in care or care leaver."))],
    )

    # Shown only when someone with the same name and date of birth is already here.
    different_person = BooleanField(_l("This is a different young person: add them anyway"))

    def validate_different_person(self, field):
        if field.data or not self.date_of_birth.data or not self.full_name.data:
            return
        matches = same_young_person(
            self.full_name.data, self.preferred_name.data or "", self.date_of_birth.data
        )
        if matches:
            self.matches = matches
            raise ValidationError(
                _l(
                    "Someone with this name and date of birth is already here: %(who)s. Check it "
                    "is not the same young person. If it is someone else, tick the box and add them.",
                    who=", ".join(f"{u.full_name} ({u.username})" for u in matches),
                )
            )

    def validate_date_of_birth(self, field):
        today = london_today()
        if field.data is None or field.data > today:
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if age_on(field.data, today) > 25:
            raise ValidationError(_l("This app is for young people up to 25."))

    def validate_care_status(self, field):
        # A value that is no choice already has the field's own "Not a valid choice" message.
        if field.data not in set(CareStatus):
            return
        if self.date_of_birth.data and self.date_of_birth.data <= london_today():
            age = age_on(self.date_of_birth.data, london_today())
            if not status_consistent(CareStatus(field.data), age):
                raise ValidationError(
                    _l(
                        "Under 16: choose in care. 18 or over: choose care leaver. "
                        "At 16 or 17, either can be right."
                    )
                )


def create_young_person_from(form: YoungPersonForm):
    """For a form that has validated."""
    return create_young_person(
        username=form.username.data,
        full_name=form.full_name.data,
        preferred_name=required(form.preferred_name.data),
        date_of_birth=required(form.date_of_birth.data),
        care_status=CareStatus(form.care_status.data),
    )


def relationship_message(reason: str) -> str:
    """Plain words for a RelationshipProblem, for the field the person chose."""
    return {
        "not_a_worker": _("Choose a social worker or personal adviser."),
        "not_a_carer": _("Choose a carer."),
        "too_young_for_pa": _("A personal adviser is for young people from 16."),
        "too_far_ahead": _("Choose a date within the next year."),
        "already_allocated": _("This worker already works with them."),
        "already_living_there": _("They already live with this carer."),
        "overlaps": _("That date is before the start of the one they have now. Choose a later date."),
        "already_ended": _("Someone else has already ended this. Nothing was changed."),
        "ends_before_start": _("The end date must be after the start date."),
    }[reason]
