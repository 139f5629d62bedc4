"""The colours as painted: the site's chrome (header, login) in the house colour on every
page, the event's content (buttons, links, the hall display) in the event's colour, and in
the organiser's list of events each card in its own event's colour."""

from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from summit.services.platform import theme

from .browser import log_in

DEMO_COLOUR = "#1f4e8c"  # the demo event's own colour (services/platform/demo.py)


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def painted(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(
        f"el => getComputedStyle(el).getPropertyValue('{prop}')")


def test_chrome_in_the_house_colour_content_in_the_events(programme_demo, live_server,
                                                         open_page, checkpoint):
    house, event = rgb(theme.DEFAULT_COLOUR), rgb(DEMO_COLOUR)
    page = open_page()
    page.goto(f"{live_server.url}/login")
    assert painted(page, ".site-header", "background-color") == house
    assert painted(page, "form .button.primary", "background-color") == house
    checkpoint(page, "login")

    page.goto(f"{live_server.url}/events/{programme_demo.slug}")
    assert painted(page, ".site-header", "background-color") == house
    assert painted(page, "main .button.primary", "background-color") == event
    assert painted(page, "main a:not(.button)", "color") == event
    checkpoint(page, "event")

    log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
    page.goto(f"{live_server.url}/organiser/")
    assert painted(page, ".site-header", "background-color") == house
    card = f'[data-event-theme="{programme_demo.slug}"]'
    assert painted(page, f"{card} .button.primary", "background-color") == event
    checkpoint(page, "dashboard")

    page.goto(f"{live_server.url}/events/{programme_demo.slug}/sessions/"
              f"{programme_demo.pitch_session_id}/stage")
    assert painted(page, "body", "border-top-color") == event
    assert page.errors == []
