"""The event aggregate: the event, its registration categories and its rooms."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..services.platform.theme import DEFAULT_COLOUR
from .bilingual import in_language, localised
from .types import UTCDateTime, utcnow

__all__ = ["Category", "Event", "Room", "in_language", "localised"]


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint(
            "registration_closes_at IS NULL OR registration_opens_at IS NULL "
            "OR registration_closes_at > registration_opens_at",
            name="registration_window_in_order",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    # English; the German in name_de (models/bilingual.py). Either may be empty.
    name: Mapped[str] = mapped_column(String(200))
    name_de: Mapped[str] = mapped_column(String(200), default="", server_default="")
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    description_de: Mapped[str] = mapped_column(Text, default="", server_default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # No window at all means registration is open.
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    primary_colour: Mapped[str] = mapped_column(String(7), default=DEFAULT_COLOUR)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set: the event is over and put away. It leaves the event lists, its registration is
    # closed, and organisers can still read it and take it out of the archive.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    categories: Mapped[list["Category"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Category.position"
    )
    rooms: Mapped[list["Room"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Room.name"
    )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category(self, id_or_name: "int | str | Category | None") -> "Category | None":
        """This event's category with that id, or that English or German name in any case.

        Forms, the API, the CSV import and the CLI all name categories one of these ways.
        """
        if isinstance(id_or_name, Category):
            id_or_name = id_or_name.id
        return category_named(self.categories, id_or_name)

    def registration_state(self, now: datetime | None = None) -> str:
        """'open', 'not_yet_open' or 'closed' at the given moment."""
        return registration_state(self.archived_at, self.registration_opens_at,
                                  self.registration_closes_at, now)

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


def category_named(categories, id_or_name: "int | str | None"):
    """Of these categories (anything with id, name and name_de), the one with that id, or
    that English or German name in any case; Event.category and the sign-up's busy path."""
    if isinstance(id_or_name, int):
        return next((c for c in categories if c.id == id_or_name), None)
    text = (id_or_name or "").strip().casefold()
    if not text:
        return None
    for category in categories:
        if text in (category.name.casefold(), category.name_de.casefold()):
            return category
    if text.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
        return category_named(categories, int(text))
    return None


def registration_state(archived_at: datetime | None, opens_at: datetime | None,
                       closes_at: datetime | None, now: datetime | None = None) -> str:
    """'open', 'not_yet_open' or 'closed' at the given moment (see Event.registration_state)."""
    now = now or utcnow()
    if archived_at is not None:
        return "closed"
    if opens_at and now < opens_at:
        return "not_yet_open"
    if closes_at and now >= closes_at:
        return "closed"
    return "open"


class Category(db.Model):
    """A kind of participant with its own capacity and badge colour."""

    __tablename__ = "categories"
    __table_args__ = (
        UniqueConstraint("event_id", "name"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    name_de: Mapped[str] = mapped_column(String(80), default="")
    capacity: Mapped[int] = mapped_column(default=0)
    # Empty: the category's badges wear the event's colour (see `colour`).
    badge_colour: Mapped[str] = mapped_column(String(7), default="")
    # Public categories are offered on the registration form; the others (Moderator,
    # Staff, ...) are assigned by organisers.
    is_public: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # Bumped by every registration write: the row lock that prevents overselling.
    lock_version: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="categories")

    def display_name(self, locale: str) -> str:
        return in_language(locale, english=self.name, german=self.name_de)

    @property
    def colour(self) -> str:
        """The colour its badges print in: its own, or else the event's."""
        return self.badge_colour or self.event.primary_colour


class Room(db.Model):
    __tablename__ = "rooms"
    # No unique name in the database: either language may be empty, so two rooms may both
    # lack an English name. services/programme/rooms.py refuses a name taken in either.
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_de: Mapped[str] = mapped_column(String(120), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column()

    event: Mapped[Event] = relationship(back_populates="rooms")
