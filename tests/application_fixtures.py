"""Helpers for the call-for-pitches tests: an open call, a PDF, applying through the page."""

import io

import pytest
from conftest import csrf_token
from reportlab.pdfgen import canvas

from summit.extensions import db
from summit.models import Event
from summit.services import applications


def pdf_bytes(text="Pitch deck") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture
def open_call(app, make_event):
    """An event (slug test-summit) with an open call; returns the slug."""
    def factory(slug="test-summit", **settings):
        make_event(slug, categories=[{"name": "Attendee", "capacity": 10},
                                     {"name": "Social Entrepreneur", "capacity": 10,
                                      "is_public": False}])
        with app.app_context():
            event = db.session.scalar(db.select(Event).where(Event.slug == slug))
            applications.open_call(event, **settings)
        return slug
    return factory


APPLICANT = {"first_name": "Zoë", "last_name": "Müller-Lüdenscheidt",
             "email": "zoë@münchen.de", "organisation": "Grüne Räder gGmbH",
             "title": "Lastenräder für alle 🚲", "summary": "Wir verleihen Lastenräder.",
             "consent": "y", "language": "de", "pitch_language": "de", "stage": "early"}


def apply_on_page(client, slug="test-summit", deck=None, **changes):
    page = client.get(f"/events/{slug}/apply")
    data = APPLICANT | changes | {"csrf_token": csrf_token(page)}
    if deck is not None:
        data["deck"] = deck
    return client.post(f"/events/{slug}/apply", data=data,
                       content_type="multipart/form-data")
__all__ = ["APPLICANT", "apply_on_page", "open_call", "pdf_bytes"]
