from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from app.domain.promise import MAX_WORDS_LENGTH, Answer, ItemKind
from app.forms_common import LockForm, PrefixedForm, SelectChoice, text_limit
from app.sent_once import RepeatForm

__all__ = ["LockForm"]

# The Promise's longer words are Text in the database; this keeps a page readable.
MAX_CONTENT_LENGTH = 4000


class AnswerForm(RepeatForm, PrefixedForm):
    answer = RadioField(
        _l("Is this promise kept for you?"),
        choices=[
            SelectChoice(Answer.YES.value, _l("Yes")),
            SelectChoice(Answer.SOMETIMES.value, _l("Sometimes")),
            SelectChoice(Answer.NO.value, _l("No")),
        ],
        validators=[DataRequired(message=_l("Choose yes, sometimes or no."))],
    )
    words = TextAreaField(
        _l("Do you want to say more? You do not have to."),
        validators=[text_limit(MAX_WORDS_LENGTH)],
        render_kw={"rows": 3},
    )


class DraftTextForm(FlaskForm):
    lock_version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), text_limit(120)])
    intro = TextAreaField(
        _l("Introduction"),
        validators=[DataRequired(message=_l("Enter an introduction.")), text_limit(MAX_CONTENT_LENGTH)],
        render_kw={"rows": 3},
    )
    not_kept_title = StringField(
        _l("Heading for when a promise is not kept"),
        validators=[DataRequired(message=_l("Enter a heading.")), text_limit(120)],
    )
    not_kept_body = TextAreaField(
        _l("What to do when a promise is not kept"),
        validators=[DataRequired(message=_l("Say what to do.")), text_limit(MAX_CONTENT_LENGTH)],
        render_kw={"rows": 4},
    )


class ItemForm(PrefixedForm):
    lock_version = HiddenField()
    title = StringField(_l("Title"), validators=[DataRequired(message=_l("Enter a title.")), text_limit(120)])
    body = TextAreaField(
        _l("Words"),
        validators=[DataRequired(message=_l("Enter the words.")), text_limit(400)],
        render_kw={"rows": 3},
    )
    icon = SelectField(_l("Picture"))


class NewItemForm(ItemForm):
    kind = RadioField(
        _l("Is it a right or a promise?"),
        choices=[
            SelectChoice(ItemKind.RIGHT.value, _l("A right")),
            SelectChoice(ItemKind.COMMITMENT.value, _l("A promise we make")),
        ],
        validators=[DataRequired(message=_l("Choose a right or a promise."))],
    )
