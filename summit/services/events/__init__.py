"""Events and their categories: creating, reading and changing an event, and the counts
per category that the event page and the API show."""

from .events import (
    EventError,
    category_counts,
    create_event,
    get_by_slug,
    list_events,
    listed_attendees,
    public_categories,
    update_event,
)
