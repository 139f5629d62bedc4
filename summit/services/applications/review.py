"""A juror's review: a score per criterion, a comment; what of the application they see
(anonymised or not) and whose reviews besides their own."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Application, Criterion, Review, User, utcnow
from ..errors import FieldError
from .call import get_call
from .jury import check_assigned

COMMENT_MAX = 5000


@dataclass
class Shown:
    """What a juror sees of an application."""

    id: int
    title: str
    summary: str
    problem: str
    stage: str
    impact: str
    team: str
    video_url: str
    pitch_language: str
    has_deck: bool
    anonymised: bool
    name: str = ""
    organisation: str = ""
    website: str = ""


def shown(application: Application) -> Shown:
    call = get_call(application.event)
    anonymised = bool(call and call.anonymised)
    values = {"id": application.id, "title": application.title,
              "summary": (application.redacted_summary or application.summary) if anonymised
              else application.summary,
              "problem": application.problem, "stage": application.stage,
              "impact": application.impact, "team": application.team,
              "video_url": application.video_url,
              "pitch_language": application.pitch_language,
              "has_deck": application.deck is not None, "anonymised": anonymised}
    if not anonymised:
        values |= {"name": application.full_name, "organisation": application.organisation,
                   "website": application.website}
    return Shown(**values)


def own_review(application: Application, user: User) -> Review | None:
    return db.session.scalar(db.select(Review).where(
        Review.application_id == application.id, Review.user_id == user.id))


def save(application: Application, user: User, *, scores: dict[int, int | None],
         comment: str) -> Review:
    """Save the juror's review; every criterion needs a score within its scale."""
    check_assigned(application, user)
    call = get_call(application.event)
    if not call.review_open():
        raise FieldError("scores", _l("The review phase has closed: reviews can no longer "
                                      "be changed."), 409)
    clean: dict[str, int] = {}
    for criterion in call.criteria:
        value = scores.get(criterion.id)
        if value is None or not 1 <= value <= criterion.scale_max:
            raise FieldError(f"score_{criterion.id}", _l(
                "Please give a score from 1 to %(max)s.", max=criterion.scale_max))
        clean[str(criterion.id)] = int(value)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise FieldError("comment", _l("Please use at most 5000 characters."))
    review = own_review(application, user)
    if review is None:
        review = Review(application_id=application.id, user_id=user.id)
        db.session.add(review)
    review.scores, review.comment, review.updated_at = clean, comment, utcnow()
    db.session.commit()
    return review


def others(application: Application, user: User) -> list[Review] | None:
    """The other jurors' reviews this juror may read (None: not shown, by the call's rule)."""
    call = get_call(application.event)
    rule = call.others_reviews if call else "never"
    if rule == "never" or (rule == "after_own" and own_review(application, user) is None):
        return None
    return list(db.session.scalars(db.select(Review).where(
        Review.application_id == application.id, Review.user_id != user.id)
        .order_by(Review.id)))


def weighted(review: Review, criteria: list[Criterion]) -> float | None:
    """The review's weighted mean score (on the criteria's scales)."""
    total = weight = 0.0
    for criterion in criteria:
        value = review.scores.get(str(criterion.id))
        if value is not None:
            total += criterion.weight * value
            weight += criterion.weight
    return total / weight if weight else None
