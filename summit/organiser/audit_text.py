"""Audit entries told as sentences in the reader's language: who did what to which thing,
with today's names (looked up per page by audit.names_for) and times in the event's zone.

An entry stores an action key, ids and raw values; none of them reaches the page as it is.
A thing that is gone reads "a deleted session", "account #7 (deleted)". Sentences are Markup:
every value is escaped here, so a person's name can link to their registration.
"""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup, escape

from ..i18n import current_language, format_datetime, format_time
from ..moderators.reasons import language_name
from ..services.platform import audit
from .audit_text_call import CallSentences
from .audit_text_events import EventSentences
from .audit_text_live import LiveSentences
from .audit_text_team import TeamSentences

# Field names as the sentences list them ("changed the details of …: first name, needs").
FIELD_LABELS = {
    "first_name": _l("first name"), "last_name": _l("last name"),
    "organisation": _l("organisation"), "language": _l("language"), "needs": _l("needs"),
    "public_listing": _l("public list of attendees"),
    "name": _l("name"), "venue": _l("venue"), "address": _l("address"),
    "description": _l("description"), "starts_on": _l("first day"), "ends_on": _l("last day"),
    "registration_opens_at": _l("registration opens"),
    "registration_closes_at": _l("registration closes"), "primary_colour": _l("colour"),
    "title": _l("title"), "kind": _l("kind"), "room_id": _l("room"), "starts_at": _l("start"),
    "ends_at": _l("end"), "moderators_needed": _l("moderators needed"),
    "presenter": _l("presenter"), "pitch_minutes": _l("pitch minutes"),
    "qa_minutes": _l("Q&A minutes"), "changeover_minutes": _l("changeover minutes"),
    "registration_id": _l("presenter's registration"),
}


def status_text(status: str | None) -> str:
    return str({"confirmed": _l("confirmed"), "waitlisted": _l("on the waiting list"),
                "cancelled": _l("cancelled")}.get(status or "", status or ""))


class AuditText(EventSentences, LiveSentences, TeamSentences, CallSentences):
    """Sentences for the entries of one event's page; `names` from audit.names_for."""

    def __init__(self, event, names: audit.Names, *, link_people: bool = True):
        self.event, self.names, self.link_people = event, names, link_people
        language = current_language()
        self.categories = {c.id: c.display_name(language) for c in event.categories}
        self.categories_by_name = {c.name: c.display_name(language) for c in event.categories}

    def sentence(self, entry) -> Markup:
        details = dict(entry.details or {})
        describe = getattr(self, "_" + entry.action.replace(".", "_"), None)
        text = describe(entry, details) if describe else _(
            "%(actor)s made a change.", actor=self.actor(entry))
        return Markup(text)

    # --- the things an entry names; each returns escaped text --------------------------

    def actor(self, entry) -> Markup:
        return escape(entry.user.name if entry.user else _("The system"))

    def person(self, registration_id) -> Markup:
        known = self.names.registrations.get(registration_id)
        if known is None:
            return escape(_("Registration #%(id)s", id=registration_id))
        name = _("Anonymised #%(id)s", id=registration_id) if known.erased else known.name
        if not self.link_people:
            return escape(name)
        href = url_for("organiser.attendee_detail", slug=self.event.slug,
                       registration_id=registration_id)
        return Markup('<a href="{}">{}</a>').format(href, name)

    def account(self, user_id) -> Markup:
        name = self.names.users.get(user_id)
        return escape(name if name is not None else _("account #%(id)s (deleted)", id=user_id))

    def in_session(self, session_id) -> Markup:
        title = self.names.sessions.get(session_id)
        if title is None:
            return escape(_("in a deleted session"))
        return escape(_("in the session “%(title)s”", title=title))

    def to_pitch(self, pitch_id) -> Markup:
        title = self.names.pitches.get(pitch_id)
        if title is None:
            return escape(_("to a deleted pitch"))
        return escape(_("to the pitch “%(title)s”", title=title))

    def category(self, value) -> Markup:
        return escape(self.category_name(value))

    def category_name(self, value) -> str:
        """Entries keep a category's id, or (registrations) its English name."""
        if isinstance(value, int):
            name = self.categories.get(value)
        else:
            name = self.categories_by_name.get(value, value)
        return name if name else _("(deleted category)")

    def fields(self, value) -> Markup:
        names = [part for part in str(value or "").split(",") if part]
        return escape(", ".join(str(FIELD_LABELS.get(name, name.replace("_", " ")))
                                for name in names))

    def moment(self, iso) -> Markup:
        return escape(format_datetime(_parse(iso), self.event.tz, "short"))

    def span(self, start_iso, end_iso) -> Markup:
        start, end = _parse(start_iso), _parse(end_iso)
        if start is None or end is None:
            return escape("")
        zone = self.event.tz
        same_day = start.astimezone(zone).date() == end.astimezone(zone).date()
        end_text = format_time(end, zone) if same_day else format_datetime(end, zone, "short")
        return escape(f"{format_datetime(start, zone, 'short')}–{end_text}")

    @staticmethod
    def languages(value) -> Markup:
        codes = [code for code in str(value or "").split(",") if code]
        return escape(", ".join(language_name(code) for code in codes) or _("none"))

    @staticmethod
    def over_capacity(details) -> str:
        return " " + _("Places beyond the capacity were allowed.") if details.get(
            "over_capacity") else ""

    @staticmethod
    def promoted(details) -> str:
        count = details.get("promoted") or 0
        return " " + ngettext("%(num)d person moved up from the waiting list.",
                              "%(num)d people moved up from the waiting list.",
                              count) if count else ""

    # --- one method per action (audit.record's first argument, dots as underscores) -------

    def _registration_create(self, entry, details):
        return _("%(actor)s registered %(person)s in the category “%(category)s” (%(status)s).",
                 actor=self.actor(entry), person=self.person(entry.target_id),
                 category=self.category(details.get("category")),
                 status=escape(status_text(details.get("status")))
                 ) + self.over_capacity(details)

    def _registration_cancel(self, entry, details):
        return _("%(actor)s cancelled the registration of %(person)s.", actor=self.actor(entry),
                 person=self.person(entry.target_id)) + self.promoted(details)

    def _registration_confirm_from_waitlist(self, entry, details):
        return _("%(actor)s confirmed %(person)s from the waiting list.",
                 actor=self.actor(entry), person=self.person(entry.target_id)
                 ) + self.over_capacity(details)

    def _registration_change_category(self, entry, details):
        return _("%(actor)s moved %(person)s from the category “%(old)s” to “%(new)s” (now "
                 "%(status)s).", actor=self.actor(entry), person=self.person(entry.target_id),
                 old=self.category(details.get("old_category_id")),
                 new=self.category(details.get("new_category_id")),
                 status=escape(status_text(details.get("status")))
                 ) + self.over_capacity(details)

    def _category_capacity(self, entry, details):
        return ngettext(
            "%(actor)s changed the places of the category “%(category)s” from %(old)d to "
            "%(num)d place.",
            "%(actor)s changed the places of the category “%(category)s” from %(old)d to "
            "%(num)d places.", int(details.get("new_capacity") or 0),
            actor=self.actor(entry),
            category=self.category(details.get("category_id", entry.target_id)),
            old=int(details.get("old_capacity") or 0)) + self.promoted(details)

    def _registration_update(self, entry, details):
        return _("%(actor)s changed the details of %(person)s: %(fields)s.",
                 actor=self.actor(entry), person=self.person(entry.target_id),
                 fields=self.fields(details.get("fields")))

    def _registration_anonymise(self, entry, details):
        return _("%(actor)s erased the personal data of %(person)s (category “%(category)s”, "
                 "%(status)s).", actor=self.actor(entry), person=self.person(entry.target_id),
                 category=self.category(details.get("category")),
                 status=escape(status_text(details.get("status"))))

    def _attendees_import(self, entry, details):
        values = {"actor": self.actor(entry), "confirmed": int(details.get("confirmed") or 0),
                  "waitlisted": int(details.get("waitlisted") or 0)}
        count = int(details.get("count") or 0)
        if details.get("filename"):
            text = ngettext(
                "%(actor)s imported %(num)d person from “%(file)s”: %(confirmed)d confirmed, "
                "%(waitlisted)d on the waiting list.",
                "%(actor)s imported %(num)d people from “%(file)s”: %(confirmed)d confirmed, "
                "%(waitlisted)d on the waiting list.", count,
                file=escape(details["filename"]), **values)
        else:
            text = ngettext(
                "%(actor)s imported %(num)d person: %(confirmed)d confirmed, %(waitlisted)d on "
                "the waiting list.",
                "%(actor)s imported %(num)d people: %(confirmed)d confirmed, %(waitlisted)d on "
                "the waiting list.", count, **values)
        if details.get("mails"):
            text += " " + _("Confirmation e-mails were sent.")
        return text + self.over_capacity(details)

    def _attendees_export(self, entry, details):
        filters = []
        if details.get("category_id") is not None:
            filters.append(_("category “%(name)s”",
                             name=self.category_name(details["category_id"])))
        if details.get("status"):
            filters.append(_("status: %(status)s", status=status_text(details["status"])))
        if details.get("search"):
            filters.append(_("filtered by a search"))
        if details.get("option_id"):
            filters.append(_("filtered by an answer"))
        if not filters:
            return _("%(actor)s exported the attendee list.", actor=self.actor(entry))
        return _("%(actor)s exported part of the attendee list (%(filters)s).",
                 actor=self.actor(entry), filters=escape(", ".join(filters)))

    def _checkin_undo(self, entry, details):
        values = {"actor": self.actor(entry), "person": self.person(entry.target_id),
                  "time": self.moment(details.get("checked_in_at"))}
        if details.get("desk"):
            return _("%(actor)s undid the check-in of %(person)s from %(time)s at the desk "
                     "“%(desk)s”.", desk=escape(details["desk"]), **values)
        return _("%(actor)s undid the check-in of %(person)s from %(time)s.", **values)

    def _event_update(self, entry, details):
        return _("%(actor)s changed the event settings: %(fields)s.", actor=self.actor(entry),
                 fields=self.fields(details.get("fields")))

    def _session_created(self, entry, details):
        return _("%(actor)s created the session “%(title)s”.", actor=self.actor(entry),
                 title=escape(details.get("title", "")))

    def _session_updated(self, entry, details):
        return _("%(actor)s made changes %(in_session)s: %(fields)s.", actor=self.actor(entry),
                 in_session=self.in_session(entry.target_id),
                 fields=self.fields(details.get("fields")))

    def _session_deleted(self, entry, details):
        values = {"actor": self.actor(entry), "title": escape(details.get("title", ""))}
        pitches = int(details.get("pitches") or 0)
        if not pitches:
            return _("%(actor)s deleted the session “%(title)s”.", **values)
        return ngettext("%(actor)s deleted the session “%(title)s” with its %(num)d pitch.",
                        "%(actor)s deleted the session “%(title)s” with its %(num)d pitches.",
                        pitches, **values)

    def _room_created(self, entry, details):
        return _("%(actor)s created the room “%(name)s”.", actor=self.actor(entry),
                 name=escape(details.get("name", "")))

    def _room_updated(self, entry, details):
        return _("%(actor)s changed the room “%(name)s”.", actor=self.actor(entry),
                 name=escape(details.get("name", "")))

    def _room_deleted(self, entry, details):
        return _("%(actor)s deleted the room “%(name)s”.", actor=self.actor(entry),
                 name=escape(details.get("name", "")))

    def _pitch_created(self, entry, details):
        return _("%(actor)s added the pitch “%(title)s” %(in_session)s as number "
                 "%(position)d.", actor=self.actor(entry), title=escape(details.get("title", "")),
                 in_session=self.in_session(details.get("session_id")),
                 position=int(details.get("position") or 0))

    def _pitch_updated(self, entry, details):
        return _("%(actor)s made changes %(to_pitch)s: %(fields)s.", actor=self.actor(entry),
                 to_pitch=self.to_pitch(entry.target_id),
                 fields=self.fields(details.get("fields")))

    def _pitch_deleted(self, entry, details):
        return _("%(actor)s deleted the pitch “%(title)s” %(in_session)s.",
                 actor=self.actor(entry), title=escape(details.get("title", "")),
                 in_session=self.in_session(details.get("session_id")))

    def _pitches_reordered(self, entry, details):
        titles = [self.names.pitches.get(pitch_id) for pitch_id in
                  audit.id_list(details.get("order"))]
        order = ", ".join(_("“%(title)s”", title=title) if title is not None
                          else _("a deleted pitch") for title in titles)
        return _("%(actor)s moved the pitches %(in_session)s into the order: %(order)s.",
                 actor=self.actor(entry), in_session=self.in_session(entry.target_id),
                 order=escape(order))

    def _moderator_assigned(self, entry, details):
        values = {"actor": self.actor(entry), "person": self.account(details.get("user_id")),
                  "in_session": self.in_session(details.get("session_id"))}
        lead = details.get("role") == "lead"
        if details.get("previous_role") == details.get("role"):
            text = (_("%(actor)s confirmed %(person)s as lead moderator %(in_session)s.", **values)
                    if lead else
                    _("%(actor)s confirmed %(person)s as co-moderator %(in_session)s.", **values))
        else:
            text = (_("%(actor)s made %(person)s lead moderator %(in_session)s.", **values)
                    if lead else
                    _("%(actor)s made %(person)s co-moderator %(in_session)s.", **values))
        if details.get("demoted_user_id") is not None:
            text += " " + _("%(name)s moved to co-moderator.",
                            name=self.account(details["demoted_user_id"]))
        return text

    def _moderator_unassigned(self, entry, details):
        values = {"actor": self.actor(entry), "person": self.account(details.get("user_id")),
                  "in_session": self.in_session(details.get("session_id"))}
        if details.get("role") == "lead":
            return _("%(actor)s removed %(person)s as lead moderator %(in_session)s.", **values)
        return _("%(actor)s removed %(person)s as co-moderator %(in_session)s.", **values)

    def _moderators_auto_assigned(self, entry, details):
        text = ngettext("%(actor)s ran the automatic assignment of moderators for %(num)d "
                        "session:",
                        "%(actor)s ran the automatic assignment of moderators for %(num)d "
                        "sessions:", int(details.get("sessions") or 0), actor=self.actor(entry))
        unfilled = int(details.get("unfilled") or 0)
        parts = [
            ngettext("%(num)d assignment added", "%(num)d assignments added",
                     int(details.get("added") or 0)),
            ngettext("%(num)d removed", "%(num)d removed", int(details.get("removed") or 0)),
            ngettext("%(num)d session stays unfilled", "%(num)d sessions stay unfilled",
                     unfilled) if unfilled else _("every session is filled"),
        ]
        return f"{text} {', '.join(parts)}."

    def _moderator_languages(self, entry, details):
        return _("%(actor)s changed the languages of %(person)s from %(before)s to %(after)s.",
                 actor=self.actor(entry), person=self.account(entry.target_id),
                 before=self.languages(details.get("before")),
                 after=self.languages(details.get("after")))

    def _availability_created(self, entry, details):
        return _("%(actor)s added an availability window for %(person)s: %(span)s.",
                 actor=self.actor(entry), person=self.account(details.get("user_id")),
                 span=self.span(details.get("starts_at"), details.get("ends_at")))

    def _availability_updated(self, entry, details):
        return _("%(actor)s changed an availability window of %(person)s to %(span)s.",
                 actor=self.actor(entry), person=self.account(details.get("user_id")),
                 span=self.span(details.get("starts_at"), details.get("ends_at")))

    def _availability_deleted(self, entry, details):
        values = {"actor": self.actor(entry), "person": self.account(details.get("user_id"))}
        if details.get("starts_at") and details.get("ends_at"):
            return _("%(actor)s removed the availability window %(span)s of %(person)s.",
                     span=self.span(details["starts_at"], details["ends_at"]), **values)
        return _("%(actor)s removed an availability window of %(person)s.", **values)



def described_actions() -> set[str]:
    """The actions with a sentence of their own (the test holds this to audit.record's)."""
    return {name[1:].replace("_", ".", 1) for cls in AuditText.__mro__ for name in vars(cls)
            if name.startswith("_") and not name.startswith("__")}


def _parse(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
