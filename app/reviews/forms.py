from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.forms_common import SelectChoice, text_limit
from app.reviews.service import MAX_PREPARATION_LENGTH
from app.sent_once import RepeatForm


def _box(label, hint=None):
    return TextAreaField(
        label,
        description=hint,
        validators=[text_limit(MAX_PREPARATION_LENGTH)],
        render_kw={"rows": 4},
    )


class PreparationForm(RepeatForm):
    lock_version = HiddenField()
    share = HiddenField()  # the button pressed: "1" shares with the worker, "0" only saves
    going_well = _box(_l("What is going well for you?"))
    not_going_well = _box(_l("What is not going well?"))
    want_to_change = _box(_l("What would you like to change?"))
    who_there = _box(
        _l("Who would you like to be at your review?"),
        _l("For example your carer, a teacher, a friend or an advocate."),
    )
    chair = RadioField(
        _l("Would you like to chair your review?"),
        description=_l("Chairing means you help run the meeting. You can have help with it."),
        choices=[
            SelectChoice("yes", _l("Yes, I would like to")),
            SelectChoice("help", _l("Maybe, with some help")),
            SelectChoice("no", _l("No, not this time")),
        ],
        validators=[Optional()],
    )


class BookReviewForm(FlaskForm):
    booked_for = DateField(
        _l("Date of the review meeting"),
        validators=[DataRequired(message=_l("Enter the date, like 2026-03-31."))],
    )

    def data_date(self):
        return self.booked_for.data


class HeldReviewForm(FlaskForm):
    held_on = DateField(
        _l("Date the review was held"),
        validators=[DataRequired(message=_l("Enter the date, like 2026-03-31."))],
    )

    def data_date(self):
        return self.held_on.data
