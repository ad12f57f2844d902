"""`flask safety sender`: the process that sends urgent alerts at once and escalates them.

It runs beside the web server (`make run` starts both). Every `--interval` seconds it
escalates the alerts that are due, then sends every push and Notify message that is due.
It shares the delivery queues with `flask reminders send-due` (rows are claimed, so nothing
is sent twice), and if it is down the next `send-due` does the same work."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.timeutil import now_utc


@click.group("safety")
def safety_cli() -> None:
    """Urgent alerts."""


def run_once(clock: Callable[[], datetime] = now_utc) -> dict[str, int]:
    """One round: escalate what is due, then deliver what is due. A failure in one part is
    logged and the others still run, so a broken push service cannot stop escalation."""
    from app.push import service as push
    from app.safety import notify
    from app.safety import service as safety

    config = current_app.config
    done = {"escalated": 0, "pushed": 0, "notified": 0}
    try:
        done["escalated"] = safety.escalate_due(clock(), config["SAFETY_ESCALATE_AFTER"])
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("escalating alerts failed")
    if push.push_configured(config):
        try:
            report = push.deliver(
                sender=push.sender_from_config(config),
                clock=clock,
                max_wait=0,
                end_batch=db.session.commit,
                **push.deliver_options(config),
            )
            done["pushed"] = report.sent
        except Exception:
            db.session.rollback()
            current_app.logger.exception("sending pushes failed")
    if notify.notify_configured(config):
        try:
            report = notify.deliver_notify(
                sender=notify.NotifySender.from_config(config), clock=clock, end_batch=db.session.commit
            )
            done["notified"] = report.sent
        except Exception:
            db.session.rollback()
            current_app.logger.exception("sending texts and emails failed")
    return done


@safety_cli.command("sender")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between rounds.")
@click.option("--once", is_flag=True, help="Do one round and stop.")
@with_appcontext
def sender_command(interval: float, once: bool) -> None:
    """Sends urgent alerts within seconds and escalates them (run it beside the web server)."""
    from app.push.commands import _single_runner_on_sqlite

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    current_app.logger.info("safety sender started: a round every %ss", interval)
    while not stopping:
        with _single_runner_on_sqlite() as alone:
            if alone:
                done = run_once()
                if any(done.values()):
                    current_app.logger.info("safety sender: %s", done)
        db.session.remove()
        if once:
            break
        time.sleep(interval)
