"""`flask push keys` and `flask reminders send-due`."""

from __future__ import annotations

import contextlib
import fcntl
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.push import service
from app.push.sender import generate_keys
from app.timeutil import now_utc


@click.group("push")
def push_cli() -> None:
    """Web push."""


@push_cli.command("keys")
def keys_command() -> None:
    """Makes a VAPID key pair to put in the environment (keep the private key secret)."""
    private, public = generate_keys()
    click.echo(f"VAPID_PRIVATE_KEY={private}")
    click.echo(f"VAPID_PUBLIC_KEY={public}")


@click.group("reminders")
def reminders_cli() -> None:
    """Reminders."""


@reminders_cli.command("send-due")
@click.option("--max-wait", default=30.0, show_default=True, help="Seconds to wait for retries due soon.")
@with_appcontext
def send_due_command(max_wait: float) -> None:
    """Finds due reminders, records each once and sends their pushes (cron or a timer)."""
    with _single_runner_on_sqlite() as alone:
        if not alone:
            click.echo("another send-due is running; nothing done")
            return
        _send_due(max_wait)


@contextlib.contextmanager
def _single_runner_on_sqlite():
    """SQLite has no row locks, so only one runner may work at a time: a file lock next to
    the database keeps a second cron run (say, one that overlaps a slow one) out.
    PostgreSQL needs none: its runners share the queue with SKIP LOCKED."""
    if db.engine.dialect.name != "sqlite":
        yield True
        return
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    with open(Path(current_app.instance_path) / "send-due.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _send_due(max_wait: float) -> None:
    """Escalates urgent alerts and sends their texts and emails too, so nothing waits if
    the safety sender (`flask safety sender`) is down."""
    from app.safety import service as safety

    config = current_app.config
    escalated = safety.escalate_due(now_utc(), config["SAFETY_ESCALATE_AFTER"])
    db.session.commit()
    if escalated:
        click.echo(f"escalated {escalated} urgent alert(s)")
    _send_notify(config)
    if not service.push_configured(config):
        # The notification centre still gets every reminder; only pushes wait.
        current_app.logger.warning("VAPID keys are not set: reminders are recorded, pushes are not sent")
        now = now_utc()
        _, created = service.remind(service.collect(now), now)
        db.session.commit()
        click.echo(f"recorded {len(created)}; push is not configured")
        return
    report = service.send_due(
        sender=service.sender_from_config(config),
        clock=now_utc,
        max_wait=max_wait,
        end_batch=db.session.commit,
        **service.deliver_options(config),
    )
    click.echo(
        f"recorded {report.recorded}, sent {report.sent}, gone {report.gone}, "
        f"retrying {report.retried}, failed {report.failed}, withheld {report.withheld}"
    )


def _send_notify(config) -> None:
    from app.safety import notify

    if notify.notify_configured(config):
        report = notify.deliver_notify(
            sender=notify.NotifySender.from_config(config), clock=now_utc, end_batch=db.session.commit
        )
        click.echo(
            f"texts and emails: sent {report.sent}, retrying {report.retried}, failed {report.failed}, "
            f"withheld {report.withheld}"
        )
