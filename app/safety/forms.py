from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField

from app.domain.safety import MAX_ALERT_LENGTH, Outcome
from app.forms_common import SelectChoice
from app.safety.words import OUTCOMES
from app.sent_once import RepeatForm


class NotSafeForm(RepeatForm):
    # No maxlength: an alert is never refused for its words (app.domain.safety.alert_words),
    # and the page counts as they type.
    to = RadioField(
        _l("Who do you want to tell?"),
        choices=[],
        validate_choice=False,
        description=_l(
            "Both of your workers always see it, so they can keep you safe. Choose who you "
            "would most like to talk to about it."
        ),
    )
    place = StringField(_l("Where are you? (you do not have to say)"))
    body = TextAreaField(
        _l("What is happening? (you do not have to say)"),
        render_kw={"rows": 4, "data-count-to": str(MAX_ALERT_LENGTH)},
    )


# The three forms share the alert's page: a prefix each keeps their fields' ids apart.


class AcknowledgeForm(FlaskForm):
    """ "I've got this": a button."""

    PREFIX = "ack"


class NoteForm(FlaskForm):
    PREFIX = "note"
    note = TextAreaField(_l("Add a note"), render_kw={"rows": 3})


class WriteForm(FlaskForm):
    PREFIX = "write"
    body = TextAreaField(_l("Write to them"), render_kw={"rows": 3})


class CloseForm(FlaskForm):
    PREFIX = "close"
    outcome = RadioField(
        _l("What was done?"),
        choices=[SelectChoice(o.value, OUTCOMES[o]) for o in Outcome],
        validate_choice=False,
    )
    note = TextAreaField(
        _l("What happened, and what happens next"),
        render_kw={"rows": 4},
        description=_l("This is kept as part of the young person's safeguarding record."),
    )
