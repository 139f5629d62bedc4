from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms_common import no_control_characters, strip
from ..services.platform.team import MIN_PASSWORD_LENGTH, PASSWORD_TOO_SHORT


class JoinForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200),
                                                    no_control_characters], filters=[strip])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, message=PASSWORD_TOO_SHORT),
        Length(max=200)])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
