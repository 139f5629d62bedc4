"""The colours: the house colour defined once, each event's served as CSS and used by its
pages, mails and badges, always readable."""

import re
from pathlib import Path

import pytest

from summit.extensions import db
from summit.models import CONFIRMED, Event, Registration
from summit.services.mail import compose
from summit.services.platform import theme
from summit.services.registrations import codes

ROOT = Path(__file__).resolve().parent.parent
CUSTOM = "#8a1c7c"


@pytest.mark.parametrize("colour", ["#0b5d66", "#ffd400", "#ffffff", "#9ad", "#000000"])
def test_every_colour_gives_readable_white_text(colour):
    colours = theme.palette(colour)
    assert theme.contrast_with_white(colours["brand"]) >= 4.5
    assert theme.contrast_with_white(colours["brand-dark"]) >= theme.contrast_with_white(
        colours["brand"])


def test_a_dark_colour_is_kept_as_chosen():
    assert theme.palette("#1f4e8c")["brand"] == "#1f4e8c"


def test_event_pages_link_the_event_colours(client, make_event):
    make_event(slug="colourful", primary_colour="#8a1c7c")
    html = client.get("/events/colourful").get_data(as_text=True)
    assert 'href="/events/colourful/theme.css?c=8a1c7c"' in html
    css = client.get("/events/colourful/theme.css?c=8a1c7c")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "--brand: #8a1c7c;" in css.get_data(as_text=True)
    assert "max-age=86400" in css.headers["Cache-Control"]


def test_pages_without_an_event_use_the_house_colour(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/theme.css"' in html and "/events/" not in html
    css = client.get("/theme.css").get_data(as_text=True)
    assert f"--site: {theme.DEFAULT_COLOUR};" in css and f"--brand: {theme.DEFAULT_COLOUR};" in css
    assert client.get("/events/nope/theme.css").status_code == 404


# The house colour as it was written out by hand before: its hex, its dark shade, its ring.
OLD_HOUSE_COLOURS = re.compile(r"#0b5d66|#07434a|rgba\(\s*11,\s*93,\s*102", re.IGNORECASE)


def test_the_house_colour_is_defined_in_the_theme_service_only():
    """Stylesheets and templates (mail included) take every shade of the accent from the theme
    stylesheets or palette(); the house colour itself lives in theme.DEFAULT_COLOUR."""
    files = [path for folder in (ROOT / "static" / "css", ROOT / "templates")
             for path in folder.rglob("*") if path.is_file()]
    assert len(files) > 50
    written_out = [str(path.relative_to(ROOT)) for path in files
                   if OLD_HOUSE_COLOURS.search(path.read_text(encoding="utf-8"))]
    assert written_out == []
    assert Event.primary_colour.default.arg == theme.DEFAULT_COLOUR
    assert theme.palette(None) == theme.palette("not a colour") == theme.palette(
        theme.DEFAULT_COLOUR)


def test_everything_of_an_event_wears_its_colour(app, client, auth, make_event):
    make_event(slug="colourful", primary_colour=CUSTOM)
    custom_theme = f'href="/events/colourful/theme.css?c={CUSTOM[1:]}"'
    auth.login()
    for url in ("/events/colourful", "/events/colourful/programme",
                "/organiser/events/colourful/settings", "/organiser/events/colourful/attendees"):
        html = client.get(url).get_data(as_text=True)
        assert custom_theme in html and 'href="/theme.css"' in html, url

    dashboard = client.get("/organiser/").get_data(as_text=True)
    assert 'data-event-theme="colourful"' in dashboard
    assert f'href="/events/colourful/theme.css?c={CUSTOM[1:]}&amp;scoped=1"' in dashboard
    card_css = client.get(f"/events/colourful/theme.css?c={CUSTOM[1:]}&scoped=1").get_data(
        as_text=True)
    assert card_css.startswith('[data-event-theme="colourful"] {') and CUSTOM in card_css

    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == "colourful"))
        attendee = event.categories[0]
        assert attendee.badge_colour == "" and attendee.colour == CUSTOM  # badges default
        registration = Registration(
            event=event, category=attendee, status=CONFIRMED, first_name="Zoë",
            last_name="Müller", email="zoe@example.org", email_normalised="zoe@example.org",
            manage_token=codes.new_manage_token(), checkin_code=codes.new_checkin_code())
        db.session.add(registration)
        db.session.flush()
        mail = compose.confirmation(registration, waitlist_position=None)
        html = mail.get_payload()[0].get_payload()[1].get_payload(decode=True).decode()
    assert CUSTOM in html and theme.DEFAULT_COLOUR not in html
    api = client.get("/api/v1/events/colourful").get_json()
    assert api["categories"][0]["badge_colour"] == CUSTOM
