"""Camera scanning without BarcodeDetector (Chromium on Linux has none): the vendored
qr-scanner decodes a fake camera that shows a real badge's QR code, and the person is in."""

import pytest
import qrcode
from checkin_fixtures import *  # noqa: F403
from checkin_fixtures import checked_in_at
from conftest import PASSWORD
from PIL import Image

from .browser import CHROMIUM, LAUNCH_ARGS, log_in

WIDTH, HEIGHT = 640, 480


def write_y4m(code: str, path) -> None:
    """A short .y4m video (header + raw I420 frames) of the badge's QR code on white."""
    qr = qrcode.make(code, box_size=8, border=4).get_image().convert("L")
    side = min(HEIGHT - 40, qr.size[0])
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr.resize((side, side), Image.NEAREST),
                ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)  # grey: no colour
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + y + chroma + chroma)


@pytest.fixture
def camera_browser(browser, tmp_path, people):
    """A second Chromium of the session's Playwright whose fake camera plays the badge."""
    video = tmp_path / "badge.y4m"
    write_y4m(people.confirmed, video)
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*LAUNCH_ARGS, f"--use-file-for-fake-video-capture={video}"])
    yield chromium
    chromium.close()


def test_camera_without_barcode_detector_checks_a_badge_in(app, auth, people, live_server,
                                                          camera_browser):
    context = camera_browser.new_context(viewport={"width": 1280, "height": 900},
                                         permissions=["camera"], locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    auth.make_user("desk@example.org", "staff")
    log_in(page, live_server.url, "desk@example.org", PASSWORD)
    page.goto(f"{live_server.url}/desk/test-summit")
    assert page.evaluate("'BarcodeDetector' in window") is False
    page.click("#camera-toggle")
    page.wait_for_selector("#desk-answer [data-result=checked_in]")
    assert "Zoë Müller" in page.inner_text("#desk-answer")
    assert checked_in_at(app, people.confirmed_id) is not None
    assert errors == []
    context.close()
