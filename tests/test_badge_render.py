"""Badge PDFs checked the way a person would: rasterise, scan every QR, read the text.

Imports only the badge modules (no Flask app, no database).
"""

from __future__ import annotations

import io
import random
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from reportlab.lib.units import mm

from summit.services.badges.colours import band_colours
from summit.services.badges.fonts import missing_glyphs, visual
from summit.services.badges.layouts import LAYOUTS, SheetLayout, UnknownLayout, get_layout
from summit.services.badges.qr import qr_matrix
from summit.services.badges.render import BadgeData, EmptySelection, RenderReport, render_badges
from summit.services.registrations.codes import grouped

DPI = 200
PEOPLE = [
    ("Łukasz", "Żółć", "Fundacja Współpraca"),
    ("Zoë", "Ørsted", "Grøn Energi ApS"),
    ("Γιώργος", "Παπαδόπουλος", "Πανεπιστήμιο Αθηνών"),
    ("Анастасия", "Кузнецова", "Сбербанк"),
    ("Nguyễn Thị", "Minh Khai", "Đại học Quốc gia Hà Nội"),
    ("Jürgen", "Müller", ""),
    ("محمد", "العلي", "جامعة القاهرة"),
]
COLOURS = ["#C0392B", "#F1C40F", "#2E86C1", "#17202A", "#7FDBFF"]


def _code(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(26))


def make_badges(count: int, seed: int = 1) -> list[BadgeData]:
    rng = random.Random(seed)
    badges = []
    for index in range(count):
        first, last, org = PEOPLE[index % len(PEOPLE)]
        code = payload = _code(rng)
        if index % 5 == 4:  # the design allows a URL ending in the code, too
            payload = f"https://summit.example.org/c/{payload}"
        badges.append(
            BadgeData(
                first_name=first,
                last_name=last,
                organisation=org,
                category_name=["Attendee", "Speaker", "Press"][index % 3],
                category_colour=COLOURS[index % len(COLOURS)],
                event_name="Vision Summit 2014",
                event_dates="10–11 September 2014",
                qr_payload=payload,
                reference=f"R{index}",
                code_label=grouped(code),
            )
        )
    return badges


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    assert data.startswith(b"%PDF-")
    return pdfium.PdfDocument(data)


def page_text(page: pdfium.PdfPage) -> str:
    # pdfium marks a hyphen it takes for a line-end hyphen with U+FFFE.
    text = page.get_textpage().get_text_range()
    return text.replace("\ufffe", "-").replace("\r\n", "\n")


def decode_page(page: pdfium.PdfPage) -> list[str]:
    image = page.render(scale=DPI / 72).to_pil().convert("L")
    return [result.text for result in zxingcpp.read_barcodes(image)]


def render(badges: list[BadgeData], **kwargs: Any) -> tuple[bytes, RenderReport]:
    out = io.BytesIO()
    report = render_badges(badges, out, **kwargs)
    return out.getvalue(), report


@pytest.mark.parametrize("crop_marks", [False, True], ids=["plain", "crop-marks"])
@pytest.mark.parametrize("layout_name", sorted(LAYOUTS))
def test_every_qr_on_every_page_scans_and_names_are_printed(
    layout_name: str, crop_marks: bool
) -> None:
    layout = get_layout(layout_name)
    # A full page and a partly filled one (at least two pages, at least three badges).
    count = max(3, layout.per_page + min(2, layout.per_page))
    badges = make_badges(count, seed=len(layout_name))
    data, report = render(badges, layout=layout_name, crop_marks=crop_marks)

    pages = -(-count // layout.per_page)
    assert (report.count, report.pages, report.layout) == (count, pages, layout_name)
    assert report.missing_glyphs == ()
    pdf = open_pdf(data)
    assert len(pdf) == pages
    for number in range(pages):
        page = pdf[number]
        assert page.get_size() == pytest.approx(layout.page_size, abs=0.01)
        on_page = badges[number * layout.per_page : (number + 1) * layout.per_page]
        assert sorted(decode_page(page)) == sorted(b.qr_payload for b in on_page)
        text = page_text(page)
        for badge in on_page:
            for part in (badge.first_name, badge.last_name, badge.organisation):
                assert part in text, f"{part!r} missing from page {number + 1}"
            assert badge.category_name.upper() in text
            # The code under the QR, broken (if at all) between groups only.
            assert badge.code_label in "-".join(text.split()), badge.code_label


@pytest.mark.parametrize(
    "layout_name, min_side_mm", [("a6", 25), ("a4-8xa7", 25), ("a4-cards-2x5", 19)]
)
def test_qr_size_error_correction_and_quiet_zone(layout_name: str, min_side_mm: float) -> None:
    badge = make_badges(1)[0]
    data, _ = render([badge], layout=layout_name)
    scale = DPI / 72
    image = open_pdf(data)[0].render(scale=scale).to_pil().convert("L")
    (result,) = zxingcpp.read_barcodes(image)
    assert result.text == badge.qr_payload
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.ec_level == "M"
    corners = (result.position.top_left, result.position.bottom_right)
    left, right = sorted(p.x for p in corners)
    top, bottom = sorted(p.y for p in corners)
    assert (right - left) / scale / mm >= min_side_mm
    # Quiet zone: 4 modules of white on every side (nothing drawn there, not the band).
    module = (right - left) / len(qr_matrix(badge.qr_payload))
    inner, outer = 2, int(4 * module) - 2
    pixels = image.load()
    for d in range(inner, outer):
        for t in range(int(top) - outer, int(bottom) + outer, 2):
            assert pixels[int(left) - d, t] > 200 and pixels[int(right) + d, t] > 200
        for t in range(int(left) - outer, int(right) + outer, 2):
            assert pixels[t, int(top) - d] > 200 and pixels[t, int(bottom) + d] > 200


def test_qr_is_drawn_as_vectors_not_images() -> None:
    data, _ = render(make_badges(2), layout="a6")
    pdf = open_pdf(data)
    for page in pdf:
        kinds = {obj.type for obj in page.get_objects()}
        assert pdfium.raw.FPDF_PAGEOBJ_IMAGE not in kinds
        assert pdfium.raw.FPDF_PAGEOBJ_PATH in kinds
    assert b"/Subtype /Image" not in data


def _char_boxes(page: pdfium.PdfPage, needle: str) -> list[tuple[float, float, float, float]]:
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    start = text.replace("\ufffe", "-").find(needle)
    assert start >= 0, f"{needle!r} not found in {text!r}"
    boxes = []
    for index in range(start, start + len(needle)):
        if not text[index].isspace():
            # pdfium counts UTF-16 units: a character beyond U+FFFF takes two indexes.
            unit = len(text[:index].encode("utf-16-le")) // 2
            boxes.append(textpage.get_charbox(unit, loose=False))
    return boxes


@pytest.mark.parametrize("layout_name", ["a6", "a4-cards-2x5", "avery-l4785"])
@pytest.mark.parametrize(
    "first, last",
    [
        ("Maximiliane-Friederike", "von Hohenzollern-Sigmaringen-Württemberg-Oettingen-Spiel"),
        ("Ana", "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhafts"),
    ],
    ids=["words", "one-word"],
)
def test_sixty_character_names_fit_inside_the_badge(
    layout_name: str, first: str, last: str
) -> None:
    full = f"{first} {last}"
    assert len(full) >= 60 or len(last) >= 60
    layout = get_layout(layout_name)
    badge = BadgeData(first, last, "Bundesministerium für wirtschaftliche Zusammenarbeit",
                      "Attendee", "#2E86C1", "Vision Summit 2014", "10–11 September 2014",
                      "ABCDEFGHJKMNPQRSTUVWXYZ234")  # fmt: skip
    data, _ = render([badge], layout=layout_name)
    page = open_pdf(data)[0]
    text = page_text(page)
    x0, y0 = layout.slot_origin(0)
    x1, y1 = x0 + layout.badge_w, y0 + layout.badge_h
    for part in (first, *last.split(" ")):
        part = part.split("-")[0]
        assert part in text
        for left, bottom, right, top in _char_boxes(page, part):
            assert x0 <= left and right <= x1, f"{part!r} runs off the badge sideways"
            assert y0 <= bottom and top <= y1, f"{part!r} runs off the badge vertically"
    assert sorted(decode_page(page)) == [badge.qr_payload]


def ink(page: pdfium.PdfPage, needle: str, scale: float = DPI / 72) -> list[int]:
    """Dark pixels inside each character box of ``needle`` on the rendered page: a character
    whose font lacks it still sits in the text layer, but prints blank (no ink)."""
    image = page.render(scale=scale).to_pil().convert("L")
    height = image.height
    counts = []
    for left, bottom, right, top in _char_boxes(page, needle):
        box = (int(left * scale), int(height - top * scale), int(right * scale) + 1,
               int(height - bottom * scale) + 1)
        counts.append(sum(image.crop(box).point(lambda value: value < 128).histogram()[1:]))
    return counts


def badge(first: str, last: str, organisation: str = "", reference: str = "R") -> BadgeData:
    return BadgeData(first, last, organisation, "Attendee", "#2E86C1", "Vision Summit 2014",
                     "10–11 September 2014", "BCDEFGHJKNPRSTXBCDEFGHJKNPRSTXBCDEFG", reference)


CJK_AND_EMOJI = [("小明", "王", "北京大学"), ("太郎", "山田", "東京大学"),
                 ("민준", "김", "서울대학교"), ("Yuki 😀", "𠮷田", "Team 🎉")]


@pytest.mark.parametrize("layout_name", ["a6", "a4-8xa7"])
def test_chinese_japanese_korean_and_emoji_names_print(layout_name: str) -> None:
    badges = [badge(*person, reference=f"R{i}") for i, person in enumerate(CJK_AND_EMOJI)]
    data, report = render(badges, layout=layout_name)
    assert report.missing_glyphs == ()
    pdf = open_pdf(data)
    codes = [code for page in pdf for code in decode_page(page)]
    assert codes == [b.qr_payload for b in badges]
    for index, person in enumerate(CJK_AND_EMOJI):
        page = pdf[index // get_layout(layout_name).per_page]
        text = page_text(page)
        for part in person:
            # In the text layer (copy, search, screen readers), emoji and 𠮷 (beyond U+FFFF)
            # included, and with ink on paper: every character has a glyph.
            assert part in text, f"{part!r} not in the text layer"
            for word in part.split():
                for char, dark in zip(word, ink(page, word), strict=True):
                    assert dark > 20, f"{char!r} of {part!r} prints blank"


def test_japanese_and_korean_text_gets_its_own_fonts_han_forms() -> None:
    from summit.services.badges.fonts import CJK_JP, CJK_KR, CJK_SC, font_runs

    assert font_runs(visual("王小明")) == [(CJK_SC, "王小明")]
    assert font_runs(visual("やまだ 山田")) == [(CJK_JP, "やまだ 山田")]
    assert font_runs(visual("김 金")) == [(CJK_KR, "김 金")]


def test_an_emoji_keeps_the_space_after_it_narrow() -> None:
    from summit.services.badges.fonts import EMOJI, SANS, font_runs

    # Noto Emoji's own space is 1.27 em wide: it left a gap after "😀".
    assert font_runs(visual("Kim 😀 Lee")) == [(SANS, "Kim "), (EMOJI, "😀"), (SANS, " Lee")]


def test_names_without_a_font_are_reported_and_marked_never_blank() -> None:
    badges = make_badges(3)
    # Egyptian hieroglyphs: no shipped font has them.
    odd = badge("Grinning 😀", "𓀀田", reference="R-odd")
    only = badge("𓀁𓂀", "", reference="R-only")
    data, report = render([*badges, odd, only], layout="a4-4xa6")
    assert report.count == 5
    assert [(m.reference, m.characters) for m in report.missing_glyphs] == [
        ("R-odd", "𓀀"), ("R-only", "𓀁𓂀")]
    assert "Grinning" in report.missing_glyphs[0].name
    pdf = open_pdf(data)
    # Still printed and scannable; where a letter is missing, a visible mark stands in.
    assert odd.qr_payload in decode_page(pdf[0])
    first_page = page_text(pdf[0])
    assert "Grinning 😀" in first_page and "\ufffd田" in first_page
    assert all(dark > 20 for dark in ink(pdf[0], "\ufffd田"))
    # A name of such letters alone: the name line is two marks, not empty.
    last = pdf[1]
    assert "\ufffd\ufffd" in page_text(last)
    assert all(dark > 20 for dark in ink(last, "\ufffd\ufffd"))


def test_missing_glyphs_covers_the_scripts_we_ship() -> None:
    for name in (
        "Łukasz Żółć", "Zoë Ørsted", "Γιώργος Παπαδόπουλος", "Анастасия Кузнецова",
        "Nguyễn Thị Minh Khai", "محمد العلي", "Nguye\u0302\u0303n",  # decomposed Vietnamese
        "王小明", "山田太郎", "さくら", "김민준", "陳大文", "𠮷田", "Ana 😀", "❤\ufe0f 👍🏽",
    ):  # fmt: skip
        assert missing_glyphs(name) == set(), name
    assert missing_glyphs("Ana 𓀀") == {"𓀀"}
    assert missing_glyphs("مهدی\u200cزاده") == set()


@pytest.mark.parametrize("name", [
    "Zoë  Müller", "Jürgen\tSchmidt\n", "a\u200cb", "❤\ufe0f x", "x\U000e0100y", "ｶﾀｶﾅ 한국",
    "Ø\u00ad", "Nguye\u0302\u0303n", "\u202eevil", "مهدی\u200cزاده", "\x00\x7fA", "   ",
    "Private \ue000 use", "Line\u2028break", "Ann\xa0Lee", "王小明 😀",
])  # fmt: skip
def test_the_quick_test_for_plain_names_cleans_as_the_character_rule(name: str) -> None:
    """fonts._all_drawn lets most names skip the per-character rule: the same text out."""
    import unicodedata

    from summit.services.badges import fonts

    for keep_joiners in (False, True):
        text = unicodedata.normalize("NFC", name)
        by_character = " ".join("".join(
            c if fonts._is_drawn(c) or (keep_joiners and c in fonts._JOINERS)
            else " " if c.isspace() else "" for c in text).split())
        assert fonts.clean(name, keep_joiners) == by_character
    assert fonts._drop_invisible(name) == "".join(c for c in name if fonts._is_drawn(c))


def test_arabic_script_is_joined_and_right_to_left() -> None:
    # محمد: meem initial, hah medial, meem medial, dal final, drawn right to left.
    assert visual("محمد") == "\ufeaa\ufee4\ufea4\ufee3"
    # The ZWNJ in a Persian name keeps yeh in its final form (not joined to zain).
    shown = visual("مهدی\u200cزاده")
    assert "\ufbfd" in shown or "\ufbfc" in shown
    assert "\u200c" not in shown
    assert visual("Nguye\u0302\u0303n") == "Nguyễn"  # composed, so the font has it


def test_band_text_contrasts_with_the_band() -> None:
    white, black = (1, 1, 1), (0, 0, 0)
    for colour, expected in [
        ("#F1C40F", black), ("#7FDBFF", black), ("#FFFFFF", black),
        ("#17202A", white), ("#C0392B", white), ("#000000", white), ("#8E44AD", white),
    ]:  # fmt: skip
        _, text = band_colours(colour)
        assert (text.red, text.green, text.blue) == expected, colour
    with pytest.raises(ValueError, match="colour"):
        band_colours("blue")


def test_unknown_layout_is_a_clear_error_before_any_output() -> None:
    with pytest.raises(UnknownLayout) as info:
        get_layout("a5-landscape")
    assert isinstance(info.value, ValueError)
    for name in LAYOUTS:
        assert name in str(info.value)
    out = io.BytesIO()
    with pytest.raises(UnknownLayout):
        render_badges(make_badges(1), out, layout="nope")
    assert out.getvalue() == b""
    assert get_layout(None).name == "a6"
    assert get_layout(" A4-8xA7 ").name == "a4-8xa7"


def test_empty_selection_is_a_clear_error_before_any_output() -> None:
    out = io.BytesIO()
    with pytest.raises(EmptySelection, match="No badges"):
        render_badges([], out)
    with pytest.raises(ValueError):
        render_badges(iter(()), out, layout="a4-8xa7")
    assert out.getvalue() == b""


def test_badges_are_consumed_lazily_and_progress_is_reported(tmp_path: Path) -> None:
    seen: list[int] = []
    pulled = 0

    def generate() -> Iterator[BadgeData]:
        nonlocal pulled
        for badge in make_badges(10):
            pulled += 1
            # The renderer must not read ahead more than the badge it is drawing.
            assert len(seen) >= pulled - 2
            yield badge

    target = tmp_path / "badges.pdf"
    report = render_badges(generate(), target, layout="a4-8xa7", on_progress=seen.append)
    assert seen == list(range(1, 11))
    assert (report.count, report.pages) == (10, 2)
    assert len(open_pdf(target.read_bytes())) == 2


def test_layouts_fit_their_pages_and_validate() -> None:
    for layout in LAYOUTS.values():
        x_min = min(x for x, _ in layout.slots())
        y_min = min(y for _, y in layout.slots())
        x_max = max(x for x, _ in layout.slots()) + layout.badge_w
        y_max = max(y for _, y in layout.slots()) + layout.badge_h
        assert x_min >= 0 and y_min >= 0
        assert x_max <= layout.page_size[0] + 0.01 and y_max <= layout.page_size[1] + 0.01
    # The real Avery L4785 geometry: 80 x 50 mm, first label 18 mm / 13 mm in.
    l4785 = LAYOUTS["avery-l4785"]
    assert l4785.badge_size == pytest.approx((80 * mm, 50 * mm))
    assert l4785.slot_origin(0) == pytest.approx((18 * mm, (297 - 13 - 50) * mm), abs=0.5)
    with pytest.raises(ValueError, match="do not fit"):
        SheetLayout("too-big", "Too big", (100, 100), (60, 60), columns=2, rows=1)


def test_qr_matrix_is_the_one_qrcode_makes() -> None:
    """The table-driven matrix (with the version found once per data shape) is module for
    module the one qrcode makes with its own fit, Reed–Solomon and placement: check-in
    codes, URLs (several Reed–Solomon blocks), digits, mixed segments, non-ASCII."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    from summit.services.badges import qr
    from summit.services.registrations import codes

    rng = random.Random(17)
    payloads = ["".join(rng.choice(string.ascii_uppercase) for _ in range(36)) for _ in range(20)]
    payloads += [codes.new_checkin_code() for _ in range(20)]
    payloads += ["https://example.org/c/" + "x" * rng.randint(1, 400) for _ in range(20)]
    payloads += ["HTTPS://EXAMPLE.ORG/C/" + "".join(
        rng.choice(string.ascii_uppercase + string.digits) for _ in range(rng.randint(1, 600)))
        for _ in range(20)]
    payloads += [str(rng.randint(0, 10 ** rng.randint(1, 400))) for _ in range(20)]
    payloads += ["Grüße aus Köln " * rng.randint(1, 40) for _ in range(5)]
    for payload in payloads * 2:  # the second time with the remembered versions
        fitted = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0,
                               mask_pattern=qr.QR_MASK)
        fitted.add_data(payload)
        fitted.make(fit=True)
        assert [[bool(module) for module in row] for row in qr_matrix(payload)] == fitted.modules
