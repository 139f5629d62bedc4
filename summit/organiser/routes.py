from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..auth.access import roles_required
from ..forms_common import show_error
from ..i18n import current_language
from ..services import events, registrations
from . import bp
from .forms import CapacityForm, EventSettingsForm


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
            show_error(form, exc)
        else:
            flash(_("The event's settings are saved.") if changed else
                  _("Nothing was changed."), "success" if changed else "info")
            return redirect(url_for(".event_settings", slug=event.slug))
    return _settings_page(event, form=form)


@bp.post("/events/<slug>/categories/<int:category_id>/capacity")
def category_capacity(slug: str, category_id: int):
    event = events.get_by_slug(slug)
    category = event.category(category_id)
    if category is None:
        abort(404)
    form = CapacityForm(prefix=f"c{category.id}")
    if form.validate_on_submit():
        try:
            promoted = registrations.set_capacity(category, form.capacity.data,
                                                  actor=current_user)
        except registrations.RegistrationError as exc:
            show_error(form, exc, fallback="capacity")
        else:
            message = ngettext("%(category)s now has %(num)d place.",
                               "%(category)s now has %(num)d places.", category.capacity,
                               category=category.display_name(current_language()))
            if promoted:
                message += " " + ngettext(
                    "%(num)d person moved up from the waiting list and was told by e-mail.",
                    "%(num)d people moved up from the waiting list and were told by e-mail.",
                    len(promoted))
            flash(message, "success")
            return redirect(url_for(".event_settings", slug=event.slug) + "#categories")
    return _settings_page(event, capacity_forms={category.id: form})


def _settings_page(event, *, form=None, capacity_forms=None):
    """The settings page; the forms given keep what was typed and their errors (422)."""
    form = form or EventSettingsForm(event=event, formdata=None)
    capacity_forms = {c.id: CapacityForm(prefix=f"c{c.id}", capacity=c.capacity,
                                         formdata=None) for c in event.categories} | (
        capacity_forms or {})
    failed = any(each.errors for each in (form, *capacity_forms.values()))
    counts = events.category_counts(event)
    return render_template("organiser/event_settings.html", event=event, form=form,
                           capacity_forms=capacity_forms, counts=counts), 422 if failed else 200
