"""Votes: young people (and others) suggest and vote; the manager runs them."""

from __future__ import annotations

from datetime import datetime, time

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import unit_of_work
from app.access import manager_only, refuse
from app.domain.roles import Role
from app.domain.votes import Phase, may_take_part, winners
from app.forms_common import SelectChoice, checked, required
from app.timeutil import LONDON, now_utc
from app.votes import service
from app.votes.forms import BallotForm, NewVoteForm, ResultsForm, SuggestForm
from app.votes.service import VoteProblem


def _message(reason: str) -> str:
    return {
        "closes_in_past": _("The closing date must be in the future."),
        "bad_suggestion_dates": _("Suggestions must close after today and before voting closes."),
        "needs_options": _("Give at least two options, or let people suggest some first."),
        "needs_voters": _("Choose who may take part."),
        "option_too_long": _("Each option must be shorter than 120 characters."),
        "not_for_you": _("This vote is not for you."),
        "not_suggesting": _("Suggestions are closed for this vote."),
        "empty_suggestion": _("Write your idea first."),
        "already_suggested": _("Someone has already suggested that. You can vote for it."),
        "closed": _("This vote has closed, so your vote was not counted."),
        "not_yet": _("Voting has not started yet: people are still suggesting ideas."),
        "no_such_option": _("That choice is not in this vote."),
        "already_voted": _("You have already voted. You can change your vote instead."),
        "still_open": _("Close the vote before adopting a result."),
        "not_a_winner": _("Only an option with the most votes can be adopted."),
    }[reason]


def _end_of(day) -> datetime:
    return datetime.combine(day, time(23, 59), tzinfo=LONDON)


def _vote_or_404(vote_id: int):
    vote = service.get(vote_id)
    if vote is None or not (
        current_user.role is Role.MANAGER or may_take_part(current_user.role, vote.voters)
    ):
        refuse("view_vote", asked_for=vote_id)
    return vote


@login_required
def index():
    now = now_utc()
    votes = service.for_role(current_user.role)
    return render_template(
        "votes/index.html", votes=votes, phase_of=lambda v: service.phase_of(v, now), Phase=Phase
    )


@login_required
def vote(vote_id: int):
    vote = _vote_or_404(vote_id)
    now = now_utc()
    ballot_form = BallotForm()
    ballot_form.option.choices = [SelectChoice(o.id, o.label) for o in vote.options]
    suggest_form = SuggestForm()
    if request.method == "POST":
        try:
            if suggest_form.what.data == "suggest":
                if suggest_form.validate():
                    service.suggest(
                        vote, required(suggest_form.label.data), current_user.id, current_user.role, now
                    )
                    flash(_("Thank you. Your idea is added."), "success")
                    return redirect(url_for("votes.vote", vote_id=vote_id))
            elif ballot_form.validate():
                service.cast(vote, ballot_form.option.data, current_user.id, current_user.role, now)
                service.save_ballot()
                flash(_("Your vote is saved. You can change it until the vote closes."), "success")
                return redirect(url_for("votes.vote", vote_id=vote_id))
        except VoteProblem as problem:
            unit_of_work.discard()
            flash(_message(problem.reason), "error")
            return redirect(url_for("votes.vote", vote_id=vote_id))
    ballot = service.my_ballot(vote.id, current_user.id)
    if ballot and request.method == "GET":
        ballot_form.option.data = ballot.option_id
    current = service.phase_of(vote, now)
    counts = service.counts(vote) if current is Phase.CLOSED else {}
    return render_template(
        "votes/vote.html",
        vote=vote,
        phase=current,
        Phase=Phase,
        ballot=ballot,
        ballot_form=ballot_form,
        suggest_form=suggest_form,
        counts=counts,
        may_take_part=may_take_part(current_user.role, vote.voters),
    )


@manager_only
def manage():
    form = NewVoteForm()
    if form.validate_on_submit():
        try:
            vote = service.create(
                question=required(form.question.data),
                about=form.about.data,
                options=(form.options.data or "").splitlines(),
                voters=required(form.voters.data),
                suggestions_close_at=_end_of(form.suggestions_close_on.data)
                if form.suggestions_close_on.data
                else None,
                closes_at=_end_of(form.closes_on.data),
                user_id=current_user.id,
                now=now_utc(),
            )
        except VoteProblem as problem:
            unit_of_work.discard()
            form.form_errors.append(_message(problem.reason))
        else:
            flash(_("The vote is open."), "success")
            return redirect(url_for("votes.results", vote_id=vote.id))
    now = now_utc()
    return render_template(
        "votes/manage.html",
        form=form,
        votes=service.all_votes(),
        phase_of=lambda v: service.phase_of(v, now),
        Phase=Phase,
    )


@manager_only
def results(vote_id: int):
    vote = service.get(vote_id) or abort(404)
    now = now_utc()
    if request.method == "POST":
        form = checked(ResultsForm())
        try:
            if form.what.data == "close":
                service.close_now(vote, now, user_id=current_user.id)
                flash(_("The vote is closed."), "success")
            else:
                option = service.adopt(vote, int(form.option.data or 0), current_user.id, now)
                flash(_("Adopted: %(label)s.", label=option.label), "success")
        except (VoteProblem, ValueError) as problem:
            unit_of_work.discard()
            flash(_message(getattr(problem, "reason", "no_such_option")), "error")
        return redirect(url_for("votes.results", vote_id=vote_id))
    counts = service.counts(vote)
    current = service.phase_of(vote, now)
    return render_template(
        "votes/results.html",
        vote=vote,
        phase=current,
        Phase=Phase,
        counts=counts,
        winners=winners(counts) if current is Phase.CLOSED else [],
        cast=sum(counts.values()),
    )
