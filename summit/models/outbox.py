"""Outgoing mail, written in the same transaction as the change that caused it."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    # The complete RFC 5322 message, attachments included. Most mail is built when queued; a
    # sign-up's confirmation is queued as what to compose (`composer`, the registration, the
    # waiting-list position then) and built by the sender before its first attempt, so that
    # a burst of sign-ups does not spend its time on templates (docs/performance.md). It is
    # still queued in the sign-up's transaction: no commit, no mail.
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    composer: Mapped[str | None] = mapped_column(String(40))
    # A deleted registration takes its confirmation's row with it.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    waitlist_position: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
