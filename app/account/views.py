from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, url_for
from flask_babel import get_locale, refresh
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit, unit_of_work
from app.account.forms import ChangePasswordForm, LanguageForm
from app.auth.accounts import CHANGED, set_password
from app.auth.passwords import verify_password
from app.auth.sessions import sign_in
from app.domain.passwords import PasswordProblem
from app.extensions import limiter
from app.forms_common import PASSWORD_PROBLEMS, required
from app.timeutil import now_utc


def _page(password_form=None, language_form=None, status=200):
    language_form = language_form or LanguageForm(locale=current_user.locale or str(get_locale()))
    return (
        render_template(
            "account/settings.html",
            password_form=password_form or ChangePasswordForm(),
            language_form=language_form,
        ),
        status,
    )


@login_required
def settings():
    return _page()


def password_page_again(message: str, status: int):
    """The settings page with `message` over the password form (nothing typed is shown
    again: the form holds only passwords)."""
    form = ChangePasswordForm(formdata=None)
    form.form_errors.append(message)
    return _page(password_form=form, status=status)


def _password_key() -> str:
    return f"password-change:{current_user.get_id()}"


def _wrong_current_password(response) -> bool:
    # Only a wrong current password counts: a new password that is too easy to guess, or
    # typed differently twice, is not someone guessing.
    return bool(g.get("wrong_current_password"))


@login_required
# Someone who finds a phone left signed in could guess its owner's password here instead of
# at sign-in: the same limit as an account's sign-ins, on failed attempts only.
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_password_key,
    deduct_when=_wrong_current_password,
)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, required(form.current.data)):
            g.wrong_current_password = True
            audit.failed("password_changed", actor_id=current_user.id)
            form.current.errors = [_("That is not your password now. Try again.")]
        else:
            user = current_user._get_current_object()
            try:
                set_password(user, required(form.password.data), now_utc(), CHANGED)
            except PasswordProblem as problem:
                unit_of_work.discard()
                form.password.errors = [PASSWORD_PROBLEMS[problem.reason]]
            else:
                # Everyone signed in as this person, anywhere, has been signed out
                # (set_password); this browser gets a fresh session.
                sign_in(user)
                flash(_("Your password is changed. Other phones and computers are signed out."), "success")
                return redirect(url_for("account.settings"))
    return _page(password_form=form, status=200)


@login_required
def change_language():
    form = LanguageForm()
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        refresh()  # so the message below is in the language just chosen
        flash(_("Language saved."), "success")
        return redirect(url_for("account.settings"))
    return _page(language_form=form)
