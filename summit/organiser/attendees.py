"""The organiser's attendee pages: list, add, change, cancel, confirm, import, export,
anonymise and the audit log. The blueprint's before_request already requires the
organiser role; every change goes through a service with the organiser as actor."""

from datetime import date

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..forms_common import show_error
from ..http import no_store
from ..i18n import current_language
from ..services import events
from ..services import registrations as registration_service
from ..services.platform import audit
from ..services.questions import answers as question_answers
from ..services.registrations import attendee_export, attendee_import, attendees
from . import audit_text, bp
from .attendee_forms import (
    AddAttendeeForm,
    AttendeeFilterForm,
    ChangeCategoryForm,
    ConfirmForm,
    ImportForm,
    PromoteForm,
)

LIST_ARGS = ("q", "category", "status", "option", "sort", "direction")


def _query_from(form: AttendeeFilterForm) -> attendees.AttendeeQuery:
    category, option = form.category.data, form.option.data
    return attendees.AttendeeQuery(
        search=form.q.data or "",
        category_id=int(category) if category and category.isdigit() else None,
        status=form.status.data or None, sort=form.sort.data or "name",
        descending=form.direction.data == "desc",
        option_id=int(option) if option and option.isdigit() else None)


def _filter_form(event) -> AttendeeFilterForm:
    form = AttendeeFilterForm(event, current_language(), request.args)
    # Unknown values (edited URLs) fall back to "all" instead of an error.
    for name in ("category", "status", "option", "sort", "direction"):
        field = getattr(form, name)
        if field.data not in {str(value) for value, _label in field.choices}:
            field.data = field.default or ""
    return form


@bp.get("/events/<slug>/attendees")
def attendee_list(slug: str):
    event = events.get_by_slug(slug)
    form = _filter_form(event)
    query = _query_from(form)
    counts = attendees.counts(event)
    # Pages are keyset cursors (after=/before=, or last=1); an old ?page=N link shows the
    # first page.
    pagination = attendees.page_of_attendees(
        event, query, after=request.args.get("after"), before=request.args.get("before"),
        last=request.args.get("last") == "1", total=attendees.known_total(counts, query))
    args = {key: value for key, value in request.args.items() if key in LIST_ARGS and value}
    return render_template(
        "organiser/attendees.html", event=event, form=form, pagination=pagination,
        counts=counts, checked_in=attendees.checked_in_count(event),
        args=args, filtered=bool(set(args) & {"q", "category", "status", "option"}))


@bp.get("/events/<slug>/attendees.csv")
def attendee_export_csv(slug: str):
    event = events.get_by_slug(slug)
    query = _query_from(_filter_form(event))
    if query.sort == "name" and "sort" not in request.args:
        query = attendees.AttendeeQuery(query.search, query.category_id, query.status,
                                        "registered", option_id=query.option_id)
    # ?variant=excel-de: semicolons and the page's language, for German Excel.
    variant = attendee_export.VARIANTS.get(request.args.get("variant", ""),
                                           attendee_export.PLAIN)
    attendee_export.record_export(event, query, actor=current_user)
    response = Response(stream_with_context(attendee_export.stream_csv(
        event, query, variant, locale=current_language())), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{attendee_export.filename(event, date.today(), variant)}"')
    return no_store(response)


@bp.route("/events/<slug>/attendees/new", methods=["GET", "POST"])
def attendee_add(slug: str):
    event = events.get_by_slug(slug)
    form = AddAttendeeForm(event, current_language())
    if form.validate_on_submit():
        category = event.category(form.category.data)
        try:
            registration = registration_service.register(
                event, category=category, consent=True, actor=current_user,
                allow_over_capacity=form.allow_over_capacity.data,
                **form.details())
        except registration_service.DuplicateRegistration:
            form.email.errors.append(_("This e-mail address is already registered for this "
                                       "event."))
        except registration_service.RegistrationError as exc:
            show_error(form, exc, fallback="first_name")
        else:
            if registration.status == "confirmed":
                flash(_("%(name)s is registered and confirmed.", name=registration.full_name),
                      "success")
            else:
                flash(_("The category is full: %(name)s is on the waiting list.",
                        name=registration.full_name), "warning")
            return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    status = 422 if form.errors else 200
    return render_template("organiser/attendee_add.html", event=event, form=form,
                           counts=attendees.counts(event)), status


@bp.get("/events/<slug>/attendees/<int:registration_id>")
def attendee_detail(slug: str, registration_id: int):
    event = events.get_by_slug(slug)
    registration = attendees.get_registration(event, registration_id)
    return _detail_page(event, registration)


def _detail_page(event, registration, category_form=None, promote_form=None, status=200):
    category_form = category_form or ChangeCategoryForm(
        event, current_language(), data={"category": registration.category_id})
    history = attendees.registration_history(registration)
    history_text = audit_text.AuditText(event, audit.names_for(history), link_people=False)
    position = (registration_service.waitlist_position(registration)
                if registration.status == "waitlisted" else None)
    return render_template(
        "organiser/attendee_detail.html", event=event, registration=registration,
        category_form=category_form, promote_form=promote_form or PromoteForm(),
        history=history, history_text=history_text, position=position,
        counts=attendees.counts(event),
        answers=question_answers.as_data(registration, current_language())), status


@bp.post("/events/<slug>/attendees/<int:registration_id>/category")
def attendee_change_category(slug: str, registration_id: int):
    event = events.get_by_slug(slug)
    registration = attendees.get_registration(event, registration_id)
    form = ChangeCategoryForm(event, current_language())
    if not form.validate_on_submit():
        return _detail_page(event, registration, category_form=form, status=422)
    category = event.category(form.category.data)
    if category.id == registration.category_id:
        flash(_("The category is unchanged."), "info")
        return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    try:
        registration_service.change_category(registration, category, actor=current_user,
                                             over_capacity=form.allow_over_capacity.data)
    except registration_service.RegistrationError as exc:
        show_error(form, exc, fallback="category")
        return _detail_page(event, registration, category_form=form, status=422)
    if registration.status == "waitlisted":
        flash(_("Moved to %(category)s; the category is full, so %(name)s is on its waiting "
                "list.", category=category.display_name(current_language()),
                name=registration.full_name), "warning")
    else:
        flash(_("Moved to %(category)s.", category=category.display_name(current_language())),
              "success")
    return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))


@bp.post("/events/<slug>/attendees/<int:registration_id>/confirm")
def attendee_confirm(slug: str, registration_id: int):
    event = events.get_by_slug(slug)
    registration = attendees.get_registration(event, registration_id)
    form = PromoteForm()
    if not form.validate_on_submit():
        return _detail_page(event, registration, promote_form=form, status=422)
    try:
        registration_service.confirm_from_waitlist(
            registration, actor=current_user, over_capacity=form.allow_over_capacity.data)
    except registration_service.RegistrationError as exc:
        show_error(form, exc, fallback="allow_over_capacity")
        return _detail_page(event, registration, promote_form=form, status=422)
    flash(_("%(name)s is confirmed.", name=registration.full_name), "success")
    return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))


@bp.route("/events/<slug>/attendees/<int:registration_id>/cancel", methods=["GET", "POST"])
def attendee_cancel(slug: str, registration_id: int):
    event = events.get_by_slug(slug)
    registration = attendees.get_registration(event, registration_id)
    form = ConfirmForm()
    if registration.status == "cancelled":
        flash(_("This registration is cancelled already."), "info")
        return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    if form.validate_on_submit():
        registration_service.cancel(registration, actor=current_user)
        flash(_("The registration of %(name)s is cancelled.", name=registration.full_name),
              "success")
        return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    return render_template("organiser/attendee_confirm.html", event=event,
                           registration=registration, form=form, action="cancel")


@bp.route("/events/<slug>/attendees/<int:registration_id>/anonymise", methods=["GET", "POST"])
def attendee_anonymise(slug: str, registration_id: int):
    event = events.get_by_slug(slug)
    registration = attendees.get_registration(event, registration_id)
    form = ConfirmForm()
    if registration.anonymised_at is not None:
        flash(_("This registration is anonymised already."), "info")
        return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    if form.validate_on_submit():
        attendees.anonymise(registration, actor=current_user)
        flash(_("The personal data is erased. The registration still counts."), "success")
        return redirect(url_for(".attendee_detail", slug=slug, registration_id=registration.id))
    return render_template("organiser/attendee_confirm.html", event=event,
                           registration=registration, form=form, action="anonymise")


@bp.route("/events/<slug>/attendees/import", methods=["GET", "POST"])
def attendee_import_csv(slug: str):
    event = events.get_by_slug(slug)
    form = ImportForm()
    result = None
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        result = attendee_import.import_attendees(
            event, upload.read(attendee_import.MAX_BYTES + 1),
            allow_over_capacity=form.allow_over_capacity.data,
            send_mail=form.send_mail.data, actor=current_user, filename=upload.filename or "")
        if result.ok:
            flash(ngettext("%(num)d person imported: %(confirmed)d confirmed, %(waitlisted)d "
                           "on the waiting list.",
                           "%(num)d people imported: %(confirmed)d confirmed, %(waitlisted)d "
                           "on the waiting list.", result.imported, confirmed=result.confirmed,
                           waitlisted=result.waitlisted), "success")
            return redirect(url_for(".attendee_list", slug=slug, sort="registered",
                                    direction="desc"))
        status = 422
    elif form.errors:
        status = 422
    return render_template("organiser/attendee_import.html", event=event, form=form,
                           result=result, columns=attendee_export.COLUMNS), status


@bp.get("/events/<slug>/audit")
def audit_log(slug: str):
    event = events.get_by_slug(slug)
    pagination = attendees.audit_page(event, request.args.get("page", 1, type=int))
    sentences = audit_text.AuditText(event, audit.names_for(pagination.items))
    return render_template("organiser/audit.html", event=event, pagination=pagination,
                           audit_text=sentences)
