"""The forms of the organiser's question editor; the rules live in services/questions/admin."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms_common import strip
from ..i18n import current_language
from ..models import CHOICE, MULTI, TEXT, YESNO
from ..services.questions.admin import QuestionError

KIND_LABELS = {TEXT: _l("Text"), CHOICE: _l("Choice (one answer)"),
               MULTI: _l("Multiple choice"), YESNO: _l("Yes / no")}


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuestionFields(FlaskForm):
    label = StringField(_l("Question (English)"), filters=[strip])
    label_de = StringField(_l("Question (German)"), filters=[strip])
    help_text = StringField(_l("Help text (English, optional)"), filters=[strip])
    help_text_de = StringField(_l("Help text (German, optional)"), filters=[strip])
    required = BooleanField(_l("An answer is required"))
    categories = CheckboxesField(_l("Asked in these categories (none ticked: in all)"),
                                 coerce=int)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_language()
        self.categories.choices = [SelectChoice(c.id, c.display_name(locale))
                                   for c in event.categories]

    def question(self) -> dict:
        return {"label": self.label.data, "label_de": self.label_de.data,
                "help_text": self.help_text.data, "help_text_de": self.help_text_de.data,
                "required": bool(self.required.data), "category_ids": self.categories.data or []}


class NewQuestionForm(QuestionFields):
    kind = SelectField(_l("Kind of answer"), default=TEXT, choices=lambda: [
        SelectChoice(kind, label) for kind, label in KIND_LABELS.items()])
    options = TextAreaField(_l("Answers to choose from (choice questions)"), filters=[strip],
                            render_kw={"rows": 4})

    def parsed_options(self) -> list[tuple[str, str, int | None]]:
        """One answer a line: "English | Deutsch | places" (German and places optional)."""
        parsed = []
        for line in (self.options.data or "").splitlines():
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            english = parts[0]
            german = parts[1] if len(parts) > 1 else ""
            places = parts[2] if len(parts) > 2 else ""
            if len(parts) > 3 or (places and not places.isdecimal()):
                raise QuestionError("options", _l(
                    "Write each answer as “English | Deutsch | places”; the places are a "
                    "whole number or empty."))
            parsed.append((english, german, int(places) if places else None))
        return parsed


class OptionForm(FlaskForm):
    label = StringField(_l("Answer (English)"), filters=[strip])
    label_de = StringField(_l("Answer (German)"), filters=[strip])
    capacity = IntegerField(_l("Places (empty: no limit)"), validators=[
        Optional(), NumberRange(min=0, max=1_000_000)])


class DeleteQuestionForm(FlaskForm):
    confirm = BooleanField(_l("Yes, delete the question with all its answers"))


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))
