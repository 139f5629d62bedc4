"""Which days a session falls on, in the event's timezone, and whether those are the event's
days: the rule the programme enforces on every new or changed session, and the schedule
warnings check for sessions stored before it was enforced. Pure functions, no database."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """The moment in the event's timezone; a naive time is read as event-local already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def local_days(starts_at: datetime, ends_at: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The first and the last day a session touches, in the event's timezone (not UTC: a
    session at 00:30 in Berlin is on that day, though in UTC it is still the day before).
    A session ending at midnight belongs to the day before."""
    first_day = to_local(starts_at, zone).date()
    last_day = (to_local(ends_at, zone) - timedelta(microseconds=1)).date()
    return first_day, last_day


def within_event_days(timezone: str, starts_on: date, ends_on: date, starts_at: datetime,
                      ends_at: datetime) -> bool:
    """Whether a session from starts_at to ends_at lies within the event's days starts_on to
    ends_on (inclusive), counted in the event's timezone (an IANA name)."""
    first_day, last_day = local_days(starts_at, ends_at, ZoneInfo(timezone))
    return first_day >= starts_on and last_day <= ends_on
