"""Organiser pages for moderators: languages, availability, hand and automatic assignment."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import roles_required
from ..extensions import db
from ..forms_common import show_error
from ..i18n import current_language
from ..models import ModeratorAssignment, localised
from ..services import events, moderation, programme
from . import bp
from .forms import (
    AddWindowForm,
    AssignForm,
    ConfirmForm,
    LanguagesForm,
    WindowForm,
    role_label,
)
from .reasons import language_name, reason_text

PREFIX = "/organiser/events/<slug>/moderators"


def _page(event, *, status=200, summary_requested=False, **forms):
    people = moderation.moderators()
    windows = moderation.windows_for(event)
    staffing = moderation.staffing(event)
    names = {m.id: m.name for m in people}
    for outcome in staffing.outcomes:
        names.update({a.user_id: a.user.name for a in outcome.assigned})
    language_forms = {
        m.id: LanguagesForm(formdata=None, prefix=f"lang{m.id}", languages=", ".join(
            sorted(m.language_set)))
        for m in people
    }
    language_forms.update(forms.pop("language_forms", {}))
    window_forms = {
        w.id: WindowForm(formdata=None, prefix=f"w{w.id}", event=event,
                         starts_at=w.starts_at, ends_at=w.ends_at)
        for rows in windows.values() for w in rows
    }
    window_forms.update(forms.pop("window_forms", {}))
    assign_forms = {
        o.session.id: AssignForm(formdata=None, prefix=f"s{o.session.id}", moderators=people)
        for o in staffing.outcomes
    }
    assign_forms.update(forms.pop("assign_forms", {}))
    add_form = forms.pop("add_form", None) or AddWindowForm(
        formdata=None, prefix="add", event=event, moderators=people)
    reasons = {
        o.session.id: [reason_text(r, event.tz, names) for r in o.reasons]
        for o in staffing.outcomes
    }
    return render_template(
        "moderators/organiser.html", event=event, moderators=people, windows=windows,
        staffing=staffing, reasons=reasons, language_forms=language_forms,
        window_forms=window_forms, assign_forms=assign_forms, add_form=add_form,
        summary_requested=summary_requested, role_label=role_label,
        language_name=language_name,
    ), status


@bp.get(PREFIX)
@roles_required("organiser")
def organiser_moderators(slug):
    event = events.get_by_slug(slug)
    return _page(event, summary_requested=request.args.get("assigned") == "1")


def _back(event, anchor=""):
    return redirect(url_for(".organiser_moderators", slug=event.slug) + anchor)


@bp.post(PREFIX + "/<int:user_id>/languages")
@roles_required("organiser")
def set_languages(slug, user_id):
    event = events.get_by_slug(slug)
    user = moderation.get_moderator(user_id)
    form = LanguagesForm(prefix=f"lang{user.id}")
    if form.validate_on_submit():
        try:
            moderation.set_languages(user, form.languages.data, actor=current_user, event=event)
        except moderation.ModerationError as exc:
            show_error(form, exc, fallback="languages")
        else:
            flash(_("Languages of %(name)s saved.", name=user.name), "success")
            return _back(event, f"#moderator-{user.id}")
    return _page(event, status=422, language_forms={user.id: form})


@bp.post(PREFIX + "/availability")
@roles_required("organiser")
def add_window(slug):
    event = events.get_by_slug(slug)
    form = AddWindowForm(prefix="add", event=event, moderators=moderation.moderators())
    if form.validate_on_submit():
        user = moderation.get_moderator(form.user_id.data)
        try:
            moderation.add_window(event, user, form.starts_at.data, form.ends_at.data,
                                  actor=current_user)
        except moderation.ModerationError as exc:
            show_error(form, exc, fallback="ends_at")
        else:
            flash(_("Availability of %(name)s added.", name=user.name), "success")
            return _back(event, f"#moderator-{user.id}")
    return _page(event, status=422, add_form=form)


@bp.post(PREFIX + "/availability/<int:window_id>")
@roles_required("organiser")
def update_window(slug, window_id):
    event = events.get_by_slug(slug)
    window = moderation.get_window(event, window_id)
    form = WindowForm(prefix=f"w{window.id}", event=event)
    if form.validate_on_submit():
        try:
            moderation.update_window(window, form.starts_at.data, form.ends_at.data,
                                     actor=current_user)
        except moderation.ModerationError as exc:
            show_error(form, exc, fallback="ends_at")
        else:
            flash(_("Availability of %(name)s saved.", name=window.user.name), "success")
            return _back(event, f"#moderator-{window.user_id}")
    return _page(event, status=422, window_forms={window.id: form})


@bp.post(PREFIX + "/availability/<int:window_id>/delete")
@roles_required("organiser")
def delete_window(slug, window_id):
    event = events.get_by_slug(slug)
    window = moderation.get_window(event, window_id)
    if not ConfirmForm().validate_on_submit():
        return _page(event, status=400)
    user_id, name = window.user_id, window.user.name
    moderation.delete_window(window, actor=current_user)
    flash(_("Availability of %(name)s removed.", name=name), "success")
    return _back(event, f"#moderator-{user_id}")


@bp.post(PREFIX + "/sessions/<int:session_id>/assign")
@roles_required("organiser")
def assign(slug, session_id):
    event = events.get_by_slug(slug)
    session = programme.get_session(event, session_id)
    people = moderation.moderators()
    form = AssignForm(prefix=f"s{session.id}", moderators=people)
    if form.validate_on_submit():
        user = moderation.get_moderator(form.user_id.data)
        try:
            result = moderation.assign_moderator(session, user, form.chosen_role(),
                                                 actor=current_user, pinned=True)
        except (programme.ProgrammeError, moderation.ModerationError) as exc:
            show_error(form, exc, fallback="user_id")
        else:
            flash(assignment_message(result), "success" if result.session_has_lead
                  else "warning")
            return _back(event, f"#session-{session.id}")
    return _page(event, status=422, assign_forms={session.id: form})


def assignment_message(result: moderation.HandAssignment) -> str:
    """Says every role that changed: a new lead's predecessor moves to co-moderator, and a
    lead made co-moderator leaves the session without a lead."""
    name = result.assignment.user.name
    title = localised(result.assignment.session, "title", current_language())
    if result.role == result.previous_role:
        message = (_("%(name)s stays lead moderator of “%(session)s”.", name=name,
                     session=title) if result.role == "lead" else
                   _("%(name)s stays co-moderator of “%(session)s”.", name=name, session=title))
    elif result.role == "lead":
        message = _("%(name)s is now lead moderator of “%(session)s”.", name=name,
                    session=title)
    else:
        message = _("%(name)s is now co-moderator of “%(session)s”.", name=name,
                    session=title)
    if result.demoted is not None:
        message += " " + _("%(name)s moves to co-moderator.", name=result.demoted.name)
    if not result.session_has_lead:
        message += " " + _("The session has no lead moderator now.")
    return message


@bp.post(PREFIX + "/assignments/<int:assignment_id>/delete")
@roles_required("organiser")
def unassign(slug, assignment_id):
    event = events.get_by_slug(slug)
    assignment = db.get_or_404(ModeratorAssignment, assignment_id)
    if assignment.session.event_id != event.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        return _page(event, status=400)
    session_id, name = assignment.session_id, assignment.user.name
    moderation.unassign(assignment, actor=current_user)
    flash(_("%(name)s no longer moderates this session.", name=name), "success")
    return _back(event, f"#session-{session_id}")


@bp.post(PREFIX + "/auto-assign")
@roles_required("organiser")
def auto_assign(slug):
    event = events.get_by_slug(slug)
    if not ConfirmForm().validate_on_submit():
        return _page(event, status=400)
    summary = moderation.auto_assign_event(event, actor=current_user)
    filled, unfilled = len(summary.filled), len(summary.unfilled)
    message = ngettext("Automatic assignment done: %(num)d session filled",
                       "Automatic assignment done: %(num)d sessions filled", filled)
    if unfilled:
        message += "; " + ngettext("%(num)d session could not be filled.",
                                   "%(num)d sessions could not be filled.", unfilled)
    else:
        message += "."
    flash(message, "warning" if unfilled else "success")
    return redirect(url_for(".organiser_moderators", slug=event.slug, assigned=1) + "#summary")
