"""The demo's call for pitches: open (like its registration), a jury member, a few sample
applications assigned to them. Idempotent: a demo event with a call is left as it is."""

from datetime import UTC, datetime

from ...extensions import db
from ...models import (
    SUBMITTED,
    Application,
    Call,
    Criterion,
    Event,
    JuryAssignment,
)
from ..platform import users
from ..registrations import codes
from .call import DEFAULT_CRITERIA

JUROR = ("jury@vision-summit.example", "demo-jury", "Demo Jury (sample)")
APPLICATIONS = [
    # first, last, e-mail, organisation, title, summary, language
    ("Émilie", "Köhler", "emilie.koehler@example.org", "Tafel-Rad gUG (sample)",
     "Lebensmittel retten per Lastenrad 🚲",
     "Wir holen übrig gebliebene Lebensmittel mit Lastenrädern ab und bringen sie zu Tafeln.",
     "de"),
    ("伟", "张", "zhang.wei@example.org", "Bamboo Bridges (sample)",
     "Bamboo bikes made by young people",
     "Apprentices build bicycles from bamboo and learn a trade on the way.", "en"),
    ("Ngozi", "Adeyemi", "ngozi@example.org", "ReadAloud (sample)",
     "Reading aloud for every child",
     "Volunteers read to children in waiting rooms of clinics and offices.", "en"),
]


def seed(event: Event) -> int:
    """Open the event's call with its criteria and applications; returns how many
    applications were created (0 when the call exists already)."""
    if db.session.scalar(db.select(Call.id).where(Call.event_id == event.id)) is not None:
        return 0
    call = Call(event_id=event.id, anonymised=False, others_reviews="after_own",
                reviews_per_application=1,
                intro="Ten social entrepreneurs pitch on stage. Tell us about your venture.",
                intro_de="Zehn Social Entrepreneurs pitchen auf der Bühne. Erzählen Sie uns "
                         "von Ihrem Vorhaben.")
    call.criteria = [Criterion(name=name, name_de=name_de, weight=weight, scale_max=5,
                               position=index)
                     for index, (name, name_de, weight) in enumerate(DEFAULT_CRITERIA)]
    db.session.add(call)
    juror = users.find_by_email(JUROR[0]) or users.create_user(
        JUROR[0], role="jury", password=JUROR[1], name=JUROR[2], languages="de,en")
    now = datetime.now(UTC)
    for first, last, email, organisation, title, summary, language in APPLICATIONS:
        application = Application(
            event_id=event.id, status=SUBMITTED, first_name=first, last_name=last,
            email=email, email_normalised=email.lower(), organisation=organisation,
            title=title, summary=summary, stage="early", language=language,
            pitch_language=language, manage_token=codes.new_manage_token(), consent_at=now,
            created_at=now, updated_at=now)
        db.session.add(application)
        db.session.flush()
        db.session.add(JuryAssignment(application_id=application.id, user_id=juror.id))
    return len(APPLICATIONS)
