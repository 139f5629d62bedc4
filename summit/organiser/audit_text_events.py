"""Audit sentences for whole events and their categories (create, copy, archive; add,
change, reorder, delete a category). A part of AuditText (audit_text.py), which supplies
actor() and category()."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import escape

CATEGORY_FIELDS = {"name": _l("name"), "name_de": _l("German name"),
                   "badge_colour": _l("colour"), "is_public": _l("public registration")}


class EventSentences:
    def category_or_name(self, details):
        """Today's name of the category; a deleted one keeps its name at the time."""
        if details.get("category_id") in self.categories:
            return self.category(details["category_id"])
        return escape(details.get("name") or _("(deleted category)"))

    def _event_create(self, entry, details):
        return _("%(actor)s created the event.", actor=self.actor(entry))

    def _event_copy(self, entry, details):
        return ngettext(
            "%(actor)s created the event as a copy of “%(source)s”, moved by %(num)d day.",
            "%(actor)s created the event as a copy of “%(source)s”, moved by %(num)d days.",
            int(details.get("days") or 0), actor=self.actor(entry),
            source=escape(details.get("source_name", "")))

    def _event_archive(self, entry, details):
        return _("%(actor)s archived the event.", actor=self.actor(entry))

    def _event_unarchive(self, entry, details):
        return _("%(actor)s took the event out of the archive.", actor=self.actor(entry))

    def _category_create(self, entry, details):
        return _("%(actor)s added the category “%(category)s”.", actor=self.actor(entry),
                 category=self.category_or_name(details))

    def _category_update(self, entry, details):
        fields = [str(CATEGORY_FIELDS.get(name, name.replace("_", " ")))
                  for name in str(details.get("fields") or "").split(",") if name]
        return _("%(actor)s changed the category “%(category)s”: %(fields)s.",
                 actor=self.actor(entry), category=self.category_or_name(details),
                 fields=escape(", ".join(fields)))

    def _category_move(self, entry, details):
        return _("%(actor)s moved the category “%(category)s” in the order.",
                 actor=self.actor(entry), category=self.category_or_name(details))

    def _category_delete(self, entry, details):
        return _("%(actor)s deleted the category “%(name)s”.", actor=self.actor(entry),
                 name=escape(details.get("name", "")))
