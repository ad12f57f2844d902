from __future__ import annotations

from datetime import timedelta

from flask import current_app, jsonify, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select, text

from app import ratelimit, unit_of_work
from app.auth import resets as account_resets
from app.contact import service as contact
from app.domain.ages import age_on
from app.domain.roles import Role
from app.extensions import db
from app.leaving_care.views import leaving_care_age
from app.models import User
from app.people import relationships
from app.plans import service as plans
from app.reviews import service as reviews
from app.safety import service as safety
from app.timeutil import london_today, now_utc
from app.voice.advocacy import current_advocate


@login_required
def index():
    today = london_today()
    role = current_user.role
    if role is Role.YOUNG_PERSON:
        profile = current_user.profile
        workers = relationships.current_workers([current_user.id], today)[current_user.id]
        # A new worker is introduced once, the next time the young person opens the app.
        introductions = contact.introductions_due(profile, today)
        cards = contact.cards_for([a.worker_id for a in introductions])
        if introductions:
            contact.mark_introduced(introductions, now_utc())
        return render_template(
            "home/young_person.html",
            profile=profile,
            introductions=introductions,
            cards=cards,
            unread=sum(contact.unread_by_conversation(current_user.id).values()),
            age=age_on(profile.date_of_birth, today),
            workers=workers,
            new_plan=plans.has_unseen_plan(profile.user_id),
            review=reviews.statuses([profile], today)[profile.user_id],
            leaving_care=leaving_care_age(profile),
            advocate=current_advocate(profile.user_id),
        )
    if role is Role.CARER:
        young_people = relationships.young_people_living_with(current_user.id, today)
        workers_of = relationships.current_workers([p.user_id for p in young_people], today)
        return render_template(
            "home/carer.html",
            young_people=young_people,
            workers=workers_of,
            today=today,
            age_on=age_on,
            unread=contact.unread_by_conversation(current_user.id),
            slug=contact.SLUG_FOR_KIND,
        )
    if role.is_worker:
        return redirect(url_for("care.caseload"))
    if role is Role.MANAGER:
        counts = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
        changed = relationships.changed_worker_since(today - timedelta(days=365), today)
        open_alerts = safety.visible_alerts(current_user, today)
        return render_template(
            "home/manager.html",
            counts=counts,
            changed=changed,
            Role=Role,
            open_alerts=open_alerts,
            moved=safety.moved_alerts(open_alerts, today),
            waiting_resets=len(account_resets.pending()),
        )
    if role is Role.TEAM_MANAGER:
        open_alerts = safety.visible_alerts(current_user, today)
        return render_template(
            "home/team_manager.html",
            open_alerts=open_alerts,
            moved=safety.moved_alerts(open_alerts, today),
            teams=safety.teams_managed_by(current_user.id),
        )
    if role is Role.COMPLAINTS_OFFICER:
        return render_template("home/officer.html")
    return render_template("errors/404.html"), 404


def healthz():
    """200 with status "ok" while the database answers (DESIGN.md's fixed contract). Redis not
    answering is reported beside it ("rate_limit_storage": "unreachable"), still 200: sign-in
    goes on with counts kept in each process, and a load balancer taking every host out
    because Redis is down would stop the whole service."""
    limits = {} if ratelimit.storage_state() == "ok" else {"rate_limit_storage": "unreachable"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to answer means "not healthy"; the log says why
        current_app.logger.exception("health check: database did not answer")
        unit_of_work.discard()
        return jsonify(status="error", database="error", **limits), 503
    return jsonify(status="ok", database="ok", **limits)


def get_help():
    """Who to call when something is wrong right now; open to everyone, signed in or not."""
    return render_template("home/help.html")
