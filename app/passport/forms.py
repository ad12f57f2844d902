from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange

from app.forms_common import PrefixedForm, SelectChoice, text_limit
from app.passport.words import AREAS


class SkillStepForm(FlaskForm):
    """A step button on one skill (passport/_step_forms.html). The service checks the step,
    the key and the note's length itself, so each problem gets its own plain message."""

    to_step = HiddenField()
    expected_step = HiddenField()
    idempotency_key = HiddenField()
    note = TextAreaField()


class QueueForm(FlaskForm):
    """Signing off or sending back the ticked skills (passport/queue.html): each item is
    "young person id:skill id", checked one by one in the view."""

    item = SelectMultipleField(validate_choice=False)
    note = TextAreaField()
    decision = HiddenField()  # the value of the button pressed


class SkillForm(PrefixedForm):
    area = SelectField(_l("Area"), choices=[SelectChoice(key, str(title)) for key, title in AREAS.items()])
    title = StringField(
        _l("What they can do"), validators=[DataRequired(message=_l("Enter a title.")), text_limit(120)]
    )
    description = TextAreaField(
        _l("What it means"),
        render_kw={"rows": 2},
        validators=[DataRequired(message=_l("Say what it means.")), text_limit(400)],
    )
    tip = TextAreaField(
        _l("How to practise it"),
        render_kw={"rows": 2},
        validators=[DataRequired(message=_l("Give a tip for practising.")), text_limit(400)],
    )
    starts_at_age = IntegerField(
        _l("Starts at age"),
        validators=[
            DataRequired(message=_l("Enter an age.")),
            NumberRange(min=10, max=25, message=_l("Choose an age from 10 to 25.")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [SelectChoice(key, str(title)) for key, title in AREAS.items()]
