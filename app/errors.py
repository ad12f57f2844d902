from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from app import audit, ratelimit


def register(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error):
        # The one refusal path's safety net: a page of ours (the route matched) that answers
        # 404 to someone signed in is a refusal or a probe, and is audited even where the
        # view did not say so itself (a record id that does not exist, or is not theirs).
        if request.endpoint and not g.get("refusal_audited") and current_user.is_authenticated:
            try:
                audit.refused("not_found", actor_id=current_user.id, asked_for=request.path[:255])
            except Exception:  # the 404 must still answer if the audit cannot be written
                current_app.logger.exception("could not audit a 404")
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        _log_csrf_failure(error)
        message = _(
            "This page was open for a long time, or something went wrong, so nothing was "
            "saved. Please try again."
        )
        if request.endpoint == "auth.login":
            return _login_again(message, 400)
        return render_template("errors/csrf.html", message=message), 400

    @app.errorhandler(429)
    def too_many(error):
        # The wait said on the page and in Retry-After is the real one: until every limit
        # the person broke lets them try again.
        seconds = ratelimit.seconds_to_wait()
        message = ratelimit.wait_message(seconds)
        # Someone guessing is a security event: quiet on the page, loud in the audit trail.
        from app.auth.forms import posted_username

        username = posted_username()[:64] if request.endpoint == "auth.login" else None
        _audit_on_its_own(
            "throttled",
            {
                "endpoint": request.endpoint,
                "wait_seconds": seconds,
                **({"username": username} if username else {}),
            },
        )
        if request.endpoint == "auth.login":
            response = _login_again(message, 429)
        elif request.endpoint == "account.change_password":
            from app.account.views import password_page_again

            response = password_page_again(message, 429)
        else:
            response = render_template("errors/too_many.html", message=message), 429
        response = current_app.make_response(response)
        response.headers["Retry-After"] = str(seconds or 60)
        return response

    @app.errorhandler(413)
    def too_large(error):
        # Refused before the body is read (MAX_CONTENT_LENGTH), so nothing big is held.
        return render_template("errors/too_large.html"), 413

    @app.errorhandler(500)
    def server_error(error):
        return render_template("errors/500.html"), 500


def _log_csrf_failure(error: CSRFError) -> None:
    """Every refused form reaches the log and the audit trail with Flask-WTF's reason ("The
    referrer header is missing.", "The CSRF token is missing." ...): a whole class of
    failures (every sign-in over HTTPS) was once invisible."""
    reason = str(error.description)[:200]
    current_app.logger.warning(
        "CSRF check failed: %s path=%s address=%s", reason, request.path, request.remote_addr
    )
    _audit_on_its_own("csrf_failed", {"reason": reason})


def _audit_on_its_own(action: str, detail: dict) -> None:
    """A refusal the view never saw: the request changes nothing, and a failing audit write
    never hides the page saying why."""
    actor_id = current_user.id if current_user.is_authenticated else None
    try:
        audit.refused(action, actor_id=actor_id, **detail)
    except Exception:
        current_app.logger.exception("could not record %s in the audit log", action)


def _login_again(message: str, status: int):
    """The sign-in page again, with the username kept (never the password)."""
    from app.auth.forms import LoginForm, posted_username

    form = LoginForm(formdata=None, username=posted_username()[:64])
    form.form_errors.append(message)
    return render_template("auth/login.html", form=form), status
