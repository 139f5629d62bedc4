"""Registrations (attendees) and every scan at the check-in desk."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .event import Category, Event
from .types import UTCDateTime, utcnow
from .user import User

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
STATUSES = (CONFIRMED, WAITLISTED, CANCELLED)


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One registration per e-mail per event; email_normalised is the lower-cased form.
        UniqueConstraint("event_id", "email_normalised"),
        CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name="status"),
        Index("ix_registrations_category_status", "category_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(12))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    email_normalised: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    needs: Mapped[str] = mapped_column(Text, default="")
    public_listing: Mapped[bool] = mapped_column(default=False)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Random secrets: the manage link's key and the badge's QR content.
    manage_token: Mapped[str] = mapped_column(String(64), unique=True)
    checkin_code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    badge_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    category: Mapped[Category] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class CheckIn(db.Model):
    """Every scan at a desk, duplicates and failures included."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    code: Mapped[str] = mapped_column(String(200))
    result: Mapped[str] = mapped_column(String(24))
    desk: Mapped[str] = mapped_column(String(60), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration | None] = relationship()
    user: Mapped[User | None] = relationship()
