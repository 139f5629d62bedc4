"""The attendee's mails as a phone shows them (390 px wide, in Chromium): long links wrap
anywhere, words never break mid-word, and nothing needs sideways scrolling."""

import pytest
from registration_fixtures import deliver, eml_messages, html_of

from .browser import PHONE

# Every word of a text node outside a link that is allowed to wrap anywhere (a.url) must lie
# on one line: a word split across lines has more than one client rect.
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("a.url, title, style")) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""


@pytest.mark.parametrize("language", ["en", "de"])
def test_mails_wrap_links_but_never_words_on_a_phone(language, app, client, make_event,
                                                     open_page, screenshot):
    make_event(name="Vision Summit Sozialunternehmertum",
               categories=[{"name": "Attendee", "name_de": "Teilnehmende", "capacity": 1}])
    body = {"last_name": "Lovelace-Wentworth", "category": "Attendee", "consent": True,
            "language": language}
    first = client.post("/api/v1/events/test-summit/registrations", json=body | {
        "first_name": "Ada", "email": "ada@example.org"})
    client.post("/api/v1/events/test-summit/registrations", json=body | {  # waitlisted
        "first_name": "Grace", "email": "grace@example.org"})
    deliver(app)  # both confirmations go out before Ada cancels (else hers is withdrawn)
    token = first.get_json()["manage_url"].rsplit("/", 1)[1]
    assert client.delete(f"/api/v1/registrations/{token}").status_code == 200  # cancelled,
    deliver(app)  # and Grace's promotion: every kind of mail
    messages = eml_messages(app)
    assert len(messages) == 4
    page = open_page(**PHONE)
    for number, message in enumerate(messages, start=1):
        page.set_content(html_of(message))
        screenshot(page, f"mail-{number}")
        assert page.evaluate(BROKEN_WORDS) == [], message["Subject"]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["viewport"]["width"], (message["Subject"], width)
        assert page.locator("a.url").count() >= 1  # the manage link, spelled out
