"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.audit import AuditEvent
from app.models.auth import ActivationCode, LoginSession
from app.models.base import Base
from app.models.complaints import (
    AdvocacyEvent,
    AdvocacyRequest,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    Compliment,
)
from app.models.leaving_care import HealthPassport, HealthPassportChange, LocalOfferItem
from app.models.passport import Setting, Skill, SkillEvent, SkillProgress
from app.models.people import Allocation, LivingArrangement, User, YoungPersonProfile
from app.models.plans import PlanAction, PlanReceipt, PlanSection, PlanVersion, PlanView
from app.models.promise import Commitment, PromiseAnswer, PromiseItem, PromiseVersion
from app.models.reviews import Review, ReviewPreparation
from app.models.votes import Ballot, Vote, VoteOption

__all__ = [
    "ActivationCode",
    "AdvocacyEvent",
    "AdvocacyRequest",
    "Allocation",
    "AuditEvent",
    "Ballot",
    "Base",
    "Commitment",
    "Complaint",
    "ComplaintDraft",
    "ComplaintEvent",
    "Compliment",
    "HealthPassport",
    "HealthPassportChange",
    "LivingArrangement",
    "LocalOfferItem",
    "LoginSession",
    "PlanAction",
    "PlanReceipt",
    "PlanSection",
    "PlanVersion",
    "PlanView",
    "PromiseAnswer",
    "PromiseItem",
    "PromiseVersion",
    "Review",
    "ReviewPreparation",
    "Setting",
    "Skill",
    "SkillEvent",
    "SkillProgress",
    "User",
    "Vote",
    "VoteOption",
    "YoungPersonProfile",
]
