"""The young person's "I don't feel safe": who will get it, sending it, and what is
happening since."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, url_for
from flask_babel import format_number
from flask_login import current_user

from app import sent_once
from app.access import roles_required, young_person_or_404
from app.contact.words import part_name
from app.domain import safety as rules
from app.domain.policy import Action
from app.domain.roles import AllocationKind, Role
from app.domain.safety import ANYONE, EventKind
from app.safety import service, words
from app.safety.forms import NotSafeForm
from app.timeutil import app_now, london_date


def _choices(form: NotSafeForm, workers: list[rules.Worker]) -> None:
    """With two workers (a social worker and a personal adviser) the young person picks
    one, or whoever is there; with one or none there is nothing to choose."""
    from flask_babel import gettext as _

    from app.forms_common import SelectChoice

    if len(workers) < 2:
        form.to.choices = []
        return
    form.to.choices = [
        SelectChoice(w.kind.value, _("%(name)s, your %(part)s", name=w.name, part=part_name(w.kind.value)))
        for w in workers
    ] + [SelectChoice(ANYONE, _("Whoever is there"))]


@roles_required(Role.YOUNG_PERSON)
def not_safe():
    profile = young_person_or_404(current_user.id, Action.READ_MESSAGES)
    me = current_user._get_current_object()
    now = app_now()
    workers = service.workers_for(profile.user_id, london_date(now))
    form = NotSafeForm()
    _choices(form, workers)
    if not form.is_submitted():
        form.to.data = ANYONE
    kinds = {w.kind.value for w in workers}
    chosen = AllocationKind(form.to.data) if form.to.data in kinds else None
    if form.validate_on_submit():
        change = sent_once.change_of("not_safe", form.to.data, form.place.data, form.body.data)
        try:
            repeat = sent_once.earlier(me.id, form.send_key.data, change)
        except sent_once.KeyReused:
            repeat = None  # never refused: the other words go too, only without a key
        if repeat is not None:
            return redirect(repeat)
        # Never refused: whatever they wrote, it goes now (app.domain.safety.alert_words).
        service.raise_alert(
            profile,
            me,
            form.body.data,
            form.place.data,
            now,
            chosen=chosen,
            escalate_after=current_app.config["SAFETY_ESCALATE_AFTER"],
        )
        sent_once.went_to(me.id, form.send_key.data, url_for("safety.not_safe_sent"))
        return redirect(url_for("safety.not_safe_sent"))
    cover = service.cover_now()
    if cover.out_of_hours is not None and cover.out_of_hours.phone:
        g.out_of_hours_phone = cover.out_of_hours.phone  # the help numbers need not ask again
    routing = rules.route(workers, cover, now, chosen=chosen)
    return render_template(
        "safety/not_safe.html",
        form=form,
        workers=workers,
        told=words.told_words(service.summary(routing), sent=False),
        within=words.answer_within(current_app.config["SAFETY_ANSWER_WITHIN"]),
        max_length=format_number(rules.MAX_ALERT_LENGTH),
        sent_before=service.still_open_since(profile.user_id),
    )


@roles_required(Role.YOUNG_PERSON)
def not_safe_sent():
    """What is happening with what they sent: who has it, who has seen it, who is on it."""
    young_person_or_404(current_user.id, Action.READ_MESSAGES)
    alerts = service.alerts_of(current_user.id, limit=5)
    if not alerts:
        return redirect(url_for("safety.not_safe"))
    latest = alerts[0]
    raised = next((e for e in latest.events if e.kind is EventKind.RAISED), None)
    return render_template(
        "safety/not_safe_sent.html",
        alert=latest,
        happening=words.happening(latest),
        cut=((raised.detail or {}).get("cut") or 0) if raised else 0,
        within=words.answer_within(current_app.config["SAFETY_ANSWER_WITHIN"]),
        max_length=format_number(rules.MAX_ALERT_LENGTH),
    )
