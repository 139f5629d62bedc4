"""The organiser's doors to whole events: create one, copy one for next year, archive one and
take it back. The rules are in services/events (the API creates events the same way)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms_common import show_error
from ..services import events
from . import bp
from .attendee_forms import ConfirmForm
from .event_forms import EventCopyForm, EventCreateForm, next_edition


@bp.route("/events/new", methods=["GET", "POST"])
def event_create():
    form = EventCreateForm()
    if form.validate_on_submit():
        try:
            event = events.create_event(actor=current_user, **form.event_fields())
        except events.EventError as exc:
            show_error(form, exc)
            return render_template("organiser/event_new.html", form=form), exc.status
        flash(_("The event %(name)s is created. Now add its categories: people register "
                "in one of them.", name=event.name), "success")
        return redirect(url_for(".categories", slug=event.slug))
    return render_template("organiser/event_new.html", form=form), 422 if form.errors else 200


@bp.route("/events/<slug>/copy", methods=["GET", "POST"])
def event_copy(slug: str):
    source = events.get_by_slug(slug)
    # Suggestions on the empty form only: a POST stands for what was typed, nothing else.
    form = EventCopyForm(data=next_edition(source) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            event = events.copy_event(source, slug=form.slug.data, name=form.name.data,
                                      starts_on=form.starts_on.data, actor=current_user)
        except events.EventError as exc:
            show_error(form, exc)
            return render_template("organiser/event_copy.html", event=source,
                                   form=form), exc.status
        flash(_("%(name)s is ready: rooms, categories, settings and the programme were "
                "copied, without any people.", name=event.name), "success")
        return redirect(url_for(".event_settings", slug=event.slug))
    return (render_template("organiser/event_copy.html", event=source, form=form),
            422 if form.errors else 200)


@bp.post("/events/<slug>/archive")
def event_archive(slug: str):
    return _set_archived(slug, True)


@bp.post("/events/<slug>/unarchive")
def event_unarchive(slug: str):
    return _set_archived(slug, False)


def _set_archived(slug: str, archived: bool):
    event = events.get_by_slug(slug)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form had expired; please try again."), "error")
        return redirect(url_for(".event_settings", slug=event.slug))
    if events.set_archived(event, archived, actor=current_user):
        flash(_("%(name)s is archived: it is no longer listed and its registration is "
                "closed.", name=event.name) if archived else
              _("%(name)s is back among the current events.", name=event.name), "success")
    return redirect(url_for(".dashboard"))


@bp.get("/archive")
def archived_events():
    return render_template("organiser/archive.html", events=events.list_events(archived=True),
                           form=ConfirmForm())
