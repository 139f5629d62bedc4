"""The organiser's registration questions of an event: list, add, change, reorder, delete, and
each choice question's answers with their places. Rules: services/questions/admin."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..forms_common import show_error
from ..models import Question, QuestionOption
from ..services import events
from ..services.errors import FieldError
from ..services.questions import admin
from ..services.questions import answers as question_answers
from . import bp
from .question_forms import (
    DeleteQuestionForm,
    NewQuestionForm,
    OptionForm,
    QuestionFields,
    kind_label,
)
from .team_forms import ActionForm


def _question(event, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


def _option(question, option_id: int) -> QuestionOption:
    option = next((each for each in question.options if each.id == option_id), None)
    if option is None:
        abort(404)
    return option


@bp.get("/events/<slug>/questions")
def question_list(slug: str):
    event = events.get_by_slug(slug)
    return _list_page(event, NewQuestionForm(event=event, formdata=None))


@bp.post("/events/<slug>/questions")
def question_create(slug: str):
    event = events.get_by_slug(slug)
    form = NewQuestionForm(event=event)
    if not form.validate_on_submit():
        return _list_page(event, form, 422)
    try:
        question = admin.create(event, kind=form.kind.data, options=form.parsed_options(),
                                **form.question())
    except FieldError as exc:
        show_error(form, exc, fallback="options")
        return _list_page(event, form, exc.status)
    flash(_("The question is added."), "success")
    return redirect(url_for(".question_list", slug=slug) + f"#question-{question.id}")


def _list_page(event, form, status=200):
    questions = question_answers.questions_of(event)
    counts = {question.id: admin.answer_count(question) for question in questions}
    return render_template("organiser/questions.html", event=event, form=form,
                           questions=questions, counts=counts, kind_label=kind_label,
                           free=question_answers.free_places(event),
                           action_form=ActionForm(formdata=None)), status


@bp.post("/events/<slug>/questions/<int:question_id>/move/<direction>")
def question_move(slug: str, question_id: int, direction: str):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    if direction not in ("up", "down"):
        abort(404)
    if ActionForm().validate_on_submit():
        admin.move(question, -1 if direction == "up" else 1)
    return redirect(url_for(".question_list", slug=slug) + f"#question-{question_id}")


@bp.route("/events/<slug>/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(slug: str, question_id: int):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    form = _question_form(event, question, submitted=True)
    if form.validate_on_submit():
        try:
            admin.update(question, **form.question())
        except FieldError as exc:
            show_error(form, exc)
            return _edit_page(event, question, form=form, status=exc.status)
        flash(_("The question is saved."), "success")
        return redirect(url_for(".question_edit", slug=slug, question_id=question_id))
    return _edit_page(event, question, form=form, status=422 if form.is_submitted() else 200)


def _edit_page(event, question, *, form=None, option_forms=None, new_option=None,
               delete_form=None, status=200):
    form = form or _question_form(event, question, submitted=False)
    option_forms = {option.id: OptionForm(prefix=f"o{option.id}", obj=option, formdata=None)
                    for option in question.options} | (option_forms or {})
    taken = question_answers.taken_places(option.id for option in question.options)
    return render_template(
        "organiser/question_edit.html", event=event, question=question, form=form,
        option_forms=option_forms, taken=taken, kind_label=kind_label,
        new_option=new_option or OptionForm(prefix="new", formdata=None),
        delete_form=delete_form or DeleteQuestionForm(formdata=None),
        count=admin.answer_count(question), action_form=ActionForm(formdata=None)), status


def _question_form(event, question, *, submitted: bool) -> QuestionFields:
    kwargs = {} if submitted else {"formdata": None}
    form = QuestionFields(event=event, obj=question, **kwargs)
    if not form.is_submitted() or not submitted:  # obj holds Category rows, the field ids
        form.categories.data = [category.id for category in question.categories]
    return form


@bp.post("/events/<slug>/questions/<int:question_id>/delete")
def question_delete(slug: str, question_id: int):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    form = DeleteQuestionForm()
    if not form.validate_on_submit():
        return _edit_page(event, question, delete_form=form, status=422)
    try:
        count = admin.delete(question, confirmed=bool(form.confirm.data))
    except FieldError as exc:
        show_error(form, exc)
        return _edit_page(event, question, delete_form=form, status=exc.status)
    flash(ngettext("The question is deleted with %(num)d answer.",
                   "The question is deleted with %(num)d answers.", count)
          if count else _("The question is deleted."), "success")
    return redirect(url_for(".question_list", slug=slug))


@bp.post("/events/<slug>/questions/<int:question_id>/options")
def option_add(slug: str, question_id: int):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    form = OptionForm(prefix="new")
    if not form.validate_on_submit():
        return _edit_page(event, question, new_option=form, status=422)
    try:
        admin.add_option(question, label=form.label.data, label_de=form.label_de.data,
                         capacity=form.capacity.data)
    except FieldError as exc:
        show_error(form, exc)
        return _edit_page(event, question, new_option=form, status=exc.status)
    flash(_("The answer is added."), "success")
    return redirect(url_for(".question_edit", slug=slug, question_id=question_id) + "#options")


@bp.post("/events/<slug>/questions/<int:question_id>/options/<int:option_id>")
def option_update(slug: str, question_id: int, option_id: int):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    option = _option(question, option_id)
    form = OptionForm(prefix=f"o{option.id}")
    if not form.validate_on_submit():
        return _edit_page(event, question, option_forms={option.id: form}, status=422)
    try:
        admin.update_option(option, label=form.label.data, label_de=form.label_de.data,
                            capacity=form.capacity.data)
    except FieldError as exc:
        show_error(form, exc)
        return _edit_page(event, _question(event, question_id),
                          option_forms={option_id: form}, status=exc.status)
    flash(_("The answer is saved."), "success")
    return redirect(url_for(".question_edit", slug=slug, question_id=question_id) + "#options")


@bp.post("/events/<slug>/questions/<int:question_id>/options/<int:option_id>/delete")
def option_delete(slug: str, question_id: int, option_id: int):
    event = events.get_by_slug(slug)
    question = _question(event, question_id)
    option = _option(question, option_id)
    if ActionForm().validate_on_submit():
        try:
            admin.delete_option(option)
        except FieldError as exc:
            flash(str(exc.message), "warning")
        else:
            flash(_("The answer is deleted."), "success")
    return redirect(url_for(".question_edit", slug=slug, question_id=question_id) + "#options")
