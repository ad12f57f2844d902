"""Writing the audit log. Events are added to the current transaction; the caller commits
(a refused access commits at once, so the record survives the 404)."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request

from app.extensions import db
from app.models import AuditEvent


def record(
    action: str,
    *,
    outcome: str = "allowed",
    actor_id: int | None = None,
    young_person_id: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        outcome=outcome,
        actor_id=actor_id,
        young_person_id=young_person_id,
        target=request.path[:255] if request else None,
        address=(request.remote_addr or "")[:64] if request else None,
        detail=detail,
    )
    db.session.add(event)
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


def refused(action: str, *, actor_id: int | None, young_person_id: int | None = None, **detail):
    """Records a refused access and commits it on its own: anything the request had
    started to change is thrown away first, so a refusal changes nothing else."""
    db.session.rollback()
    if has_request_context():
        g.refusal_audited = True
    record(
        action,
        outcome="refused",
        actor_id=actor_id,
        young_person_id=young_person_id,
        detail=detail or None,
    )
    db.session.commit()
