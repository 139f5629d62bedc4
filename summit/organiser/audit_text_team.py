"""Audit sentences for the team and the installation's security settings (entries of no
event: they show in every event's log). A part of AuditText (audit_text.py), which supplies
actor() and account()."""

from flask_babel import gettext as _
from markupsafe import escape

from ..services.platform.team import role_label


class TeamSentences:
    def _team_invited(self, entry, details):
        return _("%(actor)s invited %(email)s to the team as %(role)s.", actor=self.actor(entry),
                 email=escape(details.get("email", "")),
                 role=escape(role_label(details.get("role", ""))))

    def _team_invitation_resent(self, entry, details):
        return _("%(actor)s sent the invitation to %(email)s again with a new link.",
                 actor=self.actor(entry), email=escape(details.get("email", "")))

    def _team_invitation_withdrawn(self, entry, details):
        return _("%(actor)s withdrew the invitation to %(email)s.", actor=self.actor(entry),
                 email=escape(details.get("email", "")))

    def _team_joined(self, entry, details):
        return _("%(actor)s accepted the invitation and joined the team as %(role)s.",
                 actor=self.actor(entry), role=escape(role_label(details.get("role", ""))))

    def _team_role_changed(self, entry, details):
        return _("%(actor)s changed the role of %(person)s from %(before)s to %(after)s.",
                 actor=self.actor(entry), person=self.account(entry.target_id),
                 before=escape(role_label(details.get("before", ""))),
                 after=escape(role_label(details.get("after", ""))))

    def _team_removed(self, entry, details):
        return _("%(actor)s removed %(person)s (%(role)s) from the team.",
                 actor=self.actor(entry), person=self.account(entry.target_id),
                 role=escape(role_label(details.get("role", ""))))

    def _security_two_factor_required(self, entry, details):
        if details.get("required"):
            return _("%(actor)s made two-factor log-in required for every organiser.",
                     actor=self.actor(entry))
        return _("%(actor)s made two-factor log-in optional for organisers.",
                 actor=self.actor(entry))
