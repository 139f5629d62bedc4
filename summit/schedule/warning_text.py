"""Schedule warnings in the reader's language, times in the event's timezone."""

from flask_babel import gettext as _
from flask_babel import ngettext

from ..i18n import format_date, format_datetime, format_time
from ..models import Event
from ..services.programme import schedule_checks as checks
from ..services.programme.schedule_checks import ScheduleWarning


def describe(warning: ScheduleWarning, event: Event) -> str:
    p = warning.message_params
    tz = event.timezone

    def span(start, end) -> str:
        return f"{format_datetime(start, tz, 'short')}–{format_time(end, tz)}"

    if warning.code == checks.PITCH_OVERRUN:
        return ngettext(
            "The pitch “%(title)s” ends at %(end)s, %(num)d minute after the session ends "
            "(%(session_end)s).",
            "The pitch “%(title)s” ends at %(end)s, %(num)d minutes after the session ends "
            "(%(session_end)s).", p["minutes"], title=p["pitch_title"],
            end=format_time(p["pitch_ends_at"], tz),
            session_end=format_time(p["session_ends_at"], tz))
    if warning.code == checks.PITCH_BEFORE_START:
        return _("The pitch “%(title)s” starts at %(start)s, before the session starts "
                 "(%(session_start)s).", title=p["pitch_title"],
                 start=format_time(p["pitch_starts_at"], tz),
                 session_start=format_time(p["session_starts_at"], tz))
    if warning.code == checks.ROOM_OVERLAP:
        return _("The room %(room)s is also booked for “%(other)s” at %(when)s.",
                 room=p["room"], other=p["other_title"],
                 when=span(p["other_starts_at"], p["other_ends_at"]))
    if warning.code == checks.PRESENTER_DOUBLE_BOOKED:
        return _("%(presenter)s also presents “%(pitch)s” in “%(other)s” at %(when)s.",
                 presenter=p["presenter"], pitch=p["other_pitch_title"],
                 other=p["other_title"], when=span(p["other_starts_at"], p["other_ends_at"]))
    if warning.code == checks.MODERATOR_DOUBLE_BOOKED:
        return _("%(name)s also moderates “%(other)s” at %(when)s.", name=p["moderator_name"],
                 other=p["other_title"], when=span(p["other_starts_at"], p["other_ends_at"]))
    if warning.code == checks.MODERATOR_UNAVAILABLE:
        return _("%(name)s is not available at the time of this session.",
                 name=p["moderator_name"])
    if warning.code == checks.SESSION_OUTSIDE_EVENT:
        return _("The session lies outside the event days (%(first)s – %(last)s).",
                 first=format_date(p["starts_on"]), last=format_date(p["ends_on"]))
    return warning.text
