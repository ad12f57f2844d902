"""The error pages. Every one is drawn by errors/_layout.html, which never asks the
database, so it shows even when the database is what failed: the quick exit, 999,
Childline and the out-of-hours number are always there. A handler may still write the
audit log on its own connection (a refusal is kept), but a failure to do so never stops
the page. The database unreachable answers 503 with Retry-After; a read whose connection
dropped was already tried once more by the unit of work (app/unit_of_work.py)."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError

from app import audit, database, i18n, ratelimit, unit_of_work

# When to try again after a 503: long enough for a database to come back or a pool to fill.
RETRY_AFTER_SECONDS = 30


def register(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(error):
        # The one refusal path's safety net: a page of ours (the route matched) that answers
        # 404 to someone signed in is a refusal or a probe, and is audited even where the
        # view did not say so itself (a record id that does not exist, or is not theirs).
        if request.endpoint and not g.get("refusal_audited"):
            try:
                if current_user.is_authenticated:
                    audit.refused("not_found", actor_id=current_user.id, asked_for=request.path[:255])
            except Exception:  # the 404 must still answer if the audit cannot be written
                current_app.logger.exception("could not audit a 404")
        return error_page("errors/404.html", 404)

    @app.errorhandler(405)
    def not_allowed(error):
        body, status = error_page("errors/404.html", 405)
        allowed = getattr(error, "valid_methods", None)
        return body, status, ({"Allow": ", ".join(allowed)} if allowed else {})

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        _log_csrf_failure(error)
        message = _(
            "This page was open for a long time, or something went wrong, so nothing was "
            "saved. Please try again."
        )
        if request.endpoint == "auth.login":
            return _login_again(message, 400)
        return error_page("errors/csrf.html", 400, message=message)

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
            response = error_page("errors/too_many.html", 429, message=message)
        response = current_app.make_response(response)
        response.headers["Retry-After"] = str(seconds or 60)
        return response

    @app.errorhandler(413)
    def too_large(error):
        # Refused before the body is read (MAX_CONTENT_LENGTH), so nothing big is held.
        return error_page("errors/too_large.html", 413)

    @app.errorhandler(DBAPIError)
    def database_failed(error: DBAPIError):
        if not database.unavailable(error):
            raise error  # a bug, not an outage: Flask's own handling, the log and the 500 page
        return _database_unavailable(error)

    @app.errorhandler(500)
    def server_error(error):
        # Whatever broke may have been the session itself: it is rolled back first, and the
        # page is drawn without it. A commit that failed because the database went away
        # arrives here too, and is an outage, not a bug.
        _roll_back()
        if database.unavailable(getattr(error, "original_exception", None)):
            return _database_unavailable(error.original_exception)
        return error_page("errors/500.html", 500)


def error_page(template: str, status: int, **context):
    """An error page, drawn without asking the database. Flask's render_template would run
    every context processor, and some ask the database (Flask-Login's loads the person), so
    the template is given only what it uses; from here on the request's language comes from
    the session cookie or the browser, never the person's row."""
    g.without_database = True
    page = current_app.jinja_env.get_template(template).render(
        html_lang=i18n.html_lang(), text_direction=i18n.text_direction(), **context
    )
    return page, status


def _roll_back() -> None:
    try:
        unit_of_work.discard()
    except Exception:  # a connection too broken even to roll back: the page still answers
        current_app.logger.exception("could not roll back after an error")
        g.discard_changes = True


def _database_unavailable(error: BaseException):
    current_app.logger.error("the database could not be reached: %s", error)
    _roll_back()
    body, status = error_page("errors/503.html", 503, sent=request.method not in unit_of_work.READS)
    response = current_app.make_response((body, status))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


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
    try:
        actor_id = current_user.id if current_user.is_authenticated else None
        audit.refused(action, actor_id=actor_id, **detail)
    except Exception:
        current_app.logger.exception("could not record %s in the audit log", action)


def _login_again(message: str, status: int):
    """The sign-in page again, with the username kept (never the password)."""
    from app.auth.forms import LoginForm, posted_username

    form = LoginForm(formdata=None, username=posted_username()[:64])
    form.form_errors.append(message)
    return render_template("auth/login.html", form=form), status
