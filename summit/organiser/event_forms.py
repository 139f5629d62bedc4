"""Forms of the organiser's event pages: a new event, a copy, and the categories."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, ColorField, DateField, IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..forms_common import _timezones, no_control_characters, strip, valid_timezone
from ..services.platform.theme import DEFAULT_COLOUR
from .forms import HEX_COLOUR, EventSettingsForm

SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
              message=_l("Use lower-case letters, digits and hyphens only."))


def slug_field():
    return StringField(_l("Short name in the address"), filters=[strip],
                       validators=[DataRequired(), Length(min=2, max=80), SLUG],
                       description=_l("Lower-case letters, digits and hyphens, such as "
                                      "vision-summit-2031. It cannot be changed later."))


class EventCreateForm(EventSettingsForm):
    """The settings form plus what is fixed once the event exists (its address and timezone):
    every field the settings page gains, the new event gets too."""

    slug = slug_field()
    timezone = StringField(_l("Timezone"), default="Europe/Berlin", filters=[strip],
                           validators=[DataRequired(), Length(max=64), valid_timezone])

    FIRST = ("slug", "name", "timezone")  # shown first; the rest in the settings' order

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_colour", DEFAULT_COLOUR)
        super().__init__(*args, **kwargs)
        if self.timezone.data in _timezones():
            self.use_zone(ZoneInfo(self.timezone.data))

    def ordered_fields(self):
        first = [self[name] for name in self.FIRST]
        rest = [f for f in self if f.name not in self.FIRST and f.name != "csrf_token"]
        return first + rest

    def event_fields(self) -> dict:
        """The values for events.create_event()."""
        return self.settings() | {"slug": self.slug.data, "timezone": self.timezone.data}


class EventCopyForm(FlaskForm):
    slug = slug_field()
    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(), Length(max=200), no_control_characters])
    starts_on = DateField(_l("First day"), validators=[DataRequired()],
                          description=_l("Every date and time of the copy moves by the same "
                                         "number of days."))


def next_edition(source) -> dict:
    """What the copy form suggests: a year later on the same weekday, the year in the name
    and the address moved on (the organiser can change all three)."""
    year, next_year = str(source.starts_on.year), str(source.starts_on.year + 1)
    return {"name": source.name.replace(year, next_year),
            "slug": source.slug.replace(year, next_year) if year in source.slug else "",
            "starts_on": source.starts_on + timedelta(weeks=52)}


class CategoryEditForm(FlaskForm):
    name = StringField(_l("Name (English)"), filters=[strip], validators=[
        DataRequired(), Length(max=80), no_control_characters])
    name_de = StringField(_l("Name (German)"), filters=[strip], validators=[
        Optional(), Length(max=80), no_control_characters])
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(message=_l("Please give the number of places.")),
        NumberRange(min=0, max=1_000_000, message=_l("Please give a number from 0 upwards."))])
    badge_colour = ColorField(_l("Badge colour"), validators=[DataRequired(), HEX_COLOUR])
    is_public = BooleanField(_l("Open to public registration"), default=True)

    def values(self) -> dict:
        return {"name": self.name.data, "name_de": self.name_de.data or "",
                "capacity": self.capacity.data,
                "badge_colour": self.badge_colour.data.lower(),
                "is_public": self.is_public.data}
