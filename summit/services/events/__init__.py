"""Events and their categories: creating, copying, archiving, reading and changing an event,
its categories, and the counts per category that the event page and the API show."""

from .categories import (
    CategoryError,
    add_category,
    delete_category,
    move_category,
    registrations_in,
    update_category,
)
from .copying import copy_event
from .events import (
    EventError,
    category_counts,
    check_slug_free,
    create_event,
    get_by_slug,
    insert_event,
    list_events,
    listed_attendees,
    public_categories,
    set_archived,
    update_event,
)
