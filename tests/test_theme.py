"""The event's colours: served as CSS, linked from its pages, always readable."""

import pytest

from summit.services.platform import theme


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


def test_pages_without_an_event_use_the_default_colours(client):
    assert "theme.css" not in client.get("/login").get_data(as_text=True)
    assert client.get("/events/nope/theme.css").status_code == 404
