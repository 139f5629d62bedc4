"""The vote's forms; the ballot and the state forms also validate the JSON API's bodies."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, HiddenField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..forms_common import IdField, OptionalBooleanField, strip

CODE_RENDER = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
               "autocorrect": "off", "inputmode": "text", "enterkeyhint": "go"}


class VoteApiForm(FlaskForm):
    code = StringField(_l("Badge code"), filters=[strip],
                       validators=[InputRequired(), Length(max=2000)])
    pitch_id = IdField(_l("Pitch"), validators=[InputRequired()])


class VoteStateForm(FlaskForm):
    open = OptionalBooleanField(_l("Voting open"), default=None)
    revealed = OptionalBooleanField(_l("Result revealed"), default=None)
    # The pitches on the ballot (organisers only, while voting is closed); absent: unchanged.
    ballot = FieldList(IdField(_l("Pitch"), validators=[InputRequired()]),
                       min_entries=0, max_entries=500)


class BallotForm(FlaskForm):
    code = StringField(
        _l("Your badge code"), filters=[strip], validators=[Optional(), Length(max=2000)],
        description=_l("Printed under the QR code on your badge, e.g. BCDF-GHJK-…"),
        render_kw=CODE_RENDER)
    pitch_id = RadioField(_l("Your choice"), coerce=int, validate_choice=False,
                          validators=[InputRequired(message=_l("Please choose one pitch."))])
    # The signed key from the manage page's link: identifies the voter without a code.
    voter = HiddenField()


class VoteControlForm(FlaskForm):
    action = HiddenField(validators=[InputRequired()])


class JuryForm(FlaskForm):
    """CSRF only: the scores come as score_<pitch id> fields, one per pitch of the session."""


class BallotChoiceForm(FlaskForm):
    """CSRF only: the pitches on the ballot come as checkboxes named ballot (pitch ids)."""
