from flask import render_template

from ..services import events
from . import bp


@bp.get("/")
def index():
    return render_template("events/index.html", events=events.list_events())


@bp.get("/events/<slug>")
def event_page(slug: str):
    event = events.get_by_slug(slug)
    return render_template("events/event.html", event=event)
