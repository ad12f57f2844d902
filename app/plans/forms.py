from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from app.domain.plans import MAX_ACTION_LENGTH, MAX_TEXT_LENGTH
from app.forms_common import LockForm, PrefixedForm, text_limit


class SectionForm(PrefixedForm):
    """One section's words. The draft page puts every section in one form (DraftWordsForm
    carries its token and version), so each Save keeps all that was typed."""

    text = TextAreaField(_l("Words"), validators=[text_limit(MAX_TEXT_LENGTH)], render_kw={"rows": 5})


class ActionForm(PrefixedForm):
    lock_version = HiddenField()
    what = StringField(
        _l("What needs to happen"),
        validators=[DataRequired(message=_l("Say what needs to happen.")), text_limit(MAX_ACTION_LENGTH)],
    )
    who = StringField(
        _l("Who will do it"),
        validators=[DataRequired(message=_l("Say who will do it.")), text_limit(MAX_ACTION_LENGTH)],
    )
    by_when = DateField(_l("By when (you can leave this empty)"), validators=[Optional()])


class ViewForm(PrefixedForm):
    text = TextAreaField(
        _l("What I think"),
        validators=[
            DataRequired(message=_l("Write what you think first.")),
            text_limit(MAX_TEXT_LENGTH),
        ],
        render_kw={"rows": 3},
    )


class DraftWordsForm(LockForm):
    """The form every section's words belong to (the sections' Save buttons submit it)."""
