"""Pages written as they are drawn (services/badges/pdf_stream.py): the file stays one valid PDF
with the same pages, and nothing of a finished page stays in memory.

Viewers repair a broken cross-reference table silently, so the table is checked by hand too.
"""

from __future__ import annotations

import io
import re
import zlib

import pytest
from reportlab.pdfgen.canvas import Canvas
from test_badge_render import decode_page, make_badges, open_pdf, page_text

from summit.services.badges.pdf_stream import PageStream
from summit.services.badges.render import render_badges


def check_cross_references(data: bytes) -> int:
    """Every object the xref table names starts at its offset; returns the object count."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start:start + 5] == b"xref\n"
    header, rest = data[start + 5:].split(b"\n", 1)
    first, count = map(int, header.split())
    assert first == 0
    entries = rest[:count * 20]
    assert entries[:20] == b"0000000000 65535 f \n"
    for number in range(1, count):
        entry = entries[number * 20:(number + 1) * 20]
        assert entry.endswith(b" 00000 n \n"), entry
        offset = int(entry[:10])
        assert data.startswith(b"%d 0 obj\n" % number, offset), number
    trailer = data[start + 5 + len(header) + 1 + count * 20:]
    assert trailer.startswith(b"trailer\n<< /Size %d /Root 1 0 R /Info " % count)
    return count


def test_a_long_run_is_one_pdf_with_every_page_in_order() -> None:
    # One badge a page (A6): 60 pages, more than any buffer or batch in the writer.
    badges = make_badges(60, seed=7)
    out = io.BytesIO()
    report = render_badges(badges, out, layout="a6")
    data = out.getvalue()

    assert (report.count, report.pages) == (60, 60)
    assert check_cross_references(data) > 2 * 60
    pdf = open_pdf(data)
    assert len(pdf) == 60
    for number in range(60):
        text = page_text(pdf[number])
        assert badges[number].last_name in text and badges[number].code_label in text
    for number in (0, 29, 59):  # scanning every page is test_badge_render's job
        assert decode_page(pdf[number]) == [badges[number].qr_payload]


def test_fonts_and_info_survive_the_renumbering() -> None:
    data = io.BytesIO()
    render_badges(make_badges(9, seed=3), data, layout="a4-4xa6")
    pdf = open_pdf(data.getvalue())
    assert len(pdf) == 3
    assert pdf.get_metadata_dict()["Title"] == "Badges: Vision Summit 2014"
    # Greek, Cyrillic, Vietnamese: glyphs from the embedded subset, extracted as text.
    text = "".join(page_text(pdf[number]) for number in range(3))
    for word in ("Παπαδόπουλος", "Кузнецова", "Đại học Quốc gia Hà Nội", "Żółć"):
        assert word in text
    assert b"/FontFile2" in data.getvalue()


def _canvas_with_pages(count: int) -> tuple[Canvas, PageStream, io.BytesIO]:
    out = io.BytesIO()
    canvas = Canvas(out)
    stream = PageStream(canvas, out)
    for number in range(count):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 720, f"Page {number + 1}")
        canvas.showPage()
    return canvas, stream, out


def test_a_finished_page_is_written_out_and_not_kept() -> None:
    small, _, small_out = _canvas_with_pages(2)
    large, large_stream, large_out = _canvas_with_pages(40)
    # ReportLab registers nothing per page: what it holds does not grow with the run.
    assert len(large._doc.idToObject) == len(small._doc.idToObject)
    assert large._doc.Pages.pages == []
    assert len(large_out.getvalue()) > 10 * len(small_out.getvalue()) > 0
    large_stream.close()
    pdf = open_pdf(large_out.getvalue())
    assert len(pdf) == 40
    assert page_text(pdf[39]).strip() == "Page 40"
    check_cross_references(large_out.getvalue())


def test_a_page_with_more_than_fonts_and_colours_is_refused() -> None:
    canvas, _, _ = _canvas_with_pages(0)
    canvas.setFillAlpha(0.5)  # transparency needs an ExtGState the shared resources lack
    canvas.rect(10, 10, 50, 50, fill=1)
    with pytest.raises(NotImplementedError):
        canvas.showPage()


def test_a_failed_run_into_a_path_leaves_no_file(tmp_path) -> None:
    def badges_then_failure():
        yield from make_badges(2)
        raise RuntimeError("database went away")

    target = tmp_path / "badges.pdf"
    with pytest.raises(RuntimeError):
        render_badges(badges_then_failure(), target, layout="a6")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_complete_file_it_would_have_replaced(tmp_path) -> None:
    """Yesterday's print file survives a run that fails half-way; a complete run replaces
    it, with the permissions of any new file."""
    def badges_then_failure():
        yield from make_badges(2)
        raise RuntimeError("database went away")

    target = tmp_path / "badges.pdf"
    render_badges(make_badges(3), target, layout="a6")
    yesterday = target.read_bytes()
    with pytest.raises(RuntimeError):
        render_badges(badges_then_failure(), target, layout="a6")
    assert target.read_bytes() == yesterday
    assert [path.name for path in tmp_path.iterdir()] == ["badges.pdf"]
    render_badges(make_badges(1), target, layout="a6")
    assert target.read_bytes() != yesterday and target.read_bytes().startswith(b"%PDF-")
    fresh = tmp_path / "fresh"
    fresh.write_bytes(b"")
    assert target.stat().st_mode == fresh.stat().st_mode


def test_forms_are_written_in_the_shared_resources() -> None:
    """A form XObject drawn once and placed on several pages: the shared resources name it,
    it is an object of the file, and the pages place it."""
    out = io.BytesIO()
    canvas = Canvas(out)
    stream = PageStream(canvas, out)
    canvas.beginForm("Band")
    canvas.setFillColorRGB(0.8, 0.2, 0.2)
    canvas.rect(0, 0, 200, 40, fill=1)
    canvas.endForm()
    for number in range(3):
        canvas.doForm("Band")
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 720, f"Page {number + 1}")
        canvas.showPage()
    stream.close()
    raw = out.getvalue()
    check_cross_references(raw)
    listed = re.search(rb"/XObject << ((?:/\S+ \d+ 0 R )+)>>", raw)
    assert listed, "no forms in the shared resources"
    [(name, number)] = re.findall(rb"/(\S+) (\d+) 0 R", listed.group(1))
    start = raw.index(b"\n%s 0 obj\n" % number)
    assert b"/Subtype /Form" in raw[start:raw.index(b"stream", start)]
    contents = [zlib.decompress(m) for m in re.findall(
        rb"/FlateDecode /Length \d+ >>\nstream\n(.*?)\nendstream", raw, re.S) if _inflates(m)]
    assert sum(b"/%s Do" % name in page for page in contents) == 3
    assert [page_text(page) for page in open_pdf(raw)] == [f"Page {n}" for n in (1, 2, 3)]


def _inflates(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True
