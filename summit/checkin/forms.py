"""The desk's forms; the scan form also validates the JSON API's body (one rule, one place)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SearchField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms_common import IdField, has_control_characters, no_control_characters

# What a scan may send (the API's busy path checks a plain scan against the same limits).
CODE_MAX_LENGTH, DESK_MAX_LENGTH = 2000, 60


class ScanForm(FlaskForm):
    code = StringField(
        _l("Badge code"),
        validators=[DataRequired(message=_l("Scan a badge or type its code.")),
                    Length(max=CODE_MAX_LENGTH)],
        description=_l("The badge's QR content: the check-in code, or a URL ending in it. "
                       "The code as printed under the QR, in groups and in any case, is "
                       "accepted too."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "autocorrect": "off", "enterkeyhint": "go"})
    desk = StringField(_l("Desk"), validators=[Optional(), Length(max=DESK_MAX_LENGTH),
                                               no_control_characters],
                       description=_l("Which desk scanned, e.g. 'Desk 1'."))
    # A scan made while the desk was offline, sent later (JSON API only).
    scanned_at = StringField(_l("Scanned at"), validators=[Optional(), Length(max=64)],
                             description=_l("When an offline desk scanned: ISO 8601 with "
                                            "offset. Send it with a nonce."))
    nonce = StringField(_l("Nonce"), validators=[Optional(), Length(max=64)],
                        description=_l("The offline scan's own random id (8 to 64 letters, "
                                       "digits, '-', '_'): the same nonce twice counts once."))


def plain_scan(body) -> bool:
    """Whether this JSON body is a scan ScanForm takes as it is (a code, perhaps a desk, no
    offline scan), checked without building the form: the API's busy path takes only these.
    It may refuse what the form takes (the form then answers), never the other way round
    (tests/test_checkin_busy_path.py holds it to that)."""
    if not (isinstance(body, dict) and body.keys() <= {"code", "desk"}):
        return False
    code, desk = body.get("code"), body.get("desk", "")
    return (isinstance(code, str) and bool(code.strip()) and len(code) <= CODE_MAX_LENGTH
            and isinstance(desk, str) and len(desk) <= DESK_MAX_LENGTH
            and not has_control_characters(desk))


class DeskNameForm(FlaskForm):
    desk = StringField(_l("This desk"), validators=[Optional(), Length(max=DESK_MAX_LENGTH),
                                                    no_control_characters],
                       render_kw={"list": "desk-names", "autocomplete": "off"})


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("Find a person without a badge"),
                    validators=[Optional(), Length(max=200)],
                    render_kw={"autocomplete": "off",
                               "placeholder": _l("Name, e-mail or organisation")})


class RegistrationActionForm(FlaskForm):
    """Check in by name, or undo a check-in: which registration, plus the CSRF token."""

    registration_id = IdField(validators=[InputRequired()])
    q = StringField(validators=[Optional(), Length(max=200)])
