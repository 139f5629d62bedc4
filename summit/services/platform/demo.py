"""The Vision Summit 2014 demo: the event, its programme, accounts and sample registrations.

Idempotent: whatever already exists is left as it is. The two moderators are the real
moderators of the 2014 pitch session; every other person is sample data (example.org).
"""

import random
import zlib
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ...extensions import db
from ...models import (
    CANCELLED,
    CONFIRMED,
    Availability,
    Category,
    Event,
    EventSession,
    ModeratorAssignment,
    Pitch,
    Question,
    QuestionOption,
    Registration,
    Room,
)
from ..registrations import codes
from . import users

SLUG = "vision-summit-2014"
TZ = ZoneInfo("Europe/Berlin")
ORGANISER = ("organiser@vision-summit.example", "demo-organiser", "Demo Organiser")
MODERATORS = [
    ("laura.haverkamp@vision-summit.example", "demo-moderator", "Laura Haverkamp", "de,en"),
    ("norbert.kunz@vision-summit.example", "demo-moderator", "Norbert Kunz", "de,en"),
    ("jana.muster@example.org", "demo-moderator", "Jana Muster (sample)", "de"),
    ("sam.example@example.org", "demo-moderator", "Sam Example (sample)", "en"),
]
DESK = ("desk@vision-summit.example", "demo-desk", "Registration Desk")

CATEGORIES = [
    # name, German name, capacity, badge colour ("": the event's), public
    ("Attendee", "Teilnehmende", 1000, "", True),
    ("Social Entrepreneur", "Social Entrepreneur", 40, "#C2410C", False),
    ("Moderator", "Moderation", 10, "#6D28D9", False),
    ("Press", "Presse", 60, "#1D4ED8", True),
    ("Staff", "Team", 60, "#374151", False),
]
# Rooms keep the venue's own names in both languages (English name, German name, capacity).
ROOMS = [("Plenarsaal", "Plenarsaal", 1000), ("Raum Brandenburg", "Raum Brandenburg", 120),
         ("Raum Pariser Platz", "Raum Pariser Platz", 80), ("Foyer", "Foyer", 400)]

# Fictional sample entrepreneurs; the ventures describe the kind of work pitched in 2014.
# A venture known by its German name keeps it in English too (Lernpaten digital, as the
# 2014 programme printed it); English titles and every summary are translated.
PITCHES = [
    # English title, German title, presenter, organisation, English and German summary
    ("Lernpaten digital", "Lernpaten digital", "Miriam Öztürk (sample)", "Lernbrücke gGmbH",
     "Volunteer tutors matched to pupils online.",
     "Ehrenamtliche Lernpaten begleiten Schülerinnen und Schüler online."),
    ("Solar Kiosks for Rural Markets", "Solarkioske für ländliche Märkte",
     "Kwame Mensah (sample)", "SunMarket Ventures",
     "Pay-as-you-go solar power for market traders.",
     "Solarstrom für Marktstände, bezahlt nach Verbrauch."),
    ("Inklusive Arbeit in Cafés", "Inklusive Arbeit in Cafés", "Jonas Weißmüller (sample)",
     "Café Mittendrin", "Cafés run by teams with and without disabilities.",
     "Cafés, die Teams mit und ohne Behinderung gemeinsam führen."),
    ("Refugee Code School", "Refugee Code School", "Layla Haddad (sample)", "Open Code Berlin",
     "Coding courses that lead refugees into jobs.",
     "Programmierkurse, die Geflüchtete in den Beruf führen."),
    ("Kleidung im Kreislauf", "Kleidung im Kreislauf", "Zoë Ørsted (sample)", "Loop Textiles",
     "Repair and resale instead of landfill.",
     "Reparieren und weiterverkaufen statt wegwerfen."),
    ("Pflege im Quartier", "Pflege im Quartier", "Łukasz Żółć (sample)",
     "Nachbarschaftspflege e.V.", "Neighbourhood networks that support home care.",
     "Nachbarschaftsnetze, die die Pflege zu Hause unterstützen."),
    ("Clean Water Tablets", "Tabletten für sauberes Wasser", "Ana Lúcia Ferreira (sample)",
     "AquaPura Social", "Affordable water purification for families.",
     "Bezahlbare Wasseraufbereitung für Familien."),
    ("Mentoring für Gründerinnen", "Mentoring für Gründerinnen",
     "Anastasia Kusnezowa (sample)", "Founderinnen Netzwerk",
     "Women founders mentored by women founders.",
     "Gründerinnen begleiten Gründerinnen."),
    ("Urban Gardening Schools", "Gärtnernde Schulen", "Nguyễn Thị Minh (sample)",
     "Grüne Schulhöfe", "School yards that grow vegetables and classes.",
     "Schulhöfe, auf denen Gemüse und Unterricht wachsen."),
    ("Barrierefreie Stadtpläne", "Barrierefreie Stadtpläne", "Henrik Sørensen (sample)",
     "Wheelmap Friends", "Crowd-mapped accessibility for city travel.",
     "Gemeinsam kartierte Barrierefreiheit für unterwegs in der Stadt."),
]

FIRST_NAMES = [
    "Anna", "Lukas", "Sophie", "Maximilian", "Lea", "Jürgen", "Mehmet", "Ayşe", "Björn", "Chloé",
    "François", "Hélène", "José", "María", "João", "Małgorzata", "Piotr", "Dvořák", "Tomáš",
    "Zsófia", "Ádám", "Ingrid", "Søren", "Åsa", "Ólafur", "Νίκος", "Ελένη", "Иван", "Ольга",
    "Mohammed", "Fatima", "Aylin", "Emre", "Priya", "Arjun", "Mei", "Hiroshi", "Yuki", "Thanh",
    "Oluwaseun", "Amara", "Chidi", "Sven", "Greta", "Matthias", "Käthe", "Jörg", "Renée", "Noël",
]
LAST_NAMES = [
    "Müller", "Schmidt", "Schröder", "Weiß", "Köhler", "Groß", "Yılmaz", "Kaya", "Dubois",
    "Lefèvre", "García", "Martínez", "Gonçalves", "Nowak", "Wiśniewski", "Novák", "Horváth",
    "Andersson", "Jørgensen", "Papadopoulos", "Иванов", "Смирнова", "Al-Sayed", "Haddad",
    "Sharma", "Patel", "Wang", "Tanaka", "Nguyễn", "Okonkwo", "Adeyemi", "Fischer", "Becker",
    "Hoffmann", "Schäfer", "Bäcker", "Van der Berg", "O'Connor", "Ó Briain", "Fernández",
]
ORGANISATIONS = [
    "Ashoka Deutschland (sample)", "Social Impact Lab (sample)", "Stiftung Mercator (sample)",
    "BMW Stiftung (sample)", "Betterplace (sample)", "Impact Hub Berlin (sample)",
    "Universität Potsdam (sample)", "Freelance", "", "Genossenschaft Zukunft (sample)",
]
SAMPLE_REGISTRATIONS = 300


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def seed() -> dict[str, int]:
    """Create whatever part of the demo is missing; returns what was created."""
    created = {"users": _seed_users()}
    event = db.session.scalar(db.select(Event).where(Event.slug == SLUG))
    if event is None:
        event = _seed_event()
        created["event"] = 1
        created["registrations"] = _seed_registrations(event)
        _seed_programme(event)
    from ..applications import demo as call_demo  # the call builds on the event

    created["applications"] = call_demo.seed(event)
    db.session.commit()
    return created


def _seed_users() -> int:
    count = 0
    for email, password, name, role, languages in [
        (*ORGANISER, "organiser", "de,en"),
        *((e, p, n, "moderator", langs) for e, p, n, langs in MODERATORS),
        (*DESK, "staff", "de,en"),
    ]:
        if users.find_by_email(email) is None:
            users.create_user(email, role=role, password=password, name=name,
                              languages=languages)
            count += 1
    return count


def _seed_event() -> Event:
    event = Event(
        slug=SLUG, name="Vision Summit 2014", name_de="Vision Summit 2014",
        venue="Allianz Forum Berlin",
        address="Pariser Platz 6, 10117 Berlin", timezone="Europe/Berlin",
        primary_colour="#1f4e8c",
        starts_on=date(2014, 9, 10), ends_on=date(2014, 9, 11),
        description=(
            "The German conference on social innovation: two days of keynotes, workshops "
            "and the pitch session in which ten social entrepreneurs present their ventures."
        ),
        description_de=(
            "Die deutsche Konferenz für soziale Innovation: zwei Tage mit Keynotes, Workshops "
            "und der Pitch-Session, in der zehn Social Entrepreneurs ihre Vorhaben vorstellen."
        ),
    )
    for position, (name, name_de, capacity, colour, public) in enumerate(CATEGORIES):
        event.categories.append(Category(name=name, name_de=name_de, capacity=capacity,
                                         badge_colour=colour, is_public=public,
                                         position=position))
    for name, name_de, capacity in ROOMS:
        event.rooms.append(Room(name=name, name_de=name_de, capacity=capacity))
    db.session.add(event)
    db.session.flush()
    _seed_questions(event)
    return event


def _seed_questions(event: Event) -> None:
    """Two optional questions (scripts that register without answers keep working): the
    afternoon workshop, with places per workshop, for attendees; the evening reception."""
    attendee = next(c for c in event.categories if c.name == "Attendee")
    workshop = Question(
        event_id=event.id, kind="choice", position=1, categories=[attendee],
        label="Which afternoon workshop would you like to join?",
        label_de="An welchem Nachmittags-Workshop möchten Sie teilnehmen?",
        help_text="Each workshop has limited places.",
        help_text_de="Jeder Workshop hat begrenzte Plätze.")
    for position, (label, label_de, capacity) in enumerate([
            ("Measuring impact", "Wirkung messen", 40),
            ("Financing social ventures", "Sozialunternehmen finanzieren", 40),
            ("Scaling with partners", "Mit Partnern wachsen", 30)]):
        workshop.options.append(QuestionOption(label=label, label_de=label_de,
                                               capacity=capacity, position=position))
    reception = Question(event_id=event.id, kind="yesno", position=2,
                         label="Will you join the evening reception?",
                         label_de="Kommen Sie zum Abendempfang?")
    db.session.add_all([workshop, reception])


def _registration(event: Event, category: Category, first: str, last: str, email: str,
                  organisation: str, language: str, status: str = CONFIRMED) -> Registration:
    now = datetime.now(UTC)
    return Registration(
        event=event, category=category, status=status, first_name=first, last_name=last,
        email=email, email_normalised=email.lower(), organisation=organisation,
        language=language, consent_at=now, manage_token=codes.new_manage_token(),
        checkin_code=codes.new_checkin_code(),
        # About a third agree to the public list of attendees, as at a real event.
        public_listing=zlib.crc32(email.encode()) % 3 == 0,
        confirmed_at=now if status == CONFIRMED else None,
        cancelled_at=now if status == CANCELLED else None,
    )


def _seed_registrations(event: Event) -> int:
    rng = random.Random(2014)
    by_name = {category.name: category for category in event.categories}
    seen: set[str] = set()
    rows = []
    while len(rows) < SAMPLE_REGISTRATIONS:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"sample.{len(rows) + 1:03d}@example.org"
        if (first, last) in seen:
            continue
        seen.add((first, last))
        category = by_name["Press"] if rng.random() < 0.05 else by_name["Attendee"]
        status = CANCELLED if rng.random() < 0.04 else CONFIRMED
        rows.append(_registration(event, category, first, last, email,
                                  rng.choice(ORGANISATIONS), rng.choice(["de", "de", "en"]),
                                  status))
    for index, (_title, _title_de, presenter, organisation, *_summaries) in enumerate(PITCHES):
        first, _sep, last = presenter.removesuffix(" (sample)").rpartition(" ")
        rows.append(_registration(event, by_name["Social Entrepreneur"], first, last,
                                  f"pitch.{index + 1:02d}@example.org", organisation, "de"))
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def _seed_programme(event: Event) -> None:
    rooms = {room.name: room for room in event.rooms}
    day1, day2 = event.starts_on, event.ends_on

    def session(title, title_de, kind, room, start, end, language="de", needed=0,
                description="", description_de=""):
        item = EventSession(event=event, title=title, title_de=title_de, kind=kind,
                            room=rooms[room], starts_at=start, ends_at=end, language=language,
                            moderators_needed=needed, description=description,
                            description_de=description_de)
        db.session.add(item)
        return item

    session("Registration and coffee", "Anmeldung und Kaffee", "break", "Foyer",
            _at(day1, 8, 30), _at(day1, 9, 30))
    session("Opening keynote: Social innovation in Germany",
            "Eröffnungskeynote: Soziale Innovation in Deutschland", "keynote", "Plenarsaal",
            _at(day1, 9, 30), _at(day1, 10, 30), needed=1,
            description="Where social innovation in Germany stands, and what it needs next.",
            description_de="Wo soziale Innovation in Deutschland steht und was sie als "
                           "Nächstes braucht.")
    pitch_session = session(
        "Pitch session: ten social entrepreneurs", "Pitch-Session: zehn Social Entrepreneurs",
        "pitch", "Plenarsaal", _at(day1, 11, 0), _at(day1, 12, 30), needed=2,
        description="Ten social entrepreneurs pitch their ventures, each followed by Q&A.",
        description_de="Zehn Social Entrepreneurs stellen ihre Vorhaben vor, jeweils mit "
                       "anschließender Fragerunde.")
    session("Lunch", "Mittagessen", "break", "Foyer", _at(day1, 12, 30), _at(day1, 13, 30))
    session("Workshop: Measuring impact", "Workshop: Wirkung messen", "workshop",
            "Raum Brandenburg", _at(day1, 13, 30), _at(day1, 15, 0), language="en", needed=1,
            description="Simple ways to show what a venture changes.",
            description_de="Einfache Wege zu zeigen, was ein Vorhaben verändert.")
    session("Workshop: Financing social ventures", "Workshop: Sozialunternehmen finanzieren",
            "workshop", "Raum Pariser Platz", _at(day1, 13, 30), _at(day1, 15, 0), needed=1,
            description="Grants, loans and impact investment compared.",
            description_de="Fördermittel, Kredite und Impact Investment im Vergleich.")
    session("Panel: Politics meets social entrepreneurship",
            "Podium: Politik trifft Social Entrepreneurship", "panel", "Plenarsaal",
            _at(day1, 15, 30), _at(day1, 17, 0), needed=1,
            description="Members of parliament and founders discuss what helps.",
            description_de="Abgeordnete und Gründende diskutieren, was hilft.")
    session("Keynote: Scaling what works", "Keynote: Was wirkt, wachsen lassen", "keynote",
            "Plenarsaal", _at(day2, 9, 30), _at(day2, 10, 30), language="en", needed=1,
            description="How proven social ventures grow beyond their first city.",
            description_de="Wie bewährte Sozialunternehmen über ihre erste Stadt "
                           "hinauswachsen.")
    session("Workshop: Storytelling for founders", "Workshop: Storytelling für Gründende",
            "workshop", "Raum Brandenburg", _at(day2, 11, 0), _at(day2, 12, 30),
            language="en", needed=1,
            description="Telling a venture's story in three minutes.",
            description_de="Die Geschichte eines Vorhabens in drei Minuten erzählen.")
    session("Closing panel: The next five years", "Abschlusspodium: Die nächsten fünf Jahre",
            "panel", "Plenarsaal", _at(day2, 14, 0), _at(day2, 15, 30), needed=2,
            description="What the sector wants to have achieved by 2019.",
            description_de="Was die Szene bis 2019 erreicht haben will.")

    presenters = {
        r.email: r for r in db.session.scalars(
            db.select(Registration).where(Registration.event_id == event.id,
                                          Registration.email.like("pitch.%")))
    }
    for position, (title, title_de, presenter, organisation, description,
                   description_de) in enumerate(PITCHES, 1):
        registration = presenters.get(f"pitch.{position:02d}@example.org")
        pitch_session.pitches.append(Pitch(
            position=position, title=title, title_de=title_de, presenter=presenter,
            organisation=organisation, description=description, description_de=description_de,
            pitch_minutes=5, qa_minutes=3, changeover_minutes=1,
            registration_id=registration.id if registration else None))

    laura = users.find_by_email(MODERATORS[0][0])
    norbert = users.find_by_email(MODERATORS[1][0])
    pitch_session.assignments.append(ModeratorAssignment(user=laura, role="lead", pinned=True))
    pitch_session.assignments.append(ModeratorAssignment(user=norbert, role="co", pinned=True))
    for email, *_rest in MODERATORS:
        moderator = users.find_by_email(email)
        for day in (day1, day2):
            db.session.add(Availability(user=moderator, event=event,
                                        starts_at=_at(day, 8), ends_at=_at(day, 18)))
