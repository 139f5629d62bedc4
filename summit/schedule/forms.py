"""Programme forms, shared by the organiser pages and the JSON API (one rule in one place)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    EmailField,
    FieldList,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..forms_common import IdField, InEitherLanguage, german_text, no_control_characters
from ..i18n import current_language
from ..models import MODERATOR_ROLES, SESSION_KINDS, localised
from ..services.programme import labels

OUT_OF_RANGE = _l("Please give a date and time between the years 1900 and 2999.")


def _storable(moment: datetime) -> bool:
    """Times are stored in UTC and shown with the event's offset. Far from the present both
    break: 0001-01-01 with a positive offset has no UTC equivalent, and before about 1900
    timezones had local-mean-time offsets such as +00:53:28 that ISO 8601 cannot write."""
    try:
        return 1900 <= moment.astimezone(UTC).year <= 2999
    except OverflowError:
        return False


class EventDateTimeField(DateTimeLocalField):
    """A date and time as the organiser means it: in the event's timezone.

    Accepts what a datetime-local input sends (2014-09-10T11:00) and, from the API, ISO 8601
    with an offset (2014-09-10T11:00:00+02:00 or ...Z). `data` is aware UTC once the form
    knows its event; naive local input is read in the event's timezone.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", _l("Event-local time such as 2014-09-10T11:00, or "
                                            "ISO 8601 with an offset."))
        super().__init__(label, validators, format="%Y-%m-%dT%H:%M", **kwargs)
        self.zone: ZoneInfo | None = None

    def use_zone(self, zone: ZoneInfo | None) -> None:
        """Read and show the field in this timezone. The form parses its input before it
        knows its event, so naive local input read until now is made aware here."""
        self.zone = zone
        if zone is not None and isinstance(self.data, datetime) and self.data.tzinfo is None:
            self.data = self.data.replace(tzinfo=zone)
            if not _storable(self.data):
                self.data = None
                self.process_errors.append(str(OUT_OF_RANGE))

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            value = datetime.fromisoformat(valuelist[0].strip().replace("Z", "+00:00"))
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Please give a date and time such as 2014-09-10T11:00.")) from exc
        if value.tzinfo is None and self.zone is not None:
            value = value.replace(tzinfo=self.zone)
        if value.tzinfo is not None and not _storable(value):
            self.data = None
            raise ValueError(OUT_OF_RANGE)
        self.data = value

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if isinstance(self.data, datetime):
            local = self.data.astimezone(self.zone) if self.zone else self.data
            return local.strftime("%Y-%m-%dT%H:%M")
        return ""


class SessionForm(FlaskForm):
    # Bilingual texts: the plain field is English, `_de` German; one of the two is needed.
    title = StringField(_l("Title (English)"), validators=[
        InEitherLanguage(), Optional(), Length(max=200), no_control_characters])
    title_de = german_text(_l("Title"), max_length=200)
    kind = SelectField(_l("Kind"), default="pitch")
    room_id = SelectField(_l("Room"), default="")
    starts_at = EventDateTimeField(_l("Starts"), validators=[InputRequired()])
    ends_at = EventDateTimeField(_l("Ends"), validators=[InputRequired()])
    language = SelectField(_l("Language"), default="")
    moderators_needed = IntegerField(_l("Moderators needed"), default=0, validators=[
        Optional(), NumberRange(min=0, max=10, message=_l("Between 0 and 10, please."))])
    description = TextAreaField(_l("Description (English)"),
                                validators=[Optional(), Length(max=5000)])
    description_de = german_text(_l("Description"), max_length=5000, area=True)

    def __init__(self, *args, event=None, **kwargs):
        self._event = event
        zone = event.tz if event is not None else None
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind, labels.kind_label(kind)) for kind in SESSION_KINDS]
        self.kind.api_schema = {"type": "string", "enum": list(SESSION_KINDS)}
        rooms = event.rooms if event is not None else []
        self.room_id.choices = [SelectChoice("", _l("No room"))] + [
            SelectChoice(str(r.id), localised(r, "name", current_language())) for r in rooms]
        self.room_id.api_schema = {"type": ["integer", "string"],
                                   "description": "id of one of the event's rooms"}
        if self.room_id.data is not None and not isinstance(self.room_id.data, str):
            self.room_id.data = str(self.room_id.data)
        self.language.choices = [SelectChoice("", _l("Not set"))] + [
            SelectChoice(code, labels.language_label(code)) for code in labels.LANGUAGE_CODES]
        self.language.api_schema = {"type": "string", "enum": ["", *labels.LANGUAGE_CODES]}
        if self.language.data is None:
            self.language.data = ""
        for field in (self.starts_at, self.ends_at):
            field.use_zone(zone)

    def validate_ends_at(self, field) -> None:
        start = self.starts_at.data
        if isinstance(start, datetime) and isinstance(field.data, datetime):
            if start.tzinfo is None or field.data.tzinfo is None:
                return
            if field.data <= start:
                raise ValidationError(_l("The session must end after it starts."))

    def session_fields(self) -> dict:
        return {
            "title": self.title.data or "", "title_de": self.title_de.data or "",
            "kind": self.kind.data,
            "room_id": int(self.room_id.data) if self.room_id.data else None,
            "starts_at": self.starts_at.data, "ends_at": self.ends_at.data,
            "language": self.language.data or None,
            "moderators_needed": self.moderators_needed.data or 0,
            "description": self.description.data or "",
            "description_de": self.description_de.data or "",
        }


class RoomForm(FlaskForm):
    name = StringField(_l("Name (English)"), validators=[
        InEitherLanguage(), Optional(), Length(max=120), no_control_characters])
    name_de = german_text(_l("Name"), max_length=120)
    capacity = IntegerField(_l("Capacity"), validators=[
        Optional(), NumberRange(min=0, max=100_000, message=_l("Between 0 and 100,000, please."))])


MINUTES_NOT_NEGATIVE = _l("Minutes cannot be negative.")


class PitchForm(FlaskForm):
    title = StringField(_l("Title (English)"), validators=[
        InEitherLanguage(), Optional(), Length(max=200), no_control_characters])
    title_de = german_text(_l("Title"), max_length=200)
    presenter = StringField(_l("Presenter"), validators=[DataRequired(), Length(max=200),
                                                         no_control_characters])
    organisation = StringField(_l("Organisation"), validators=[
        Optional(), Length(max=200), no_control_characters])
    presenter_email = EmailField(_l("Presenter's registration e-mail"), validators=[
        Optional(), Length(max=254)],
        description=_l("Links the pitch to the presenter's registration: it then appears "
                       "in their personal calendar."))
    pitch_minutes = IntegerField(_l("Pitch (minutes)"), default=5, validators=[
        Optional(), NumberRange(min=1, max=240, message=_l("A pitch needs at least one minute "
                                                           "and at most 240."))])
    qa_minutes = IntegerField(_l("Q&A (minutes)"), default=3, validators=[
        Optional(), NumberRange(min=0, max=240, message=MINUTES_NOT_NEGATIVE)])
    changeover_minutes = IntegerField(_l("Changeover after the pitch (minutes)"), default=1,
                                      validators=[Optional(), NumberRange(
                                          min=0, max=240, message=MINUTES_NOT_NEGATIVE)])
    description = TextAreaField(_l("Summary (English)"),
                                validators=[Optional(), Length(max=5000)])
    description_de = german_text(_l("Summary"), max_length=5000, area=True)

    def pitch_fields(self) -> dict:
        def minutes(field, default):
            return default if field.data is None else field.data

        return {
            "title": self.title.data or "", "title_de": self.title_de.data or "",
            "presenter": self.presenter.data,
            "organisation": self.organisation.data or "",
            "description": self.description.data or "",
            "description_de": self.description_de.data or "",
            "pitch_minutes": minutes(self.pitch_minutes, 5),
            "qa_minutes": minutes(self.qa_minutes, 3),
            "changeover_minutes": minutes(self.changeover_minutes, 1),
        }


class ReorderForm(FlaskForm):
    pitch_ids = FieldList(IdField(_l("Pitch"), validators=[InputRequired()]),
                          min_entries=0, max_entries=500)

    def validate_pitch_ids(self, field) -> None:
        if not field.entries:
            raise ValidationError(_l("List the pitches in their new order."))


class MoveForm(FlaskForm):
    direction = SelectField(_l("Direction"), choices=[SelectChoice("up", _l("Up")),
                                                      SelectChoice("down", _l("Down"))])


class AssignModeratorForm(FlaskForm):
    user_id = IdField(_l("Moderator"), validators=[Optional()])
    email = EmailField(_l("Moderator's e-mail"), validators=[Optional(), Length(max=254)])
    # Left out: the person's current role in the session, or lead while it has none.
    role = SelectField(_l("Role"), validators=[Optional()], description=_l(
        "lead or co; left out, the person keeps their role in the session, or becomes lead "
        "if the session has none."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role, labels.role_label(role))
                             for role in MODERATOR_ROLES]
        self.role.api_schema = {"type": "string", "enum": list(MODERATOR_ROLES)}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.user_id.data is None and not self.email.data and not self.user_id.errors:
            self.user_id.errors = [*self.user_id.errors,
                                   _l("Name the moderator by user_id or email.")]
            return False
        return valid
