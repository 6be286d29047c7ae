"""Two-up saddle-stitch imposition: the A5 pages of a booklet on A4 sheets."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    NameObject,
)

from booklet.errors import LayoutError
from booklet.finish.pdfmeta import describe


def sheet_order(pages: int) -> list[tuple[int, int]]:
    """Page pairs (left, right), 1-based, for each printed side in order.

    For N pages (a multiple of 4) sheet s carries [N-2s, 2s+1] on its front
    and [2s+2, N-2s-1] on its back; printed duplex with a flip on the short
    edge and folded, the sheets nest into the booklet in reading order.
    """
    if pages <= 0 or pages % 4:
        raise LayoutError(
            f"a saddle-stitched booklet needs a multiple of 4 pages, not {pages}; "
            "pad with blank pages before the back cover")
    sides = []
    for s in range(pages // 4):
        sides.append((pages - 2 * s, 2 * s + 1))
        sides.append((2 * s + 2, pages - 2 * s - 1))
    return sides


def padded(pages: int) -> list[int | None]:
    """Booklet positions filled with source pages (1-based) or None for a
    blank: blanks go before the last page, which is the back cover."""
    if pages <= 0:
        raise LayoutError("impose: the document has no pages")
    blanks = -pages % 4
    return [*range(1, pages), *([None] * blanks), pages]


def impose(pdf: bytes, sheet: tuple[float, float], title: str = "",
           lang: str = "") -> tuple[bytes, int]:
    """The pages of `pdf`, cut to their TrimBox (so no bleed or crop marks),
    placed two-up on sheets of `sheet` (width, height) points, centred.
    A page count that is not a multiple of 4 is padded with blanks before
    the back cover."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    # Reading a page's TrimBox walks its inherited attributes: once a page.
    boxes = [_trim(page) for page in reader.pages]
    forms = [_as_form(page, box, writer)
             for page, box in zip(reader.pages, boxes, strict=True)]
    positions = padded(len(forms))
    sheet_w, sheet_h = sheet
    for left, right in sheet_order(len(positions)):
        page = writer.add_blank_page(sheet_w, sheet_h)
        ops, xobjects = [], DictionaryObject()
        for slot, position in enumerate((left, right)):
            number = positions[position - 1]
            if number is None:
                continue
            x0, y0, x1, y1 = boxes[number - 1]
            w, h = x1 - x0, y1 - y0
            if 2 * w > sheet_w + 0.5 or h > sheet_h + 0.5:
                raise LayoutError(
                    f"impose: page {number} is {w:.0f} x {h:.0f} pt; two do not "
                    f"fit on a {sheet_w:.0f} x {sheet_h:.0f} pt sheet")
            # Each half of the sheet holds one trimmed page, meeting at the fold.
            tx = sheet_w / 2 - w + slot * w - x0
            ty = (sheet_h - h) / 2 - y0
            name = f"/P{slot}"
            xobjects[NameObject(name)] = forms[number - 1]
            ops.append(f"q 1 0 0 1 {tx:.3f} {ty:.3f} cm {name} Do Q")
        content = DecodedStreamObject()
        content.set_data("\n".join(ops).encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/XObject"): xobjects})
    # The source's title, author, subject and dates describe the imposed
    # file as well.
    if reader.metadata:
        writer.add_metadata(dict(reader.metadata))
    describe(writer, title=title, lang=lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _trim(page) -> tuple[float, float, float, float]:
    # The page's own /TrimBox read directly: pypdf's `trimbox` property builds
    # a Rectangle through the inherited attributes, which dominates the
    # imposition of a long booklet.
    box = page.get("/TrimBox")
    if box is None:
        box = page.trimbox
        return float(box.left), float(box.bottom), float(box.right), float(box.top)
    x0, y0, x1, y1 = (float(v) for v in box.get_object())
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _as_form(page, trim: tuple, writer: PdfWriter):
    """The page as a Form XObject clipped to its TrimBox (PDF 32000-1 8.10).
    A single compressed content stream is reused as it is, without decoding
    and compressing it again."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    keys = {
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in trim),
        NameObject("/Resources"): page["/Resources"].clone(writer)
        if "/Resources" in page else DictionaryObject(),
    }
    if isinstance(contents, EncodedStreamObject) and set(contents) <= {
            "/Filter", "/Length", "/DecodeParms"}:
        form = EncodedStreamObject()
        form._data = contents._data
        for key in ("/Filter", "/DecodeParms"):
            if key in contents:
                form[NameObject(key)] = contents[key].clone(writer)
        form.update(keys)
        return writer._add_object(form)
    if contents is None:
        data = b""
    elif isinstance(contents, ArrayObject):
        data = b"\n".join(part.get_object().get_data() for part in contents)
    else:
        data = contents.get_data()
    form = DecodedStreamObject()
    form.set_data(data)
    form.update(keys)
    return writer._add_object(form.flate_encode())
