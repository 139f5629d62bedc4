"""Audit sentences for the live stage and the audience vote (speaker view link, warning,
blackout; opening, closing, revealing the vote). A part of AuditText (audit_text.py), which
supplies actor() and in_session()."""

from flask_babel import gettext as _
from markupsafe import escape


class LiveSentences:
    def _stage_link_renewed(self, entry, details):
        text = (_("%(actor)s created the speaker view's link %(session)s.") if details.get("first")
                else _("%(actor)s renewed the speaker view's link %(session)s; the old link "
                       "no longer works."))
        return text % {"actor": self.actor(entry), "session": self.in_session(entry.target_id)}

    def _stage_warning_changed(self, entry, details):
        return _("%(actor)s set the speaker's warning to %(after)s seconds before the end "
                 "%(session)s (was %(before)s).", actor=self.actor(entry),
                 session=self.in_session(entry.target_id),
                 after=escape(details.get("after")), before=escape(details.get("before")))

    def _stage_blackout(self, entry, details):
        text = (_("%(actor)s blacked out the stage's screens %(session)s.") if details.get("on")
                else _("%(actor)s brought the stage's screens back %(session)s."))
        return text % {"actor": self.actor(entry), "session": self.in_session(entry.target_id)}

    def _vote_open(self, entry, details):
        return _("%(actor)s opened the audience vote %(in_session)s.", actor=self.actor(entry),
                 in_session=self.in_session(entry.target_id))

    def _vote_close(self, entry, details):
        return _("%(actor)s closed the audience vote %(in_session)s.", actor=self.actor(entry),
                 in_session=self.in_session(entry.target_id))

    def _vote_reveal(self, entry, details):
        return _("%(actor)s revealed the result of the audience vote %(in_session)s.",
                 actor=self.actor(entry), in_session=self.in_session(entry.target_id))

    def _vote_hide(self, entry, details):
        return _("%(actor)s hid the result of the audience vote %(in_session)s.",
                 actor=self.actor(entry), in_session=self.in_session(entry.target_id))

    def _vote_jury_scores(self, entry, details):
        return _("%(actor)s entered the jury's scores %(in_session)s.", actor=self.actor(entry),
                 in_session=self.in_session(entry.target_id))

    def _vote_ballot(self, entry, details):
        return _("%(actor)s chose the pitches on the ballot of the audience vote "
                 "%(in_session)s: %(titles)s.", actor=self.actor(entry),
                 in_session=self.in_session(entry.target_id),
                 titles=escape(", ".join(details.get("titles") or [])))
