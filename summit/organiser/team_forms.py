from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from ..forms_common import strip
from ..i18n import current_language
from ..models import ROLES
from ..services.platform.team import ROLE_LABELS


def _role_choices():
    return [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       filters=[strip])
    role = SelectField(_l("Role"), choices=_role_choices, default="moderator",
                       validators=[InputRequired()])
    language = SelectField(_l("Language of the invitation"),
                           choices=[SelectChoice("de", "Deutsch"), SelectChoice("en", "English")])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("language", current_language())
        super().__init__(*args, **kwargs)


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=_role_choices, validators=[InputRequired()])


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""
