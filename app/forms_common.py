"""Form pieces more than one feature uses."""

from __future__ import annotations

from collections.abc import Mapping

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo
from wtforms.widgets import CheckboxInput, ListWidget

PASSWORD_ADVICE = _l(
    "Use at least 12 characters. Three random words work well, like "
    "“teapot river purple”. You do not need symbols or numbers."
)

PASSWORD_PROBLEMS = {
    "too_short": _l("Your password needs at least 12 characters. Try three random words."),
    "too_long": _l("Your password is too long. Use fewer than 200 characters."),
    "common": _l("Lots of people use that password, so it is easy to guess. Try three random words."),
    "personal": _l("Your password cannot be just your name. Try three random words."),
}


def new_password_fields():
    """A new password and its repeat, for forms that set one."""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Enter a new password."))],
        description=PASSWORD_ADVICE,
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            DataRequired(message=_l("Type your new password again.")),
            EqualTo("password", message=_l("The two passwords are not the same. Type them again.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class PrefixedForm(FlaskForm):
    """For pages with several copies of one form (one per item), told apart by a prefix.
    CSRFProtect checks the page's token on every POST before the view runs, so these forms
    do not carry a second, prefixed token of their own."""

    class Meta:
        csrf = False


class LockForm(FlaskForm):
    """A button that changes a versioned record: it carries the version the page showed,
    so a change made meanwhile by someone else is noticed."""

    lock_version = HiddenField()

    def lock(self) -> int:
        try:
            return int(self.lock_version.data)
        except (TypeError, ValueError):
            return -1


def after_conflict(form, lock_version: int | None, saved: Mapping[str, object]) -> None:
    """Someone else saved the record first. The form keeps what this person typed, takes
    the version saved now (so their next save works instead of failing again) and keeps
    what is saved now where it differs from what they typed, for the page to show both
    (the `saved_meanwhile` macro) so they can merge the two."""
    if lock_version is not None:  # None: the version is carried by another form on the page
        form.lock_version.data = lock_version
    form.saved_meanwhile = {
        name: value
        for name, value in saved.items()
        if name in form and (form[name].data or "") != (value or "")
    }


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; templates show it with the `checkboxes` macro."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def week_days() -> list[SelectChoice]:
    """The days of the week, Monday first, in the reader's language (Babel's names), as
    choices whose values are 0 (Monday) to 6."""
    names = get_day_names("wide", locale=get_locale() or "en_GB")
    return [SelectChoice(day, names[day]) for day in range(7)]


class PhoneNumber:
    """A phone number people can ring: digits, with spaces, brackets, dashes or a leading
    +, and 6 to 15 digits (ITU E.164 allows 15). Empty passes: use DataRequired for that.
    A number young people see becomes a tel: link, so words there would ring nobody."""

    message = _l("That does not look like a phone number. Use numbers, like 01632 960300.")

    def __call__(self, form, field) -> None:
        from wtforms.validators import ValidationError

        text = (field.data or "").strip()
        if not text:
            return
        digits = sum(c.isdigit() for c in text)
        allowed = set("0123456789 ()-+")
        if not set(text) <= allowed or "+" in text[1:] or not 6 <= digits <= 15:
            raise ValidationError(str(self.message))


def email_address():
    """An email address that is well formed (email-validator, syntax only: no look-ups, so
    it works offline and never waits on the network)."""
    from wtforms.validators import Email

    return Email(message=_l("That does not look like an email address."), check_deliverability=False)
