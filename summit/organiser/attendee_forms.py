"""Forms of the organiser's attendee pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Email, Length, Optional

from ..forms_common import no_control_characters
from ..models import STATUSES
from ..services.questions.answers import questions_of
from ..services.registrations.attendee_import import MAX_BYTES
from ..services.registrations.attendees import SORTS


def category_choices(event, locale: str) -> list[tuple[int, str]]:
    return [(category.id, category.display_name(locale)
             + ("" if category.is_public else " · " + str(_l("not public"))))
            for category in event.categories]


class AttendeeFilterForm(PlainForm):
    """The list's search and filters, read from the query string (GET: no CSRF needed)."""

    q = StringField(_l("Search name, e-mail or organisation"),
                    validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), coerce=str, validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    option = SelectField(_l("Answer"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), default="name", validators=[Optional()])
    direction = SelectField(_l("Order"), default="asc", validators=[Optional()])

    def __init__(self, event, locale, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("All categories"))] + [
            (str(value), label) for value, label in category_choices(event, locale)]
        labels = {"confirmed": _l("Confirmed"), "waitlisted": _l("Waiting list"),
                  "cancelled": _l("Cancelled")}
        self.status.choices = [("", _l("All statuses"))] + [(s, labels[s]) for s in STATUSES]
        sort_labels = {"name": _l("Name"), "registered": _l("Registered at"),
                       "category": _l("Category"), "status": _l("Status")}
        self.sort.choices = [(key, sort_labels[key]) for key in SORTS]
        self.direction.choices = [("asc", _l("Ascending")), ("desc", _l("Descending"))]
        self.option.choices = [("", _l("All answers"))] + [
            (str(option.id), f"{question.display_label(locale)}: {option.display_label(locale)}")
            for question in questions_of(event) for option in question.options]


class AddAttendeeForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[
        DataRequired(), Length(max=100), no_control_characters])
    last_name = StringField(_l("Last name"), validators=[
        DataRequired(), Length(max=100), no_control_characters])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Length(max=254),
        Email(check_deliverability=False, message=_l("Please enter a valid e-mail address."))])
    organisation = StringField(_l("Organisation"), validators=[
        Optional(), Length(max=200), no_control_characters])
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])
    language = SelectField(_l("Language for e-mails"), default="en")
    needs = TextAreaField(_l("Accessibility or dietary needs"),
                          validators=[Optional(), Length(max=2000)])
    allow_over_capacity = BooleanField(_l("Allow over capacity (confirm even when the "
                                          "category is full)"))

    def __init__(self, event, locale, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices(event, locale)
        self.language.choices = [("en", "English"), ("de", "Deutsch")]

    def details(self) -> dict:
        return {
            "first_name": self.first_name.data.strip(),
            "last_name": self.last_name.data.strip(),
            "email": self.email.data.strip(),
            "organisation": (self.organisation.data or "").strip(),
            "language": self.language.data,
            "needs": (self.needs.data or "").strip(),
        }


class ChangeCategoryForm(FlaskForm):
    category = SelectField(_l("New category"), coerce=int, validators=[DataRequired()])
    allow_over_capacity = BooleanField(_l("Allow over capacity"))

    def __init__(self, event, locale, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices(event, locale)


class ConfirmForm(FlaskForm):
    """A button that needs nothing but the CSRF token (cancel, anonymise)."""


class PromoteForm(FlaskForm):
    allow_over_capacity = BooleanField(_l("Allow over capacity"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Please choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("Please upload a .csv file.")),
        FileSize(MAX_BYTES, message=_l("The file is larger than 1 MB.")),
    ])
    allow_over_capacity = BooleanField(_l("Allow over capacity (otherwise people beyond a "
                                          "category's free places are waitlisted)"))
    send_mail = BooleanField(_l("Send each person the confirmation e-mail with their "
                                "manage link"), default=True)
