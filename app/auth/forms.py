from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired

from app.forms_common import new_password_fields, text_limit


def _username_field(missing: str) -> StringField:
    """The username someone signs in with (at sign-in and with an activation code);
    `missing` is said when it is left empty."""
    return StringField(
        _l("Username"),
        validators=[DataRequired(message=missing), text_limit(64)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class LoginForm(FlaskForm):
    username = _username_field(_l("Enter your username."))
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


def posted_username() -> str:
    """The username a sign-in form sent, read through LoginForm, for what runs before the
    view or instead of it (the throttle's keys, the pages for a failed token or too many
    tries). Without a token check: it only reads, and must not start a session."""
    return LoginForm(meta={"csrf": False}).username.data or ""


class LeaveForm(FlaskForm):
    """Quick exit. It carries no CSRF token, on purpose (auth.views.leave says why); app.js
    sends beacon=1 when it wants no page back."""

    class Meta:
        csrf = False

    beacon = HiddenField()


class ActivateForm(FlaskForm):
    username = _username_field(_l("Enter the username your worker gave you."))
    code = StringField(
        _l("Activation code"),
        description=_l("It looks like ABCD-EFGH-JKMN. Your worker gave it to you."),
        validators=[DataRequired(message=_l("Enter your activation code.")), text_limit(32)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"},
    )
    password, confirm = new_password_fields()
