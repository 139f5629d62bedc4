"""iCalendar exports: the whole programme, one session, a moderator's sessions and an
attendee's personal calendar.

UIDs are stable across exports (session-<id>@host, pitch-<id>@host, registration-<id>@host)
and SEQUENCE follows EventSession.sequence, so calendar clients update their copy instead of
duplicating it. Times carry the event's TZID with a generated VTIMEZONE.
"""

import hashlib
from datetime import UTC, date, datetime, time
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func

from ...extensions import db
from ...models import CANCELLED, Event, EventSession, Pitch, Registration, User, localised
from ..mail import links
from . import labels
from . import sessions as programme
from .pitches import pitch_schedule

PRODID = "-//Summit//Conference programme//EN"
_TOKEN_SALT = "summit.moderator-calendar"
# An event without a programme yet: its days from DAY_STARTS on the first to DAY_ENDS on the
# last, in the event's timezone.
DAY_STARTS, DAY_ENDS = time(9), time(18)


# --- the calendars ------------------------------------------------------------------------


def programme_calendar(event: Event, language: str = "en") -> bytes:
    """Every session of the event; a pitch session lists its running order with times.

    `language`: the texts' language (the requester's, or the feed's ?lang=); each text falls
    back to the other language when it has none in this one."""
    cal = _calendar(localised(event, "name", language))
    for session in programme.sessions_for(event):
        cal.add_component(_session_event(session, language))
    return _finish(cal)


def session_calendar(session: EventSession, language: str = "en") -> bytes:
    """One session, and for a pitch session each pitch as its own event."""
    cal = _calendar(f"{localised(session, 'title', language)} · "
                    f"{localised(session.event, 'name', language)}")
    cal.add_component(_session_event(session, language))
    for pitch, start, end in pitch_schedule(session):
        cal.add_component(_pitch_event(pitch, start, end, language))
    return _finish(cal)


def moderator_calendar(user: User, language: str = "en") -> bytes:
    """The sessions the user moderates, at every event, with their co-moderators' contacts."""
    cal = _calendar(f"{user.name} · Summit")
    for session in programme.moderated_sessions(user):
        cal.add_component(_session_event(session, language, contacts=True))
    return _finish(cal)


def registration_calendar(registration: Registration) -> bytes:
    """The attendee's calendar, downloaded from the manage page and attached to the mail:
    the event as one busy entry from the first session's start to the last one's end, and
    the presenter's own pitch with its time, in the attendee's language.

    Attached to every sign-up's confirmation, so only the person's own entries are rendered
    each time; the rest (header and VTIMEZONE, most of the file) comes from `_frame`, byte for
    byte what `_finish` writes (tests/test_calendars.py compares the two)."""
    event, language = registration.event, registration.language
    vevents = _registration_events(registration, language)
    years = tuple(sorted({vevent.decoded("dtstart").year for vevent in vevents}))
    head, tail = _frame(localised(event, "name", language), event.timezone, years[0], years[-1])
    return head + b"".join(vevent.to_ical() for vevent in vevents) + tail


def registration_calendar_uncached(registration: Registration) -> bytes:
    """The same file rendered in one piece, the straightforward way (for the tests)."""
    event, language = registration.event, registration.language
    cal = _calendar(localised(event, "name", language))
    for vevent in _registration_events(registration, language):
        cal.add_component(vevent)
    return _finish(cal)


def _registration_events(registration: Registration, language: str) -> list[VEvent]:
    cancelled = registration.status == CANCELLED
    vevents = [_attendance_event(registration, cancelled, language)]
    pitches = db.session.scalars(db.select(Pitch).where(Pitch.registration_id == registration.id))
    for own in pitches:
        for pitch, start, end in pitch_schedule(own.session):
            if pitch.id == own.id:
                vevent = _pitch_event(pitch, start, end, language)
                if cancelled:
                    vevent.add("status", "CANCELLED")
                vevents.append(vevent)
    return vevents


@lru_cache(maxsize=256)
def _frame(name: str, timezone: str, first_year: int, last_year: int) -> tuple[bytes, bytes]:
    """What `_finish` writes around a calendar's VEVENTs: (header with the VTIMEZONE, end).

    Keyed by everything it is made of, so an edited event name or a programme moved to
    another year simply finds another entry: nothing to invalidate, and every gunicorn
    worker keeps its own copy safely. The VEVENTs themselves (times from the sessions read
    in this transaction) are never cached."""
    zone = ZoneInfo(timezone)
    cal = _calendar(name)
    for year in (first_year, last_year):
        probe = VEvent()
        probe.add("dtstart", datetime(year, 6, 1, 12, tzinfo=zone))
        cal.add_component(probe)
    whole = _finish(cal)
    head = whole[:whole.index(b"BEGIN:VEVENT\r\n")]
    tail = b"END:VCALENDAR\r\n"
    assert whole.endswith(tail)
    return head, tail


# --- signed feed links for moderators ----------------------------------------------------


def moderator_calendar_token(user: User) -> str:
    """A secret link key for the user's calendar feed (a calendar app cannot log in).

    It stays valid until the user's password changes, which revokes it.
    """
    return _serializer().dumps({"u": user.id, "k": _password_key(user)})


def moderator_from_calendar_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("k") != _password_key(user):
        return None
    return user


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_TOKEN_SALT)


def _password_key(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:12]


# --- building blocks ----------------------------------------------------------------------


def base_url() -> str:
    return current_app.config["SUMMIT_BASE_URL"].rstrip("/")


def session_url(session: EventSession) -> str:
    return f"{base_url()}/events/{session.event.slug}/sessions/{session.id}"


def _host() -> str:
    return urlsplit(base_url()).hostname or "summit.localhost"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _finish(cal: Calendar) -> bytes:
    """Add a VTIMEZONE for every TZID used, covering the years around the events only."""
    starts = [component.decoded("dtstart") for component in cal.walk("VEVENT")]
    years = [moment.year for moment in starts] or [datetime.now(UTC).year]
    cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1),
                              last_date=date(max(years) + 2, 1, 1))
    return cal.to_ical()


def _stamp() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _location(event: Event, room_name: str | None) -> str:
    return ", ".join(part for part in (room_name, event.venue, event.address) if part)


def _session_event(session: EventSession, language: str, *, contacts: bool = False) -> VEvent:
    event, zone = session.event, session.event.tz
    vevent = VEvent()
    vevent.add("uid", f"session-{session.id}@{_host()}")
    vevent.add("dtstamp", _stamp())
    vevent.add("dtstart", session.starts_at.astimezone(zone))
    vevent.add("dtend", session.ends_at.astimezone(zone))
    vevent.add("sequence", session.sequence)
    vevent.add("last-modified", session.updated_at.astimezone(UTC).replace(microsecond=0))
    vevent.add("summary", localised(session, "title", language))
    vevent.add("location", _location(event, localised(session.room, "name", language)))
    vevent.add("url", session_url(session))
    vevent.add("categories", [labels.kind_label(session.kind)])
    description = localised(session, "description", language)
    lines = [description] if description else []
    running_order = [
        f"{start.astimezone(zone):%H:%M}–{end.astimezone(zone):%H:%M} "
        f"{localised(pitch, 'title', language)} "
        f"({_presenter(pitch)})"
        for pitch, start, end in pitch_schedule(session)
    ]
    if running_order:
        lines.append("\n".join(running_order))
    if lines:
        vevent.add("description", "\n\n".join(lines))
    for assignment in session.moderators_in_order:
        user = assignment.user
        # Public exports name moderators without exposing their e-mail addresses.
        address = f"mailto:{user.email}" if contacts else f"urn:summit:{_host()}:user:{user.id}"
        vevent.add("attendee", vCalAddress(address), parameters={
            "CN": user.name, "ROLE": "CHAIR", "PARTSTAT": "ACCEPTED", "CUTYPE": "INDIVIDUAL",
            "X-SUMMIT-ROLE": assignment.role})
    return vevent


def _presenter(pitch: Pitch) -> str:
    return f"{pitch.presenter}, {pitch.organisation}" if pitch.organisation else pitch.presenter


def _pitch_event(pitch: Pitch, start: datetime, end: datetime, language: str) -> VEvent:
    session = pitch.session
    event, zone = session.event, session.event.tz
    vevent = VEvent()
    vevent.add("uid", f"pitch-{pitch.id}@{_host()}")
    vevent.add("dtstamp", _stamp())
    vevent.add("dtstart", start.astimezone(zone))
    vevent.add("dtend", end.astimezone(zone))
    vevent.add("sequence", session.sequence)
    vevent.add("summary", f"{localised(pitch, 'title', language)} ({pitch.presenter})")
    vevent.add("location", _location(event, localised(session.room, "name", language)))
    vevent.add("url", session_url(session))
    vevent.add("related-to", f"session-{session.id}@{_host()}")
    text = [localised(session, "title", language), _presenter(pitch)]
    if description := localised(pitch, "description", language):
        text.append(description)
    vevent.add("description", "\n".join(text))
    return vevent


def event_span(event: Event) -> tuple[datetime, datetime]:
    """From the first session's start to the last session's end, in the event's timezone;
    the event's days at DAY_STARTS–DAY_ENDS while it has no programme."""
    zone = event.tz
    first, last = db.session.execute(
        db.select(func.min(EventSession.starts_at), func.max(EventSession.ends_at))
        .where(EventSession.event_id == event.id)).one()
    if first is None:
        return (datetime.combine(event.starts_on, DAY_STARTS, zone),
                datetime.combine(event.ends_on, DAY_ENDS, zone))
    return first.astimezone(zone), last.astimezone(zone)


def _attendance_event(registration: Registration, cancelled: bool, language: str) -> VEvent:
    event = registration.event
    start, end = event_span(event)
    vevent = VEvent()
    # One UID per registration: the file from the mail and the one from the manage page
    # update the same entry, and a re-sent file replaces it.
    vevent.add("uid", f"registration-{registration.id}@{_host()}")
    vevent.add("dtstamp", _stamp())
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", localised(event, "name", language))
    vevent.add("location", _location(event, None))
    vevent.add("url", links.event_url(event.slug))
    vevent.add("description", links.manage_url(registration))
    vevent.add("transp", "OPAQUE")  # the person is at the event: busy
    if cancelled:
        vevent.add("status", "CANCELLED")
    return vevent
