"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.audit import AuditEvent
from app.models.auth import AccountReset, ActivationCode, LoginSession
from app.models.base import Base
from app.models.complaints import (
    AdvocacyEvent,
    AdvocacyRequest,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    Compliment,
)
from app.models.contact import Message, MessageThread, StaffCard, YoungPersonContact
from app.models.leaving_care import HealthPassport, HealthPassportChange, LocalOfferItem
from app.models.passport import Skill, SkillEvent, SkillProgress
from app.models.people import Allocation, LivingArrangement, User, YoungPersonProfile
from app.models.plans import PlanAction, PlanDraftChange, PlanReceipt, PlanSection, PlanVersion, PlanView
from app.models.promise import Commitment, PromiseAnswer, PromiseItem, PromiseVersion
from app.models.reminders import DeliveryState, Notification, PushDelivery, PushSubscription, ReminderSettings
from app.models.repeats import SentOnce
from app.models.reviews import Review, ReviewPreparation
from app.models.safety import NotifyDelivery, SafetyAlert, SafetyAlertEvent, SafetyAlertRecipient, Team
from app.models.settings import Setting
from app.models.votes import Ballot, Vote, VoteOption

__all__ = [
    "AccountReset",
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
    "DeliveryState",
    "HealthPassport",
    "HealthPassportChange",
    "LivingArrangement",
    "LocalOfferItem",
    "LoginSession",
    "Message",
    "MessageThread",
    "Notification",
    "NotifyDelivery",
    "PlanAction",
    "PlanDraftChange",
    "PlanReceipt",
    "PlanSection",
    "PlanVersion",
    "PlanView",
    "PromiseAnswer",
    "PromiseItem",
    "PromiseVersion",
    "PushDelivery",
    "PushSubscription",
    "ReminderSettings",
    "Review",
    "ReviewPreparation",
    "SafetyAlert",
    "SafetyAlertEvent",
    "SafetyAlertRecipient",
    "SentOnce",
    "Setting",
    "Skill",
    "SkillEvent",
    "SkillProgress",
    "StaffCard",
    "Team",
    "User",
    "Vote",
    "VoteOption",
    "YoungPersonContact",
    "YoungPersonProfile",
]
