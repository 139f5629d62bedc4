"""The public side: event page, registration form, the attendee's manage page, link resend."""

from itertools import groupby

from flask import (
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from ..extensions import db, limiter, public_limit
from ..forms_common import show_error
from ..http import private
from ..i18n import current_language
from ..models import CANCELLED, CONFIRMED, Event, EventSession, localised
from ..services import applications, badges, events, registrations
from ..services.platform import theme
from ..services.questions import answers as question_answers
from . import bp
from .forms import ConfirmForm, DetailsForm, RegistrationForm, ResendForm


@bp.get("/")
def index():
    return render_template("events/index.html", events=events.list_events())


def _stylesheet(css: str):
    """Colours as CSS; the pages link it with the colour in the URL, so it can be cached for
    long and still changes with the colour."""
    response = make_response(css)
    response.mimetype = "text/css"
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/theme.css")
def site_theme():
    return _stylesheet(theme.site_stylesheet())


@bp.get("/events/<slug>/theme.css")
def event_theme(slug: str):
    """The event's colours for its pages; with ?scoped=1 for the element marked
    data-event-theme="<slug>" only (its card in a list of events)."""
    event = events.get_by_slug(slug)
    selector = theme.event_scope(event.slug) if request.args.get("scoped") else ":root"
    return _stylesheet(theme.stylesheet(event.primary_colour, selector))


@bp.get("/events/<slug>")
def event_page(slug: str):
    event = events.get_by_slug(slug)
    return render_template("events/event.html", event=event, state=event.registration_state(),
                           categories=events.public_categories(event),
                           programme=_programme_by_day(event),
                           call_open=applications.state(event) == "open")


@bp.get("/events/<slug>/attendees")
def attendee_list(slug: str):
    event = events.get_by_slug(slug)
    return render_template("events/attendees.html", event=event,
                           people=events.listed_attendees(event))


@bp.get("/events/<slug>/privacy")
def privacy(slug: str):
    return render_template("events/privacy.html", event=events.get_by_slug(slug))


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def register(slug: str):
    event = events.get_by_slug(slug)
    state = event.registration_state()
    if state != "open":
        return _closed(event, state)
    form = RegistrationForm(event=event)
    answers = posted_answers()
    if form.validate_on_submit():
        try:
            registration = registrations.register(event, **form.registrant(), answers=answers)
        except registrations.DuplicateRegistration as exc:
            return _form_page(event, form, 409, answers,
                              duplicate=ResendForm(email=exc.email, formdata=None))
        except question_answers.AnswerError as exc:
            form.form_errors.append(_("Please correct the marked fields."))
            return _form_page(event, form, exc.status, answers,
                              {str(exc.question_id): str(exc.message)})
        except registrations.RegistrationError as exc:
            show_error(form, exc)
            return _form_page(event, form, 422, answers)
        except registrations.RegistrationClosed as exc:
            return _closed(event, exc.state)
        if registration.status == "confirmed":
            flash(_("Thank you! Your place is confirmed. We have sent you an e-mail with the "
                    "link to this page."), "success")
        else:
            flash(_("This category is fully booked, so you are on the waiting list at position "
                    "%(position)s. We will write to you as soon as a place becomes free.",
                    position=registrations.waitlist_position(registration)), "warning")
        return redirect(url_for(".manage", token=registration.manage_token))
    errors = {}
    if form.is_submitted():  # the answers' own mistakes show at once, with the form's
        try:
            question_answers.clean(event, form.category.data, answers)
        except question_answers.AnswerError as exc:
            errors[str(exc.question_id)] = str(exc.message)
    return _form_page(event, form, 422 if form.is_submitted() else 200, answers, errors)


def posted_answers() -> dict[str, list[str]]:
    """The question fields (q-<question id>) of a posted form: question id -> values."""
    return {key[2:]: request.form.getlist(key) for key in request.form if key.startswith("q-")}


def _form_page(event, form, status, answers, errors=None, duplicate=None):
    return render_template("registration/form.html", event=event, form=form,
                           duplicate=duplicate, questions=question_answers.questions_of(event),
                           answers=answers or {}, answer_errors=errors or {},
                           free=question_answers.free_places(event)), status


def _closed(event: Event, state: str):
    status = 409 if request.method == "POST" else 200
    return render_template("registration/closed.html", event=event, state=state), status


@bp.route("/events/<slug>/resend", methods=["GET", "POST"])
@limiter.limit(public_limit, methods=["POST"])
def resend(slug: str):
    """Mail the manage link again; the answer is the same whether or not the address is known."""
    event = events.get_by_slug(slug)
    form = ResendForm()
    if form.validate_on_submit():
        registrations.resend_manage_link(event, form.email.data)
        flash(_("If this address is registered for %(event)s, we have just sent the link to it. "
                "Please also look in your spam folder.",
                event=localised(event, "name", current_language())), "info")
        return redirect(url_for(".resend", slug=slug))
    status = 422 if form.is_submitted() else 200
    return render_template("registration/resend.html", event=event, form=form), status


@bp.route("/r/<token>", methods=["GET", "POST"])
def manage(token: str):
    registration = registrations.get_by_token(token)
    form = DetailsForm(obj=registration)
    if registration.status != CANCELLED and form.validate_on_submit():
        try:
            registrations.update_details(registration, **form.details())
        except registrations.RegistrationError as exc:
            show_error(form, exc)
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".manage", token=token))
    status = 422 if form.is_submitted() else 200
    # Only a confirmed place gets in: the desk refuses a waitlisted or cancelled code.
    badge_qr = badge_missing = None
    if registration.status == CONFIRMED:
        badge_qr = Markup(badges.qr_svg(registration.checkin_code,
                                        label=_("QR code of your badge, for the entrance")))
        badge_missing = badges.missing_characters(registration)
    return private(render_template(
        "registration/manage.html", registration=registration, event=registration.event,
        form=form, position=registrations.waitlist_position(registration),
        badge_qr=badge_qr, badge_missing=badge_missing, **_answers_part(registration),
    ), status)


def _answers_part(registration, values=None, errors=None) -> dict:
    questions = [question for question in question_answers.questions_of(registration.event_id)
                 if question.applies_to(registration.category_id)]
    return {"questions": questions, "answer_form": ConfirmForm(formdata=None),
            "answers": question_answers.raw_of(registration) if values is None else values,
            "answer_errors": errors or {}, "free": question_answers.free_places(
                registration.event),
            "keep": {option.id for answer in registration.answers for option in answer.options}}


@bp.post("/r/<token>/answers")
@limiter.limit(public_limit)
def change_answers(token: str):
    registration = registrations.get_by_token(token)
    if registration.status == CANCELLED or not ConfirmForm().validate_on_submit():
        return redirect(url_for(".manage", token=token))
    answers = posted_answers()
    try:
        question_answers.update(registration, answers, current_language())
    except question_answers.AnswerError as exc:
        return private(render_template(
            "registration/manage.html", registration=registration, event=registration.event,
            form=DetailsForm(obj=registration, formdata=None),
            position=registrations.waitlist_position(registration), badge_qr=None,
            badge_missing=None, **_answers_part(registration, answers,
                                                {str(exc.question_id): str(exc.message)}),
        ), exc.status)
    flash(_("Your answers are saved."), "success")
    return redirect(url_for(".manage", token=token) + "#answers-heading")


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    registration = registrations.get_by_token(token)
    form = ConfirmForm()
    if registration.status == CANCELLED:
        return redirect(url_for(".manage", token=token))
    if form.validate_on_submit():
        registrations.cancel(registration)
        flash(_("Your registration is cancelled. We have sent you a confirmation by e-mail."),
              "info")
        return redirect(url_for(".manage", token=token))
    return private(render_template("registration/cancel.html", registration=registration,
                                    event=registration.event, form=form), 200)


@bp.get("/r/<token>/data.json")
def personal_data(token: str):
    registration = registrations.get_by_token(token)
    response = jsonify(registrations.personal_data(registration))
    filename = f"registration-{registration.event.slug}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private(response, 200)


def _programme_by_day(event: Event) -> list[tuple]:
    """[(day, [sessions])] in the event's timezone: titles, times and rooms only."""
    sessions = db.session.scalars(
        db.select(EventSession).where(EventSession.event_id == event.id)
        .order_by(EventSession.starts_at, EventSession.id))
    return [(day, list(items)) for day, items in
            groupby(sessions, key=lambda s: s.starts_at.astimezone(event.tz).date())]
