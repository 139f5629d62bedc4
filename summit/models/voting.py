"""The audience vote of a pitch session: its round and the votes cast in it."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .programme import EventSession
from .types import UTCDateTime, utcnow


class VotingRound(db.Model):
    """One audience vote per pitch session; its ballot is the session's pitches, or those of
    them an organiser chose."""

    __tablename__ = "voting_rounds"
    # A committed change (open, close, reveal) pushes the session's snapshot to every screen.
    __live_session_key__ = "session_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), unique=True)
    is_open: Mapped[bool] = mapped_column(default=False)
    revealed: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # {pitch_id (as text): score 0–10}: the jury's score per pitch, entered by organisers.
    jury_scores: Mapped[dict] = mapped_column(db.JSON, default=dict)
    # [pitch_id, …]: the pitches on the ballot, as an organiser chose them; NULL (SQL NULL,
    # not JSON null) = every pitch of the session, including pitches added later.
    ballot: Mapped[list | None] = mapped_column(db.JSON(none_as_null=True))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    session: Mapped[EventSession] = relationship()


class Vote(db.Model):
    """Who voted for which pitch and when; nothing more. The unique constraint is the rule
    "one vote per registration per round"; an erased registration leaves its vote with
    registration_id NULL (NULLs never clash), so the count stays."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("round_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("voting_rounds.id", ondelete="CASCADE"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    pitch_id: Mapped[int] = mapped_column(ForeignKey("pitches.id", ondelete="CASCADE"))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the voter changed their choice; NULL for a first vote.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
