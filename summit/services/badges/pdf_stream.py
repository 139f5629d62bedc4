"""Write a ReportLab canvas's pages to the output as they are finished.

ReportLab keeps every page object until ``save()`` and then builds the whole file as one
bytes string, so a print run's memory grows with its size (~7 KB a badge on A6). Here the
canvas still draws every page and ReportLab still writes the fonts (subset from every glyph
used) and the document info, but each finished page goes to the output at once: its
content stream, deflated, and its page dictionary. What stays is 8 bytes of cross-reference
per object.

Object numbers: ours come first (catalog, page tree, the shared resources, then two per
page); ReportLab's objects (fonts, info) are renumbered after ours when the file is closed.
Badge pages use fonts, plain colours and form XObjects (a category's band, drawn once and
placed on each of its badges), so every page shares one resource dictionary, written at the
end with every font and form the pages used; a page that needs more (transparency, spot
colours, links) is refused loudly rather than written wrong.
"""

from __future__ import annotations

from array import array
from typing import BinaryIO

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

CATALOG, PAGE_TREE, RESOURCES = 1, 2, 3


class PageStream:
    """Attach to a fresh canvas; call ``close()`` instead of ``canvas.save()``."""

    def __init__(self, canvas: Canvas, out: BinaryIO) -> None:
        self.doc = canvas._doc
        self.out = out
        self.position = 0
        self.offsets = array("Q", [0, 0, 0])  # object n's offset at index n - 1
        self.page_numbers = array("Q")
        self.forms: dict[str, object] = {}  # the XObjects pages used, by internal name
        major, minor = self.doc._pdfVersion
        self._write(f"%PDF-{major}.{minor}\n%\u00e2\u00e3\u00cf\u00d3\n".encode("latin-1"))
        # An instance attribute shadows PDFDocument.addPage, which the canvas calls in
        # showPage(): the page is written here instead of being kept.
        self.doc.addPage = self._add_page

    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def _begin_object(self) -> int:
        self.offsets.append(self.position)
        return len(self.offsets)

    def _add_page(self, page: pdfdoc.PDFPage) -> None:
        extras = (page.ExtGState, page._colorsUsed, page._shadingUsed,
                  page.Annots, page.Rotate, page.CropBox, page.ArtBox, page.BleedBox,
                  page.TrimBox, page.Dur, page.Trans and page.Trans.dict)
        if any(extras):
            raise NotImplementedError("PageStream writes pages with fonts, colours and forms "
                                      "only")
        if page.XObjects:
            self.forms.update(page.XObjects.dict)
        data = pdfdoc.PDFZCompress.encode(page.stream)  # ReportLab's own Flate step
        contents = self._begin_object()
        self._write(b"%d 0 obj\n<< /Filter /FlateDecode /Length %d >>\nstream\n"
                    % (contents, len(data)) + data + b"\nendstream\nendobj\n")
        number = self._begin_object()
        self._write(b"%d 0 obj\n<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "
                    b"/Resources %d 0 R /Contents %d 0 R >>\nendobj\n"
                    % (number, PAGE_TREE, _num(page.pagewidth), _num(page.pageheight),
                       RESOURCES, contents))
        self.page_numbers.append(number)
        self.doc.pageCounter += 1
        self.doc.inObject = None

    def close(self) -> None:
        """Write the fonts, info, page tree, cross-reference table and trailer."""
        doc = self.doc
        for font in doc.delayedFonts:  # TrueType subsets, now that every glyph is known
            font.addObjects(doc)
        doc.info.invariant = doc.invariant
        doc.info.digest(doc.signature)
        info = doc.Reference(doc.info).name
        doc.encrypt.prepare(doc)
        # ReportLab's objects take the numbers after ours; objects it registers while
        # formatting (font descriptors, streams) follow on from the shifted counter.
        shift = len(self.offsets)
        doc.idToObjectNumberAndVersion = {name: (number + shift, version) for name, (
            number, version) in doc.idToObjectNumberAndVersion.items()}
        doc.numberToId = {number + shift: name for number, name in doc.numberToId.items()}
        doc.objectcounter += shift
        number = shift + 1
        while number in doc.numberToId:
            name = doc.numberToId[number]
            self.offsets.append(self.position)
            self._write(pdfdoc.PDFIndirectObject(name, doc.idToObject[name]).format(doc))
            number += 1
        if number - 1 - shift != len(doc.numberToId):  # ReportLab's own check at save()
            raise ValueError("PDF objects were numbered but not written")
        fonts = doc.idToObjectNumberAndVersion[pdfdoc.BasicFonts][0]
        self._fixed(CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % PAGE_TREE)
        forms = b"".join(b"/%s %d 0 R " % (name.encode("ascii"),
                                          doc.idToObjectNumberAndVersion[name][0])
                         for name in sorted(self.forms))
        self._fixed(RESOURCES, b"<< /Font %d 0 R /XObject << %s>> "
                    b"/ProcSet [/PDF /Text /ImageB /ImageC /ImageI] >>" % (fonts, forms))
        self._fixed_page_tree()
        self._trailer(doc.idToObjectNumberAndVersion[info][0], doc.ID())

    def _fixed(self, number: int, body: bytes) -> None:
        self.offsets[number - 1] = self.position
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _fixed_page_tree(self) -> None:
        self.offsets[PAGE_TREE - 1] = self.position
        self._write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (
            PAGE_TREE, len(self.page_numbers)))
        for start in range(0, len(self.page_numbers), 1000):
            self._write(b"".join(b"%d 0 R\n" % number
                                 for number in self.page_numbers[start:start + 1000]))
        self._write(b"] >>\nendobj\n")

    def _trailer(self, info: int, identifier: bytes) -> None:
        start = self.position
        count = len(self.offsets) + 1
        self._write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        for first in range(0, len(self.offsets), 1000):
            self._write(b"".join(b"%010d 00000 n \n" % offset
                                 for offset in self.offsets[first:first + 1000]))
        self._write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID %s >>\n"
                    b"startxref\n%d\n%%%%EOF\n" % (count, CATALOG, info, identifier, start))


def _num(value: float) -> bytes:
    return pdfdoc.fp_str(value).encode("ascii")
