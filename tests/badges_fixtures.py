"""Fixtures for the badge tests: an event with people in every state, and PDF readers that
look at a badge the way the desk does (rasterise, scan every QR, read the text)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pytest
import zxingcpp

from summit.extensions import db
from summit.models import Registration, utcnow
from summit.services.registrations import codes as checkin_codes

DPI = 200
SLUG = "test-summit"
CATEGORIES = [
    {"name": "Attendee", "capacity": 100, "badge_colour": "#0B5D66"},
    {"name": "Press", "name_de": "Presse", "capacity": 10, "badge_colour": "#1D4ED8"},
    {"name": "Staff", "name_de": "Team", "capacity": 10, "badge_colour": "#F1C40F"},
]
# (category, first name, last name, organisation): every confirmed person of the event.
CONFIRMED = [
    ("Attendee", "Zoë", "Müller", "Loop Textiles"),
    ("Attendee", "Łukasz", "Żółć", "Fundacja Współpraca"),
    ("Attendee", "Γιώργος", "Παπαδόπουλος", "Πανεπιστήμιο Αθηνών"),
    ("Attendee", "Анастасия", "Кузнецова", ""),
    ("Attendee", "Nguyễn Thị", "Minh Khai", "Đại học Quốc gia Hà Nội"),
    ("Attendee", "Jürgen", "Weiß", "Stiftung Mercator"),
    ("Attendee", "Ana Lúcia", "Ferreira", "AquaPura Social"),
    ("Press", "Jörg", "Schäfer", "Tagesspiegel"),
    ("Press", "Chloé", "Lefèvre", "Le Monde"),
    ("Staff", "Mehmet", "Yılmaz", ""),
    # No shipped font has the Egyptian hieroglyph: the print run must name her, and her badge
    # shows a mark where it belongs.
    ("Staff", "Yuki 😀", "𓀀田", "Team Summit"),
]
GLYPH_PERSON = "Yuki 😀 𓀀田"


@dataclass
class BadgePeople:
    confirmed: dict[str, int] = field(default_factory=dict)   # full name -> id
    codes: dict[int, str] = field(default_factory=dict)        # id -> check-in code (all)
    by_category: dict[str, set[int]] = field(default_factory=dict)
    waitlisted: int = 0
    cancelled: int = 0
    anonymised: int = 0
    other_event: int = 0
    tokens: dict[int, str] = field(default_factory=dict)       # id -> manage token

    def code_set(self, ids=None) -> set[str]:
        ids = self.confirmed.values() if ids is None else ids
        return {self.codes[i] for i in ids}

    @property
    def glyph_person(self) -> int:
        return self.confirmed[GLYPH_PERSON]


@pytest.fixture
def people(app, make_event, make_registration) -> BadgePeople:
    make_event(slug=SLUG, categories=CATEGORIES)
    make_event(slug="other-summit", categories=[{"name": "Attendee", "capacity": 5}])
    found = BadgePeople()
    for category, first, last, organisation in CONFIRMED:
        rid = make_registration(slug=SLUG, category=category, first_name=first, last_name=last,
                                organisation=organisation)
        found.confirmed[f"{first} {last}"] = rid
        found.by_category.setdefault(category, set()).add(rid)
    found.waitlisted = make_registration(slug=SLUG, status="waitlisted", first_name="Wanda",
                                         last_name="Waiting")
    found.cancelled = make_registration(slug=SLUG, status="cancelled", first_name="Carl",
                                        last_name="Cancelled")
    found.anonymised = make_registration(slug=SLUG, first_name="Anonymised", last_name="#0",
                                         anonymised_at=utcnow())
    found.other_event = make_registration(slug="other-summit", first_name="Otto",
                                          last_name="Elsewhere")
    with app.app_context():
        for registration in db.session.scalars(db.select(Registration)):
            found.codes[registration.id] = registration.checkin_code
            found.tokens[registration.id] = registration.manage_token
    return found


def printed_at(app) -> dict[int, object]:
    """badge_printed_at of every registration, by id."""
    with app.app_context():
        return {r.id: r.badge_printed_at for r in db.session.scalars(db.select(Registration))}


@dataclass
class PdfPage:
    codes: list[str]
    text: str
    size: tuple[float, float]


def read_pdf(data: bytes) -> list[PdfPage]:
    """Every page rasterised at DPI: the QR codes found on it and its text."""
    assert data.startswith(b"%PDF-"), data[:200]
    pdf = pdfium.PdfDocument(data)
    pages = []
    for page in pdf:
        image = page.render(scale=DPI / 72).to_pil().convert("L")
        codes = [result.text for result in zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormat.QRCode)]
        # pdfium marks a hyphen it takes for a line-end hyphen with U+FFFE.
        text = page.get_textpage().get_text_range().replace("\ufffe", "-")
        pages.append(PdfPage(codes, " ".join(text.split()), tuple(page.get_size())))
    return pages


def check_pdf(data: bytes, people: BadgePeople, ids) -> list[PdfPage]:
    """The PDF holds exactly one scannable badge for each of ``ids`` and prints each name."""
    pages = read_pdf(data)
    decoded = [code for page in pages for code in page.codes]
    assert len(decoded) == len(set(decoded)), "a badge was printed twice"
    assert set(decoded) == people.code_set(ids)
    text = " ".join(page.text for page in pages)
    # Under each QR its code in groups, for people to type (on small labels over 3 lines).
    for rid in ids:
        grouped = checkin_codes.grouped(people.codes[rid])
        assert grouped in text.replace(" ", "-"), f"{grouped} is not printed"
    names = {rid: name for name, rid in people.confirmed.items()}
    for rid in ids:
        name = names[rid]
        if rid == people.glyph_person:
            assert "Yuki 😀 \ufffd田" in text
            continue
        assert name in text, f"{name!r} is not printed"
    return pages


def check_in_all(client, headers: dict, codes, slug: str = SLUG) -> None:
    """Post each decoded code to the check-in endpoint, as the desk's scanner would."""
    for code in codes:
        response = client.post(f"/api/v1/events/{slug}/checkins", json={"code": code},
                               headers=headers)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["result"] == "checked_in"
