"""Answers to an event's own registration questions: checked, stored with the registration
(in its transaction), and read back for the manage page, the attendee list, the CSV export,
the API and the attendee's own data download.

Option capacity (e.g. a workshop's seats) follows the category rule: every write that can
fill an option first bumps that option's lock_version (a row lock on PostgreSQL, the write
lock on SQLite), then counts, then writes. A place in an option is held by every registration
that is not cancelled, waitlisted ones included: so moving up from the waiting list never
needs a check, and cancelling frees the place at once.
"""

from dataclasses import dataclass, field

from flask_babel import LazyString, force_locale, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    CANCELLED,
    CHOICE,
    MULTI,
    TEXT,
    YESNO,
    Answer,
    Event,
    Question,
    QuestionOption,
    Registration,
    answer_options,
)
from ..errors import FieldError

TEXT_MAX = 1000
ANSWER_MISSING = _l("Please answer this question.")
OPTION_UNKNOWN = _l("Please choose one of the offered answers.")
YES, NO = "yes", "no"
_TRUE, _FALSE = {"yes", "y", "true", "1", "on", "ja"}, {"no", "n", "false", "0", "off", "nein"}


def too_long(limit: int) -> LazyString:
    """The sign-up's wording (registrations.signup.too_long), which imports this module."""
    return LazyString(lambda: ngettext("Please use at most %(num)d character.",
                                       "Please use at most %(num)d characters.", limit))


class AnswerError(FieldError):
    """An answer refused; `field` is "answers.<question id>"."""

    def __init__(self, question_id: int | str, message, status: int = 422):
        super().__init__(f"answers.{question_id}", message, status)
        self.question_id = question_id


class OptionFull(AnswerError):
    def __init__(self, question: Question, option: QuestionOption, locale: str):
        super().__init__(question.id, _l("“%(option)s” is full. Please choose another answer.",
                                         option=option.display_label(locale)), status=409)


@dataclass
class Given:
    """One cleaned answer: the text (text and yes/no questions) or the chosen options."""

    question: Question
    text: str = ""
    options: list[QuestionOption] = field(default_factory=list)


def questions_of(event: Event | int) -> list[Question]:
    event_id = event if isinstance(event, int) else event.id
    return list(db.session.scalars(select(Question).where(Question.event_id == event_id)
                                   .order_by(Question.position, Question.id)))


def clean(event: Event, category_id: int | None, raw: dict | None, *,
          enforce_required: bool = True) -> list[Given]:
    """Check the answers given (question id -> value; a list for multiple choice) against the
    questions asked in this category. Answers to questions of other categories are dropped
    (the form without JavaScript shows every question); an unknown question id is refused.
    Organisers adding or importing people may leave required questions open
    (enforce_required=False): the person can answer them on their manage page."""
    raw = {str(key).strip(): value for key, value in (raw or {}).items()}
    questions = questions_of(event)
    known = {str(question.id) for question in questions}
    for key in raw:
        if key not in known:
            raise AnswerError(key[:20], _l("This event has no such question."))
    given = []
    for question in questions:
        if not question.applies_to(category_id):
            continue
        answer = _clean_one(question, raw.get(str(question.id)))
        if answer is None:
            if question.required and enforce_required:
                raise AnswerError(question.id, ANSWER_MISSING)
            continue
        given.append(answer)
    return given


def _values(value) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def _clean_one(question: Question, value) -> Given | None:
    values = _values(value)
    if not values:
        return None
    if question.kind == TEXT:
        if len(values) > 1:
            raise AnswerError(question.id, _l("Please give one answer."))
        text = values[0]
        if len(text) > TEXT_MAX:
            raise AnswerError(question.id, too_long(TEXT_MAX))
        if any((ord(ch) < 32 or ord(ch) == 127) and ch not in "\n\r\t" for ch in text):
            raise AnswerError(question.id, _l("Please remove control characters."))
        return Given(question, text=text)
    if question.kind == YESNO:
        word = values[0].lower() if len(values) == 1 else ""
        if word not in _TRUE | _FALSE:
            raise AnswerError(question.id, _l("Please answer yes or no."))
        return Given(question, text=YES if word in _TRUE else NO)
    if question.kind == CHOICE and len(values) > 1:
        raise AnswerError(question.id, _l("Please choose one answer."))
    by_id = {str(option.id): option for option in question.options}
    chosen = []
    for item in values:
        option = by_id.get(item)
        if option is None:
            raise AnswerError(question.id, OPTION_UNKNOWN)
        if option not in chosen:
            chosen.append(option)
    return Given(question, options=chosen)


def taken_places(option_ids, *, excluding: int | None = None) -> dict[int, int]:
    """Option id -> how many registrations that are not cancelled chose it."""
    option_ids = list(option_ids)
    if not option_ids:
        return {}
    statement = (select(answer_options.c.option_id, func.count())
                 .join(Answer, Answer.id == answer_options.c.answer_id)
                 .join(Registration, Registration.id == Answer.registration_id)
                 .where(answer_options.c.option_id.in_(option_ids),
                        Registration.status != CANCELLED)
                 .group_by(answer_options.c.option_id))
    if excluding is not None:
        statement = statement.where(Registration.id != excluding)
    counts = dict(db.session.execute(statement).all())
    return {option_id: counts.get(option_id, 0) for option_id in option_ids}


def lock_options(option_ids) -> None:
    """Serialise every write that can fill these options (ids in order: no deadlock)."""
    table = QuestionOption.__table__
    for option_id in sorted(set(option_ids)):
        db.session.execute(table.update().where(table.c.id == option_id)
                           .values(lock_version=table.c.lock_version + 1))


def store(registration: Registration, given: list[Given], locale: str = "en") -> None:
    """Replace the registration's answers; inside the caller's transaction (no commit).

    Options with a capacity are locked, then counted without this registration's own
    answers, so a person who keeps their workshop keeps their seat.
    """
    limited = [option for answer in given for option in answer.options
               if option.capacity is not None]
    if limited:
        lock_options(option.id for option in limited)
        taken = taken_places((option.id for option in limited), excluding=registration.id)
        for answer in given:
            for option in answer.options:
                capacity = db.session.scalar(select(QuestionOption.capacity)
                                             .where(QuestionOption.id == option.id))
                if capacity is not None and taken[option.id] >= capacity:
                    raise OptionFull(answer.question, option, locale)
    if registration.id is not None:
        db.session.execute(delete(Answer).where(Answer.registration_id == registration.id))
        db.session.expire(registration, ["answers"])
    for answer in given:
        registration.answers.append(Answer(question_id=answer.question.id, text=answer.text,
                                           options=list(answer.options)))


def update(registration: Registration, raw: dict | None, locale: str = "en") -> None:
    """The attendee (or an organiser) changes the answers; all or nothing."""
    try:
        given = clean(registration.event, registration.category_id, raw)
        store(registration, given, locale)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def drop_unasked(registration: Registration) -> None:
    """After a move to another category: answers to questions not asked there go, and with
    them any places they held (only fewer places are taken: no lock needed)."""
    for answer in list(registration.answers):
        if not answer.question.applies_to(registration.category_id):
            registration.answers.remove(answer)


def free_places(event: Event) -> dict[int, int | None]:
    """Option id -> places left (None: no limit), for the form's "full" marks."""
    options = [option for question in questions_of(event) for option in question.options]
    taken = taken_places(option.id for option in options if option.capacity is not None)
    return {option.id: (None if option.capacity is None
                        else max(option.capacity - taken[option.id], 0)) for option in options}


def display(answer: Answer, locale: str) -> str:
    """An answer as one line of text in the reader's language (multiple choice: "a; b")."""
    if answer.question.kind == YESNO:
        with force_locale(locale):
            return str(_l("Yes") if answer.text == YES else _l("No"))
    if answer.question.kind in (CHOICE, MULTI):
        return "; ".join(option.display_label(locale) for option in answer.options)
    return answer.text


def texts_for_event(event: Event, locale: str = "en") -> dict[int, dict[int, str]]:
    """Registration id -> question id -> the answer as text, for a whole event in two queries
    (the CSV export and the attendee list read it instead of one query per person)."""
    rows = db.session.scalars(
        select(Answer).join(Question, Question.id == Answer.question_id)
        .where(Question.event_id == event.id)
        .options(selectinload(Answer.options), selectinload(Answer.question)))
    texts: dict[int, dict[int, str]] = {}
    for answer in rows:
        texts.setdefault(answer.registration_id, {})[answer.question_id] = display(answer,
                                                                                  locale)
    return texts


def by_question(registration: Registration) -> dict[int, Answer]:
    return {answer.question_id: answer for answer in registration.answers}


def as_data(registration: Registration, locale: str = "en") -> list[dict]:
    """The answers for the API and the data download: ids, both labels, the value."""
    rows = []
    answers = by_question(registration)
    for question in questions_of(registration.event_id):
        answer = answers.get(question.id)
        if answer is None:
            continue
        value = ([option.id for option in answer.options] if question.kind == MULTI else
                 answer.options[0].id if question.kind == CHOICE and answer.options else
                 answer.text == YES if question.kind == YESNO else answer.text)
        rows.append({"question_id": question.id, "question": question.display_label(locale),
                     "kind": question.kind, "value": value,
                     "text": display(answer, locale)})
    return rows


def raw_of(registration: Registration) -> dict[str, object]:
    """The answers as a form would post them (question id -> value), to fill the form."""
    raw: dict[str, object] = {}
    for answer in registration.answers:
        if answer.question.kind == MULTI:
            raw[str(answer.question_id)] = [str(option.id) for option in answer.options]
        elif answer.question.kind == CHOICE:
            raw[str(answer.question_id)] = str(answer.options[0].id) if answer.options else ""
        else:
            raw[str(answer.question_id)] = answer.text
    return raw
