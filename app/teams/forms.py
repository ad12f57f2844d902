"""The team form, and what each kind of team does in plain words."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, Optional

from app.domain.safety import TeamKind
from app.forms_common import CheckboxesField, PhoneField, SelectChoice, text_limit, week_days
from app.labels import labels

# What each kind of team does, in plain words (the teams page and the team form).
TEAM_KIND_NAMES = labels(
    TeamKind,
    {
        TeamKind.CASEWORK: _l("Workers' team"),
        TeamKind.DUTY: _l("Duty team"),
        TeamKind.OUT_OF_HOURS: _l("Out-of-hours team"),
    },
)
TEAM_KIND_ABOUT = {
    TeamKind.CASEWORK: _l("social workers or personal advisers, with their team manager."),
    TeamKind.DUTY: _l(
        "takes urgent alerts in its opening hours when a young person's own worker is not working."
    ),
    TeamKind.OUT_OF_HOURS: _l(
        "takes urgent alerts at every other time: evenings, nights, weekends and bank holidays."
    ),
}


class TeamForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter the team's name.")),
            text_limit(80),
        ],
    )
    kind = RadioField(
        _l("What does the team do?"),
        choices=[SelectChoice(kind.value, TEAM_KIND_NAMES[kind]) for kind in TeamKind],
        default=TeamKind.CASEWORK.value,
        validators=[DataRequired(message=_l("Choose what the team does."))],
    )
    manager_id = SelectField(_l("Team manager"), coerce=int, choices=[])
    phone = PhoneField(
        _l("Phone"),
        description=_l("Young people and staff may ring this number."),
        render_kw={"inputmode": "tel"},
        validators=[text_limit(40)],
    )
    # Only the duty team's days and hours count: out of hours is every other time.
    days = CheckboxesField(_l("Days the duty team is open"), coerce=int, validate_choice=False)
    opens_at = TimeField(_l("Opens at"), validators=[Optional()], description=_l("For example: 09:00"))
    closes_at = TimeField(_l("Closes at"), validators=[Optional()], description=_l("For example: 17:00"))
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.choices = week_days()
        self.kind.choices = [
            SelectChoice(
                kind.value, _("%(kind)s: %(about)s", kind=TEAM_KIND_NAMES[kind], about=TEAM_KIND_ABOUT[kind])
            )
            for kind in TeamKind
        ]
