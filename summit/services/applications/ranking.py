"""The ranking: each application's weighted score, raw and normalised per juror (z-scores)
side by side, with the spread of its scores and how many reviews it has.

Normalising: a harsh juror's 3 may be a mild juror's 5. Each juror's weighted scores are
turned into z-scores (how many of their own standard deviations above their own mean); an
application's normalised score is the mean of its reviewers' z-scores. A juror with one
review, or the same score everywhere, has no spread: their z-score is 0 (no information).
"""

import statistics
from dataclasses import dataclass

from ...extensions import db
from ...models import WITHDRAWN, Application, Review
from .call import get_call
from .review import weighted


@dataclass
class Ranked:
    application: Application
    reviews: int
    raw: float | None  # mean weighted score on the criteria's scale
    normalised: float | None  # mean per-juror z-score
    spread: float | None  # highest minus lowest weighted score
    raw_rank: int | None = None
    normalised_rank: int | None = None


def ranking(event, *, order: str = "raw") -> list[Ranked]:
    call = get_call(event)
    criteria = list(call.criteria) if call else []
    apps = list(db.session.scalars(db.select(Application).where(
        Application.event_id == event.id, Application.status != WITHDRAWN)
        .order_by(Application.id)))
    reviews = list(db.session.scalars(db.select(Review).join(Application).where(
        Application.event_id == event.id, Application.status != WITHDRAWN)))
    scored = [(r.application_id, r.user_id, weighted(r, criteria)) for r in reviews]
    scored = [row for row in scored if row[2] is not None]
    by_juror: dict[int, list[float]] = {}
    for _application, juror, score in scored:
        by_juror.setdefault(juror, []).append(score)
    moments = {juror: (statistics.fmean(values),
                       statistics.pstdev(values) if len(values) > 1 else 0.0)
               for juror, values in by_juror.items()}
    raw: dict[int, list[float]] = {}
    zed: dict[int, list[float]] = {}
    for application, juror, score in scored:
        mean, deviation = moments[juror]
        raw.setdefault(application, []).append(score)
        zed.setdefault(application, []).append((score - mean) / deviation if deviation else 0.0)
    rows = [Ranked(application=a, reviews=len(raw.get(a.id, ())),
                   raw=statistics.fmean(raw[a.id]) if a.id in raw else None,
                   normalised=statistics.fmean(zed[a.id]) if a.id in zed else None,
                   spread=max(raw[a.id]) - min(raw[a.id]) if a.id in raw else None)
            for a in apps]
    for attribute, rank in (("raw", "raw_rank"), ("normalised", "normalised_rank")):
        ordered = sorted((r for r in rows if getattr(r, attribute) is not None),
                         key=lambda r, name=attribute: -getattr(r, name))
        for position, row in enumerate(ordered, start=1):
            setattr(row, rank, position)
    key = "normalised_rank" if order == "normalised" else "raw_rank"
    return sorted(rows, key=lambda r: (getattr(r, key) is None, getattr(r, key) or 0,
                                       r.application.id))


def reviews_csv_rows(event) -> list[list]:
    """One row per review, one column per criterion: for the CSV export."""
    call = get_call(event)
    criteria = list(call.criteria) if call else []
    header = ["application_id", "title", "applicant", "status", "juror", *[
        c.name for c in criteria], "weighted", "comment", "updated_at"]
    rows = [header]
    reviews = db.session.scalars(db.select(Review).join(Application).where(
        Application.event_id == event.id).order_by(Review.application_id, Review.id))
    for review in reviews:
        application = review.application
        score = weighted(review, criteria)
        rows.append([application.id, application.title, application.full_name,
                     application.status, review.user.name or review.user.email,
                     *[review.scores.get(str(c.id), "") for c in criteria],
                     f"{score:.3f}" if score is not None else "", review.comment,
                     review.updated_at.isoformat()])
    return rows
