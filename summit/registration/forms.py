"""The attendee's forms: what the page and the JSON API parse (the API validates with the same
RegistrationForm). The rules themselves, and their wording, belong to the registration
service; the fields borrow its limits and messages so a page and the API answer alike."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from ..forms_common import OptionalBooleanField, no_control_characters, strip
from ..i18n import current_language
from ..services.registrations.signup import (
    CONSENT_MISSING,
    EMAIL_INVALID,
    EMAIL_MAX,
    EMAIL_MISSING,
    FIRST_NAME_MISSING,
    LAST_NAME_MISSING,
    NAME_MAX,
    NEEDS_MAX,
    ORGANISATION_MAX,
    too_long,
)


def _too_long(limit: int) -> Length:
    return Length(max=limit, message=too_long(limit))


def _first_name():
    return StringField(_l("First name"), filters=[strip], validators=[
        DataRequired(message=FIRST_NAME_MISSING), _too_long(NAME_MAX),
        no_control_characters], render_kw={"autocomplete": "given-name"})


def _last_name():
    return StringField(_l("Last name"), filters=[strip], validators=[
        DataRequired(message=LAST_NAME_MISSING), _too_long(NAME_MAX),
        no_control_characters], render_kw={"autocomplete": "family-name"})


def _organisation():
    return StringField(_l("Organisation"), filters=[strip], validators=[
        Optional(), _too_long(ORGANISATION_MAX), no_control_characters],
        render_kw={"autocomplete": "organization"})


def _language():
    return SelectField(_l("Preferred language"), description=_l(
        "For your e-mails and badge; the programme has sessions in German and English."))


def _needs():
    return TextAreaField(_l("Accessibility or dietary needs (optional)"), filters=[strip],
                         validators=[Optional(), _too_long(NEEDS_MAX)],
                         render_kw={"rows": 3})


def _public_listing():
    return OptionalBooleanField(_l("Show my name and organisation in the public list of "
                                   "attendees (optional)"), default=False)


class ConsentField(BooleanField):
    """Only an explicit yes counts: a ticked box, or JSON true."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and str(valuelist[0]).strip().lower() in {
            "y", "yes", "on", "true", "1"}


class CategoryField(SelectField):
    """One of the event's public categories, given by id (the form) or by name (the API)."""

    api_schema = {"type": ["integer", "string"],
                  "description": "The category's id or its name, e.g. \"Attendee\"."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, **kwargs)
        self.categories = []

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        self.data = None
        if self.categories:
            found = self.categories[0].event.category(str(valuelist[0]))
            if found in self.categories:
                self.data = found.id

    def pre_validate(self, form):
        if self.data not in {category.id for category in self.categories}:
            raise ValidationError(_l("Please choose one of the categories open for "
                                     "registration."))


class RegistrationForm(FlaskForm):
    first_name = _first_name()
    last_name = _last_name()
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(message=EMAIL_MISSING), _too_long(EMAIL_MAX),
        Email(message=EMAIL_INVALID, check_deliverability=False)],
        render_kw={"autocomplete": "email"})
    organisation = _organisation()
    category = CategoryField(_l("Category"), validators=[
        InputRequired(message=_l("Please choose a category."))])
    language = _language()
    needs = _needs()
    consent = ConsentField(_l("I agree that my data is processed to run the event, as "
                              "described in the privacy notice."), validators=[
        DataRequired(message=CONSENT_MISSING)])
    public_listing = _public_listing()

    api_extra_properties = {"answers": {
        "type": "object", "description": "Answers to the event's own questions (see the event "
        "page): question id -> text, true/false, an option id, or a list of option ids for "
        "multiple choice. A refused answer is a 422 error on the field `answers.<question "
        "id>`; an option that is full, 409 on that field.",
        "additionalProperties": {"type": ["string", "integer", "boolean", "array"]}}}

    def __init__(self, *args, event=None, **kwargs):
        kwargs.setdefault("language", _current_language())
        super().__init__(*args, **kwargs)
        public = [c for c in event.categories if c.is_public] if event is not None else []
        locale = _current_language()
        self.category.categories = public
        if self.category.raw_data:  # read before the categories were known: read again
            self.category.process_formdata(self.category.raw_data)
        self.category.choices = [(c.id, c.display_name(locale)) for c in public]
        if len(public) == 1 and self.category.data is None and not self.is_submitted():
            self.category.data = public[0].id
        self.language.choices = _language_choices()

    def registrant(self) -> dict:
        """The keyword arguments of registrations.register()."""
        return {
            "category": self.category.data, "first_name": self.first_name.data,
            "last_name": self.last_name.data, "email": self.email.data,
            "organisation": self.organisation.data or "", "language": self.language.data,
            "needs": self.needs.data or "", "public_listing": bool(self.public_listing.data),
            "consent": bool(self.consent.data),
        }


class DetailsForm(FlaskForm):
    """What attendees may change themselves on their manage page."""

    first_name = _first_name()
    last_name = _last_name()
    organisation = _organisation()
    language = _language()
    needs = _needs()
    public_listing = _public_listing()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = _language_choices()

    def details(self) -> dict:
        return {"first_name": self.first_name.data, "last_name": self.last_name.data,
                "organisation": self.organisation.data or "", "language": self.language.data,
                "needs": self.needs.data or "", "public_listing": bool(self.public_listing.data)}


class ResendForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(message=EMAIL_MISSING), _too_long(EMAIL_MAX),
        Email(message=EMAIL_INVALID, check_deliverability=False)],
        render_kw={"autocomplete": "email"})


class ConfirmForm(FlaskForm):
    """A button behind a confirmation step (cancel); only the CSRF token."""


def _language_choices() -> list[tuple[str, str]]:
    return list(current_app.config["SUMMIT_LANGUAGES"].items())


def _current_language() -> str:
    try:
        return current_language()
    except RuntimeError:  # outside a request (the OpenAPI document is built from the form)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
