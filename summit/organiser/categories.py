"""The organiser's categories page: every category with its places, people and colour; add,
change, reorder (plain buttons, no JavaScript needed) and delete. The rules are in
services/events/categories.py; a refusal shows next to its field and changes nothing."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..forms_common import show_error
from ..services import events
from ..services.errors import FieldError
from . import bp
from .attendee_forms import ConfirmForm
from .event_forms import CategoryEditForm


def _event_and_category(slug: str, category_id: int):
    event = events.get_by_slug(slug)
    category = event.category(category_id)
    if category is None:
        abort(404)
    return event, category


def _back(event):
    return redirect(url_for(".categories", slug=event.slug))


@bp.get("/events/<slug>/categories")
def categories(slug: str):
    return _page(events.get_by_slug(slug))


@bp.post("/events/<slug>/categories")
def category_add(slug: str):
    event = events.get_by_slug(slug)
    form = CategoryEditForm(prefix="new")
    if form.validate_on_submit():
        try:
            category = events.add_category(event, actor=current_user,
                                           **_own_colour(event, form.values()))
        except events.CategoryError as exc:
            show_error(form, exc)
            return _page(event, new_form=form, status=exc.status)
        flash(_("The category %(name)s is added.", name=category.name), "success")
        return _back(event)
    return _page(event, new_form=form, status=422)


@bp.post("/events/<slug>/categories/<int:category_id>")
def category_update(slug: str, category_id: int):
    event, category = _event_and_category(slug, category_id)
    form = CategoryEditForm(prefix=f"c{category.id}")
    if form.validate_on_submit():
        try:
            changed = events.update_category(category, actor=current_user,
                                             **_own_colour(event, form.values()))
        except FieldError as exc:  # a name clash, or fewer places than confirmed
            show_error(form, exc)
            return _page(event, edit_forms={category.id: form}, status=exc.status)
        flash(_("The category %(name)s is saved.", name=category.name) if changed else
              _("Nothing was changed."), "success" if changed else "info")
        return _back(event)
    return _page(event, edit_forms={category.id: form}, status=422)


@bp.post("/events/<slug>/categories/<int:category_id>/up")
def category_up(slug: str, category_id: int):
    return _move(slug, category_id, -1)


@bp.post("/events/<slug>/categories/<int:category_id>/down")
def category_down(slug: str, category_id: int):
    return _move(slug, category_id, 1)


def _move(slug: str, category_id: int, step: int):
    event, category = _event_and_category(slug, category_id)
    if ConfirmForm().validate_on_submit():
        events.move_category(category, step, actor=current_user)
    return _back(event)


@bp.post("/events/<slug>/categories/<int:category_id>/delete")
def category_delete(slug: str, category_id: int):
    event, category = _event_and_category(slug, category_id)
    if not ConfirmForm().validate_on_submit():
        return _back(event)
    name = category.name
    try:
        events.delete_category(category, actor=current_user)
    except events.CategoryError as exc:
        return _page(event, refused={category.id: str(exc.message)}, status=exc.status)
    flash(_("The category %(name)s is deleted.", name=name), "success")
    return _back(event)


def _own_colour(event, values: dict) -> dict:
    """A category shown in the event's colour keeps following it (an empty badge colour)."""
    if values["badge_colour"] == event.primary_colour.lower():
        values["badge_colour"] = ""
    return values


def _page(event, *, new_form=None, edit_forms=None, refused=None, status=200):
    edit_forms = {
        category.id: CategoryEditForm(prefix=f"c{category.id}", formdata=None,
                                      name=category.name, name_de=category.name_de,
                                      capacity=category.capacity, is_public=category.is_public,
                                      badge_colour=category.colour)
        for category in event.categories
    } | (edit_forms or {})
    new_form = new_form or CategoryEditForm(prefix="new", formdata=None,
                                            badge_colour=event.primary_colour, capacity=100)
    return render_template("organiser/categories.html", event=event,
                           counts=events.category_counts(event), new_form=new_form,
                           edit_forms=edit_forms, refused=refused or {},
                           action_form=ConfirmForm()), status
