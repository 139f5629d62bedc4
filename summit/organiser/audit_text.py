"""Audit entries told in words: what happened, and the details that matter, translated."""

from flask_babel import gettext as _
from flask_babel import ngettext

from ..i18n import current_language


def action_label(action: str) -> str:
    labels = {
        "registration.create": _("Registered by an organiser"),
        "registration.cancel": _("Registration cancelled"),
        "registration.confirm_from_waitlist": _("Confirmed from the waiting list"),
        "registration.change_category": _("Category changed"),
        "registration.update": _("Details changed"),
        "registration.anonymise": _("Personal data erased"),
        "attendees.import": _("Attendees imported"),
        "attendees.export": _("Attendee list exported"),
        "event.update": _("Event settings changed"),
        "category.capacity": _("Capacity changed"),
    }
    return labels.get(action, action)


def status_label(status: str) -> str:
    return {"confirmed": _("Confirmed"), "waitlisted": _("Waiting list"),
            "cancelled": _("Cancelled")}.get(status, status)


def describe(entry, event) -> list[str]:
    """Short phrases for the entry's details; unknown keys are shown as they are."""
    details = dict(entry.details or {})
    names = {c.id: c.display_name(current_language()) for c in event.categories}
    by_name = {c.name: c.display_name(current_language()) for c in event.categories}

    def category(value) -> str:
        return names.get(value, str(value))

    phrases = []
    if "old_category_id" in details or "new_category_id" in details:
        phrases.append(_("from %(old)s to %(new)s",
                         old=category(details.pop("old_category_id", None)),
                         new=category(details.pop("new_category_id", None))))
    if {"old_capacity", "new_capacity"} <= details.keys():
        phrases.append(_("from %(old)s to %(new)s places", old=details.pop("old_capacity"),
                         new=details.pop("new_capacity")))
    if {"count", "confirmed", "waitlisted"} <= details.keys():
        phrases.append(ngettext("%(num)d person: %(confirmed)d confirmed, %(waitlisted)d on "
                                "the waiting list",
                                "%(num)d people: %(confirmed)d confirmed, %(waitlisted)d on "
                                "the waiting list", details.pop("count"),
                                confirmed=details.pop("confirmed"),
                                waitlisted=details.pop("waitlisted")))
    if "category" in details:
        name = details.pop("category")
        phrases.append(_("Category: %(name)s", name=by_name.get(name, name)))
    if details.get("category_id") is not None:
        phrases.append(_("Category: %(name)s", name=category(details.pop("category_id"))))
    if details.get("status"):
        phrases.append(_("Status: %(status)s", status=status_label(details.pop("status"))))
    if details.pop("over_capacity", False):
        phrases.append(_("over capacity allowed"))
    promoted = details.pop("promoted", 0)
    if promoted:
        phrases.append(ngettext("%(num)d moved up from the waiting list",
                                "%(num)d moved up from the waiting list", promoted))
    if details.pop("mails", False):
        phrases.append(_("confirmation e-mails sent"))
    if details.pop("search", False):
        phrases.append(_("filtered by a search"))
    if details.get("filename"):
        phrases.append(_("File: %(name)s", name=details.pop("filename")))
    if details.get("fields"):
        phrases.append(_("Fields: %(fields)s", fields=details.pop("fields")))
    phrases.extend(f"{key.replace('_', ' ')}: {value}" for key, value in details.items()
                   if value not in (None, "", False) and key not in ("category_id", "status",
                                                                      "filename", "fields"))
    return phrases
