"""iCalendar downloads and feeds: programme, session, moderator, attendee."""

from flask import abort, request
from flask_login import current_user

from ..auth.access import roles_required
from ..http import ics_response
from ..i18n import current_language as language
from ..services import events, programme, registrations
from ..services.programme import calendars
from . import bp


@bp.get("/events/<slug>/schedule.ics")
def programme_ics(slug: str):
    """The whole programme in the requester's language; a subscription adds ?lang=de|en."""
    event = events.get_by_slug(slug)
    return ics_response(calendars.programme_calendar(event, language()), f"{event.slug}.ics")


@bp.get("/events/<slug>/sessions/<int:session_id>.ics")
def session_ics(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    return ics_response(calendars.session_calendar(session, language()),
                        f"{event.slug}-session-{session.id}.ics")


@bp.get("/moderator/calendar.ics")
@roles_required("moderator", "organiser")
def moderator_ics():
    """The logged-in moderator's sessions; calendar apps use the signed feed link instead
    (moderator_feed, linked from the moderator's page)."""
    return ics_response(calendars.moderator_calendar(current_user, language()), "my-sessions.ics",
                        personal=True)


@bp.get("/moderator/calendar/<token>.ics")
def moderator_feed(token: str):
    user = calendars.moderator_from_calendar_token(token)
    if user is None:
        abort(404)
    # A calendar app sends no language: the feed's ?lang=, else the moderator's own.
    wanted = request.args.get("lang") or user.locale or language()
    return ics_response(calendars.moderator_calendar(user, wanted), "my-sessions.ics",
                        personal=True)


@bp.get("/r/<token>/calendar.ics")
def registration_ics(token: str):
    registration = registrations.get_by_token(token)
    return ics_response(calendars.registration_calendar(registration),
                        f"{registration.event.slug}.ics", personal=True)
