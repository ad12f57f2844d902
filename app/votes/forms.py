from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_common import SelectChoice, text_limit


class NewVoteForm(FlaskForm):
    question = StringField(
        _l("Question"), validators=[DataRequired(message=_l("Write the question.")), text_limit(200)]
    )
    about = RadioField(
        _l("What is it about?"),
        default="other",
        choices=[
            SelectChoice("passport_name", _l("A new name for the passport")),
            SelectChoice("other", _l("Something else")),
        ],
    )
    options = TextAreaField(
        _l("Options, one on each line"),
        description=_l("You can leave this empty if people will suggest options first."),
        render_kw={"rows": 4},
    )
    voters = SelectMultipleField(
        _l("Who may take part?"),
        choices=[
            SelectChoice("young_people", _l("Young people")),
            SelectChoice("carers", _l("Carers")),
            SelectChoice("staff", _l("Staff")),
        ],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(message=_l("Choose who may take part."))],
    )
    suggestions_close_on = DateField(
        _l("Suggestions close on (leave empty for no suggestions)"), validators=[Optional()]
    )
    closes_on = DateField(
        _l("Voting closes on"), validators=[DataRequired(message=_l("Enter the closing date."))]
    )


class ResultsForm(FlaskForm):
    """The manager's buttons on a vote's results: close it now (what=close), or adopt one
    of the winning options (option=its id)."""

    what = HiddenField()
    option = HiddenField()


class SuggestForm(FlaskForm):
    what = HiddenField()  # "suggest": this form, not the ballot, was sent
    label = StringField(
        _l("Your idea"), validators=[DataRequired(message=_l("Write your idea first.")), text_limit(120)]
    )


class BallotForm(FlaskForm):
    option = RadioField(_l("Your vote"), coerce=int, validators=[DataRequired(message=_l("Choose one."))])
