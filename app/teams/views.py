"""The manager's teams and cover pages: the council's teams, the duty and out-of-hours
teams, and how an urgent alert reaches someone (the rule is app.domain.safety)."""

from __future__ import annotations

from datetime import time, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Field

from app import unit_of_work
from app.access import manager_only
from app.domain.safety import HoursProblem, TeamKind, TeamProblem, days_from_text
from app.extensions import db
from app.forms_common import SelectChoice, required
from app.models import Team
from app.push.delivery import push_configured
from app.safety.notify import notify_configured
from app.teams import service
from app.teams.forms import TeamForm


def team_message(reason: str) -> str:
    return {
        "no_name": _("Enter the team's name."),
        "name_taken": _("There is already a team with that name. Choose another name."),
        "second_duty": _(
            "There is already a duty team. There can only be one: change that team, or choose "
            "another kind for this one."
        ),
        "second_out_of_hours": _(
            "There is already an out-of-hours team. There can only be one: change that team, "
            "or choose another kind for this one."
        ),
        "no_days": _("Tick the days the duty team is open."),
        "no_times": _("Enter the times the duty team opens and closes, like 09:00 and 17:00."),
        "ends_before_starts": _("The duty team must open before it closes."),
    }[reason]


@manager_only
def teams():
    return render_template("teams/teams.html", rows=service.teams_with_members())


@manager_only
def new_team():
    return _team_page(Team(), is_new=True)


@manager_only
def team(team_id: int):
    return _team_page(db.get_or_404(Team, team_id), is_new=False)


def _team_page(team: Team, *, is_new: bool):
    """Add or change a team. The form carries the version it showed: if someone else saved
    the team meanwhile, the later writer is told and keeps what they typed."""
    form = TeamForm(obj=team if request.method == "GET" and not is_new else None)
    form.manager_id.choices = [SelectChoice(0, _("Nobody yet"))] + [
        SelectChoice(uid, name) for uid, name in service.possible_managers(team.manager_id)
    ]
    if request.method == "GET":
        form.version.data = "" if is_new else str(team.version)
        form.manager_id.data = team.manager_id or 0
        form.days.data = sorted(days_from_text(team.days if team.days is not None else "01234"))
        form.opens_at.data = team.opens_at or time(9, 0)
        form.closes_at.data = team.closes_at or time(17, 0)
    problem = None
    if form.validate_on_submit():
        if not is_new and form.version.data != str(team.version):
            problem = _(
                "Someone else changed this team while you were editing. Your changes are still "
                "here, and nothing was saved: check them against the team as it is now, and "
                "save again."
            )
            form.version.data = str(team.version)
        else:
            problem = _save(team, form)
            if problem is None:
                flash(_("Saved: %(name)s.", name=team.name), "success")
                return redirect(url_for("teams.teams"))
    return render_template("teams/team.html", form=form, team=team, is_new=is_new, problem=problem)


def _save(team: Team, form: TeamForm) -> str | None:
    """Saves; a problem for the whole form in words, or None. Field problems go on their
    fields (and give "")."""
    try:
        service.save_team(
            team,
            name=required(form.name.data),
            kind=TeamKind(form.kind.data),
            manager_id=form.manager_id.data,
            phone=form.phone.data,
            days=form.days.data,
            opens_at=form.opens_at.data,
            closes_at=form.closes_at.data,
            actor_id=current_user.id,
        )
    except TeamProblem as error:
        unit_of_work.discard()
        target: Field = form.kind if error.reason.startswith("second_") else form.name
        target.errors = [team_message(error.reason)]
        return ""
    except HoursProblem as error:
        unit_of_work.discard()
        target = form.days if error.reason == "no_days" else form.closes_at
        target.errors = [team_message(error.reason)]
        return ""
    except StaleDataError:
        unit_of_work.discard()
        form.version.data = str(db.session.get_one(Team, team.id).version)
        return _(
            "Someone else changed this team while you were saving. Your changes are still here, "
            "and nothing was saved: check them and save again."
        )
    except IntegrityError:
        # Another team with this name was saved at the same moment.
        unit_of_work.discard()
        form.name.errors = [team_message("name_taken")]
        return ""
    return None


@manager_only
def safety():
    """Urgent alerts: who covers when a young person's own worker is not working, how an
    alert nobody picks up climbs the ladder, and how staff are reached."""
    config = current_app.config
    rows = service.teams_with_members()
    duty = service.team_of_kind(rows, TeamKind.DUTY)
    out_of_hours = service.team_of_kind(rows, TeamKind.OUT_OF_HOURS)
    after = config["SAFETY_ESCALATE_AFTER"]
    minutes = int(after.total_seconds() // 60) if isinstance(after, timedelta) else int(after)
    return render_template(
        "teams/safety.html",
        duty=duty,
        out_of_hours=out_of_hours,
        warnings=_cover_warnings(duty, out_of_hours)
        + _manager_warnings(
            [
                r.team
                for r in rows
                if r.team.kind is TeamKind.CASEWORK and r.team.manager_id is None and r.members
            ]
        ),
        minutes=minutes,
        service_managers=service.service_managers(),
        push_on=push_configured(config),
        notify_on=notify_configured(config),
        notify_sms=bool(config.get("NOTIFY_SMS_TEMPLATE_ID")),
        notify_email=bool(config.get("NOTIFY_EMAIL_TEMPLATE_ID")),
    )


def _manager_warnings(unmanaged) -> list[str]:
    """A team with no manager skips that step of escalation (straight to the service
    managers); say so, so it is a choice and not an accident."""
    if not unmanaged:
        return []
    return [
        _(
            "These teams have no team manager, so an alert nobody takes on goes straight from "
            "the duty or out-of-hours team to the service managers: %(teams)s.",
            teams=", ".join(t.name for t in unmanaged),
        )
    ]


def _cover_warnings(duty, out_of_hours) -> list[str]:
    """What would leave an alert with fewer people than the council means it to reach
    (app.domain.safety.Cover.team_on falls back to the other team, then the managers)."""
    warnings = []
    if duty is None:
        warnings.append(
            _("There is no duty team. In working hours, urgent alerts go to the out-of-hours team instead.")
        )
    elif not duty.members:
        warnings.append(
            _("Nobody is in the duty team. In its hours, urgent alerts go to the out-of-hours team instead.")
        )
    if out_of_hours is None:
        warnings.append(
            _(
                "There is no out-of-hours team. In the evenings, at night, at weekends and on bank "
                "holidays, urgent alerts go to the duty team instead."
            )
        )
    elif not out_of_hours.members:
        warnings.append(
            _(
                "Nobody is in the out-of-hours team. In the evenings, at night, at weekends and on "
                "bank holidays, urgent alerts go to the duty team instead."
            )
        )
    if not (duty and duty.members) and not (out_of_hours and out_of_hours.members):
        warnings.append(
            _(
                "Nobody is in a duty or out-of-hours team, so when a young person's own workers "
                "are not working, their urgent alerts go straight to the service managers."
            )
        )
    return warnings
