"""An event's categories as the organiser keeps them: add, change, reorder, delete.

Capacity goes through registrations.set_capacity, the one rule that locks the category, never
lets it drop below the people confirmed and moves the waiting list up when it grows.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Category, Event, Registration
from ..errors import FieldError
from ..platform import audit
from ..registrations import places
from ..registrations.signup import set_capacity

DETAILS = ("name", "name_de", "badge_colour", "is_public")


class CategoryError(FieldError):
    """A category change refused as given; nothing was changed."""


def _check_names(event: Event, name: str, name_de: str, *, other_than: Category | None = None):
    """Forms, the API and the CSV import find a category by either name in any case, so
    no two categories of an event may share one."""
    taken = {}
    for category in event.categories:
        if category is other_than:
            continue
        for each in (category.name, category.name_de):
            if each:
                taken[each.casefold()] = category
    for field, value in (("name", name), ("name_de", name_de)):
        if value and value.casefold() in taken:
            raise CategoryError(field, _("Another category of this event is already called "
                                         "%(name)s.", name=value), status=409)


def add_category(event: Event, *, actor, name: str, capacity: int, name_de: str = "",
                 badge_colour: str = "", is_public: bool = True) -> Category:
    _check_names(event, name, name_de)
    position = max((c.position for c in event.categories), default=-1) + 1
    category = Category(event=event, name=name, name_de=name_de, capacity=capacity,
                        badge_colour=badge_colour, is_public=is_public, position=position)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same name added at the same moment
        db.session.rollback()
        raise CategoryError("name", _("Another category of this event is already called "
                                      "%(name)s.", name=name), status=409) from exc
    audit.record("category.create", actor=actor, event_id=event.id, target=category,
                 category_id=category.id, name=name, capacity=capacity)
    db.session.commit()
    return category


def update_category(category: Category, *, actor, capacity: int, **details) -> list[str]:
    """Change the category's names, colour, public flag and capacity; returns what changed.
    A refused capacity leaves the names and the rest unchanged too."""
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise TypeError(f"update_category() cannot change {', '.join(sorted(unknown))}")
    values = {name: getattr(category, name) for name in DETAILS} | details
    _check_names(category.event, values["name"], values["name_de"], other_than=category)
    changed = [name for name in DETAILS if values[name] != getattr(category, name)]
    if capacity != category.capacity:
        set_capacity(category, capacity, actor=actor)  # locks, checks, commits
        changed.append("capacity")
    if any(name != "capacity" for name in changed):
        for name in DETAILS:
            setattr(category, name, values[name])
        audit.record("category.update", actor=actor, event_id=category.event_id,
                     target=category, category_id=category.id, name=values["name"],
                     fields=",".join(name for name in changed if name != "capacity"))
        db.session.commit()
    return changed


def move_category(category: Category, step: int, *, actor) -> bool:
    """Move one place up (-1) or down (+1) in the event's order; False at either end."""
    ordered = sorted(category.event.categories, key=lambda c: (c.position, c.id))
    index = ordered.index(category)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
    audit.record("category.move", actor=actor, event_id=category.event_id, target=category,
                 category_id=category.id, name=category.name, position=category.position)
    db.session.commit()
    db.session.expire(category.event, ["categories"])
    return True


def registrations_in(category: Category) -> int:
    """Everyone registered in the category, cancelled included: their records keep it."""
    return db.session.scalar(db.select(func.count()).select_from(Registration)
                             .where(Registration.category_id == category.id)) or 0


def delete_category(category: Category, *, actor) -> None:
    """Delete a category nobody is registered in; otherwise refuse with the count."""
    places.lock_category(category.id)  # a sign-up racing the delete waits, then fails cleanly
    count = registrations_in(category)
    if count:
        db.session.rollback()
        raise CategoryError("category", ngettext(
            "%(num)d person is registered in this category (cancelled registrations count "
            "too), so it cannot be deleted.",
            "%(num)d people are registered in this category (cancelled registrations count "
            "too), so it cannot be deleted.", count), status=409)
    event = category.event
    audit.record("category.delete", actor=actor, event_id=event.id, target=None,
                 category_id=category.id, name=category.name)
    event.categories.remove(category)
    db.session.delete(category)
    db.session.commit()
