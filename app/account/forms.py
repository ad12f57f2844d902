from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.validators import DataRequired

from app.forms_common import SelectChoice, new_password_fields


class ChangePasswordForm(FlaskForm):
    current = PasswordField(
        _l("Your password now"),
        validators=[DataRequired(message=_l("Enter the password you use now."))],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class LanguageForm(FlaskForm):
    locale = RadioField(_l("Language"), validators=[DataRequired(message=_l("Choose a language."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = [
            SelectChoice(code, name, render_kw={"lang": code.replace("_", "-")})
            for code, name in current_app.config["LANGUAGES"].items()
        ]
