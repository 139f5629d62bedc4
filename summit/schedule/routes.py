"""The public programme: the agenda by day and room, and one page per session."""

from flask import render_template

from ..i18n import format_day
from ..services import events, programme
from ..services.live import board
from ..services.programme import labels
from . import bp


@bp.context_processor
def programme_labels():
    return {"kind_label": labels.kind_label, "language_label": labels.language_label,
            "role_label": labels.role_label, "day_label": format_day}


@bp.get("/events/<slug>/programme")
def agenda(slug: str):
    event = events.get_by_slug(slug)
    sessions = programme.sessions_for(event)
    days = [(day, _parallel(day_sessions)) for day, day_sessions in programme.days(event, sessions)]
    return render_template("schedule/agenda.html", event=event, days=days,
                           late=board.expected(event))


def _parallel(sessions):
    """Sessions starting together side by side, ordered by room: [(starts_at, [sessions])]."""
    slots: dict = {}
    for session in sessions:
        slots.setdefault(session.starts_at, []).append(session)
    return [(start, sorted(group, key=lambda s: (s.room.name if s.room else "", s.id)))
            for start, group in sorted(slots.items())]


@bp.get("/events/<slug>/sessions/<int:session_id>")
def session_page(slug: str, session_id: int):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    moderators = session.moderators_in_order
    return render_template("schedule/session.html", event=event, session=session,
                           schedule=programme.pitch_schedule(session), moderators=moderators,
                           late=board.expected(event).get(session.id))
