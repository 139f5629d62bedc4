"""The organiser's side of registration questions: add, change, reorder and delete questions
and their options. Deleting what people have answered needs a confirmation (questions) or is
refused with the count (options people chose); a capacity never drops below the places taken.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from ...extensions import db
from ...models import QUESTION_KINDS, Answer, Event, Question, QuestionOption
from ..errors import FieldError
from .answers import lock_options, questions_of, taken_places, too_long

LABEL_MAX, HELP_MAX, OPTIONS_MAX = 200, 500, 50


class QuestionError(FieldError):
    """A change to the questions refused; the message says why."""


def _text(name: str, value: str | None, limit: int) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise QuestionError(name, too_long(limit))
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise QuestionError(name, _l("Please remove line breaks and control characters."))
    return text


def _labels(label: str, label_de: str, *, field: str = "label") -> tuple[str, str]:
    english, german = _text(field, label, LABEL_MAX), _text(field + "_de", label_de, LABEL_MAX)
    if not english and not german:
        raise QuestionError(field, _l("Please write the text in at least one language."))
    return english, german


def _capacity(value) -> int | None:
    if value is None or value == "":
        return None
    if not isinstance(value, int) or value < 0 or value > 1_000_000:
        raise QuestionError("capacity", _l("Please enter a number of places from 0, or "
                                           "leave it empty for no limit."))
    return value


def _fields(event: Event, *, label, label_de, help_text, help_text_de, required,
            category_ids) -> dict:
    english, german = _labels(label, label_de)
    ids = {int(value) for value in category_ids or ()}
    categories = [category for category in event.categories if category.id in ids]
    if len(categories) != len(ids):
        raise QuestionError("categories", _l("Please choose among this event's categories."))
    return {"label": english, "label_de": german,
            "help_text": _text("help_text", help_text, HELP_MAX),
            "help_text_de": _text("help_text_de", help_text_de, HELP_MAX),
            "required": bool(required), "categories": categories}


def create(event: Event, *, kind: str, options=(), **fields) -> Question:
    """`options`: (English label, German label, capacity or None) for choice questions."""
    if kind not in QUESTION_KINDS:
        raise QuestionError("kind", _l("Please choose a kind of question."))
    values = _fields(event, **fields)
    question = Question(event_id=event.id, kind=kind, **values)
    if question.has_options:
        if not options:
            raise QuestionError("options", _l("Please give at least one answer to choose "
                                              "from, one per line."))
        if len(options) > OPTIONS_MAX:
            raise QuestionError("options", ngettext("Please offer at most %(num)d answer.",
                                                    "Please offer at most %(num)d answers.",
                                                    OPTIONS_MAX))
        for position, (english, german, capacity) in enumerate(options):
            english, german = _labels(english, german, field="options")
            question.options.append(QuestionOption(label=english, label_de=german,
                                                   capacity=_capacity(capacity),
                                                   position=position))
    question.position = (db.session.scalar(select(func.max(Question.position))
                                           .where(Question.event_id == event.id)) or 0) + 1
    db.session.add(question)
    db.session.commit()
    return question


def update(question: Question, **fields) -> Question:
    values = _fields(question_event(question), **fields)
    for name, value in values.items():
        setattr(question, name, value)
    db.session.commit()
    return question


def question_event(question: Question) -> Event:
    return db.session.get(Event, question.event_id)


def move(question: Question, offset: int) -> None:
    """One place up (-1) or down (+1) among the event's questions."""
    ordered = questions_of(question.event_id)
    index = next(i for i, each in enumerate(ordered) if each.id == question.id)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.position = position
    db.session.commit()


def answer_count(question: Question) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer)
                             .where(Answer.question_id == question.id)) or 0


def delete(question: Question, *, confirmed: bool = False) -> int:
    """Delete with its answers; refused while answers exist unless confirmed. The count."""
    count = answer_count(question)
    if count and not confirmed:
        raise QuestionError("confirm", ngettext(
            "%(num)d person has answered this question. Tick the box to delete the question "
            "with its answer.",
            "%(num)d people have answered this question. Tick the box to delete the question "
            "with their answers.", count), status=409)
    db.session.delete(question)
    db.session.commit()
    return count


def add_option(question: Question, *, label: str, label_de: str, capacity=None) -> QuestionOption:
    if not question.has_options:
        raise QuestionError("label", _l("Only choice questions have answers to choose from."))
    english, german = _labels(label, label_de)
    option = QuestionOption(label=english, label_de=german, capacity=_capacity(capacity),
                            position=len(question.options))
    question.options.append(option)
    db.session.commit()
    return option


def update_option(option: QuestionOption, *, label: str, label_de: str,
                  capacity=None) -> QuestionOption:
    english, german = _labels(label, label_de)
    capacity = _capacity(capacity)
    try:
        lock_options([option.id])
        taken = taken_places([option.id])[option.id]
        if capacity is not None and capacity < taken:
            raise QuestionError("capacity", ngettext(
                "%(num)d person has chosen this answer; the capacity cannot be lower.",
                "%(num)d people have chosen this answer; the capacity cannot be lower.", taken))
        option.label, option.label_de, option.capacity = english, german, capacity
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return option


def delete_option(option: QuestionOption) -> None:
    taken = taken_places([option.id])[option.id]
    if taken:
        raise QuestionError("option", ngettext(
            "%(num)d person has chosen this answer, so it cannot be deleted.",
            "%(num)d people have chosen this answer, so it cannot be deleted.", taken),
            status=409)
    question = option.question
    if len(question.options) <= 1:
        raise QuestionError("option", _l("A choice question needs at least one answer to "
                                         "choose from."), status=409)
    question.options.remove(option)
    db.session.commit()
