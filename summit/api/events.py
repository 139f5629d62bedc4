"""Events: list, read with category counts, create (organisers)."""

from flask import g, jsonify

from ..i18n import current_language
from ..models import CONFIRMED, WAITLISTED, Event, localised, translations
from ..organiser.forms import EventForm
from ..services import events
from .core import endpoint, parse_body
from .schemas import LANG_QUERY


def event_summary(event: Event) -> dict:
    """Texts in the request's language (Accept-Language or ?lang=), falling back to the other;
    both as stored under `translations`."""
    return {
        "slug": event.slug, "name": localised(event, "name", current_language()),
        "translations": translations(event), "venue": event.venue,
        "timezone": event.timezone, "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
    }


def event_detail(event: Event) -> dict:
    counts = events.category_counts(event)
    language = current_language()
    return event_summary(event) | {
        "description": localised(event, "description", language),
        "primary_colour": event.primary_colour,
        "archived": event.archived_at is not None,
        "registration_open": event.registration_state() == "open",
        "registration_opens_at": _iso(event.registration_opens_at),
        "registration_closes_at": _iso(event.registration_closes_at),
        "categories": [
            {
                "id": category.id, "name": category.display_name(language),
                "translations": translations(category), "capacity": category.capacity,
                "confirmed": counts[category.id][CONFIRMED],
                "waitlisted": counts[category.id][WAITLISTED],
                "badge_colour": category.colour, "public": category.is_public,
            }
            for category in event.categories
        ],
    }


def _iso(value):
    return value.isoformat() if value else None


@endpoint("/events", "GET", summary="List the current events (archived events are left out; "
          "GET /events/{slug} still answers for them, with archived: true)", query=LANG_QUERY,
          responses={200: "EventList"}, tag="events")
def list_events():
    return jsonify([event_summary(event) for event in events.list_events()])


@endpoint("/events/<slug>", "GET", summary="An event with its categories and their counts",
          query=LANG_QUERY,
          responses={200: "Event", 404: "Error"}, tag="events")
def get_event(slug: str):
    return jsonify(event_detail(events.get_by_slug(slug)))


@endpoint("/events", "POST", summary="Create an event with its categories", roles=("organiser",),
          body=EventForm, responses={201: "Event", 409: "Error", 422: "ValidationError"},
          tag="events")
def create_event():
    form = parse_body(EventForm)
    event = events.create_event(actor=g.api_user, **form.event_fields())
    return jsonify(event_detail(event)), 201
