"""The hall display with the longest texts the forms allow, at the two screen sizes halls
have (1920x1080, a 1280x720 projector), before the start, on stage, while overrunning and
in the changeover: everything stays on the screen, the timer is whole, "Up next" shows,
and German compounds break only where a hyphen is shown."""

import re
from datetime import timedelta

import pytest

from summit.extensions import db
from summit.models import Event, EventSession, Pitch, Room, utcnow
from summit.services.live import run_of_show as ros

from .browser import expect

TITLE_LIMIT = 200  # EventSession.title, Pitch.title/presenter/organisation: String(200)
SCREENS = [{"width": 1920, "height": 1080}, {"width": 1280, "height": 720}]

COMPOUNDS = ("Sozialunternehmensgründungsberatung Kinderbetreuungseinrichtungen "
             "Nachhaltigkeitsberichterstattungspflichten Genossenschaftsverbandsvorsitzende "
             "Langzeitarbeitslosenqualifizierungsmaßnahmen Bürgerbeteiligungsverfahren "
             "Ehrenamtskoordinationsplattform")
PEOPLE = ("Prof. Dr. Maximiliane Theodora Wilhelmine Auguste von Hohenzollern-Sigmaringen "
          "und Oberreitnau, Bartholomäus Friedrich-Wilhelm Schwarzenberger-Obermayr, "
          "Anastasia Konstantinopoulou-Papadimitriou")
ORGANISATIONS = ("Gemeinnützige Sozialunternehmensförderungsgesellschaft mbH, "
                 "Bundesarbeitsgemeinschaft Integrationsunternehmen e. V., "
                 "Stiftungsverbund Bürgerschaftliches Engagement Berlin-Brandenburg")


def longest(text: str, limit: int = TITLE_LIMIT) -> str:
    """`text` repeated and cut to exactly `limit` characters."""
    cut = ((text + " ") * (limit // len(text) + 1))[:limit]
    return cut[:-1] + "." if cut.endswith(" ") else cut


@pytest.fixture
def long_session(app, make_event):
    """A German pitch session whose every text is as long as the forms allow."""
    slug = make_event(slug="lange-texte", name=longest("Vision Summit " + COMPOUNDS),
                      timezone="Europe/Berlin")
    with app.app_context():
        event = db.session.scalar(db.select(Event).where(Event.slug == slug))
        room = Room(event=event, name=longest("Großer Plenarsaal " + COMPOUNDS, 120))
        starts = utcnow().replace(microsecond=0) - timedelta(minutes=1)
        session = EventSession(event=event, room=room, kind="pitch", language="de",
                               title=longest("Pitch-Session " + COMPOUNDS),
                               starts_at=starts, ends_at=starts + timedelta(hours=2))
        for position in (1, 2, 3):
            session.pitches.append(Pitch(
                position=position, title=longest(f"{position}. " + COMPOUNDS),
                presenter=longest(PEOPLE), organisation=longest(ORGANISATIONS),
                pitch_minutes=5, qa_minutes=3, changeover_minutes=1))
        db.session.add(session)
        db.session.commit()
        assert {len(text) for p in session.pitches
                for text in (p.title, p.presenter, p.organisation)} == {TITLE_LIMIT}
        return slug, session.id


def run(app, session_id: int, *steps: tuple[str, int]) -> None:
    """Apply run-of-show actions, each `minutes_ago` minutes before now (the service's
    `now`): a start 17 minutes ago leaves a five-minute pitch twelve minutes over."""
    with app.app_context():
        session = db.session.get(EventSession, session_id)
        for action, minutes_ago in steps:
            ros.apply(action, session, now=utcnow() - timedelta(minutes=minutes_ago))


# Everything wrong with the layout right now, as sentences; [] when it is right.
LAYOUT_PROBLEMS = r"""(expectNext) => {
  const problems = [];
  const width = window.innerWidth, height = window.innerHeight;
  const name = (el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1
                          && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const screen = {left: 0, top: 0, right: width, bottom: height};
  if (document.documentElement.scrollWidth > width) { problems.push("the page scrolls sideways"); }
  document.body.querySelectorAll("*").forEach((el) => {
    if (el.closest("[hidden]") || el.tagName === "SCRIPT") { return; }
    const r = el.getBoundingClientRect();
    if (r.width && r.height && !inside(r, screen)) {
      problems.push(`${name(el)} reaches out of the screen: ${JSON.stringify(r)}`);
    }
  });
  // Text may be cut short only on purpose: one line with an ellipsis, or clamped lines.
  document.querySelectorAll(".stage p, .stage h1").forEach((el) => {
    if (el.closest("[hidden]") || !el.textContent.trim()) { return; }
    const style = getComputedStyle(el);
    const ellipsis = style.textOverflow === "ellipsis" && style.overflowX === "hidden";
    if (el.scrollWidth > el.clientWidth + 1 && !ellipsis) {
      problems.push(`${name(el)} is wider than its box: a word does not fit`);
    }
    const clamped = style.webkitLineClamp !== "none" && style.overflowY === "hidden";
    // Glyphs may stick out of a tight line box a little; a hidden line is a whole line.
    const slack = parseFloat(style.fontSize) / 4;
    if (el.scrollHeight > el.clientHeight + slack && !clamped && !ellipsis) {
      problems.push(`${name(el)} is taller than its box`);
    }
    if (["break-all", "break-word"].includes(style.wordBreak)
        || style.overflowWrap === "anywhere") {
      problems.push(`${name(el)} may break a word without a hyphen`);
    }
  });
  const timer = document.querySelector(".stage-countdown");
  const range = document.createRange();
  range.selectNodeContents(timer);
  const text = range.getBoundingClientRect(), box = timer.getBoundingClientRect();
  if (text.left < box.left - 1 || text.right > box.right + 1 || !inside(text, screen)) {
    problems.push(`the timer "${timer.textContent}" is cut`);
  }
  const next = document.querySelector(".stage-next");
  if (expectNext && (next.hidden || !inside(next.getBoundingClientRect(), screen)
                     || !next.getBoundingClientRect().height)) {
    problems.push('"Up next" is not on the screen');
  }
  return problems;
}"""

# The text before every line break in the element's text (a single text node).
LINE_ENDS = r"""(el) => {
  const node = el.firstChild, ends = [];
  let top = null;
  for (let i = 0; i < node.length; i++) {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const rects = [...range.getClientRects()].filter((rect) => rect.width);
    if (!rects.length) { continue; }  // a space or soft hyphen that is not drawn
    // The first character after a hyphenated break also reports the drawn hyphen's box.
    const rect = rects[rects.length - 1];
    if (top !== null && rect.top > top + 1) { ends.push(node.data.slice(Math.max(0, i - 12), i)); }
    top = rect.top;
  }
  return ends;
}"""


def assert_fits(page, *, expect_next: bool) -> None:
    try:
        page.wait_for_function(f"() => ({LAYOUT_PROBLEMS})({str(expect_next).lower()})"
                               ".length === 0", timeout=5_000)
    except Exception:  # the layout never settled right: say what is wrong
        problems = page.evaluate(LAYOUT_PROBLEMS, expect_next)
        raise AssertionError(f"{page.viewport_size}:\n" + "\n".join(problems)) from None


def assert_words_break_with_a_hyphen(page, selector: str) -> None:
    element = page.locator(selector)
    assert element.get_attribute("lang") == "de"
    for line_end in page.evaluate(LINE_ENDS, element.element_handle()):
        # A line ends after a space, a written hyphen or a soft hyphen (drawn as "-").
        assert line_end[-1] in " -\u00ad", f"{selector} breaks a word after {line_end!r}"


def assert_readable(page, selector: str) -> None:
    size = float(page.locator(selector).evaluate("el => getComputedStyle(el).fontSize")[:-2])
    # From the back of the hall: at least a thirtieth of the screen height.
    assert size >= page.viewport_size["height"] / 30, f"{selector} shrank to {size}px"


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s['width']}x{s['height']}")
def test_the_longest_texts_stay_on_the_hall_display(app, long_session, live_server, open_page,
                                                    checkpoint, screen):
    slug, session_id = long_session
    page = open_page(viewport=screen, locale="de-DE")
    url = f"{live_server.url}/events/{slug}/sessions/{session_id}/stage"

    page.goto(url)
    expect(page.locator(".stage-label")).to_contain_text("Beginn")
    checkpoint(page, "before-the-start")
    assert_fits(page, expect_next=True)

    run(app, session_id, ("start", 17))
    page.goto(url)
    # Twelve minutes over and counting: the widest the timer gets within the hour.
    expect(page.locator(".stage-countdown")).to_have_text(re.compile(r"^\+1\d:\d\d$"))
    expect(page.locator(".stage-label")).to_have_text("Jetzt auf der Bühne")
    checkpoint(page, "overrunning")
    assert_fits(page, expect_next=True)
    assert_words_break_with_a_hyphen(page, ".stage-title")
    assert_words_break_with_a_hyphen(page, ".stage-org")
    assert_readable(page, ".stage-title")
    assert_readable(page, ".stage-next-title")

    run(app, session_id, ("next", 1))
    page.goto(url)
    expect(page.locator(".stage-phase")).to_have_text("Fragen")
    checkpoint(page, "q-and-a")
    assert_fits(page, expect_next=True)

    run(app, session_id, ("next", 0))
    page.goto(url)
    expect(page.locator(".stage-label")).to_have_text("Gleich auf der Bühne")
    checkpoint(page, "changeover")
    assert_fits(page, expect_next=False)
    assert_words_break_with_a_hyphen(page, ".stage-title")
    assert page.errors == []
