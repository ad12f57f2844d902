"""All models, imported here so Alembic and the app see the whole schema."""

from app.models.audit import AuditEvent
from app.models.auth import ActivationCode, LoginSession
from app.models.base import Base
from app.models.people import Allocation, LivingArrangement, User, YoungPersonProfile

__all__ = [
    "ActivationCode",
    "Allocation",
    "AuditEvent",
    "Base",
    "LivingArrangement",
    "LoginSession",
    "User",
    "YoungPersonProfile",
]
