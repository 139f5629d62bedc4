"""The organiser's forms for the call for pitches: settings, criteria, decisions, stage."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FloatField,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms_common import strip
from ..schedule.forms import EventDateTimeField

OTHERS_CHOICES = [("never", _l("Never")), ("after_own", _l("After their own review")),
                  ("always", _l("Always"))]


class CallForm(FlaskForm):
    opens_at = EventDateTimeField(_l("The call opens"), validators=[Optional()],
                                  description="")
    closes_at = EventDateTimeField(_l("The call closes"), validators=[Optional()],
                                   description="")
    review_closes_at = EventDateTimeField(_l("The review phase closes"),
                                          validators=[Optional()], description="")
    intro = TextAreaField(_l("Introduction (English)"), filters=[strip], render_kw={"rows": 3})
    intro_de = TextAreaField(_l("Introduction (German)"), filters=[strip],
                             render_kw={"rows": 3})
    reviews_per_application = IntegerField(_l("Reviews per application"), validators=[
        DataRequired(), NumberRange(min=1, max=20)])
    anonymised = BooleanField(_l("Anonymised review: hide names, organisation and website "
                                 "from the jury"))
    others_reviews = SelectField(_l("Jurors see the other reviews"), choices=OTHERS_CHOICES)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in (self.opens_at, self.closes_at, self.review_closes_at):
            field.use_zone(event.tz)

    def settings(self) -> dict:
        names = ("opens_at", "closes_at", "review_closes_at", "intro", "intro_de",
                 "reviews_per_application", "anonymised", "others_reviews")
        return {name: self[name].data for name in names} | {
            "intro": self.intro.data or "", "intro_de": self.intro_de.data or "",
            "anonymised": bool(self.anonymised.data)}


class CriterionForm(FlaskForm):
    class Meta:
        csrf = False  # part of CriteriaForm, which carries the token

    name = StringField(_l("Criterion"), filters=[strip])
    name_de = StringField(_l("Criterion (German)"), filters=[strip])
    weight = FloatField(_l("Weight"), validators=[Optional()])
    scale_max = IntegerField(_l("Scale up to"), validators=[Optional()])


class CriteriaForm(FlaskForm):
    criteria = FieldList(FormField(CriterionForm), min_entries=1)

    def rows(self) -> list[tuple]:
        return [(entry.form.name.data, entry.form.name_de.data, entry.form.weight.data,
                 entry.form.scale_max.data) for entry in self.criteria]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DecisionForm(FlaskForm):
    applications = MultiCheckboxField(_l("Applications"), coerce=int, choices=[])
    decision = SelectField(_l("Decision"), choices=[
        ("accepted", _l("Accept")), ("reserve", _l("Reserve list")),
        ("rejected", _l("Reject")), ("submitted", _l("Undecided"))])


class ActionForm(FlaskForm):
    """A button; only the CSRF token."""


class SendMailsForm(FlaskForm):
    applications = MultiCheckboxField(_l("Mails to send"), coerce=int, choices=[])


class JurorForm(FlaskForm):
    juror = SelectField(_l("Juror"), coerce=int, choices=[])
    conflict = BooleanField(_l("Conflict of interest (never assign)"))


class RedactedForm(FlaskForm):
    redacted_summary = TextAreaField(_l("Summary for an anonymised review"), filters=[strip],
                                     render_kw={"rows": 4})


class StageForm(FlaskForm):
    session = SelectField(_l("Pitch session"), coerce=int, choices=[])
    order = SelectField(_l("Order"), choices=[("raw", _l("By rank (weighted score)")),
                                              ("normalised", _l("By rank (normalised)")),
                                              ("hand", _l("In the order given below"))])

    def hand_order(self, waiting, formdata) -> list[int] | None:
        """The application ids in the order typed into their position fields (blank or not a
        number: after the numbered ones, by rank), or None unless ordering by hand."""
        if self.order.data != "hand":
            return None

        def position(application):
            text = (formdata.get(f"position-{application.id}") or "").strip()
            return (0, int(text)) if text.isdecimal() else (1, 0)

        return [a.id for a in sorted(waiting, key=position)]
