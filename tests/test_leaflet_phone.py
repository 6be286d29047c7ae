"""A provider taller than a page: on the phone leaflet it continues on the
next page, cut between its rows, and nothing is lost or drawn off the page;
on a printed leaflet the error says what to shorten."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from booklet.errors import FitError
from booklet.products import leaflets
from booklet.project import open_project
from booklet.render.leaflet import breaks
from booklet.select import select
from tests import pdfcheck
from tests.conftest import FICTIONAL, LAYOUTS, TODAY, copy_layouts, make_content

NATIONAL = "national/fict-national.yaml"
# The screen page (layouts/leaflet-phone.yaml): 90 x 180 mm, margins of
# 6 mm at the sides, 10 mm at the top and 7 mm at the bottom.
PAGE = (90.0, 180.0)
MARGINS = {"left": 6.0, "right": 6.0, "top": 10.0, "bottom": 7.0}
LONG_VI = "Khoa Cấp cứu và Hồi sức tích cực, tầng 2 nhà B, gọi khi cần xe cấp cứu"
LONG_EN = "Emergency and Intensive Care Department, building B, 2nd floor, ambulance"


def _hospital(phones: int, label: tuple[str, str] = ("Văn phòng", "Office"),
              services: int = 2) -> str:
    """A verified, consenting provider in Tuyên Quang with `phones` public
    numbers 0207 3000 100, 101 ... labelled `label`."""
    numbers = "\n".join(
        f'  - {{number: "0207 3000 {100 + i}", label: {{vi: "{label[0]}", '
        f'en: "{label[1]}"}}, cost: standard}}' for i in range(phones))
    kinds = [("medical", "Khám bệnh", "Medical care"),
             ("psychological", "Tư vấn tâm lý", "Counselling"),
             ("legal", "Tư vấn pháp lý", "Legal advice")][:services]
    listed = "\n".join(
        f'  - {{category: {c}, description: {{vi: "{vi}", en: "{en}"}}}}'
        for c, vi, en in kinds)
    return f"""\
id: fictional-phones
name: {{vi: "Bệnh viện Hư Cấu Nhiều Số", en: "Fictional Many-Number Hospital"}}
short_name: {{vi: "Bệnh viện Hư Cấu", en: "Fictional Hospital"}}
kind: government_provincial
province: "08"
website: "https://hospital.example.org"
phones:
{numbers}
services:
{listed}
consent:
  print: {{given: "yes", date: "2026-10-01"}}
  digital: {{given: "yes", date: "2026-10-01"}}
verification: {{status: verified, date: "2026-10-01", method: phone}}
"""


def _build(tmp_path, entry: str, others: dict[str, str] | None = None,
           medium: str = "screen", layouts=LAYOUTS) -> bytes:
    """The final Tuyên Quang leaflet for `medium` from `entry`, `others` and
    one national service."""
    content = make_content(tmp_path / "content", {
        "tuyen-quang/fictional-phones.yaml": entry, NATIONAL: FICTIONAL[NATIONAL],
        **(others or {})})
    project = open_project(content, layouts, tmp_path / "output", TODAY)
    job = next(j for j in leaflets.plan(project, {"province": ["08"],
                                                  "final": True})
               if j.edition.medium == medium)
    made = leaflets.make(project, job, select(project.content, job.edition))
    return made.artifacts[0].data


def _numbers(count: int) -> list[str]:
    return [f"0207 3000 {100 + i}" for i in range(count)]


def _outside(pdf: bytes) -> list[tuple[int, str]]:
    """Every character (page, character) drawn outside the page's margins."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            textpage = page.get_textpage()
            slack = 0.3  # mm: a glyph's box may pass its line's box a little
            left = (MARGINS["left"] - slack) * pdfcheck.MM
            right = (PAGE[0] - MARGINS["right"] + slack) * pdfcheck.MM
            bottom = (MARGINS["bottom"] - slack) * pdfcheck.MM
            top = (PAGE[1] - MARGINS["top"] + slack) * pdfcheck.MM
            for i in range(textpage.count_chars()):
                ch = textpage.get_text_range(i, 1)
                if not ch.strip():
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(i)
                if x0 < left or x1 > right or y0 < bottom or y1 > top:
                    out.append((index, ch))
    finally:
        doc.close()
    return out


def _link_boxes_on_pages(pdf: bytes) -> list[tuple[int, str]]:
    """Links whose area leaves their page."""
    out = []
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            if min(x0, x1) < 0 or max(x0, x1) > width or min(y0, y1) < 0 or max(
                    y0, y1) > height:
                out.append((index, str(annot["/A"]["/URI"])))
    return out


@pytest.mark.parametrize(("phones", "label"), [
    (6, ("Văn phòng", "Office")),
    (8, ("Văn phòng", "Office")),
    (5, (LONG_VI, LONG_EN)),
    (30, ("Văn phòng", "Office")),
], ids=["six-phones", "eight-phones", "five-long-labels", "thirty-phones"])
def test_a_provider_taller_than_a_phone_page_continues_on_the_next(
        tmp_path, phones, label):
    pdf = _build(tmp_path, _hospital(phones, label))
    assert pdfcheck.structural_check(pdf) == []
    pages = pdfcheck.text_pages(pdf)
    text = pdfcheck.squash("\n".join(pages))
    # Every number once, in the order of the provider file, each with its
    # label above and its cost below it on the same page: a row is never cut.
    numbers = _numbers(phones)
    found = [text.find(pdfcheck.squash(n)) for n in numbers]
    assert -1 not in found and found == sorted(found), found
    for number in numbers:
        row = pdfcheck.squash(f"{label[0]} {label[1]} {number} Cước thường · "
                              "Standard rate")
        assert sum(pdfcheck.squash(p).count(row) for p in pages) == 1, number
    assert pdfcheck.squash("0207 3000 1") not in pdfcheck.squash(pages[1])
    # The next page opens with the name marked as continued.
    continued = [i for i, p in enumerate(pages) if pdfcheck.squash(
        "Bệnh viện Hư Cấu (tiếp theo) Fictional Hospital (continued)")
        in pdfcheck.squash(p)]
    assert continued and continued == list(range(3, 3 + len(continued)))
    for i in continued:
        assert pdfcheck.squash(pages[i]).startswith(
            pdfcheck.squash("Bệnh viện Hư Cấu (tiếp theo)")), pages[i][:80]
    assert "Fictional National Line" in text or pdfcheck.squash(
        "Fictional National Line") in text
    assert "hospital.example.org" in text
    targets = pdfcheck.links(pdf)
    for number in numbers:
        tel = "tel:+84" + number.replace(" ", "")[1:]
        assert targets.count(tel) == 1, tel
    assert _outside(pdf) == []
    assert _link_boxes_on_pages(pdf) == []


def test_a_provider_that_fits_a_page_moves_whole_rather_than_split(tmp_path):
    # Alphabetically first, a small provider takes the top of the first
    # provider page; the hospital fits a page but not what is left of it,
    # so it starts the next page, whole.
    small = _hospital(2).replace("fictional-phones", "fictional-small").replace(
        "Bệnh viện Hư Cấu", "An Hư Cấu").replace("0207 3000 10", "0207 3000 20")
    pdf = _build(tmp_path, _hospital(4, (LONG_VI, LONG_EN), services=3),
                 {"tuyen-quang/fictional-small.yaml": small})
    pages = pdfcheck.text_pages(pdf)
    assert "tiếp theo" not in "\n".join(pages)
    assert "0207 3000 200" in pages[2] and "0207 3000 201" in pages[2]
    assert all(number in pages[3] for number in _numbers(4))


def test_a_line_taller_than_a_phone_page_fails_naming_provider_and_fix(tmp_path):
    label = " ".join(["Khoa"] * 900)
    with pytest.raises(FitError) as info:
        _build(tmp_path, _hospital(2, (label, "Office")))
    assert re.fullmatch(
        r"phone leaflet Tuyên Quang: provider 'fictional-phones' has a line \(a "
        r"phone with its label, or a service\) taller than a page by \d+\.\d mm; "
        r"shorten this provider's phone labels or services, or reduce the type "
        r"sizes in layouts/leaflet-phone\.yaml", str(info.value)), str(info.value)


@pytest.mark.parametrize(("heights", "first", "least", "expected"), [
    # As many rows as fit on each page.
    ([10] * 6, 35, 2, [3, 3]),
    # A last row alone takes one more with it ...
    ([10] * 7, 35, 2, [3, 2, 2]),
    ([10] * 4, 35, 2, [2, 2]),
    # ... unless the first page would keep fewer than `least`.
    ([10, 10, 10], 21, 2, [2, 1]),
    # The first page takes `least` rows, or the provider starts a new page.
    ([10] * 4, 15, 2, None),
    ([30, 10, 10], 35, 1, [1, 2]),
])
def test_rows_break_between_pages_keeping_rows_together(heights, first, least,
                                                        expected):
    assert breaks(heights, first, 35, 1.0, least) == expected



# The printed leaflets keep a provider whole, beside its QR code: one taller
# than a column is still an error, which says what to change in the content.

def test_a_printed_provider_taller_than_an_enclosed_column_names_the_content_fix(
        tmp_path):
    with pytest.raises(FitError) as info:
        _build(tmp_path, _hospital(30), medium="print")
    assert re.fullmatch(
        r"leaflet 08-tuyen-quang \(leaflet-trifold\): provider 'fictional-phones' "
        r"is taller than a column of the enclosed sheet by \d+\.\d mm; shorten "
        r"this provider's phone labels or services, or lower "
        r"continuation\.columns", str(info.value)), str(info.value)


def test_a_printed_provider_taller_than_a_panel_names_the_content_fix(tmp_path):
    layouts = copy_layouts(tmp_path / "layouts")
    trifold = layouts / "leaflet-trifold.yaml"
    trifold.write_text(trifold.read_text(encoding="utf-8")
                       + "\ncontinuation:\n  allowed: false\n", encoding="utf-8")
    with pytest.raises(FitError) as info:
        _build(tmp_path, _hospital(12), medium="print", layouts=layouts)
    assert re.fullmatch(
        r"leaflet 08-tuyen-quang \(leaflet-trifold\): provider 'fictional-phones' "
        r"is taller than a panel by \d+\.\d mm even with type at 80% "
        r"\(fit\.min_scale in layouts/leaflet-trifold\.yaml\)\. Shorten this "
        r"provider's phone labels or services, try another layout \(--layout "
        r"a6\) or let the providers continue on an enclosed sheet "
        r"\(continuation: allowed: true in layouts/leaflet-trifold\.yaml\)",
        str(info.value)), str(info.value)


def test_hotlines_beyond_their_page_go_on_to_the_next(tmp_path):
    # A seventh hotline in document.yaml stopped every phone leaflet.
    content = make_content(tmp_path / "content", {
        "tuyen-quang/fictional-phones.yaml": _hospital(1)})
    document = content / "document.yaml"
    extra = "".join(
        f'  - number: "1800 300{i}"\n'
        f'    name: {{vi: "Tổng đài Hư Cấu số {i}", '
        f'en: "Fictional line {i}"}}\n'
        "    cost: free\n" for i in range(1, 4))
    text = document.read_text(encoding="utf-8")
    at = text.index('  - number: "1800.1233"')
    document.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    job = next(j for j in leaflets.plan(project, {"province": ["08"],
                                                  "final": True})
               if j.edition.medium == "screen")
    pdf = leaflets.make(project, job, select(project.content, job.edition)
                        ).artifacts[0].data
    assert pdfcheck.structural_check(pdf) == []
    assert _outside(pdf) == []
    pages = [pdfcheck.squash(p) for p in pdfcheck.text_pages(pdf)]
    numbers = ["111", "112", "113", "114", "115", "18003001", "18003002",
               "18003003", "1800.1233"]
    for number in numbers:
        assert sum(p.count(number) for p in pages) >= 1, number
    # In order: the hotline page first, the rest at the head of the next.
    # (The cover names 111 too.)
    where = [next(i for i in range(1, len(pages)) if n in pages[i])
             for n in numbers]
    assert where == sorted(where) and where[0] == 1 and where[-1] == 2, where
    assert "Other hotlines" in pdfcheck.text_pages(pdf)[2]
    assert pages[2].index("1800.1233") < pages[2].index("02073000100")
