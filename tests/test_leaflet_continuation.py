"""Leaflets whose providers overflow continue on enclosed A4 pages; discreet
codes, document metadata and QR captions of the printed leaflet."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from booklet.compose.leaflet import compose
from booklet.products import leaflets
from booklet.project import open_project
from booklet.select import select
from tests import pdfcheck
from tests.conftest import FICTIONAL, LAYOUTS, TODAY, make_content

DPI = 300
PX = DPI / 25.4
COUNT = 30
NATIONAL = "national/fict-national.yaml"
NATIONAL_NAME = "Đường dây Hư Cấu Quốc Gia"

CONSENTED = """\
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-01", method: phone}
"""


def _name(i: int) -> str:
    # Two digits, so that no name is the start of another.
    return f"Trung tâm Giả Định số {i:02d}"


def _providers() -> dict[str, str]:
    """COUNT providers in Ha Tinh, each with two phones (so a QR code and a
    tall block), and the fictional national service."""
    providers = {NATIONAL: FICTIONAL[NATIONAL]}
    for i in range(COUNT):
        providers[f"ha-tinh/fict-many-{i:02d}.yaml"] = f"""\
id: fict-many-{i:02d}
name: {{vi: "{_name(i)}", en: "Assumed Centre {i:02d}"}}
kind: ngo
province: "42"
phones:
  - number: "0239 3000 {i + 100:03d}"
    cost: standard
  - number: "0239 3001 {i + 100:03d}"
    cost: free
hours:
  note: {{vi: "Thứ Hai – thứ Sáu", en: "Monday to Friday"}}
services:
  - category: legal
    description: {{vi: "Tư vấn", en: "Advice"}}
  - category: medical
    description: {{vi: "Khám", en: "Check-ups"}}
""" + CONSENTED
    return providers


def _build(project, request: dict, medium: str = "print"):
    """(PDF bytes, warnings, composed leaflet) of the one leaflet asked for."""
    job = next(j for j in leaflets.plan(project, request)
               if j.key.endswith(medium))
    selection = select(project.content, job.edition)
    made = leaflets.make(project, job, selection)
    layouts = project.layouts
    composed = compose(selection, layouts, layouts.get(job.param("layout")),
                       job.param("provinces"), project.content.province(
                           job.param("provinces")[0]).short_name,
                       job.param("lang"), qr_discreet=job.param("discreet"))
    return made.artifacts[0].data, made.warnings, composed


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    root = tmp_path_factory.mktemp("crowded")
    content = make_content(root / "content", _providers())
    project = open_project(content, LAYOUTS, root / "output", TODAY)
    return {"final": _build(project, {"province": ["42"], "final": True}),
            "draft": _build(project, {"province": ["42"]})}


def _sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(pdfcheck._source(pdf)).pages]


def test_overflowing_providers_continue_on_enclosed_a4_pages(crowded):
    pdf, warnings, _ = crowded["final"]
    sizes = _sizes(pdf)
    # The tri-fold sheet (A4 landscape, both sides), then A4 portrait pages.
    assert sizes[:2] == [(842, 595)] * 2
    assert len(sizes) > 2 and set(sizes[2:]) == {(595, 842)}
    assert pdfcheck.structural_check(pdf) == []
    assert any("continue on" in w and "enclosed A4 page(s)" in w for w in warnings)


def test_every_provider_is_printed_exactly_once(crowded):
    pdf, _, _ = crowded["final"]
    text = pdfcheck.squash(pdfcheck.text(pdf))
    for i in range(COUNT):
        name = pdfcheck.squash(_name(i))
        assert len(re.findall(re.escape(name), text)) == 1, _name(i)


def test_national_services_stay_on_the_leaflet_and_the_note_counts_the_rest(
        crowded):
    pdf, _, _ = crowded["final"]
    pages = [pdfcheck.squash(p) for p in pdfcheck.text_pages(pdf)]
    leaflet, enclosed = "".join(pages[:2]), "".join(pages[2:])
    national = pdfcheck.squash(NATIONAL_NAME)
    assert national in leaflet and national not in enclosed
    continued = sum(pdfcheck.squash(_name(i)) in enclosed for i in range(COUNT))
    assert 0 < continued < COUNT
    # The note sits on the back panel (outside), the last one providers
    # flow through, in both languages.
    for note in (f"Thêm {continued} dịch vụ ở tờ kèm theo",
                 f"{continued} more services on the enclosed sheet"):
        assert pdfcheck.squash(note) in pages[0]
    assert pdfcheck.squash("Dịch vụ tại Hà Tĩnh (tiếp theo)") in pages[2]


def test_codes_on_enclosed_pages_scan_back_to_their_payloads(crowded):
    pdf, _, composed = crowded["final"]
    expected = {item.payload for item in composed.local}
    pages = pdfcheck.text_pages(pdf)
    seen = []
    for page in range(2, len(pages)):
        codes = [r.bytes for r in pdfcheck.decode_qr(pdfcheck.render(pdf, page, DPI))]
        names = [_name(i) for i in range(COUNT)
                 if pdfcheck.squash(_name(i)) in pdfcheck.squash(pages[page])]
        assert len(codes) == len(names), page
        for code in codes:
            assert code in expected
            assert any(f"FN:{n}\r\n".encode() in code for n in names)
        seen += codes
    assert len(seen) == len(set(seen))


def test_enclosed_pages_keep_their_margins(crowded):
    pdf, _, _ = crowded["final"]
    for page in range(2, pdfcheck.page_count(pdf)):
        image = pdfcheck.render(pdf, page, DPI, grayscale=True)
        # The layout keeps 7 mm (10 mm at the top); the print shop needs 5.
        # 6.5 mm allows for anti-aliasing and icons drawn to their edge.
        ink = image < 200
        band = int(6.5 * PX)
        assert not ink[:, :band].any(), page   # left trim
        assert not ink[:, -band:].any(), page  # right trim
        assert not ink[:int(10 * PX)].any(), page  # top
        assert not ink[-band:].any(), page     # bottom


def test_draft_stamp_on_enclosed_pages(crowded):
    pdf, _, _ = crowded["draft"]
    pages = pdfcheck.text_pages(pdf)
    assert len(pages) > 2
    assert all("BẢN NHÁP – không phát hành" in p for p in pages)


def test_an_overflowing_area_leaflet_continues(bundled):
    pdf, warnings, composed = _build(bundled, {"area": "north-central-coast"})
    text = pdfcheck.squash(pdfcheck.text(pdf))
    assert pdfcheck.page_count(pdf) > 2
    assert any("enclosed A4 page(s)" in w for w in warnings)
    assert re.search(r"Thêm\d+dịchvụởtờkèmtheo", text)
    for item in composed.local + composed.national:
        assert pdfcheck.squash(item.name.main) in text, item.id


# Discreet codes ----------------------------------------------------------------

@pytest.fixture(scope="module")
def discreet(tmp_path_factory):
    root = tmp_path_factory.mktemp("discreet")
    content = make_content(root / "content")
    project = open_project(content, LAYOUTS, root / "output", TODAY)
    return _build(project, {"province": ["40"], "discreet": True})


def test_discreet_codes_without_a_discreet_name_save_a_generic_name(discreet):
    pdf, warnings, composed = discreet
    codes = []
    for page in range(pdfcheck.page_count(pdf)):
        codes += [r.bytes for r in pdfcheck.decode_qr(pdfcheck.render(pdf, page, DPI))]
    names = sorted(re.search(rb"\r\nFN:([^\r]*)\r\n", c).group(1).decode()
                   for c in codes)
    generic = [n for n in names if n != "Chị Minh"]
    assert "Chị Minh" in names
    assert generic == [f"Hỗ trợ {i}" for i in range(1, len(generic) + 1)]
    assert generic
    for item in composed.local + composed.national:
        assert not any(item.name.main.encode() in c for c in codes), item.id
    unnamed = [i.id for i in composed.local + composed.national
               if i.payload and i.contact.discreet_name.startswith("Hỗ trợ")]
    warning = next(w for w in warnings if "discreet_name" in w)
    assert all(f"{id_}" in warning for id_ in unnamed) and unnamed


def test_the_discreet_warning_names_only_providers_given_a_generic_code(bundled):
    # A provider with nothing a phone can dial gets no code, so no name is
    # saved for it, and the warning must not send the user to fix it.
    _, warnings, composed = _build(bundled, {"province": ["25"], "discreet": True})
    items = composed.local + composed.national
    assert any(i.payload is None for i in items)
    unnamed = {i.id for i in items
               if i.payload and i.contact.discreet_name.startswith("Hỗ trợ")}
    warning = next(w for w in warnings if "discreet_name" in w)
    named = set(warning.split("discreet_name: ")[1].split(";")[0].split(", "))
    assert named == unnamed
    assert f"save {len(unnamed)} provider(s)" in warning


# Metadata and captions -----------------------------------------------------------

@pytest.mark.parametrize("lang,expected", [("vi+en", "vi"), ("en", "en")])
def test_metadata_names_the_leaflet_neutrally_with_its_language(
        tmp_path, lang, expected):
    content = make_content(tmp_path / "content")
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf, _, _ = _build(project, {"province": ["40"], "lang": lang})
    meta = pdfcheck.metadata(pdf)
    assert meta["/Lang"] == expected
    assert meta["/Creator"] == "booklet"
    title = {"vi": "Thông tin hỗ trợ và liên hệ hữu ích – Nghệ An",
             "en": "Useful contacts and support – Nghe An"}[expected]
    assert meta["/Title"] == title
    for word in ("trafficking", "mua bán", "Trafficking"):
        assert word not in meta["/Title"]


def _sizes_of(pdf: bytes, page: int, wanted: str) -> list[float]:
    found = []

    def visit(text, cm, tm, font, size):
        if wanted in text:
            found.append(size * tm[3] * cm[3])
    PdfReader(pdfcheck._source(pdf)).pages[page].extract_text(visitor_text=visit)
    return found


def test_qr_captions_are_in_both_languages_and_readable(crowded):
    pdf, _, _ = crowded["final"]
    pages = pdfcheck.text_pages(pdf)
    for page in (0, 1, 2):
        text = pages[page]
        assert "Quét mã để lưu số" in text and "Scan to save the number" in text
        sizes = _sizes_of(pdf, page, "Scan to save")
        assert sizes and min(sizes) >= 6.5, (page, sizes)


def test_kinds_of_service_left_off_a_leaflet_are_warned_about(bundled):
    # Pacific Links offers five kinds of service; the tri-fold shows four.
    _, warnings, composed = _build(bundled, {"province": ["15"]})
    item = next(i for i in composed.local if i.id == "pacific-links-compassion-house")
    provider = next(p for p in bundled.content.providers if p.id == item.id)
    kinds = {s.category for s in provider.services}
    assert len(item.categories) < len(kinds)
    warning = next(w for w in warnings if "kinds of service" in w)
    assert item.id in warning
    assert f"leaves out {len(kinds) - len(item.categories)} more" in warning
    assert "blocks.max_categories" in warning
