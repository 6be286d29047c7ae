"""Read produced PDFs as a reader, a printer and a phone would: shared by tests."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader

STANDARD_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Symbol", "ZapfDingbats",
}

MM = 72 / 25.4


def _source(pdf: Path | bytes):
    return io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf


def text_pages(pdf: Path | bytes) -> list[str]:
    """Text of each page, NFC-normalised, as pdfium extracts it."""
    doc = pdfium.PdfDocument(_source(pdf) if isinstance(pdf, bytes) else str(pdf))
    pages = []
    for page in doc:
        textpage = page.get_textpage()
        pages.append(unicodedata.normalize("NFC", textpage.get_text_range()))
        textpage.close()
        page.close()
    doc.close()
    return pages


def text(pdf: Path | bytes) -> str:
    return "\n".join(text_pages(pdf))


def lines_top_down(pdf: Path | bytes, page: int) -> list[str]:
    """The upright text of a page as a reader scans it, line by line from the
    top (a rotated draft stamp left out): what opens the page comes first."""
    rows: dict[float, list[str]] = {}

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        if abs(cm[1] * tm[0] + cm[3] * tm[1]) > 1e-6:  # rotated
            return
        y = round(cm[1] * tm[4] + cm[3] * tm[5] + cm[5], 1)
        rows.setdefault(y, []).append(text.strip())

    PdfReader(_source(pdf)).pages[page].extract_text(visitor_text=visit)
    return [" ".join(rows[y]) for y in sorted(rows, reverse=True)]


def squash(value: str) -> str:
    """Text with every run of white space removed, for matching across lines."""
    return "".join(value.split())


@dataclass
class FontInfo:
    name: str
    subtype: str
    embedded: bool
    subset: bool
    to_unicode: bool


def fonts(pdf: Path | bytes) -> list[FontInfo]:
    """Every font resource on every page (including XObjects)."""
    found: dict[str, FontInfo] = {}
    with pikepdf.open(_source(pdf)) as doc:
        for obj in doc.objects:
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            if obj.get("/Type") != "/Font":
                continue
            name = str(obj.get("/BaseFont", "?"))[1:]
            subtype = str(obj.get("/Subtype", "?"))
            descriptor = obj.get("/FontDescriptor")
            if subtype == "/Type0":
                descendant = obj["/DescendantFonts"][0]
                descriptor = descendant.get("/FontDescriptor")
            embedded = bool(descriptor is not None and any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
            found[name] = FontInfo(
                name=name, subtype=subtype, embedded=embedded,
                subset=len(name) > 7 and name[6] == "+" and name[:6].isupper(),
                to_unicode="/ToUnicode" in obj)
    return list(found.values())


def standard14_fonts(pdf: Path | bytes) -> list[str]:
    return [f.name for f in fonts(pdf) if f.name.split("+")[-1] in STANDARD_14
            or not f.embedded]


def structural_check(pdf: Path | bytes) -> list[str]:
    """qpdf's structural check through pikepdf; an empty list means sound."""
    with pikepdf.open(_source(pdf)) as doc:
        # pikepdf 10 renamed Pdf.check() to Pdf.check_pdf_syntax().
        check = getattr(doc, "check_pdf_syntax", None) or doc.check
        return [str(p) for p in check()]


def render(pdf: Path | bytes, page: int = 0, dpi: float = 150,
           grayscale: bool = False) -> np.ndarray:
    """Page `page` as an image array (RGB, or L when grayscale)."""
    doc = pdfium.PdfDocument(_source(pdf) if isinstance(pdf, bytes) else str(pdf))
    try:
        bitmap = doc[page].render(scale=dpi / 72, grayscale=grayscale)
        image = bitmap.to_pil()
        return np.asarray(image.convert("L" if grayscale else "RGB"))
    finally:
        doc.close()


def page_count(pdf: Path | bytes) -> int:
    return len(PdfReader(_source(pdf)).pages)


def decode_qr(image: np.ndarray) -> list[zxingcpp.Result]:
    """Every QR code zxing-cpp finds in the image."""
    return [r for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode]


def links(pdf: Path | bytes) -> list[str]:
    """Target of every link annotation (URI) in the document."""
    out = []
    for page in PdfReader(_source(pdf)).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if action is not None and "/URI" in action:
                out.append(str(action["/URI"]))
    return out


def outline_titles(pdf: Path | bytes) -> list[str]:
    """Titles of every bookmark, depth first."""
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(PdfReader(_source(pdf)).outline)
    return titles


def metadata(pdf: Path | bytes) -> dict[str, str]:
    reader = PdfReader(_source(pdf))
    info = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    root = reader.trailer["/Root"]
    if "/Lang" in root:
        info["/Lang"] = str(root["/Lang"])
    if "/Metadata" in root:
        info["xmp"] = root["/Metadata"].get_object().get_data().decode(
            "utf-8", "replace")
    return info


def everything_a_reader_gets(pdf: Path | bytes, dpi: float = 200) -> str:
    """All text, link targets, bookmarks, metadata and decoded QR payloads."""
    parts = [text(pdf), *links(pdf), *outline_titles(pdf),
             *metadata(pdf).values()]
    for i in range(page_count(pdf)):
        parts.extend(r.text for r in decode_qr(render(pdf, i, dpi)))
    return unicodedata.normalize("NFC", "\n".join(parts))


def text_beside(pdf: Path | bytes, page: int, label: str) -> list[str]:
    """For every occurrence of `label` on page `page`, the text on the same
    line to its right (for example the value of a labelled bar or the cells
    of a table row), stripped; in the order pdfium finds them."""
    doc = pdfium.PdfDocument(_source(pdf) if isinstance(pdf, bytes) else str(pdf))
    try:
        leaf = doc[page]
        textpage = leaf.get_textpage()
        searcher = textpage.search(label, match_case=True)
        out = []
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]
            right = max(b[2] for b in boxes)
            middle = (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2
            out.append(unicodedata.normalize("NFC", textpage.get_text_bounded(
                left=right + 0.5, bottom=middle - 1, right=leaf.get_width(),
                top=middle + 1)).strip())
        return out
    finally:
        doc.close()
