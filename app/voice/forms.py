from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.domain.complaints import (
    MAX_ABOUT_WHO,
    MAX_ADVOCATE_EMAIL,
    MAX_ADVOCATE_NAME,
    MAX_ADVOCATE_PHONE,
    MAX_SERVICE_NAME,
    MAX_TEAM_NAME,
    MAX_TEXT,
)
from app.forms_common import PhoneField, PrefixedForm, SelectChoice, email_address, text_limit
from app.sent_once import RepeatForm


class ComplaintForm(RepeatForm):
    """Written for a child: short questions, plain words."""

    lock_version = HiddenField()
    send = HiddenField()  # the button pressed: "1" sends, "0" saves for later
    what_happened = TextAreaField(
        _l("What happened?"),
        description=_l("Say it in your own words. You can write a lot or a little."),
        validators=[
            DataRequired(message=_l("Tell us what happened.")),
            text_limit(MAX_TEXT),
        ],
        render_kw={"rows": 6},
    )
    put_right = TextAreaField(
        _l("What would make it better?"),
        description=_l("What would you like to happen now?"),
        validators=[
            DataRequired(message=_l("Tell us what would make it better.")),
            text_limit(MAX_TEXT),
        ],
        render_kw={"rows": 4},
    )
    about_who = StringField(
        _l("Is it about a person? (you can leave this empty)"),
        validators=[Optional(), text_limit(MAX_ABOUT_WHO)],
    )
    wants_advocate = RadioField(
        _l("Would you like an advocate to help you?"),
        description=_l("An advocate is on your side. They help you say what you want. It is free."),
        choices=[SelectChoice("yes", _l("Yes, please")), SelectChoice("no", _l("No, thank you"))],
        validators=[DataRequired(message=_l("Say if you would like an advocate."))],
    )


class ForYoungPersonForm(ComplaintForm):
    """The same questions for a carer or worker writing on a young person's behalf."""

    what_happened = TextAreaField(
        _l("What happened, as the young person tells it"),
        validators=[
            DataRequired(message=_l("Say what happened.")),
            text_limit(MAX_TEXT),
        ],
        render_kw={"rows": 6},
    )
    put_right = TextAreaField(
        _l("What the young person would like to happen"),
        validators=[
            DataRequired(message=_l("Say what would put it right.")),
            text_limit(MAX_TEXT),
        ],
        render_kw={"rows": 4},
    )
    wants_advocate = RadioField(
        _l("Does the young person want an advocate?"),
        description=_l("Every young person who complains must be offered an advocate."),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No, they said no thank you"))],
        validators=[DataRequired(message=_l("Say if they want an advocate."))],
    )


class NextStageForm(FlaskForm):
    lock_version = HiddenField()
    note = TextAreaField(
        _l("Why are you not happy with the answer? (you can leave this empty)"),
        validators=[Optional(), text_limit(MAX_TEXT)],
        render_kw={"rows": 3},
    )


class AdvocateForm(FlaskForm):
    help_with = TextAreaField(
        _l("What would you like help with? (you can leave this empty)"),
        validators=[Optional(), text_limit(MAX_TEXT)],
        render_kw={"rows": 3},
    )


class StepForm(FlaskForm):
    """The officer's steps on a complaint; each sends only the fields it needs."""

    lock_version = HiddenField()
    note = TextAreaField(_l("Note"), validators=[Optional(), text_limit(MAX_TEXT)])
    days = IntegerField(
        _l("Extra working days"),
        validators=[Optional(), NumberRange(min=1, max=65, message=_l("Enter a number of working days."))],
    )
    to_stage = SelectField(
        _l("Move to"),
        coerce=int,
        choices=[SelectChoice(2, _l("Stage 2: investigation")), SelectChoice(3, _l("Stage 3: review panel"))],
        validators=[Optional()],
    )
    worker = SelectField(_l("Share with"), coerce=int, validators=[Optional()], validate_choice=False)


class ReferForm(PrefixedForm):
    lock_version = HiddenField()
    service_name = StringField(
        _l("Referred to"),
        validators=[DataRequired(message=_l("Say which service.")), text_limit(MAX_SERVICE_NAME)],
    )


class AllocateForm(PrefixedForm):
    lock_version = HiddenField()
    name = StringField(
        _l("Advocate's name"),
        validators=[DataRequired(message=_l("Enter the advocate's name.")), text_limit(MAX_ADVOCATE_NAME)],
    )
    phone = PhoneField(_l("Phone"), validators=[Optional(), text_limit(MAX_ADVOCATE_PHONE)])
    email = StringField(_l("Email"), validators=[Optional(), text_limit(MAX_ADVOCATE_EMAIL), email_address()])


class ThanksForm(FlaskForm):
    person = SelectField(_l("Who would you like to thank?"), coerce=int, validators=[Optional()])
    team = StringField(
        _l("Or a team (you can leave this empty)"),
        validators=[Optional(), text_limit(MAX_TEAM_NAME)],
    )
    message = TextAreaField(
        _l("Your thank you"),
        validators=[
            DataRequired(message=_l("Write your thank you first.")),
            text_limit(MAX_TEXT),
        ],
        render_kw={"rows": 4},
    )
