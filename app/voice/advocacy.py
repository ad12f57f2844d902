"""Advocacy: asking for an advocate, the officer referring the request and allocating an
advocate, and who the young person's advocate is now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.domain.complaints import (
    MAX_ADVOCATE_EMAIL,
    MAX_ADVOCATE_NAME,
    MAX_ADVOCATE_PHONE,
    MAX_SERVICE_NAME,
    MAX_TEXT,
    AdvocacyStatus,
    ComplaintProblem,
    check_advocacy,
)
from app.extensions import db
from app.models import (
    AdvocacyEvent,
    AdvocacyRequest,
    Complaint,
)

ADVOCACY_SERVICE = "Northshire Advocacy Service"


# Advocacy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Advocate:
    name: str
    phone: str
    email: str


def current_advocate(young_person_id: int) -> Advocate | None:
    """The advocate allocated to the young person most recently, or None. For any page
    that shows the young person's people."""
    row = db.session.scalar(
        select(AdvocacyRequest)
        .where(
            AdvocacyRequest.young_person_id == young_person_id,
            AdvocacyRequest.status == AdvocacyStatus.ALLOCATED,
        )
        .order_by(AdvocacyRequest.allocated_on.desc(), AdvocacyRequest.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return Advocate(row.advocate_name, row.advocate_phone, row.advocate_email)


def open_request(young_person_id: int) -> AdvocacyRequest | None:
    """A request still waiting for an advocate to be allocated."""
    return db.session.scalar(
        select(AdvocacyRequest)
        .where(
            AdvocacyRequest.young_person_id == young_person_id,
            AdvocacyRequest.status != AdvocacyStatus.ALLOCATED,
        )
        .order_by(AdvocacyRequest.id.desc())
        .limit(1)
    )


def ask_for_advocate(
    young_person_id: int,
    requested_by_id: int,
    help_with: str | None,
    today: date,
    complaint: Complaint | None = None,
) -> AdvocacyRequest:
    """A request for an advocate. A second one while the first still waits is the same
    request (a complaint is linked to it)."""
    help_with = (help_with or "").strip()
    if len(help_with) > MAX_TEXT:
        raise ComplaintProblem("too_long")
    waiting = open_request(young_person_id)
    if waiting is not None:
        if complaint is not None and waiting.complaint_id is None:
            waiting.complaint = complaint
        if help_with:
            waiting.help_with = f"{waiting.help_with}\n{help_with}".strip()
        return waiting
    request = AdvocacyRequest(
        young_person_id=young_person_id,
        complaint=complaint,
        requested_by_id=requested_by_id,
        help_with=help_with,
        requested_on=today,
    )
    request.events.append(AdvocacyEvent(status=AdvocacyStatus.REQUESTED, actor_id=requested_by_id))
    db.session.add(request)
    audit.record("advocate_asked", actor_id=requested_by_id, young_person_id=young_person_id)
    return request


def advocacy_requests() -> list[AdvocacyRequest]:
    return list(
        db.session.scalars(
            select(AdvocacyRequest)
            .options(joinedload(AdvocacyRequest.young_person), joinedload(AdvocacyRequest.complaint))
            .order_by(AdvocacyRequest.status != AdvocacyStatus.REQUESTED, AdvocacyRequest.id.desc())
        )
    )


def get_request(request_id: int) -> AdvocacyRequest | None:
    return db.session.get(AdvocacyRequest, request_id)


def refer(
    request: AdvocacyRequest, actor_id: int, lock_version: int, service_name: str | None, today: date
) -> None:
    if request.lock_version != lock_version:
        raise ComplaintProblem("changed_meanwhile")
    check_advocacy(request.status, AdvocacyStatus.REFERRED)
    service_name = (service_name or "").strip()
    if not service_name:
        raise ComplaintProblem("needs_service")
    if len(service_name) > MAX_SERVICE_NAME:
        raise ComplaintProblem("too_long")
    request.status, request.referred_on, request.referred_to = (
        AdvocacyStatus.REFERRED,
        today,
        service_name,
    )
    request.events.append(AdvocacyEvent(status=AdvocacyStatus.REFERRED, actor_id=actor_id, note=service_name))
    audit.record("advocacy_refer", actor_id=actor_id, young_person_id=request.young_person_id)


def allocate(
    request: AdvocacyRequest,
    actor_id: int,
    lock_version: int,
    *,
    name: str | None,
    phone: str | None,
    email: str | None,
    today: date,
) -> None:
    if request.lock_version != lock_version:
        raise ComplaintProblem("changed_meanwhile")
    check_advocacy(request.status, AdvocacyStatus.ALLOCATED)
    name, phone, email = (name or "").strip(), (phone or "").strip(), (email or "").strip()
    if not name:
        raise ComplaintProblem("needs_advocate_name")
    if not phone and not email:
        raise ComplaintProblem("needs_contact")
    if len(name) > MAX_ADVOCATE_NAME or len(phone) > MAX_ADVOCATE_PHONE or len(email) > MAX_ADVOCATE_EMAIL:
        raise ComplaintProblem("too_long")
    request.status, request.allocated_on = AdvocacyStatus.ALLOCATED, today
    request.advocate_name, request.advocate_phone, request.advocate_email = (
        name,
        phone,
        email,
    )
    request.events.append(AdvocacyEvent(status=AdvocacyStatus.ALLOCATED, actor_id=actor_id, note=name))
    audit.record("advocacy_allocate", actor_id=actor_id, young_person_id=request.young_person_id)
