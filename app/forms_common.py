"""Form pieces more than one feature uses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from babel.dates import get_day_names
from flask import abort
from flask_babel import format_number, get_locale, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import HiddenField, PasswordField, SelectMultipleField, StringField

# New in WTForms 3.3; types-WTForms describes 3.2. Other modules import it from here.
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain import phones

T = TypeVar("T")
F = TypeVar("F", bound=FlaskForm)


def required(data: T | None) -> T:
    """The data of a field the form requires (DataRequired, InputRequired), read after the
    form has validated, so it is there. Says so to the type checker, and fails loudly if a
    view reads the field before validating."""
    if data is None:
        raise ValueError("a required field is empty: read it after validate_on_submit()")
    return data


PASSWORD_ADVICE = _l(
    "Use at least 12 characters. Three random words work well, like "
    "“teapot river purple”. You do not need symbols or numbers."
)

PASSWORD_PROBLEMS = {
    "too_short": _l("Your password needs at least 12 characters. Try three random words."),
    "too_long": _l("Your password is too long. Use fewer than 200 characters."),
    "common": _l(
        "That password is too easy to guess. Lots of people use it, or one like it. Try three random words."
    ),
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


class ButtonForm(FlaskForm):
    """A form that is one button (the button_form macro: a step, sign-off, take out, mark as
    read): nothing to fill in but its CSRF token. Every POST has a form class, this one too,
    so the token is checked by the form even where CSRFProtect's own check is turned off."""


def checked(form: F) -> F:
    """`form`, validated, for a form with no checks of its own (a button, hidden values the
    service checks). Only its CSRF token can fail, and a failed token gets the page
    CSRFProtect gives ("This page was open for a long time...")."""
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            raise CSRFError(" ".join(str(e) for e in form.errors["csrf_token"]))
        abort(400)
    return form


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
        if self.lock_version.data is None:
            return -1
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
    """A phone number people can ring (app.domain.phones: UK numbers, international
    numbers with +, UK short numbers like 116 123). Empty passes: use DataRequired for that.
    A valid number is put in its one stored form; anything else is refused and kept as
    typed. A number young people see becomes a tel: link, so words there would ring nobody."""

    message = _l("That does not look like a phone number. Use numbers, like 01632 960300.")

    def __call__(self, form, field) -> None:
        from wtforms.validators import ValidationError

        text = (field.data or "").strip()
        if not text:
            return
        normal = phones.normalise(text)
        # A short number (999, 116 123) is a service's, never a person's or a team's: a
        # worker's "999" would make a young person's "Call Priya" button ring the police.
        if normal is None or not normal.startswith("+"):
            raise ValidationError(str(self.message))
        field.data = normal


class PhoneField(StringField):
    """The one way to ask for a phone number: checked and stored in its normal form
    (PhoneNumber), shown in the box as people write it (07700 900123, not +447700900123)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), PhoneNumber()], **kwargs)

    def _value(self) -> str:
        if self.errors:  # refused: shown exactly as they typed it
            return self.data or ""
        return phones.readable(self.data) if self.data else ""


def email_address():
    """An email address that is well formed (email-validator, syntax only: no look-ups, so
    it works offline and never waits on the network)."""
    from wtforms.validators import Email

    return Email(message=_l("That does not look like an email address."), check_deliverability=False)


def characters(text: str | None) -> int:
    """How long text is, as PostgreSQL and the page's counter count it: in characters, not
    bytes. A browser sends a line break in a box as CR LF, two characters, and counter.js
    counts it as two too, so the page and the server never disagree."""
    return len(text or "")


def too_long_message(limit: int, length: int) -> str:
    """Plain words for text past its limit: the limit, and how far past it."""
    over = length - limit
    return ngettext(
        "This is too long. You can write up to %(max)s characters, and this has %(over)s "
        "character too many. Please make it shorter.",
        "This is too long. You can write up to %(max)s characters, and this has %(over)s "
        "characters too many. Please make it shorter.",
        over,
        max=format_number(limit),
        over=format_number(over),
    )


class TextLimit(Length):
    """The one way a text field declares its limit: `validators=[text_limit(4000)]`.

    Over the limit the form comes back with every word kept and a message saying by how
    much. It never sets `maxlength`, as WTForms' own Length does: a browser silently cuts
    pasted text to maxlength, and the person is then told "Saved" for words that were not.
    The form macro reads the `count_to` flag to show "characters left" as the person types
    (app/static/js/counter.js). A field that writes to a String(N) column needs a limit of
    at most N, or PostgreSQL refuses the row (tests/test_text_limits.py checks)."""

    def __init__(self, max: int):
        super().__init__(max=max)
        self.field_flags = {"count_to": max}

    def __call__(self, form, field) -> None:
        length = characters(field.data if isinstance(field.data, str) else None)
        if length > self.max:
            raise ValidationError(too_long_message(self.max, length))


def text_limit(max: int) -> TextLimit:
    return TextLimit(max)


def limit_problems(form) -> list[str]:
    """Only the length checks of a form, for saving a draft: a draft may be unfinished, but
    it is never cut, so a field past its limit refuses the whole save. Each message is put
    on its field too, for the page; the list (with the fields' labels) is for autosave."""
    problems = []
    for field in form:
        for check in field.validators:
            if isinstance(check, TextLimit):
                try:
                    check(form, field)
                except ValidationError as error:
                    field.errors = [*field.errors, str(error)]
                    problems.append(f"{field.label.text}: {error}")
    return problems


def form_problems(form) -> str:
    """A failed form's messages in one line, each after its field's label, for a page's
    JavaScript to show (autosave answers in JSON)."""
    return " ".join(
        f"{form[name].label.text}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
        if name and name != "csrf_token"
    )


class NewCodeForm(FlaskForm):
    """Making a new activation code (care and admin pages). For someone who already has a
    password it is a reset, kept with its reason for the managers to see."""

    reason = StringField(
        _l("Why do they need a new code? (you can leave this empty)"),
        description=_l("For example: they forgot their password."),
        validators=[
            Optional(),
            text_limit(500),
        ],
    )
