"""Custom registration questions an event asks (text, choice, multiple choice, yes/no), their
options (each with an optional capacity, e.g. a workshop's seats) and the answers given."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .bilingual import in_language
from .event import Category
from .types import UTCDateTime, utcnow

TEXT, CHOICE, MULTI, YESNO = "text", "choice", "multi", "yesno"
QUESTION_KINDS = (TEXT, CHOICE, MULTI, YESNO)

question_categories = Table(
    "question_categories", db.metadata,
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)

answer_options = Table(
    "answer_options", db.metadata,
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("option_id", ForeignKey("question_options.id", ondelete="CASCADE"),
           primary_key=True, index=True),
)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'choice', 'multi', 'yesno')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200), default="")
    label_de: Mapped[str] = mapped_column(String(200), default="")
    help_text: Mapped[str] = mapped_column(String(500), default="")
    help_text_de: Mapped[str] = mapped_column(String(500), default="")
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    options: Mapped[list["QuestionOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", passive_deletes=True,
        order_by="QuestionOption.position, QuestionOption.id")
    # Empty: asked in every category.
    categories: Mapped[list[Category]] = relationship(secondary=question_categories,
                                                      order_by="Category.position")

    def display_label(self, locale: str) -> str:
        return in_language(locale, english=self.label, german=self.label_de)

    def display_help(self, locale: str) -> str:
        return in_language(locale, english=self.help_text, german=self.help_text_de)

    def applies_to(self, category_id: int | None) -> bool:
        return not self.categories or any(c.id == category_id for c in self.categories)

    @property
    def has_options(self) -> bool:
        return self.kind in (CHOICE, MULTI)


class QuestionOption(db.Model):
    __tablename__ = "question_options"
    __table_args__ = (
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"),
                                             index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    label_de: Mapped[str] = mapped_column(String(200), default="")
    # None: no limit. Otherwise never more answers of live registrations than this.
    capacity: Mapped[int | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    # Bumped before places are counted: the row lock that keeps an option from being oversold.
    lock_version: Mapped[int] = mapped_column(default=0)

    question: Mapped[Question] = relationship(back_populates="options")

    def display_label(self, locale: str) -> str:
        return in_language(locale, english=self.label, german=self.label_de)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"),
                                             index=True)
    # The text of a text question, "yes"/"no" for a yes/no question; empty for choices.
    text: Mapped[str] = mapped_column(Text, default="")

    question: Mapped[Question] = relationship()
    options: Mapped[list[QuestionOption]] = relationship(
        secondary=answer_options, order_by="QuestionOption.position, QuestionOption.id")
