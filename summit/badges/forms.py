"""The organiser's print form and person search; the API reads the same choices."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SearchField, SelectField
from wtforms.validators import Length, Optional
from wtforms.widgets import HiddenInput

from ..forms_common import IdField
from ..i18n import current_language
from ..models import Event
from ..services.badges.layouts import DEFAULT_LAYOUT, LAYOUTS

# The renderer's titles are English data; these are what people read, in their language.
# A layout added to LAYOUTS without an entry here shows its own title.
LAYOUT_TITLES = {
    "a6": _l("A6, one badge per page"),
    "a4-4xa6": _l("4 × A6 on A4"),
    "a4-8xa7": _l("8 × A7 on A4"),
    "a4-cards-2x5": _l("Cards 85 × 54 mm, 2 × 5 on A4"),
    "avery-l4785": _l("Avery L4785 name badges 80 × 50 mm, 2 × 5 on A4"),
    "letter-2x4": _l("Avery 5395 name badges, 2 × 4 on US Letter"),
}


def layout_title(name: str) -> str:
    title = LAYOUT_TITLES.get(name)
    return str(title) if title is not None else LAYOUTS[name].title


class BadgePrintForm(FlaskForm):
    layout = SelectField(_l("Layout"), default=DEFAULT_LAYOUT)
    category = SelectField(_l("Category"), default="")
    only_unprinted = BooleanField(_l("Only badges not printed yet"))
    crop_marks = BooleanField(_l("Crop marks for cutting by hand"))
    mark_printed = BooleanField(_l("Mark these badges as printed"), default=True)
    # Set by a person's "Print badge" button in the search results (not a visible field, so
    # a refusal about the person is shown above the form).
    registration = IdField(widget=HiddenInput(), validators=[Optional()])

    def __init__(self, event: Event, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout.choices = [(name, layout_title(name)) for name in LAYOUTS]
        locale = current_language()
        self.category.choices = [("", _l("All categories"))] + [
            (str(category.id), category.display_name(locale)) for category in event.categories]


class PersonSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = SearchField(_l("Name, e-mail or check-in code"), validators=[Length(max=200)])
