"""From shortlist to stage: accepted applications become pitches of a pitch session, with
their presenter registered in the "Social Entrepreneur" category.

Registering goes through the registration service, so the category's capacity holds (a
full category stops the step, with what is done kept) and the presenter gets their badge,
check-in code and vote eligibility like anyone else. Running the step again skips what is
on stage already, so an interrupted step is finished by running it again.
"""

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import ACCEPTED, CANCELLED, Application, Registration
from .. import registrations
from ..errors import FieldError
from ..programme import pitches, sessions
from ..registrations import places
from .ranking import ranking

PRESENTER_CATEGORY = "Social Entrepreneur"


def waiting_for_stage(event, *, order: str = "raw") -> list[Application]:
    """Accepted applications not yet on stage, by rank (raw or normalised)."""
    return [row.application for row in ranking(event, order=order)
            if row.application.status == ACCEPTED and row.application.pitch_id is None]


def to_pitches(event, session_id: int, *, actor, order: str = "raw",
               application_ids: list[int] | None = None) -> list[Application]:
    """Put the accepted applications on stage, in rank order or in the order given."""
    session = sessions.get_session(event, session_id)
    if session.kind != "pitch":
        raise FieldError("session", _l("Please choose a pitch session."))
    category = event.category(PRESENTER_CATEGORY)
    if category is None:
        raise FieldError("session", _l("The event has no category “Social Entrepreneur” "
                                       "for the presenters."))
    waiting = waiting_for_stage(event, order="normalised" if order == "normalised" else "raw")
    if application_ids is not None:
        by_id = {a.id: a for a in waiting}
        waiting = [by_id[i] for i in application_ids if i in by_id]
    done = []
    for application in waiting:
        registration_id = _presenter(event, application, category, actor)
        pitch = pitches.create_pitch(
            session, actor=actor, title=application.title, presenter=application.full_name,
            organisation=application.organisation, description=application.summary[:2000],
            registration_id=registration_id)
        application.pitch_id, application.registration_id = pitch.id, registration_id
        db.session.commit()
        done.append(application)
    return done


def _presenter(event, application: Application, category, actor) -> int:
    """The presenter's registration in the category: found by e-mail, moved if needed, or
    made; CategoryFull (a FieldError) when the category has no room."""
    existing = db.session.scalar(db.select(Registration).where(
        Registration.event_id == event.id,
        Registration.email_normalised == application.email_normalised))
    if existing is not None and existing.status != CANCELLED:
        if existing.category_id != category.id:
            registrations.change_category(existing, category, actor=actor)
        return existing.id
    if not places.has_room(category.id):  # rather than a presenter on the waiting list
        raise registrations.CategoryFull()
    registration = registrations.register(
        event, category=category, first_name=application.first_name,
        last_name=application.last_name, email=application.email,
        organisation=application.organisation, language=application.language, actor=actor)
    return registration.id
