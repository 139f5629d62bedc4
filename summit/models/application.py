"""The call for pitches: applications, their decks, the jury's assignments and reviews."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .event import Event
from .types import UTCDateTime, utcnow
from .user import User

SUBMITTED, WITHDRAWN = "submitted", "withdrawn"
ACCEPTED, RESERVE, REJECTED = "accepted", "reserve", "rejected"
APPLICATION_STATUSES = (SUBMITTED, WITHDRAWN, ACCEPTED, RESERVE, REJECTED)
OTHERS_REVIEWS = ("never", "after_own", "always")


class Call(db.Model):
    """An event's call for pitches: its window, its review rules."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at",
                        name="window_in_order"),
        CheckConstraint("reviews_per_application >= 1", name="reviews_positive"),
        CheckConstraint("others_reviews IN ('never', 'after_own', 'always')",
                        name="others_reviews"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          unique=True)
    # No window at all means the call is open (as the demo's is).
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_de: Mapped[str] = mapped_column(Text, default="")
    anonymised: Mapped[bool] = mapped_column(default=False)
    others_reviews: Mapped[str] = mapped_column(String(10), default="after_own")
    reviews_per_application: Mapped[int] = mapped_column(default=3)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Criterion.position")

    def state(self, now: datetime | None = None) -> str:
        """'open', 'not_yet_open' or 'closed'."""
        now = now or utcnow()
        if self.opens_at and now < self.opens_at:
            return "not_yet_open"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"

    def review_open(self, now: datetime | None = None) -> bool:
        return self.review_closes_at is None or (now or utcnow()) < self.review_closes_at


class Criterion(db.Model):
    """What the jury scores, e.g. impact 1–5 weighing 2."""

    __tablename__ = "review_criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        CheckConstraint("scale_max >= 2", name="scale_at_least_two"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_de: Mapped[str] = mapped_column(String(80), default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    scale_max: Mapped[int] = mapped_column(default=5)
    position: Mapped[int] = mapped_column(default=0)

    call: Mapped[Call] = relationship(back_populates="criteria")


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("event_id", "email_normalised"),
        CheckConstraint("status IN ('submitted', 'withdrawn', 'accepted', 'reserve', "
                        "'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=SUBMITTED)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20), default="")
    impact: Mapped[str] = mapped_column(Text, default="")
    team: Mapped[str] = mapped_column(Text, default="")
    video_url: Mapped[str] = mapped_column(String(300), default="")
    pitch_language: Mapped[str] = mapped_column(String(5), default="en")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Written by an organiser for an anonymised review, where the summary names the person.
    redacted_summary: Mapped[str] = mapped_column(Text, default="")
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the decision mail is queued: a decision is told once, after it was checked.
    decision_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pitch_id: Mapped[int | None] = mapped_column(ForeignKey("pitches.id", ondelete="SET NULL"))
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    deck: Mapped["ApplicationDeck | None"] = relationship(
        back_populates="application", cascade="all, delete-orphan", uselist=False)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ApplicationDeck(db.Model):
    """A pitch deck (PDF) kept in the database: every app machine sees it and the backup
    holds it. Its bytes are deferred, loaded only when the file is downloaded."""

    __tablename__ = "application_decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column()
    pages: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="deck")


class JuryAssignment(db.Model):
    """A juror reviews an application; `conflict` marks a conflict of interest (declared by
    the juror or entered by an organiser), which keeps them away from it."""

    __tablename__ = "jury_assignments"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conflict: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()
    user: Mapped[User] = relationship()


class Review(db.Model):
    """One juror's scores ({criterion id: score}) and comment on one application."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scores: Mapped[dict] = mapped_column(db.JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship()
    user: Mapped[User] = relationship()
