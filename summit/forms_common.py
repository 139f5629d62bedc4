"""Form pieces shared by the HTML forms and the JSON API (which validates with the same forms)."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from .models.types import MAX_ID, MIN_ID
from .services.errors import FieldError


def strip(value):
    """A field filter: surrounding white space is not part of what was meant."""
    return value.strip() if isinstance(value, str) else value


class OptionalBooleanField(BooleanField):
    """A boolean that keeps its default when the key is absent (JSON), unlike a checkbox."""

    def process_formdata(self, valuelist):
        if valuelist:
            super().process_formdata(valuelist)


class _IdRange(NumberRange):
    """NumberRange (so the API document states the range) that leaves a value which is no
    number at all to IntegerField's own message."""

    def __call__(self, form, field):
        if field.data is not None:
            super().__call__(form, field)


class IdField(IntegerField):
    """A database id given in a form or a JSON body: outside the id range it is refused (422)
    before it reaches the database."""

    def __init__(self, label=None, validators=None, **kwargs):
        in_range = _IdRange(min=MIN_ID, max=MAX_ID, message=_l("There is nothing with this id."))
        super().__init__(label, [*(validators or ()), in_range], **kwargs)


class Required(DataRequired):
    """DataRequired that lets a value it could not read say so ("Not a valid date value.")
    instead of "This field is required."; a key left out keeps the stored value, as before."""

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()  # no message: the field's own stays
        super().__call__(form, field)


def valid_timezone(form, field) -> None:
    if field.data not in _timezones():
        raise ValidationError(_l("Unknown timezone; use a name such as Europe/Berlin."))


_TIMEZONES: set[str] = set()


def _timezones() -> set[str]:
    if not _TIMEZONES:
        _TIMEZONES.update(available_timezones())
    return _TIMEZONES


def has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def no_control_characters(form, field) -> None:
    """Names end up on badges, in mail headers and CSV: no line breaks or control codes."""
    if field.data and has_control_characters(field.data):
        raise ValidationError(_l("Please remove line breaks and control characters."))


def show_error(form, error: FieldError, *, fallback: str | None = None) -> None:
    """Show a service's refusal on the form: under its field, else under `fallback`, else above
    the form (form.form_errors, which the form_errors macro lists).

    A hidden input shows nothing, so its message goes above the form as well. The message may
    be lazy: it is translated here, in the reader's language.
    """
    field = _shown_field(form, error.field)
    if field is None and fallback is not None:
        field = _shown_field(form, fallback)
    message = str(error.message)
    if field is None:
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]  # a tuple until the form has been validated


def _shown_field(form, name: str):
    if name not in form:
        return None
    field = form[name]
    return None if getattr(field.widget, "input_type", None) == "hidden" else field


class InEitherLanguage:
    """On the English field of a bilingual text that must be given: the English or the German
    (`<name>_de`) text, or both. Put it before Optional(), which ends the chain when empty."""

    field_flags = {}

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field) -> None:
        german = form[f"{field.name}_de"] if f"{field.name}_de" in form else None
        if (field.data or "").strip() or (german is not None and (german.data or "").strip()):
            return
        raise StopValidation(self.message or _l("Please fill in the English or the German "
                                                "text, or both."))


def german_text(english, *, max_length: int, area: bool = False):
    """The German field next to an English one (`title` → `title_de`): optional, same limits;
    its label names the language, the English field's label gets "(English)" from the form."""
    kind = TextAreaField if area else StringField
    validators = [Optional(), Length(max=max_length)]
    if not area:
        validators.append(no_control_characters)
    return kind(_l("%(label)s (German)", label=english), validators=validators)
