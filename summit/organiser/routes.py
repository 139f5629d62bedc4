from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..services import events
from . import bp
from .forms import EventSettingsForm


@bp.before_request
@roles_required("organiser")
def require_organiser():
    """Every organiser page needs the organiser role; checked once for the blueprint."""


@bp.get("/")
def dashboard():
    all_events = events.list_events()
    counts = {event.id: events.category_counts(event) for event in all_events}
    return render_template("organiser/dashboard.html", events=all_events, counts=counts)


@bp.route("/events/<slug>/settings", methods=["GET", "POST"])
def event_settings(slug: str):
    event = events.get_by_slug(slug)
    form = EventSettingsForm(event=event)
    if form.validate_on_submit():
        try:
            changed = events.update_event(event, actor=current_user, **form.settings())
        except events.EventError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("The event's settings are saved.") if changed else
                  _("Nothing was changed."), "success" if changed else "info")
            return redirect(url_for(".event_settings", slug=event.slug))
    status = 422 if any(field.errors for field in form) else 200
    return render_template("organiser/event_settings.html", event=event, form=form), status
