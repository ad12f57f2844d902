"""Reminders: turning them on for a device, choosing what they say and about what, sending
a test, and the notification centre."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import unit_of_work
from app.access import refuse
from app.clean_input import takes_json
from app.forms_common import ButtonForm, checked
from app.people import relationships
from app.push import centre, delivery, devices, preferences
from app.push.forms import PreferencesForm
from app.push.words import DISCREET
from app.timeutil import london_today, now_utc


def _settings_page(form=None, status=200):
    user_id = current_user.id
    settings = preferences.settings_for(user_id)
    form = form or PreferencesForm(
        current_user.role, show_details=settings.show_details, muted=list(settings.muted or [])
    )
    return (
        render_template(
            "push/settings.html",
            form=form,
            devices=devices.devices(user_id),
            configured=delivery.push_configured(current_app.config),
        ),
        status,
    )


@login_required
def settings():
    return _settings_page()


@login_required
def save_preferences():
    form = PreferencesForm(current_user.role)
    if not form.validate_on_submit():
        return _settings_page(form, 400)
    preferences.save_settings(current_user.id, form.show_details.data, form.muted.data or [], now_utc())
    flash(_("Saved your reminder choices."), "success")
    return redirect(url_for("push.reminders"))


@takes_json
@login_required
def subscribe():
    """Called by the page's script when reminders are turned on, and each time the app
    opens with permission already given (a browser can renew its subscription at any time)."""
    data = request.get_json(silent=True)
    try:
        row = devices.save_subscription(
            current_user.id, data or {}, request.headers.get("User-Agent", ""), now_utc()
        )
    except devices.SubscriptionProblem as problem:
        unit_of_work.discard()
        message = (
            _("You have turned reminders on on too many devices. Turn one off first.")
            if problem.reason == "too_many"
            else _("This browser sent something we could not use.")
        )
        current_app.logger.warning("push subscription refused: %s", problem)
        return jsonify(status="refused", reason=problem.reason, message=message, detail=problem.detail), 400
    return jsonify(status="ok", device=row.device_label)


@login_required
def remove_device(subscription_id: int):
    checked(ButtonForm())
    if not devices.remove_device(current_user.id, subscription_id):
        unit_of_work.discard()
        abort(404)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status="ok")
    flash(_("Reminders are turned off on that device."), "success")
    return redirect(url_for("push.reminders"))


@login_required
def send_test():
    checked(ButtonForm())
    config = current_app.config
    if not delivery.push_configured(config):
        flash(_("Reminders on phones are not set up on this server yet."), "error")
        return redirect(url_for("push.reminders"))
    if not devices.devices(current_user.id):
        flash(_("Turn on reminders on this phone first, then send a test."), "error")
        return redirect(url_for("push.reminders"))
    report = delivery.send_test(
        current_user.id,
        sender=delivery.sender_from_config(config),
        clock=now_utc,
        **delivery.deliver_options(config),
    )
    if report.sent:
        flash(_("We sent a test. It should arrive in a few seconds."), "success")
    else:
        flash(_("We could not reach your devices just now. Please try again later."), "error")
    return redirect(url_for("push.reminders"))


@login_required
def notifications():
    rows = centre.notifications(current_user.id, london_today())
    # Staff have notifications about several young people; a young person's are their own.
    names = (
        relationships.preferred_names(n.young_person_id for n in rows) if current_user.role.is_staff else {}
    )
    return render_template(
        "push/notifications.html",
        notifications=rows,
        names=names,
        DISCREET=DISCREET,
    )


@login_required
def read(notification_id: int):
    checked(ButtonForm())
    row = centre.mark_read(current_user.id, notification_id, now_utc(), london_today())
    if row is None:
        refuse("read_notification", asked_for=notification_id)
    # Only our own paths: a notification's URL is written by the app, never by a person.
    target = row.url if row.url.startswith("/") and not row.url.startswith("//") else "/notifications"
    return redirect(target)


@login_required
def read_all():
    checked(ButtonForm())
    centre.mark_read(current_user.id, None, now_utc(), london_today())
    flash(_("All marked as read."), "success")
    return redirect(url_for("push.notifications"))
