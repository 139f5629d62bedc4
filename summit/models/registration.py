"""Registrations (attendees) and every scan at the check-in desk."""

from datetime import datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    inspect,
)
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..text import SQLITE_SEARCH_TABLE, search_key
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
        # Searches ask for search_key LIKE '%word%': on PostgreSQL a trigram index answers that
        # without reading every row. SQLite has no such index and gets a plain one, unused by
        # the search (SQLite installations are small enough to scan).
        Index("ix_registrations_search_key", "search_key", postgresql_using="gin",
              postgresql_ops={"search_key": "gin_trgm_ops"}),
        # The organiser's list sorted by name (the default), read in index order.
        Index("ix_registrations_event_sort_name", "event_id", "sort_last", "sort_first", "id"),
        # The list's other sorts, read in index order from a cursor (keyset pages,
        # services/registrations/attendee_pages.py); the sort by category walks the
        # categories and reads each by name. Migration 0015.
        Index("ix_registrations_event_registered", "event_id", "created_at", "id"),
        Index("ix_registrations_event_status_name", "event_id", "status", "sort_last",
              "sort_first", "id"),
        Index("ix_registrations_category_name", "category_id", "sort_last", "sort_first", "id"),
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
    # Name, e-mail and organisation folded for search (summit/text.py), kept by the listener
    # below on every write, so that the desk and the organiser's list find people alike.
    search_key: Mapped[str] = mapped_column(Text, default="")
    # Last and first name in lower case (Python's str.lower, any alphabet), kept by the same
    # listener: the list sorts by them without calling a function on every row.
    sort_last: Mapped[str] = mapped_column(String(100), default="")
    sort_first: Mapped[str] = mapped_column(String(100), default="")

    event: Mapped[Event] = relationship()
    category: Mapped[Category] = relationship()
    # Answers to the event's own questions (models/question.py).
    answers: Mapped[list["Answer"]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", passive_deletes=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()



SEARCHED_FIELDS = ("first_name", "last_name", "email", "organisation")


def search_columns(first_name: str, last_name: str, email: str, organisation: str) -> dict:
    """search_key, sort_last and sort_first of a registration with these details."""
    return {"search_key": search_key(first_name, last_name, email, organisation),
            "sort_last": (last_name or "").lower(), "sort_first": (first_name or "").lower()}


# Kept here rather than in each service that writes names: sign-up, changes, the import,
# erasure, the demo data and direct writes all go through the ORM, so none can forget it.
# (The sign-up's busy path writes its row with Core and calls search_columns itself.)
@orm_event.listens_for(Registration, "before_insert")
def _set_search_key(_mapper, _connection, registration: Registration) -> None:
    for name, value in search_columns(*(getattr(registration, name)
                                        for name in SEARCHED_FIELDS)).items():
        setattr(registration, name, value)


@orm_event.listens_for(Registration, "before_update")
def _update_search_key(mapper, connection, registration: Registration) -> None:
    # Only when a searched field changed: a status change must not reload the names.
    state = inspect(registration)
    if any(state.attrs[name].history.has_changes() for name in SEARCHED_FIELDS):
        _set_search_key(mapper, connection, registration)


# The trigram operators of the search index; trusted since PostgreSQL 13, so the database's
# owner may install it. The migration does the same for databases built by Alembic.
orm_event.listen(Registration.__table__, "before_create",
                 DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))

# SQLite: the trigram index of search_key (summit/text.py asks it first), an FTS5 table over
# the column kept by triggers. Migration 0014 runs the same statements.
SQLITE_SEARCH_DDL = (
    f"CREATE VIRTUAL TABLE {SQLITE_SEARCH_TABLE} USING fts5(search_key, "
    "content='registrations', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {SQLITE_SEARCH_TABLE}_insert AFTER INSERT ON registrations BEGIN "
    f"INSERT INTO {SQLITE_SEARCH_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"CREATE TRIGGER {SQLITE_SEARCH_TABLE}_delete AFTER DELETE ON registrations BEGIN "
    f"INSERT INTO {SQLITE_SEARCH_TABLE}({SQLITE_SEARCH_TABLE}, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER {SQLITE_SEARCH_TABLE}_update AFTER UPDATE OF search_key ON registrations "
    f"BEGIN INSERT INTO {SQLITE_SEARCH_TABLE}({SQLITE_SEARCH_TABLE}, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {SQLITE_SEARCH_TABLE}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"INSERT INTO {SQLITE_SEARCH_TABLE}({SQLITE_SEARCH_TABLE}) VALUES ('rebuild')",
)
for _statement in SQLITE_SEARCH_DDL:
    orm_event.listen(Registration.__table__, "after_create",
                     DDL(_statement).execute_if(dialect="sqlite"))


def outside_the_models(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: False for the SQLite search index and its FTS5 shadow
    tables, which are built by DDL, not described as models."""
    return not (type_ == "table" and (name or "").startswith(SQLITE_SEARCH_TABLE))


orm_event.listen(Registration.__table__, "before_drop",
                 DDL(f"DROP TABLE IF EXISTS {SQLITE_SEARCH_TABLE}").execute_if(dialect="sqlite"))


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
    # Scans made while the desk was offline and sent later: the desk's random id for the scan
    # (the same upload twice counts once), what the desk answered on the spot, when it arrived,
    # and a flag for the organiser ("cancelled": let in from a snapshot older than the
    # cancellation).
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)
    offline_answer: Mapped[str] = mapped_column(String(24), default="")
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    flag: Mapped[str] = mapped_column(String(24), default="")

    registration: Mapped[Registration | None] = relationship()
    user: Mapped[User | None] = relationship()
