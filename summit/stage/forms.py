"""Forms of the speaker view's settings on the organiser's session page."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from ..services.live.speaker import MAX_WARNING_SECONDS


class WarningForm(FlaskForm):
    warning_seconds = IntegerField(
        _l("Warning before the end (seconds)"),
        validators=[InputRequired(), NumberRange(min=0, max=MAX_WARNING_SECONDS)],
        description=_l("The speaker's countdown turns amber this many seconds before the end "
                       "of a phase, and red at zero."))


class RenewLinkForm(FlaskForm):
    """Only the CSRF token."""
