"""Two-up saddle-stitch imposition: sheet order read back from imposed PDFs."""

from __future__ import annotations

import io
import re

import numpy as np
import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

import booklet.render  # noqa: F401 - invariant output
from booklet.errors import LayoutError
from booklet.finish.impose import impose, padded, sheet_order
from booklet.layouts import Layouts
from booklet.render.fonts import canvas_options, register
from tests.conftest import LAYOUTS

MM = 72 / 25.4
TRIM = (148 * MM, 210 * MM)
OFF = 12 * MM  # bleed plus slug
A4_LANDSCAPE = (297 * MM, 210 * MM)


def numbered(pages: int) -> bytes:
    """An A5-with-bleed document whose page i says 'page i' in its middle,
    with a red band in the bleed that imposition must cut away."""
    register(Layouts(LAYOUTS).fonts())
    out = io.BytesIO()
    w, h = TRIM[0] + 2 * OFF, TRIM[1] + 2 * OFF
    c = canvas.Canvas(out, pagesize=(w, h), **canvas_options("sans"))
    c.setTrimBox((OFF, OFF, OFF + TRIM[0], OFF + TRIM[1]))
    for i in range(1, pages + 1):
        c.setFont("sans", 40)
        c.drawCentredString(w / 2, h / 2, f"page {i}")
        c.setFillColorRGB(1, 0, 0)
        c.rect(0, 0, w, OFF - 0.5 * MM, stroke=0, fill=1)
        c.rect(0, 0, OFF - 0.5 * MM, h, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.showPage()
    c.save()
    return out.getvalue()


def halves(pdf: bytes) -> list[tuple[int | None, int | None]]:
    """The page number printed on the left and right half of each sheet side."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    for page in doc:
        width, height = page.get_size()
        text = page.get_textpage()
        sides = []
        for x0, x1 in ((0, width / 2), (width / 2, width)):
            found = re.findall(r"page (\d+)", text.get_text_bounded(x0, 0, x1, height))
            assert len(found) <= 1, found
            sides.append(int(found[0]) if found else None)
        out.append(tuple(sides))
    return out


def test_sheet_order_follows_the_saddle_stitch_rule():
    assert sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_sheet_order_refuses_a_count_that_is_not_a_multiple_of_4():
    with pytest.raises(LayoutError) as err:
        sheet_order(10)
    assert str(err.value) == (
        "a saddle-stitched booklet needs a multiple of 4 pages, not 10; "
        "pad with blank pages before the back cover")


def test_padding_puts_blanks_before_the_back_cover():
    assert padded(10) == [1, 2, 3, 4, 5, 6, 7, 8, 9, None, None, 10]


@pytest.mark.parametrize("pages, expected", [
    (4, [(4, 1), (2, 3)]),
    (8, [(8, 1), (2, 7), (6, 3), (4, 5)]),
    # 10 pages pad to 12: positions 10 and 11 are blank, page 10 is last.
    (10, [(10, 1), (2, None), (None, 3), (4, 9), (8, 5), (6, 7)]),
])
def test_imposed_sheets_carry_pages_in_order(pages, expected):
    imposed, sides = impose(numbered(pages), A4_LANDSCAPE)
    assert halves(imposed) == expected
    assert sides == len(expected)


def test_48_pages_impose_on_12_sheets_in_order():
    n = 48
    imposed, sides = impose(numbered(n), A4_LANDSCAPE)
    expected = []
    for s in range(n // 4):
        expected += [(n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)]
    assert halves(imposed) == expected
    assert sides == 24


def test_imposed_sheet_is_a4_landscape_without_bleed():
    imposed, _ = impose(numbered(4), A4_LANDSCAPE)
    doc = pdfium.PdfDocument(imposed)
    width, height = doc[0].get_size()
    assert (round(width / MM), round(height / MM)) == (297, 210)
    for page in doc:
        pixels = np.asarray(page.render(scale=1).to_pil().convert("RGB"), int)
        red = (pixels[..., 0] > 200) & (pixels[..., 1] < 80)
        assert not red.any(), "bleed printed on the imposed sheet"
