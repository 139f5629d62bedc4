"""Forms of the moderator pages: availability, languages, hand assignment, run-of-show buttons."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..models import MODERATOR_ROLES
from ..schedule.forms import EventDateTimeField
from ..services.programme.labels import role_label

# The role choice that leaves it to the rule in moderation.default_role.
KEEP_ROLE = ""


class _EventForm(FlaskForm):
    """A form whose date-time fields are read and shown in the event's timezone."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            if isinstance(field, EventDateTimeField):
                field.use_zone(event.tz)

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The window must end after it starts."))


class WindowForm(_EventForm):
    starts_at = EventDateTimeField(_l("Available from"), validators=[InputRequired()],
                                   description="")
    ends_at = EventDateTimeField(_l("Available until"), validators=[InputRequired()],
                                 description="")


class AddWindowForm(WindowForm):
    user_id = SelectField(_l("Moderator"), coerce=int, validators=[InputRequired()])

    def __init__(self, *args, moderators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = [(m.id, m.name) for m in moderators]


class LanguagesForm(FlaskForm):
    languages = StringField(
        _l("Languages"), validators=[DataRequired(), Length(max=50)],
        description=_l("Language codes separated by commas, e.g. de, en."))


class AssignForm(FlaskForm):
    user_id = SelectField(_l("Moderator"), coerce=int, validators=[InputRequired()])
    # Preselected: assigning someone again must not silently change their role.
    role = SelectField(_l("Role"), default=KEEP_ROLE)

    def __init__(self, *args, moderators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id.choices = [(m.id, m.name) for m in moderators]
        self.role.choices = [(KEEP_ROLE, _l("Current role (lead if the session has none)"))] + [
            (role, role_label(role)) for role in MODERATOR_ROLES]

    def chosen_role(self) -> str | None:
        return self.role.data or None


class ConfirmForm(FlaskForm):
    """Only the CSRF token: delete buttons and the automatic assignment."""


class RunActionForm(FlaskForm):
    """A run-of-show button; `version` is the state the moderator saw when pressing.
    `confirm` is "yes" only on the button that confirms the end of the session."""

    version = IntegerField(validators=[Optional()])
    confirm = HiddenField()


class StageMessageForm(FlaskForm):
    """A message to the speaker's view: a preset (its index in live.stage_messages.PRESETS)
    or free text. Emoji and any script are fine; the length is checked by the service too."""

    body = StringField(_l("Your message"), validators=[Optional(), Length(max=200)],
                       description=_l("At most 200 characters. Shown on the speaker's screen "
                                      "until you dismiss it."))
    preset = IntegerField(validators=[Optional()])
