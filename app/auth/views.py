from __future__ import annotations

from urllib.parse import unquote, urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import DBAPIError

from app import audit, unit_of_work
from app.auth import devices, resets
from app.auth.accounts import (
    ActivationProblem,
    authenticate,
    normalise_username,
    redeem_activation_code,
)
from app.auth.forms import ActivateForm, LeaveForm, LoginForm, posted_username
from app.auth.sessions import end_session, sign_in
from app.domain.passwords import PasswordProblem
from app.domain.roles import Role
from app.extensions import csrf, limiter
from app.forms_common import PASSWORD_PROBLEMS, ButtonForm, checked, required
from app.timeutil import now_utc

# Signing out and leaving quickly empty the browser's cache of this site (and its
# back/forward cache) but keep its cookies: the session cookie is deleted on its own and
# the known-device cookie must survive, or a classmate's guesses could lock its owner out
# (DESIGN.md). Not "storage" either: that would unregister the service worker with its push
# subscription, and lose passport ticks still waiting for a signal.
CLEAR_SITE_DATA = '"cache"'
QUICK_EXIT_CLEAR_SITE_DATA = CLEAR_SITE_DATA
# What Sec-Fetch-Site says about a request made by one of our own pages ("none": the person
# started it themselves). Browsers too old to send it are judged by Origin alone.
OUR_OWN_PAGES = frozenset({"same-origin", "none"})


def _failed(response) -> bool:
    # Only failed attempts count towards the limits: someone who signs in is never slowed,
    # and a classmate guessing cannot lock a young person out for long.
    # A 429 checked no password: pressing again while told to wait must not turn the
    # minute's wait into the hour's (walk-through: twenty presses locked a phone out for 60).
    return response.status_code not in (302, 429)


def _account_key() -> str:
    """Everyone guessing at an account shares one count, except a browser the account
    signed in on before: it has a count of its own, so its owner is never locked out."""
    username = normalise_username(posted_username())[:64]
    device = devices.device_for(username)
    return f"account:{username}:device:{device}" if device else f"account:{username}"


def _on_a_known_device() -> bool:
    """Whether this browser is one the account being signed in to used before. Its owner is
    then left out of the address's count: a classmate guessing on the same school Wi-Fi must
    not lock her out (the device still has its own count for the account, in case the
    phone is stolen)."""
    username = normalise_username(posted_username())[:64]
    return devices.device_for(username) is not None


def _per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def _per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (then home). Browsers drop tabs and
    newlines from a Location and read a backslash as a slash, so "/\t/evil.example" would
    leave the site: anything with a control character or a backslash, or that names a
    scheme or a host once decoded, is refused (and CR/LF never reach a header)."""
    if not target or not target.startswith("/"):
        return None
    decoded = unquote(target)
    if any(c in decoded for c in "\\") or any(ord(c) < 32 or ord(c) == 127 for c in decoded):
        return None
    if decoded.startswith("//") or target.startswith("//"):
        return None
    parts = urlsplit(decoded)
    if parts.scheme or parts.netloc:
        return None
    return target


@limiter.limit(_per_address, methods=["POST"], deduct_when=_failed, exempt_when=_on_a_known_device)
@limiter.limit(_per_account, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username = required(form.username.data)
        user = authenticate(username, required(form.password.data))
        if user is not None:
            sign_in(user)
            response = redirect(_after_sign_in(user, _safe_next(request.args.get("next"))))
            devices.remember(response, user.username)
            return response
        audit.failed("sign_in", username=normalise_username(username)[:64])
        form.form_errors.append(_("That username and password do not match. Check them and try again."))
        status = 200
    return render_template("auth/login.html", form=form), status


def _after_sign_in(user, target: str | None) -> str:
    """Where a sign-in goes: first to the notice of a new code someone made for them, if
    they have not seen it, then where they were going."""
    if resets.has_unseen(user.id):
        return url_for("auth.new_code_notice", next=target) if target else url_for("auth.new_code_notice")
    return target or url_for("home.index")


@login_required
def new_code_notice():
    """Told once, at the sign-in after someone made a new code for this account: who made
    it and when, and who to tell if they did not ask for it (that person may be the
    problem, so not only them)."""
    target = _safe_next(request.args.get("next")) or url_for("home.index")
    shown = resets.unseen(current_user.id)
    if not shown:
        return redirect(target)
    resets.mark_seen(shown, now_utc())
    return render_template(
        "auth/new_code_notice.html",
        shown=shown,
        target=target,
        young_person=current_user.role is Role.YOUNG_PERSON,
    )


@login_required
def logout():
    checked(ButtonForm())
    end_session(current_user, "logout")
    response = redirect(url_for("auth.signed_out"), code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def signed_out():
    response = current_app.make_response(render_template("auth/signed_out.html"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@limiter.limit(_per_address, methods=["POST"], deduct_when=_failed)
def activate():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = ActivateForm()
    if form.validate_on_submit():
        messages = {
            "unknown": _("That code and username do not match. Check them, or ask your worker."),
            "used": _("This code has already been used. Ask your worker for a new one."),
            "expired": _("This code is too old now. Ask your worker for a new one."),
        }
        try:
            user = redeem_activation_code(
                required(form.username.data), required(form.code.data), form.password.data, now_utc()
            )
        except ActivationProblem as problem:
            audit.failed("activate", reason=problem.reason)
            form.code.errors = [*form.code.errors, messages[problem.reason]]
        except PasswordProblem as problem:
            unit_of_work.discard()
            form.password.errors = [*form.password.errors, PASSWORD_PROBLEMS[problem.reason]]
        else:
            # A new code is also how a forgotten password is reset: whoever was signed in
            # with the old password has been signed out (set_password).
            sign_in(user)
            flash(_("Your password is set. Welcome!"), "success")
            return redirect(_after_sign_in(user, None))
    return render_template("auth/activate.html", form=form)


def _from_another_site() -> bool:
    """Whether a page on another site sent this request (a form there posting to us)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in OUR_OWN_PAGES:
        return True
    origin = request.headers.get("Origin")
    # Our pages send their origin to our own pages (Referrer-Policy: same-origin), but a
    # browser says "null" under no-referrer or from a sandboxed or privacy-minded page:
    # "null" is treated as absent, and Sec-Fetch-Site above has already said same-origin.
    if origin and origin != "null":
        return urlsplit(origin).netloc != request.host
    return False


def _sent_by_script() -> bool:
    """app.js sends a beacon, which wants no page back; a form (no JavaScript) does."""
    mode = request.headers.get("Sec-Fetch-Mode")
    return LeaveForm().beacon.data == "1" or (mode is not None and mode != "navigate")


# Not CSRF protected, on purpose. Signing this browser out is the only thing it does, and a
# token that fails (a page left open for hours, a session that ended a moment ago) must never
# keep a child on the page they are trying to leave. Other sites' requests are refused by
# their Sec-Fetch-Site and Origin headers instead, quietly: the person still leaves.
@csrf.exempt
def leave():
    exit_url = current_app.config["QUICK_EXIT_URL"]
    if _from_another_site():
        audit.refused(
            "quick_exit",
            actor_id=current_user.id if current_user.is_authenticated else None,
            reason="another_site",
            origin=(request.headers.get("Origin") or "")[:255],
        )
        return redirect(exit_url, code=303)
    try:
        if current_user.is_authenticated:
            end_session(current_user, "quick_exit")
    except DBAPIError:
        # The database is down (this may be its error page): the person leaves all the same,
        # this browser forgets the session, and the server ends it at the idle limit.
        current_app.logger.exception("quick exit: could not end the session on the server")
        unit_of_work.discard()
    # An empty session is sent as a deleted cookie, whether or not anyone was signed in.
    session.clear()
    response = current_app.make_response(("", 204)) if _sent_by_script() else redirect(exit_url, 303)
    response.headers["Clear-Site-Data"] = QUICK_EXIT_CLEAR_SITE_DATA
    return response
