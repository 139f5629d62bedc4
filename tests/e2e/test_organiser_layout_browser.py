"""Every organiser page at a phone's, a laptop's and a big screen's width: nothing sticks out
sideways, the page never scrolls sideways. Only a wrapper that is meant to scroll (a wide
table's) may hold content wider than the screen.

The pages come from the app's url_map: a new organiser page is checked without being listed
here; a new placeholder in its URL fails the test until it gets a value below."""

import re

import pytest
from programme_fixtures import ORGANISER_EMAIL, ORGANISER_PASSWORD

from summit.extensions import db
from summit.models import Application, Question, Registration, Room

from .browser import log_in

WIDTHS = (390, 1366, 1920)
LOCALES = ("en-GB", "de-DE")  # German labels are the longer ones
# The organiser's pages: the organiser area, the check-in desk and the moderators' pages
# (organisers run sessions too). Downloads and JSON are not pages.
PAGE_PREFIXES = ("/organiser/", "/desk/", "/moderator/")
NOT_PAGES = re.compile(r"(\.(csv|json|ics|pdf|js|webmanifest)|/stream)$")  # files and live streams

# Elements whose right edge lies beyond the screen, or beyond the card or page column they
# are in; outermost only, ignoring content that an ancestor clips (an ellipsis) or that lies
# in a box meant to scroll sideways.
OVERFLOW = r"""() => {
  const width = window.innerWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const sticksOut = (el, limit) => {
    let right = el.getBoundingClientRect().right;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      const overflow = getComputedStyle(up).overflowX;
      if (overflow === "auto" || overflow === "scroll") { return false; }
      if (overflow === "hidden" || overflow === "clip") {
        right = Math.min(right, up.getBoundingClientRect().right);
      }
    }
    return right > limit + 0.5;
  };
  // Nor out of the card or the page column it belongs to (into the margin, over a neighbour).
  const outOfItsBox = (el) => {
    const box = el.parentElement.closest(".card, main");
    return box && sticksOut(el, box.getBoundingClientRect().right);
  };
  const out = new Set();
  document.body.querySelectorAll("*").forEach((el) => {
    const box = el.getBoundingClientRect();
    if (box.width && box.height && (sticksOut(el, width) || outOfItsBox(el))) { out.add(el); }
  });
  out.forEach((el) => {
    if (!out.has(el.parentElement)) {
      problems.push(`${describe(el)} ends at ${Math.round(el.getBoundingClientRect().right)}px`);
    }
  });
  return problems;
}"""


def organiser_pages(app, values: dict) -> list[str]:
    """The organiser's HTML pages from the url_map, placeholders filled from `values`."""
    paths = []
    for rule in app.url_map.iter_rules():
        if ("GET" not in rule.methods or not rule.rule.startswith(PAGE_PREFIXES)
                or NOT_PAGES.search(rule.rule) or rule.endpoint.endswith("moderator_feed")):
            continue
        missing = rule.arguments - values.keys()
        assert not missing, f"{rule.rule}: give {missing} a value in this test"
        paths.append(rule.build({name: values[name] for name in rule.arguments})[1])
    return sorted(paths)


@pytest.fixture
def placeholder_values(app, programme_demo) -> dict:
    with app.app_context():
        registration_id = db.session.scalar(db.select(Registration.id).order_by(
            Registration.id))
        room_id = db.session.scalar(db.select(Room.id).where(
            Room.event_id == programme_demo.event_id).order_by(Room.id))
        application_id = db.session.scalar(db.select(Application.id).where(
            Application.event_id == programme_demo.event_id).order_by(Application.id))
        question_id = db.session.scalar(db.select(Question.id).where(
            Question.event_id == programme_demo.event_id).order_by(Question.id))
    return {"application_id": application_id, "question_id": question_id,
            "slug": programme_demo.slug,
            "session_id": programme_demo.pitch_session_id,
            "pitch_id": programme_demo.pitch_ids[0], "registration_id": registration_id,
            "room_id": room_id}


def test_no_organiser_page_is_wider_than_the_screen(app, placeholder_values, live_server,
                                                     open_page, screenshot):
    paths = organiser_pages(app, placeholder_values)
    assert len(paths) >= 20 and "/organiser/" in paths and "/desk/vision-summit-2014" in paths
    found, errors = [], []
    for locale in LOCALES:
        page = open_page(locale=locale)
        log_in(page, live_server.url, ORGANISER_EMAIL, ORGANISER_PASSWORD)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 900 else 900})
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, f"{path}: {response.status}"
                problems = page.evaluate(OVERFLOW)
                if problems:
                    screenshot(page, f"{locale}-{width}{path.replace('/', '-')}")
                    found.append(f"{locale} {width}px {path}:\n    " + "\n    ".join(problems))
        errors += page.errors
    assert not found, "\n".join(found)
    assert errors == []
