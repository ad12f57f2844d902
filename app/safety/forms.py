from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from app.domain.safety import Outcome
from app.safety.words import OUTCOMES


class NotSafeForm(FlaskForm):
    # Lengths are checked by the rule (app.domain.safety.check_alert_words), so too many
    # words come back whole with a clear message instead of being cut by the browser.
    to = RadioField(_l("Who do you want to tell?"), choices=[], validate_choice=False)
    place = StringField(_l("Where are you? (you do not have to say)"))
    body = TextAreaField(
        _l("What is happening? (you do not have to say)"),
        render_kw={"rows": 4, "data-count-to": "2000"},
    )


# The three forms share the alert's page: a prefix each keeps their fields' ids apart.


class AcknowledgeForm(FlaskForm):
    PREFIX = "ack"
    version = HiddenField()


class NoteForm(FlaskForm):
    PREFIX = "note"
    note = TextAreaField(_l("Add a note"), render_kw={"rows": 3})
    version = HiddenField()


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
    version = HiddenField()
