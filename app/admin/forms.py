from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField
from wtforms.validators import DataRequired

from app.domain.roles import Role
from app.forms_common import SelectChoice
from app.people.forms import AccountFormMixin, full_name_field, username_field

STAFF_ROLE_CHOICES = [
    SelectChoice(Role.CARER.value, _l("Foster carer or key worker")),
    SelectChoice(Role.SOCIAL_WORKER.value, _l("Social worker")),
    SelectChoice(Role.PERSONAL_ADVISER.value, _l("Personal adviser")),
    SelectChoice(Role.COMPLAINTS_OFFICER.value, _l("Complaints and advocacy officer")),
    SelectChoice(Role.TEAM_MANAGER.value, _l("Team manager")),
    SelectChoice(Role.MANAGER.value, _l("Service manager")),
]


class StaffAccountForm(AccountFormMixin, FlaskForm):
    full_name = full_name_field()
    username = username_field()
    role = RadioField(
        _l("What do they do?"),
        choices=STAFF_ROLE_CHOICES,
        validators=[DataRequired(message=_l("Choose what they do."))],
    )


class StartForm(FlaskForm):
    """Someone a young person lives or works with from a day: a carer moving in or a worker
    allocated. The two differ only in the words and in who can be chosen (`person`)."""

    starts_on: DateField

    @property
    def person(self) -> SelectField:
        raise NotImplementedError


class MoveInForm(StartForm):
    carer_id = SelectField(_l("Carer"), coerce=int, validators=[DataRequired(message=_l("Choose a carer."))])
    starts_on = DateField(
        _l("Date they moved in"),
        validators=[DataRequired(message=_l("Enter the date they moved in, like 2026-03-31."))],
    )

    @property
    def person(self) -> SelectField:
        return self.carer_id


class AllocateForm(StartForm):
    worker_id = SelectField(
        _l("Worker"), coerce=int, validators=[DataRequired(message=_l("Choose a worker."))]
    )
    starts_on = DateField(
        _l("Date the worker starts"),
        validators=[DataRequired(message=_l("Enter the date the worker starts, like 2026-03-31."))],
    )

    @property
    def person(self) -> SelectField:
        return self.worker_id


class EndForm(FlaskForm):
    ends_on = DateField(
        _l("Date it ends"),
        description=_l("From this date it ends."),
        validators=[DataRequired(message=_l("Enter the date it ends, like 2026-03-31."))],
    )


class PersonTeamForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int, choices=[])


class ConfirmResetForm(FlaskForm):
    """The second manager's yes to a new code for a manager or the officer."""
