"""The audit log's sentences for the call for pitches (a part of AuditText)."""

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import escape

from ..services.applications.labels import status_label


class CallSentences:
    """Applications are named by number: their title may be a person's venture name, and
    the log outlives an erasure."""

    @staticmethod
    def application(target_id) -> str:
        return escape(_("application #%(id)s", id=target_id))

    def _call_update(self, entry, details):
        return _("%(actor)s changed the settings of the call for pitches.",
                 actor=self.actor(entry))

    def _call_criteria(self, entry, details):
        return ngettext("%(actor)s set %(num)d review criterion.",
                        "%(actor)s set %(num)d review criteria.",
                        int(details.get("criteria") or 0), actor=self.actor(entry))

    def _jury_assign_automatically(self, entry, details):
        return ngettext("%(actor)s assigned the jury automatically: %(num)d assignment added.",
                        "%(actor)s assigned the jury automatically: %(num)d assignments "
                        "added.", int(details.get("added") or 0), actor=self.actor(entry))

    def _jury_assign(self, entry, details):
        values = {"actor": self.actor(entry), "person": self.account(details.get("juror")),
                  "application": self.application(entry.target_id)}
        if details.get("conflict"):
            return _("%(actor)s recorded a conflict of interest of %(person)s with "
                     "%(application)s.", **values)
        return _("%(actor)s assigned %(person)s to %(application)s.", **values)

    def _jury_unassign(self, entry, details):
        return _("%(actor)s removed %(person)s from %(application)s.",
                 actor=self.actor(entry), person=self.account(details.get("juror")),
                 application=self.application(entry.target_id))

    def _jury_conflict(self, entry, details):
        return _("%(actor)s declared a conflict of interest with %(application)s.",
                 actor=self.actor(entry), application=self.application(entry.target_id))

    def _applications_decide(self, entry, details):
        return ngettext("%(actor)s set %(num)d application to “%(decision)s”.",
                        "%(actor)s set %(num)d applications to “%(decision)s”.",
                        int(details.get("count") or 0), actor=self.actor(entry),
                        decision=escape(status_label(details.get("decision", ""))))

    def _applications_decision_mails(self, entry, details):
        return ngettext("%(actor)s sent %(num)d decision mail.",
                        "%(actor)s sent %(num)d decision mails.",
                        int(details.get("count") or 0), actor=self.actor(entry))

    def _applications_reserve_moved_up(self, entry, details):
        return _("%(application)s moved up from the reserve list and was accepted.",
                 application=self.application(entry.target_id))

    def _application_redacted_summary(self, entry, details):
        return _("%(actor)s wrote the summary of %(application)s for the anonymised review.",
                 actor=self.actor(entry), application=self.application(entry.target_id))

    def _application_anonymise(self, entry, details):
        return _("%(actor)s erased the personal data of %(application)s.",
                 actor=self.actor(entry), application=self.application(entry.target_id))
