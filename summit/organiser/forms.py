from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    ColorField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..forms_common import (
    InEitherLanguage,
    OptionalBooleanField,
    Required,
    german_text,
    no_control_characters,
    strip,
    valid_timezone,
)
from ..schedule.forms import EventDateTimeField

HEX_COLOUR = Regexp(r"^#[0-9A-Fa-f]{6}$", message=_l("Use a colour such as #0B5D66."))


class CategoryForm(PlainForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80),
                                               no_control_characters])
    name_de = german_text(_l("Name"), max_length=80)
    capacity = IntegerField(_l("Capacity"),
                            validators=[InputRequired(), NumberRange(min=0, max=1_000_000)])
    badge_colour = StringField(_l("Badge colour"), validators=[Optional(), HEX_COLOUR],
                               filters=[strip])
    is_public = OptionalBooleanField(_l("Open to public registration"), default=True)


class EventForm(FlaskForm):
    slug = StringField(_l("Short name in the address"), validators=[
        DataRequired(), Length(min=2, max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lower-case letters, digits and hyphens only.")),
    ])
    name = StringField(_l("Name (English)"), validators=[
        InEitherLanguage(), Optional(), Length(max=200), no_control_characters])
    name_de = german_text(_l("Name"), max_length=200)
    description = TextAreaField(_l("Description (English)"),
                                validators=[Optional(), Length(max=5000)])
    description_de = german_text(_l("Description"), max_length=5000, area=True)
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200),
                                                 no_control_characters])
    timezone = StringField(_l("Timezone"), default="Europe/Berlin",
                           validators=[DataRequired(), Length(max=64), valid_timezone])
    starts_on = DateField(_l("First day"), validators=[DataRequired()])
    ends_on = DateField(_l("Last day"), validators=[DataRequired()])
    primary_colour = StringField(
        _l("Event colour"), validators=[Optional(), HEX_COLOUR], filters=[strip],
        description=_l("Used on the event's pages, hall display and mails, and on the badges "
                       "of categories without a colour of their own."))
    categories = FieldList(FormField(CategoryForm), min_entries=0, max_entries=50)

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def event_fields(self) -> dict:
        categories = [
            {key: value for key, value in entry.data.items()
             if value is not None and value != ""}
            for entry in self.categories
        ]
        return {
            "slug": self.slug.data, "name": self.name.data or "",
            "name_de": self.name_de.data or "", "description": self.description.data or "",
            "description_de": self.description_de.data or "", "venue": self.venue.data or "",
            "timezone": self.timezone.data, "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data, "categories": categories,
        } | ({"primary_colour": self.primary_colour.data.lower()}
             if self.primary_colour.data else {})


class EventSettingsForm(FlaskForm):
    """The organiser's page for the event's own details (slug and timezone stay fixed:
    links, calendars and stored local times depend on them)."""

    name = StringField(_l("Name (English)"), validators=[
        InEitherLanguage(), Optional(), Length(max=200), no_control_characters])
    name_de = german_text(_l("Name"), max_length=200)
    venue = StringField(_l("Venue"), validators=[Optional(), Length(max=200),
                                                 no_control_characters])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300),
                                                     no_control_characters])
    description = TextAreaField(_l("Description (English)"),
                                validators=[Optional(), Length(max=5000)])
    description_de = german_text(_l("Description"), max_length=5000, area=True)
    starts_on = DateField(_l("First day"), validators=[Required()])
    ends_on = DateField(_l("Last day"), validators=[Required()])
    registration_opens_at = EventDateTimeField(_l("Registration opens"),
                                               validators=[Optional()], description="")
    registration_closes_at = EventDateTimeField(_l("Registration closes"),
                                                validators=[Optional()], description="")
    primary_colour = ColorField(_l("Event colour"), validators=[DataRequired(), HEX_COLOUR])

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, obj=event, **kwargs)
        if event is not None:
            self.use_zone(event.tz)

    def use_zone(self, zone) -> None:
        """The registration window is typed in the event's local time."""
        for field in (self.registration_opens_at, self.registration_closes_at):
            field.use_zone(zone)

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day cannot be before the first day."))

    def validate_registration_closes_at(self, field) -> None:
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))

    def settings(self) -> dict:
        """The values for events.update_event(): empty texts as "", colours lower-case."""
        texts = {name: getattr(self, name).data or ""
                 for name in ("name", "name_de", "venue", "address", "description",
                              "description_de")}
        moments = {name: getattr(self, name).data for name in (
            "starts_on", "ends_on", "registration_opens_at", "registration_closes_at")}
        return texts | moments | {"primary_colour": self.primary_colour.data.lower()}


class CapacityForm(FlaskForm):
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(message=_l("Please give the number of places.")),
        NumberRange(min=0, max=1_000_000, message=_l("Please give a number from 0 upwards."))])
