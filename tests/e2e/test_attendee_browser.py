"""The attendee in Chromium on a phone: registers with an internationalised e-mail address
and finds on the manage page the badge's QR code, which a scanner reads as the check-in code
the desk accepts."""

import io

import pytest
import zxingcpp
from PIL import Image

from summit.extensions import db
from summit.models import Registration

from .browser import PHONE, expect

# As typed -> as stored: Chromium hands an IDN domain over in its ASCII form.
ADDRESSES = {
    "jürgen@example.org": "jürgen@example.org",
    "info@münchen.de": "info@münchen.de",
    "用户@example.org": "用户@example.org",
}


def stored(app, address: str) -> Registration:
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).where(
            Registration.email_normalised == address.lower()))
        assert registration is not None, f"{address} was not registered"
        db.session.expunge(registration)
        return registration


@pytest.mark.parametrize("typed", list(ADDRESSES))
def test_register_with_an_international_address_and_show_the_qr_at_the_entrance(
        typed, make_event, live_server, open_page, checkpoint, app):
    make_event()
    page = open_page(locale="de-DE", **PHONE)
    page.goto(f"{live_server.url}/events/test-summit/register")
    page.get_by_label("Vorname").fill("Jürgen")
    page.get_by_label("Nachname").fill("Weiß")
    page.get_by_label("E-Mail", exact=False).first.type(typed)
    page.get_by_label("Ich bin einverstanden").check()
    page.get_by_role("button", name="Registrieren").click()
    expect(page.locator(".flash-success")).to_contain_text("Ihr Platz ist bestätigt")
    checkpoint(page, "manage-page")

    registration = stored(app, ADDRESSES[typed])
    assert registration.email == ADDRESSES[typed]
    qr = page.locator(".entry-qr svg")
    expect(qr).to_have_attribute("aria-label", "QR-Code Ihres Namensschilds für den Einlass")
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["width"] == box["height"]
    image = Image.open(io.BytesIO(qr.screenshot())).convert("L")
    decoded = [result.text for result in zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert decoded == [registration.checkin_code]  # exactly what the badge's QR holds
    badge_link = page.get_by_role("link", name="Namensschild (PDF)")
    # A relative link: it follows whatever address the page was served from.
    expect(badge_link).to_have_attribute("href", f"/r/{registration.manage_token}/badge.pdf")
    assert page.errors == []
