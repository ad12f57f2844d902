from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from app.domain.messages import CallWay
from app.domain.roles import ContactKind


class MessageForm(FlaskForm):
    # Length is checked by the rule (app.domain.messages), so the message comes back whole
    # with a clear word about it rather than being cut off by the browser.
    body = TextAreaField(_l("Your message"), render_kw={"rows": 5})
    # The worker the page showed: if they changed meanwhile, the writer is told first.
    to_worker = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your answer"), render_kw={"rows": 5})


class CallBackForm(FlaskForm):
    worker_kind = RadioField(_l("Who do you want to talk to?"), choices=[], validate_choice=False)
    way = RadioField(
        _l("How do you want to talk?"),
        choices=[
            SelectChoice(CallWay.PHONE.value, _l("On the phone")),
            SelectChoice(CallWay.IN_PERSON.value, _l("Face to face")),
            SelectChoice(CallWay.ALONE.value, _l("Face to face, on my own without my carer")),
        ],
        default=CallWay.PHONE.value,
    )
    call_at = DateTimeLocalField(
        _l("When is a good time?"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Pick a day and a time."),
    )
    body = TextAreaField(_l("Anything you want to say first? (you do not have to)"), render_kw={"rows": 3})


class StaffCardForm(FlaskForm):
    about_me = TextAreaField(
        _l("About me"),
        description=_l("A few lines young people will read: what you like, how you work."),
        render_kw={"rows": 4},
        validators=[Length(max=600, message=_l("Please keep this under 600 characters."))],
    )
    working_hours = StringField(
        _l("When I work"),
        description=_l("For example: Monday to Thursday, 9am to 5pm."),
        validators=[Length(max=200, message=_l("Please keep this under 200 characters."))],
    )
    phone = StringField(
        _l("Work phone"),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
        validators=[Length(max=40, message=_l("That phone number is too long."))],
    )
    email = StringField(
        _l("Work email"),
        render_kw={"autocomplete": "email"},
        validators=[
            Optional(),
            Email(message=_l("That does not look like an email address.")),
            Length(max=120),
        ],
    )
    allow_call = BooleanField(_l("Young people may call me"))
    allow_text = BooleanField(_l("Young people may text me"))
    allow_email = BooleanField(_l("Young people may email me"))
    away_until = DateField(
        _l("I'm away until (leave empty if you are not away)"),
        validators=[Optional()],
        description=_l("The last day you are away."),
    )
    version = HiddenField()


class ContactForm(FlaskForm):
    kind = RadioField(
        _l("Who are they?"),
        choices=[
            SelectChoice(
                ContactKind.INDEPENDENT_REVIEWING_OFFICER.value, _l("Independent reviewing officer")
            ),
            SelectChoice(ContactKind.INDEPENDENT_VISITOR.value, _l("Independent visitor")),
            SelectChoice(ContactKind.ADVOCATE.value, _l("Advocate")),
        ],
        validators=[DataRequired(message=_l("Choose who they are."))],
    )
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter their name.")),
            Length(max=120, message=_l("That name is too long.")),
        ],
    )
    phone = StringField(
        _l("Phone"), validators=[Length(max=40, message=_l("That phone number is too long."))]
    )
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            Email(message=_l("That does not look like an email address.")),
            Length(max=120),
        ],
    )
    about = TextAreaField(
        _l("A few words for the young person (optional)"),
        render_kw={"rows": 2},
        validators=[Length(max=400, message=_l("Please keep this under 400 characters."))],
    )
    starts_on = DateField(_l("From"), validators=[Optional()])
