"""`flask push keys` and `flask reminders send-due`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

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
    config = current_app.config
    if not service.push_configured(config):
        # The notification centre still gets every reminder; only pushes wait.
        current_app.logger.warning("VAPID keys are not set: reminders are recorded, pushes are not sent")
        now = now_utc()
        _, created = service.remind(service.collect(now), now)
        click.echo(f"recorded {len(created)}; push is not configured")
        return
    report = service.send_due(
        sender=service.sender_from_config(config),
        clock=now_utc,
        max_wait=max_wait,
        **service.deliver_options(config),
    )
    click.echo(
        f"recorded {report.recorded}, sent {report.sent}, gone {report.gone}, "
        f"retrying {report.retried}, failed {report.failed}"
    )
