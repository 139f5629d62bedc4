"""The programme: sessions in rooms, the ordered pitches of a pitch session, moderators."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .event import Event, Room
from .types import UTCDateTime, utcnow
from .user import User

SESSION_KINDS = ("pitch", "keynote", "workshop", "panel", "break")
MODERATOR_ROLES = ("lead", "co")


class EventSession(db.Model):
    """A slot of the programme. Not called Session: that clashes with db.session."""

    __tablename__ = "event_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(
            "kind IN ('pitch', 'keynote', 'workshop', 'panel', 'break')", name="kind"
        ),
        CheckConstraint("moderators_needed >= 0", name="moderators_needed_not_negative"),
        CheckConstraint("warning_seconds >= 0", name="warning_seconds_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    # English; the German in title_de / description_de (models/bilingual.py).
    title: Mapped[str] = mapped_column(String(200))
    title_de: Mapped[str] = mapped_column(String(200), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(20), default="pitch")
    description: Mapped[str] = mapped_column(Text, default="")
    description_de: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The language spoken on stage; the hall display shows the session's texts in it.
    language: Mapped[str | None] = mapped_column(String(5))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    moderators_needed: Mapped[int] = mapped_column(default=0)
    # The speaker view's key (services/live/speaker.py): no account on the stage's tablet,
    # an unguessable link instead; renewing it kills the old link. NULL: no link yet.
    # Never copied to next year's event (services/events/copying.py).
    stage_token: Mapped[str | None] = mapped_column(String(64), unique=True,
                                                    info={"copied": False})
    # Seconds before the end of a phase at which the speaker's countdown turns to warning.
    warning_seconds: Mapped[int] = mapped_column(default=60, server_default="60")
    # Raised on every change so that calendar clients replace their copy (iCal SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    room: Mapped[Room | None] = relationship()
    pitches: Mapped[list["Pitch"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="Pitch.position"
    )
    assignments: Mapped[list["ModeratorAssignment"]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )

    @property
    def moderators_in_order(self) -> list["ModeratorAssignment"]:
        """The lead first, then co-moderators by name: how every page, feed and export
        lists them."""
        return sorted(self.assignments,
                      key=lambda a: (a.role != "lead", a.user.name.casefold(), a.id))


class Pitch(db.Model):
    """One entrepreneur's slot in a pitch session; its times follow from the order."""

    __tablename__ = "pitches"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("pitch_minutes > 0", name="pitch_minutes_positive"),
        CheckConstraint("qa_minutes >= 0", name="qa_minutes_not_negative"),
        CheckConstraint("changeover_minutes >= 0", name="changeover_minutes_not_negative"),
        CheckConstraint("position >= 1", name="position_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    # English; the German in title_de / description_de. The description is the pitch's
    # summary (models/bilingual.py).
    title: Mapped[str] = mapped_column(String(200))
    title_de: Mapped[str] = mapped_column(String(200), default="", server_default="")
    presenter: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_de: Mapped[str] = mapped_column(Text, default="", server_default="")
    pitch_minutes: Mapped[int] = mapped_column(default=5)
    qa_minutes: Mapped[int] = mapped_column(default=3)
    changeover_minutes: Mapped[int] = mapped_column(default=1)
    # The presenter's registration, when they registered: links their personal calendar.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL")
    )

    session: Mapped[EventSession] = relationship(back_populates="pitches")


class ModeratorAssignment(db.Model):
    __tablename__ = "moderator_assignments"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        CheckConstraint("role IN ('lead', 'co')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="co")
    # Pinned assignments were made by an organiser and survive automatic assignment.
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    session: Mapped[EventSession] = relationship(back_populates="assignments")
    user: Mapped[User] = relationship()


class Availability(db.Model):
    """A window in which a moderator can moderate at an event."""

    __tablename__ = "availabilities"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
    event: Mapped[Event] = relationship()


class SessionRun(db.Model):
    """The live state of a session on stage, shared by every screen and worker."""

    __tablename__ = "session_runs"
    __table_args__ = (
        CheckConstraint("state IN ('idle', 'running', 'ended')", name="state"),
    )

    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(10), default="idle")
    # The position of the pitch on stage when its step began, for people reading the row:
    # organisers may reorder pitches meanwhile, so the run follows the pitch ids in `history`.
    current_position: Mapped[int | None] = mapped_column()
    phase: Mapped[str | None] = mapped_column(String(12))
    phase_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # {"steps": [{pitch_id, position, phase, at}], "undo": {action, at, before}}: which pitch
    # was on stage in which phase since when (later pitches' expected times follow the real
    # progress), and the row before the last action, for undo (services/live/run_of_show.py).
    history: Mapped[dict] = mapped_column(db.JSON, default=dict)
    version: Mapped[int] = mapped_column(default=0)
    # The speaker view and the hall display go black (a toggle; undo does not touch it).
    blackout: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    session: Mapped[EventSession] = relationship()


class StageMessage(db.Model):
    """A message from the moderators to the speaker's view: shown until a moderator dismisses
    it; `seen_at` is when a speaker view first displayed it."""

    __tablename__ = "stage_messages"
    # Sending, dismissing and "seen" are pushed to the session's screens (services/live/push.py).
    __live_session_key__ = "session_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[EventSession] = relationship()
    created_by: Mapped[User | None] = relationship()
