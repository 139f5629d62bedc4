"""The applicant's form: the page and the JSON API parse it; the call service checks it."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import EmailField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Email, Length, Optional

from ..forms_common import no_control_characters, strip
from ..i18n import current_language
from ..registration.forms import ConsentField
from ..services.applications.call import STAGES, TEXT_MAX, TITLE_MAX
from ..services.applications.labels import STAGE_LABELS
from ..services.registrations.signup import (
    CONSENT_MISSING,
    EMAIL_INVALID,
    EMAIL_MISSING,
    FIRST_NAME_MISSING,
    LAST_NAME_MISSING,
    too_long,
)


def _text(label, limit=TEXT_MAX, **kwargs):
    return TextAreaField(label, filters=[strip], validators=[
        Optional(), Length(max=limit, message=too_long(limit))], render_kw={"rows": 4},
        **kwargs)


class ApplicationDetailsForm(FlaskForm):
    """What an applicant may change until the call closes."""

    first_name = StringField(_l("First name"), filters=[strip], validators=[
        DataRequired(message=FIRST_NAME_MISSING), no_control_characters],
        render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Last name"), filters=[strip], validators=[
        DataRequired(message=LAST_NAME_MISSING), no_control_characters],
        render_kw={"autocomplete": "family-name"})
    organisation = StringField(_l("Organisation or venture"), filters=[strip],
                               validators=[Optional(), no_control_characters],
                               render_kw={"autocomplete": "organization"})
    website = URLField(_l("Website (optional)"), filters=[strip], validators=[Optional()],
                       render_kw={"autocomplete": "url", "inputmode": "url"})
    title = StringField(_l("Title of your pitch"), filters=[strip], validators=[
        DataRequired(message=_l("Please give your venture's name or your pitch a title.")),
        Length(max=TITLE_MAX, message=too_long(TITLE_MAX))])
    summary = TextAreaField(_l("Summary"), filters=[strip], validators=[
        DataRequired(message=_l("Please describe your venture in a few sentences.")),
        Length(max=TEXT_MAX, message=too_long(TEXT_MAX))], render_kw={"rows": 5})
    problem = _text(_l("The social problem you tackle (optional)"))
    stage = SelectField(_l("Stage of your venture"), validators=[Optional()])
    impact = _text(_l("Impact so far (optional)"))
    team = _text(_l("Your team (optional)"))
    video_url = URLField(_l("Link to a video (optional)"), filters=[strip],
                         validators=[Optional()], render_kw={"inputmode": "url"})
    pitch_language = SelectField(_l("Language of your pitch"))
    language = SelectField(_l("Language of our e-mails to you"))
    deck = FileField(_l("Pitch deck (PDF, at most 10 MB, optional)"),
                     render_kw={"accept": "application/pdf,.pdf"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("language", _language())
        kwargs.setdefault("pitch_language", _language())
        super().__init__(*args, **kwargs)
        languages = list(current_app.config["SUMMIT_LANGUAGES"].items())
        self.language.choices = self.pitch_language.choices = languages
        self.stage.choices = [("", _l("Please choose"))] + [
            (stage, STAGE_LABELS[stage]) for stage in STAGES]

    def fields(self) -> dict:
        names = ("first_name", "last_name", "organisation", "website", "title", "summary",
                 "problem", "stage", "impact", "team", "video_url", "pitch_language",
                 "language")
        return {name: self[name].data or "" for name in names}

    def uploaded_deck(self):
        """(filename, bytes) of a chosen file, or None."""
        if "deck" not in self:  # the API takes no file
            return None
        upload = self.deck.data  # on the manage page, without a new file: the stored deck
        if not isinstance(upload, FileStorage) or not upload.filename:
            return None
        return upload.filename, upload.read()


class ApplicationForm(ApplicationDetailsForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(message=EMAIL_MISSING),
        Email(message=EMAIL_INVALID, check_deliverability=False)],
        render_kw={"autocomplete": "email"})
    consent = ConsentField(_l("I agree that my data is processed to review my application "
                              "and run the event, as described in the privacy notice."),
                           validators=[DataRequired(message=CONSENT_MISSING)])

    def applicant(self) -> dict:
        return self.fields() | {"email": self.email.data, "consent": bool(self.consent.data),
                                "deck": self.uploaded_deck()}


class ApplicationApiForm(ApplicationForm):
    """The same fields as JSON: a deck is uploaded on the page, not through the API."""

    deck = None


class WithdrawForm(FlaskForm):
    """A button behind a confirmation step; only the CSRF token."""


def _language() -> str:
    try:
        return current_language()
    except RuntimeError:
        return current_app.config["BABEL_DEFAULT_LOCALE"]
