"""Writing the audit log.

`record` adds an event to the request's unit of work: it is kept when what it describes is
kept. `refused` and `failed` throw the request's changes away (a refusal changes nothing
else) and write the event at once through a connection of its own, so it survives the 404,
the rollback, and even an error later in the request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from app import unit_of_work
from app.extensions import db
from app.models import AuditEvent

_invented: ContextVar[bool] = ContextVar("invented", default=False)


@contextmanager
def invented_history() -> Iterator[None]:
    """The demo council's history was made up, not done by anyone: nothing it does through
    the services is recorded in the audit log."""
    token = _invented.set(True)
    try:
        yield
    finally:
        _invented.reset(token)


def record(
    action: str,
    *,
    outcome: str = "allowed",
    actor_id: int | None = None,
    young_person_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    event = _event(action, outcome, actor_id, young_person_id, detail)
    if not _invented.get():
        db.session.add(event)
    return event


def refused(action: str, *, actor_id: int | None, young_person_id: int | None = None, **detail) -> None:
    """A refused access: the request changes nothing, and the refusal is kept."""
    if has_request_context():
        g.refusal_audited = True
    _on_its_own(_event(action, "refused", actor_id, young_person_id, detail or None))


def failed(action: str, *, actor_id: int | None = None, young_person_id: int | None = None, **detail) -> None:
    """A failed attempt (a wrong password, a code that does not match): the request changes
    nothing, and the attempt is kept."""
    _on_its_own(_event(action, "failed", actor_id, young_person_id, detail or None))


def _event(
    action: str, outcome: str, actor_id: int | None, young_person_id: int | None, detail: dict | None
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        outcome=outcome,
        actor_id=actor_id,
        young_person_id=young_person_id,
        target=request.path[:255] if has_request_context() else None,
        address=(request.remote_addr or "")[:64] if has_request_context() else None,
        detail=detail,
    )
    if outcome != "allowed":
        current_app.logger.warning(
            "audit %s %s actor=%s young_person=%s target=%s",
            outcome,
            action,
            actor_id,
            young_person_id,
            event.target,
        )
    return event


def _on_its_own(event: AuditEvent) -> None:
    # The request's session is rolled back first: on SQLite it may hold the write lock the
    # audit connection needs, and what it changed must not be kept anyway.
    unit_of_work.discard()
    with Session(db.engine) as own:
        own.add(event)
        own.commit()
