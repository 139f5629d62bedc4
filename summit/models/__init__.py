"""All models, importable from one place (and registered with the metadata for Alembic)."""

from .application import (
    ACCEPTED,
    APPLICATION_STATUSES,
    REJECTED,
    RESERVE,
    SUBMITTED,
    WITHDRAWN,
    Application,
    ApplicationDeck,
    Call,
    Criterion,
    JuryAssignment,
    Review,
)
from .audit import AuditEntry
from .bilingual import localised, translations
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
    StageMessage,
)
from .question import (
    CHOICE,
    MULTI,
    QUESTION_KINDS,
    TEXT,
    YESNO,
    Answer,
    Question,
    QuestionOption,
    answer_options,
)
from .registration import CANCELLED, CONFIRMED, STATUSES, WAITLISTED, CheckIn, Registration
from .settings import InstallationSettings
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
from .voting import Vote, VotingRound

__all__ = [
    "ACCEPTED", "APPLICATION_STATUSES", "REJECTED", "RESERVE", "SUBMITTED", "WITHDRAWN",
    "Application", "ApplicationDeck", "Call", "Criterion", "JuryAssignment", "Review",
    "AuditEntry", "Category", "Event", "Room", "OutboxMessage", "Availability", "EventSession",
    "ModeratorAssignment", "Pitch", "SessionRun", "StageMessage", "CheckIn", "Registration",
    "ApiToken", "User",
    "Invitation", "JURY", "RecoveryCode", "InstallationSettings", "Vote",
    "VotingRound",
    "Answer", "Question", "QuestionOption", "answer_options", "CHOICE",
    "MULTI", "QUESTION_KINDS", "TEXT", "YESNO",
    "CANCELLED", "CONFIRMED", "STATUSES", "WAITLISTED", "MODERATOR", "ORGANISER", "ROLES",
    "STAFF", "MODERATOR_ROLES", "SESSION_KINDS", "UTCDateTime", "utcnow", "in_language",
    "localised", "translations",
]
