"""All models, importable from one place (and registered with the metadata for Alembic)."""

from .audit import AuditEntry
from .event import Category, Event, Room, in_language
from .outbox import OutboxMessage
from .programme import (
    MODERATOR_ROLES,
    SESSION_KINDS,
    Availability,
    EventSession,
    ModeratorAssignment,
    Pitch,
    SessionRun,
)
from .registration import CANCELLED, CONFIRMED, STATUSES, WAITLISTED, CheckIn, Registration
from .types import UTCDateTime, utcnow
from .user import (
    JURY,
    MODERATOR,
    ORGANISER,
    ROLES,
    STAFF,
    ApiToken,
    Invitation,
    RecoveryCode,
    User,
)

__all__ = [
    "AuditEntry", "Category", "Event", "Room", "OutboxMessage", "Availability", "EventSession",
    "ModeratorAssignment", "Pitch", "SessionRun", "CheckIn", "Registration", "ApiToken", "User",
    "Invitation", "JURY", "RecoveryCode",
    "CANCELLED", "CONFIRMED", "STATUSES", "WAITLISTED", "MODERATOR", "ORGANISER", "ROLES",
    "STAFF", "MODERATOR_ROLES", "SESSION_KINDS", "UTCDateTime", "utcnow", "in_language",
]
