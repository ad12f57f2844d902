from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def register(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        message = _(
            "This page was open for a long time, or something went wrong, so nothing was "
            "saved. Please try again."
        )
        if request.endpoint == "auth.login":
            return _login_again(message, 400)
        return render_template("errors/csrf.html", message=message), 400

    @app.errorhandler(429)
    def too_many(error):
        message = _("Too many tries. Please wait a minute, then try again.")
        if request.endpoint == "auth.login":
            return _login_again(message, 429)
        return render_template("errors/too_many.html", message=message), 429

    @app.errorhandler(413)
    def too_large(error):
        # Refused before the body is read (MAX_CONTENT_LENGTH), so nothing big is held.
        return render_template("errors/too_large.html"), 413

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500


def _login_again(message: str, status: int):
    """The sign-in page again, with the username kept (never the password)."""
    from app.auth.forms import LoginForm

    form = LoginForm(formdata=None, username=request.form.get("username", "")[:64])
    form.form_errors.append(message)
    return render_template("auth/login.html", form=form), status
