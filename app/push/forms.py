from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.reminders import KINDS_FOR_ROLE
from app.push.words import KINDS


class PreferencesForm(FlaskForm):
    show_details = BooleanField(
        _l("Show what a reminder is about on my lock screen"),
        description=_l(
            "If you share your phone, or others can see it, leave this off. "
            "Then a reminder only says “You have something new”."
        ),
    )
    muted = SelectMultipleField(
        _l("Turn off reminders about"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=True,
    )

    def __init__(self, role, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.muted.choices = [(kind.value, str(KINDS[kind])) for kind in KINDS_FOR_ROLE.get(role, ())]
