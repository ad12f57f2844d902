from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Optional

from app.domain.messages import MAX_MESSAGE_LENGTH, CallWay
from app.domain.roles import ContactKind
from app.forms_common import CheckboxesField, PhoneField, SelectChoice, email_address, text_limit, week_days
from app.sent_once import RepeatForm
from app.timeutil import LONDON


class MessageForm(RepeatForm):
    body = TextAreaField(
        _l("Your message"), validators=[text_limit(MAX_MESSAGE_LENGTH)], render_kw={"rows": 5}
    )
    # The worker the page showed: if they changed meanwhile, the writer is told first.
    to_worker = HiddenField()


class ReplyForm(RepeatForm):
    body = TextAreaField(
        _l("Your answer"), validators=[text_limit(MAX_MESSAGE_LENGTH)], render_kw={"rows": 5}
    )


class CallBackForm(RepeatForm):
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
    # Only days and times the worker works are offered (app.domain.messages.call_days);
    # the choices are checked by the rule, not by the field, so a time that does not suit
    # the worker comes back with words about why.
    call_day = SelectField(_l("Which day?"), choices=[], validate_choice=False)
    call_time = SelectField(_l("What time?"), choices=[], validate_choice=False)
    body = TextAreaField(
        _l("Anything you want to say first? (you do not have to)"),
        validators=[text_limit(MAX_MESSAGE_LENGTH)],
        render_kw={"rows": 3},
    )

    def wanted(self) -> datetime | None:
        """The day and time chosen, in England's time; None if either is missing."""
        try:
            day = date.fromisoformat(self.call_day.data or "")
            at = time.fromisoformat(self.call_time.data or "")
        except ValueError:
            return None
        return datetime.combine(day, at, tzinfo=LONDON)


class StaffCardForm(FlaskForm):
    about_me = TextAreaField(
        _l("About me"),
        description=_l("A few lines young people will read: what you like, how you work."),
        render_kw={"rows": 4},
        validators=[text_limit(600)],
    )
    working_hours = StringField(
        _l("When I work, in my own words"),
        description=_l("Young people read this. For example: Monday to Thursday, and some evenings."),
        validators=[text_limit(200)],
    )
    # Workers only (WORKER_ONLY): the facts the app goes by for urgent alerts and for the
    # times young people may ask to talk.
    work_days = CheckboxesField(_l("The days I work"), coerce=int, validate_choice=False)
    work_starts = TimeField(_l("I start at"), validators=[Optional()], description=_l("For example: 09:00"))
    work_ends = TimeField(_l("I finish at"), validators=[Optional()], description=_l("For example: 17:00"))
    phone = PhoneField(
        _l("Work phone"),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
        validators=[text_limit(40)],
    )
    email = StringField(
        _l("Work email"),
        render_kw={"autocomplete": "email"},
        validators=[
            Optional(),
            email_address(),
            text_limit(120),
        ],
    )
    allow_call = BooleanField(_l("Young people may call me"))
    allow_text = BooleanField(_l("Young people may text me"))
    allow_email = BooleanField(_l("Young people may email me"))
    away_from = DateField(
        _l("First day I am away"),
        validators=[Optional()],
        description=_l("Leave empty if it starts today."),
    )
    away_until = DateField(
        _l("Last day I am away"),
        validators=[Optional()],
        description=_l("Leave empty if you are not away. Empty it when you are back."),
    )
    away_cover_user_id = SelectField(_l("A person"), coerce=int, choices=[], validate_choice=False)
    away_cover_team_id = SelectField(_l("Or a team"), coerce=int, choices=[], validate_choice=False)
    version = HiddenField()

    # Carers have a card too, without working hours or an away period.
    WORKER_ONLY = (
        "work_days",
        "work_starts",
        "work_ends",
        "away_from",
        "away_until",
        "away_cover_user_id",
        "away_cover_team_id",
    )

    def __init__(self, *args, for_worker: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_worker:
            for name in self.WORKER_ONLY:
                delattr(self, name)
        else:
            self.work_days.choices = week_days()


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
            text_limit(120),
        ],
    )
    phone = PhoneField(
        _l("Phone"),
        validators=[text_limit(40)],
    )
    email = StringField(
        _l("Email"),
        validators=[
            Optional(),
            email_address(),
            text_limit(120),
        ],
    )
    about = TextAreaField(
        _l("A few words for the young person (optional)"),
        render_kw={"rows": 2},
        validators=[text_limit(400)],
    )
    starts_on = DateField(_l("From"), validators=[Optional()])
