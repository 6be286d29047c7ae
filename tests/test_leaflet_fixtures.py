"""Leaflets from small fictional content: escaping in scanned codes, secrets
kept out, fit and QR errors, draft and final, balance with one provider."""

from __future__ import annotations

import re

import numpy as np
import pytest
from reportlab.platypus import Paragraph

from booklet.errors import EditionError, FitError, LayoutError, QRError
from booklet.layouts import Layouts
from booklet.products import leaflets
from booklet.project import open_project
from booklet.render import leaflet as rl
from booklet.render.fonts import register
from booklet.select import select
from tests import pdfcheck
from tests.conftest import (
    CASEWORKER_ONLY,
    FICTIONAL,
    LAYOUTS,
    NO_CONSENT_NAME,
    SECRET_ADDRESS,
    SECRET_NOTE,
    TODAY,
    copy_layouts,
    make_content,
)

DPI = 300
PX = DPI / 25.4

CONSENTED = """\
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-01", method: phone}
"""

# Stacked diacritics, and every character RFC 2426 escapes.
DIACRITICS = """\
id: fict-diacritics
name: {vi: "Ngô Thị Ấn Độ Ễ; Nhà, \\\\ tạm", en: "Ngo Thi An Do E; House, \\\\ stay"}
kind: ngo
province: "42"
address:
  text: {vi: "Số 1, ngõ Ễ; phường Độ", en: "No 1, E lane; Do ward"}
phones:
  - number: "0239 3000 009"
    cost: free
website: "https://example.org/an-do"
hours:
  note: {vi: "Gọi trước; nghỉ trưa\\nthứ Bảy, Chủ nhật", en: "Call first"}
services:
  - category: legal
    description: {vi: "Tư vấn pháp lý", en: "Legal advice"}
""" + CONSENTED

EXPECTED_DIACRITICS = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Ngô Thị Ấn Độ Ễ\\; Nhà\\, \\\\ tạm;;;;\r\n"
    "FN:Ngô Thị Ấn Độ Ễ\\; Nhà\\, \\\\ tạm\r\n"
    "TEL;TYPE=VOICE:+842393000009\r\n"
    "ADR;TYPE=WORK:;;Số 1\\, ngõ Ễ\\; phường Độ;;;;\r\n"
    "URL:https://example.org/an-do\r\n"
    "NOTE:Gọi trước\\; nghỉ trưa\\nthứ Bảy\\, Chủ nhật\r\n"
    "END:VCARD\r\n").encode()


def _layouts(tmp_path, extra: str = "", name: str = "leaflet-trifold.yaml"):
    """A copy of the layouts with `extra` yaml appended to layout `name`."""
    layouts = copy_layouts(tmp_path / "layouts")
    target = layouts / name
    target.write_text(target.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return layouts


NO_CONTINUATION = "\ncontinuation:\n  allowed: false\n"


def _project(tmp_path, providers, layouts=LAYOUTS):
    content = make_content(tmp_path / "content", providers)
    return open_project(content, layouts, tmp_path / "output", TODAY)


def _make(project, request):
    """PDF bytes of every planned leaflet, by artifact path."""
    out = {}
    for job in leaflets.plan(project, request):
        made = leaflets.make(project, job, select(project.content, job.edition))
        for artifact in made.artifacts:
            out[artifact.path] = artifact.data
    return out


def _codes(pdf: bytes) -> list[bytes]:
    found = []
    for page in range(pdfcheck.page_count(pdf)):
        found += [r.bytes for r in pdfcheck.decode_qr(pdfcheck.render(pdf, page, DPI))]
    return found


@pytest.fixture(scope="module")
def diacritics(tmp_path_factory):
    root = tmp_path_factory.mktemp("diacritics")
    national = "national/fict-national.yaml"
    providers = {"ha-tinh/fict-diacritics.yaml": DIACRITICS,
                 national: FICTIONAL[national]}
    return _make(_project(root, providers), {"province": ["42"]})


def test_stacked_diacritics_and_escaped_values_scan_back_byte_for_byte(diacritics):
    codes = _codes(diacritics["leaflets/leaflet-42-ha-tinh-vi+en.pdf"])
    assert EXPECTED_DIACRITICS in codes


def test_stacked_diacritics_print_intact(diacritics):
    text = pdfcheck.text(diacritics["leaflets/leaflet-42-ha-tinh-vi+en.pdf"])
    assert "Ngô Thị Ấn Độ Ễ; Nhà, \\ tạm" in text


@pytest.fixture(scope="module")
def fictional_leaflets(tmp_path_factory):
    root = tmp_path_factory.mktemp("fictional")
    project = _project(root, None)
    return {"draft": _make(project, {}), "final": _make(project, {"final": True}),
            "discreet": _make(project, {"province": ["40"], "discreet": True})}


def test_confidential_address_and_internal_fields_never_reach_a_leaflet(
        fictional_leaflets):
    for edition in ("draft", "final"):
        for path, pdf in fictional_leaflets[edition].items():
            everything = pdfcheck.everything_a_reader_gets(pdf, dpi=DPI)
            for secret in (SECRET_ADDRESS, SECRET_NOTE, CASEWORKER_ONLY):
                assert secret not in everything, (edition, path, secret)
    codes = _codes(fictional_leaflets["final"]["leaflets/leaflet-40-nghe-an-vi+en.pdf"])
    shelter = [c for c in codes if b"FN:Nh\xc3\xa0 B\xc3\xacnh Minh" in c]
    assert len(shelter) == 1 and b"ADR" not in shelter[0]


def test_public_address_is_in_the_vcard(fictional_leaflets):
    codes = _codes(fictional_leaflets["final"]["leaflets/leaflet-42-ha-tinh-vi+en.pdf"])
    clinic = next(c for c in codes if b"FN:\xe1\xba\xa2o \xe1\xba\xa2nh" in c)
    assert "ADR;TYPE=WORK:;;1 Đường Thử\\, Hà Tĩnh;;;;\r\n".encode() in clinic


def test_discreet_option_saves_the_neutral_name(fictional_leaflets):
    discreet = fictional_leaflets["discreet"]
    pdf = discreet["leaflets/leaflet-40-nghe-an-discreet-vi+en.pdf"]
    codes = _codes(pdf)
    assert any(b"\r\nFN:Ch\xe1\xbb\x8b Minh\r\n" in c for c in codes)
    assert not any("Bình Minh".encode() in c for c in codes)


def test_draft_stamps_every_page_and_marks_unconfirmed_consent(fictional_leaflets):
    draft = fictional_leaflets["draft"]["leaflets/leaflet-40-nghe-an-vi+en.pdf"]
    pages = pdfcheck.text_pages(draft)
    assert all("BẢN NHÁP – không phát hành" in p for p in pages)
    text = pdfcheck.text(draft)
    assert NO_CONSENT_NAME in text
    assert "Đã từ chối đăng tải" in text
    assert "Chưa xác nhận đồng ý" not in text


def test_the_draft_stamp_stands_clear_of_the_cover_icons(fictional_leaflets):
    pdf = fictional_leaflets["draft"]["leaflets/leaflet-42-ha-tinh-vi+en.pdf"]
    image = pdfcheck.render(pdf, 0, DPI).astype(int)
    # The cover is the right-hand panel of the outside; its top 20 mm hold
    # the red stamp, then the row of category icons.
    top = image[:int(20 * PX), int(200 * PX):]
    r, g, b = top[..., 0], top[..., 1], top[..., 2]
    # Red, even where anti-aliasing pales it; the icons are teal.
    red = (r - g > 40).any(axis=1)
    teal = (((r + g + b) < 450) & (g - r > 40)).any(axis=1)
    stamp_rows = np.where(red)[0]
    icon_rows = np.where(teal)[0]
    assert stamp_rows.size and icon_rows.size
    assert stamp_rows[0] >= 4.9 * PX  # clear of the trim
    assert icon_rows[0] - stamp_rows[-1] >= 1.5 * PX


def test_final_has_no_stamp_and_leaves_out_providers_without_consent(
        fictional_leaflets):
    for path, pdf in fictional_leaflets["final"].items():
        text = pdfcheck.text(pdf)
        assert "BẢN NHÁP" not in text, path
        assert NO_CONSENT_NAME not in text, path
        assert "Chưa xác nhận đồng ý" not in text, path


def _first_ink_row(image: np.ndarray, left_mm: float, right_mm: float) -> int:
    band = image[:, int(left_mm * PX):int(right_mm * PX)]
    rows = np.where(band.min(axis=1) < 200)[0]
    return int(rows[0])


def test_a_province_with_one_provider_is_balanced(fictional_leaflets):
    pdf = fictional_leaflets["final"]["leaflets/leaflet-42-ha-tinh-vi+en.pdf"]
    inside = pdfcheck.render(pdf, 1, DPI, grayscale=True)
    # The one local provider and the national service open panels 1 and 2 at
    # the same height; the third panel is left for notes, not blank.
    first, second = _first_ink_row(inside, 0, 100), _first_ink_row(inside, 100, 200)
    assert abs(first - second) <= 1 * PX
    assert first > 12 * PX  # spread down from the top margin, not crammed
    notes = pdfcheck.text_pages(pdf)[1]
    assert "Ghi chú" in notes and "Notes" in notes


def _crowded(n: int) -> dict[str, str]:
    reach = ("Đến trực tiếp văn phòng vào buổi sáng, mang theo giấy tờ tùy thân "
             "và hỏi cán bộ tiếp nhận; nếu không có giấy tờ, hãy gọi Tổng đài 111.")
    providers = {}
    for i in range(n):
        providers[f"ha-tinh/fict-crowd-{i}.yaml"] = f"""\
id: fict-crowd-{i}
name: {{vi: "Trung tâm Hư Cấu số {i}", en: "Fictional Centre {i}"}}
kind: ngo
province: "42"
how_to_reach: {{vi: "{reach}", en: "Go in person in the morning."}}
services:
  - category: legal
    description: {{vi: "Tư vấn", en: "Advice"}}
  - category: medical
    description: {{vi: "Khám", en: "Check-ups"}}
  - category: accommodation
    description: {{vi: "Chỗ ở", en: "Shelter"}}
""" + CONSENTED
    return providers


def test_a_hotline_says_so_and_its_own_hours_under_its_number(tmp_path):
    # Office hours for the provider, a hotline that answers day and night.
    clinic = "ha-tinh/fict-clinic.yaml"
    from tests.conftest import FICTIONAL as fixtures
    entry = fixtures[clinic].replace(
        '  - number: "0239 3000 003"\n    cost: standard\n',
        '  - number: "0239 3000 003"\n    cost: standard\n'
        '  - number: "0239 3000 004"\n    cost: free\n    hotline: true\n'
        '    hours: {always: true}\n')
    assert entry != fixtures[clinic]
    project = _project(tmp_path, {clinic: entry})
    pdf, _ = _leaflet_and_warnings(project)
    text = pdfcheck.squash(pdfcheck.text(pdf))
    assert pdfcheck.squash(
        "0239 3000 004 Miễn phí · 24/7 · Đường dây nóng "
        "Free · 24/7 · Hotline") in text
    # The office line keeps the provider's hours, said once for the entry.
    assert pdfcheck.squash("0239 3000 003 Cước thường · Standard rate") in text
    lines = [line.strip() for line in pdfcheck.text(pdf).splitlines()]
    assert not [line for line in lines if line.startswith("·")]


def test_an_overflowing_province_fails_naming_panel_and_overflow(tmp_path):
    layouts = _layouts(tmp_path, NO_CONTINUATION)
    project = _project(tmp_path, _crowded(24), layouts)
    with pytest.raises(FitError) as info:
        _make(project, {"province": ["42"]})
    assert re.fullmatch(
        r"leaflet 42-ha-tinh \(leaflet-trifold\): the providers overflow panel "
        r"'back' by \d+\.\d mm even with type at 80% \(fit\.min_scale in "
        r"layouts/leaflet-trifold\.yaml\)\. Shorten the entries, build a leaflet "
        r"for fewer provinces, try another layout \(--layout a6\) or let the "
        r"providers continue on an enclosed sheet \(continuation: allowed: true "
        r"in layouts/leaflet-trifold\.yaml\)",
        str(info.value)), str(info.value)


def test_an_overflowing_a6_leaflet_suggests_the_trifold(tmp_path):
    layouts = _layouts(tmp_path, NO_CONTINUATION, "leaflet-a6.yaml")
    project = _project(tmp_path, _crowded(40), layouts)
    with pytest.raises(FitError) as info:
        _make(project, {"province": ["42"], "layout": "a6"})
    message = str(info.value)
    assert "(leaflet-a6)" in message and "(--layout trifold)" in message
    assert "--layout a6" not in message


def _long(phones: int, hours: str = "") -> str:
    numbers = "\n".join(f'  - number: "0239 3000 {i:03d}"\n    cost: standard'
                        for i in range(10, 10 + phones))
    note = f"hours:\n  note: {{vi: \"{hours}\", en: \"{hours}\"}}\n" if hours else ""
    return f"""\
id: fict-long
name: {{vi: "Trung tâm Hư Cấu có rất nhiều số điện thoại", en: "Many Phones"}}
kind: ngo
province: "42"
website: "https://example.org/trung-tam-hu-cau-co-rat-nhieu-so-dien-thoai"
phones:
{numbers}
{note}services:
  - category: legal
    description: {{vi: "Tư vấn", en: "Advice"}}
""" + CONSENTED


def _leaflet_and_warnings(project, final: bool = True):
    """The print leaflet for Hà Tĩnh and the warnings its build gave."""
    job = leaflets.plan(project, {"province": ["42"], "final": final})[0]
    made = leaflets.make(project, job, select(project.content, job.edition))
    return made.artifacts[0].data, made.warnings


def test_a_contact_too_long_for_a_code_falls_back_to_calling_its_first_number(
        tmp_path):
    national = "national/fict-national.yaml"
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": _long(14),
                                  national: FICTIONAL[national]})
    pdf, warnings = _leaflet_and_warnings(project)
    codes = _codes(pdf)
    # The long entry is still printed and its code still calls it; the other
    # provider keeps its whole contact.
    assert b"tel:+842393000010" in codes
    assert any(c.startswith(b"BEGIN:VCARD") and b"18000000" in c for c in codes)
    assert "0239 3000 023" in pdfcheck.text(pdf)
    said = [w for w in warnings if "fict-long" in w]
    assert said == [
        "leaflet 42-ha-tinh (leaflet-trifold): provider 'fict-long': its whole "
        "contact does not fit a QR code here, so its code only calls "
        "+842393000010; give it a shorter short_name, address, website or hours "
        "note, or raise qr.max_span in layouts/leaflet-trifold.yaml"]
    # Its caption says the code calls, not that it saves a contact.
    assert "Scan to call" in pdfcheck.text(pdf)


def test_a_contact_with_a_long_note_keeps_its_numbers_in_the_code(tmp_path):
    note = ("Gọi trước khi đến; nghỉ trưa từ 11 giờ 30 "
            "đến 13 giờ 30. ") * 3
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": _long(3, note)})
    pdf, warnings = _leaflet_and_warnings(project)
    [code] = [c for c in _codes(pdf) if b"Many" in c or "Hư".encode() in c]
    assert code.count(b"TEL;") == 3
    assert b"NOTE:" not in code and b"URL:" not in code
    assert any("saves only its name and numbers" in w for w in warnings)


def test_a_contact_with_no_number_to_call_gets_a_code_of_its_website(tmp_path):
    # Only a pre-2017 number, which no code may dial, and a long address: a
    # card would save a name under "Scan to open the website".
    old_number = 'phones:\n  - number: "08.38346080"\n    cost: standard\n'
    address = ('address:\n  text: {vi: "' + "Số 1 đường Hư Cấu, " * 12
               + '", en: "No 1 Fiction Street"}\nservices:')
    entry = _long(0).replace("phones:\n\n", old_number).replace("services:", address)
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": entry})
    # A draft: a final edition refuses the old number outright.
    pdf, warnings = _leaflet_and_warnings(project, final=False)
    site = b"https://example.org/trung-tam-hu-cau-co-rat-nhieu-so-dien-thoai"
    assert site in _codes(pdf)
    assert "Scan to open the website" in " ".join(pdfcheck.text(pdf).split())
    # Nothing was cut to make it fit, so nothing to warn of.
    assert not [w for w in warnings if "does not fit a QR code" in w]


def test_a_code_that_fits_no_way_fails_naming_provider_and_excess(tmp_path):
    layouts = _layouts(tmp_path, "\nqr:\n  max_span: 8mm\n  min_span: 8mm\n")
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": _long(14)}, layouts)
    with pytest.raises(QRError) as info:
        _make(project, {"province": ["42"]})
    assert re.fullmatch(
        r"leaflet 42-ha-tinh \(leaflet-trifold\), provider 'fict-long': the payload "
        r"is \d+ bytes, a version \d+ symbol at level M \(\d+ modules\); the space "
        r"takes \d+ modules of 0\.\d\d mm, so it is \d+ modules? \(\d+ bytes?\) over\. "
        r"Shorten the entry \(fewer phones, a shorter short_name, address, website "
        r"or hours note\), raise qr\.max_span or choose qr\.payload: tel or url in "
        r"the layout",
        str(info.value)), str(info.value)


def test_a_website_too_long_for_its_code_says_to_shorten_the_address(tmp_path):
    # The advice for a contact card (fewer phones, a shorter short_name...)
    # did not apply to a code that only opens a website.
    layouts = _layouts(tmp_path, "\nqr:\n  max_span: 8mm\n  min_span: 8mm\n")
    entry = _long(0).replace("phones:\n\n", "")
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": entry}, layouts)
    with pytest.raises(QRError) as info:
        _make(project, {"province": ["42"]})
    assert str(info.value).endswith(
        "The code opens its website: give a shorter address in the provider file "
        "(its home page), or raise qr.max_span in the layout")


def test_a_leaflet_layout_of_ones_own_builds_by_its_name(tmp_path):
    layouts = _layouts(tmp_path)
    # The trifold with the leaflet's QR codes a little larger.
    (layouts / "leaflet-roomy.yaml").write_text(
        "extends: leaflet-trifold\nqr:\n  prefer_module: 0.6mm\n", encoding="utf-8")
    project = _project(tmp_path, None, layouts)
    built = _make(project, {"province": ["42"], "layout": "roomy"})
    # The phone variant is the one every printed layout shares.
    assert sorted(built) == ["leaflets/leaflet-42-ha-tinh-vi+en-phone.pdf",
                             "leaflets/leaflet-42-ha-tinh-vi+en-roomy.pdf"]
    assert b"TEL;TYPE=VOICE:+842393000003" in b"".join(
        _codes(built["leaflets/leaflet-42-ha-tinh-vi+en-roomy.pdf"]))


def test_a_leaflet_layout_that_is_not_a_printed_leaflet_is_refused(tmp_path):
    layouts = _layouts(tmp_path)
    (layouts / "leaflet-clash.yaml").write_text("extends: print\n", encoding="utf-8")
    project = _project(tmp_path, None, layouts)
    with pytest.raises(EditionError) as info:
        leaflets.plan(project, {"layout": "clash"})
    assert str(info.value) == (
        "layouts/leaflet-clash.yaml is not a printed leaflet layout (kind: None); "
        "make it extend leaflet-trifold or leaflet-a6")


def test_a_copied_leaflet_layout_missing_a_panel_setting_says_which(tmp_path):
    # A full copy of leaflet-trifold with 'rol:' for 'role:' stopped the
    # build with an internal KeyError.
    layouts = _layouts(tmp_path)
    copied = (layouts / "leaflet-trifold.yaml").read_text(encoding="utf-8")
    (layouts / "leaflet-typo.yaml").write_text(
        copied.replace("role: hotlines", "rol: hotlines"), encoding="utf-8")
    project = _project(tmp_path, None, layouts)
    with pytest.raises(LayoutError) as info:
        _make(project, {"province": ["42"], "layout": "typo"})
    assert str(info.value) == (
        "leaflet 42-ha-tinh (leaflet-typo): sides[0].panels[0] has no 'role'; "
        "did you mean 'role' for 'rol'?")


def test_tel_and_url_payloads_chosen_in_the_layout_scan_back(tmp_path):
    layouts = copy_layouts(tmp_path / "layouts")
    trifold = layouts / "leaflet-trifold.yaml"
    content = make_content(tmp_path / "content")
    document = content / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        "settings:\n", "settings:\n  qr_base_url: \"https://example.org/s/\"\n"),
        encoding="utf-8")
    found = {}
    for kind in ("tel", "url"):
        trifold.write_text(trifold.read_text(encoding="utf-8")
                           + f"\nqr:\n  payload: {kind}\n", encoding="utf-8")
        project = open_project(content, layouts, tmp_path / "output", TODAY)
        pdf = _make(project, {"province": ["42"], "final": True})[
            "leaflets/leaflet-42-ha-tinh-vi+en.pdf"]
        found[kind] = sorted(_codes(pdf))
        trifold.write_text(trifold.read_text(encoding="utf-8").replace(
            f"\nqr:\n  payload: {kind}\n", ""), encoding="utf-8")
    assert found["tel"] == [b"tel:+842393000003", b"tel:18000000"]
    assert found["url"] == [b"https://example.org/s/fict-clinic",
                            b"https://example.org/s/fict-national"]


def _with_phones(n: int) -> dict[str, str]:
    """`n` providers each with a phone, so each with a QR code."""
    providers = {}
    for i in range(n):
        providers[f"ha-tinh/fict-call-{i}.yaml"] = f"""\
id: fict-call-{i}
name: {{vi: "Trung tâm Hư Cấu số {i}", en: "Fictional Centre {i}"}}
kind: ngo
province: "42"
phones:
  - number: "0239 3000 {i + 100:03d}"
    cost: standard
services:
  - category: legal
    description: {{vi: "Tư vấn", en: "Advice"}}
""" + CONSENTED
    return providers


@pytest.fixture
def layout_passes(monkeypatch):
    """The type scales the leaflet is laid out at, in order, and the scale
    it is drawn at."""
    seen = {"placed": [], "drawn": None, "args": None}
    place, draw = rl._place, rl._draw

    def counting(leaflet, layout, layouts, sheet, flow, scale, where, memo=None):
        seen["placed"].append(scale)
        seen["args"] = (leaflet, layout, layouts, where)
        return place(leaflet, layout, layouts, sheet, flow, scale, where, memo)

    def drawing(leaflet, layout, layouts, sheet, scale, title):
        seen["drawn"] = scale
        return draw(leaflet, layout, layouts, sheet, scale, title)
    monkeypatch.setattr(rl, "_place", counting)
    monkeypatch.setattr(rl, "_draw", drawing)
    return seen


def test_an_overflowing_province_is_laid_out_at_full_size_and_floor_only(
        tmp_path, layout_passes):
    project = _project(tmp_path, _crowded(24), _layouts(tmp_path, NO_CONTINUATION))
    with pytest.raises(FitError):
        _make(project, {"province": ["42"]})
    assert layout_passes["placed"] == [1.0, 0.8]


def test_a_province_whose_codes_alone_overflow_fails_after_one_layout(
        tmp_path, layout_passes):
    # 34 codes of at least 26 mm are taller than the four provider panels.
    project = _project(tmp_path, _with_phones(34),
                       _layouts(tmp_path, NO_CONTINUATION))
    with pytest.raises(FitError) as info:
        _make(project, {"province": ["42"]})
    assert layout_passes["placed"] == [0.8]
    assert re.fullmatch(
        r"leaflet 42-ha-tinh \(leaflet-trifold\): the providers overflow panel "
        r"'back' by \d+\.\d mm even with type at 80% .*", str(info.value))


@pytest.mark.parametrize("count", [16, 17])
def test_the_type_scale_chosen_is_the_largest_that_fits(tmp_path, layout_passes,
                                                        count):
    project = _project(tmp_path, _crowded(count))
    job = leaflets.plan(project, {"province": ["42"]})[0]
    leaflets.make(project, job, select(project.content, job.edition))
    leaflet, layout, layouts, where = layout_passes["args"]
    fitting = [s for s in (1.0, 0.95, 0.9, 0.85, 0.8) if rl._place(
        leaflet, layout, layouts, rl.panel_sheet(layout), layout["flow"], s,
        where) is None]
    assert layout_passes["drawn"] == fitting[0]


@pytest.mark.parametrize("macro,values", [
    ("plain", ("Ngô Thị Ấn Độ Ễ – Hà Tĩnh",)),
    ("phone", ("0239\u00a03000\u00a0009",)),
    ("category", ("Pháp lý", "Legal help")),
    ("category", ("Pháp lý", "")),
    ("cost", ("Cước thường", "Standard rate")),
    ("plain", ("Children's & <Women's> \"Union\"",)),
    ("plain", ("  two  spaces ",)),
])
def test_reused_paragraph_fragments_are_the_parsers(macro, values):
    """Leaflet paragraphs reuse fragments parsed once per macro and style;
    they must be the ones ReportLab's parser makes from the markup."""
    layouts = Layouts(LAYOUTS)
    register(layouts.fonts())
    pieces = rl.Pieces(None, layouts.get("leaflet-trifold"), layouts, 1.0, False)
    style = pieces.s.style("body", bold=True)
    extra = (pieces.s.hex["muted"],) if macro == "category" else ()
    markup = str(getattr(pieces.tpl, macro)(*values, *extra))
    parsed = Paragraph(markup, style).frags
    for _ in range(2):  # the first call parses the model, the second reuses it
        reused = pieces._fragments(macro, values, style, extra)
        if reused is not None:
            assert [f.__dict__ for f in reused] == [f.__dict__ for f in parsed]
    if macro == "plain" and values[0].startswith("Ngô"):
        assert reused is not None


def test_an_invalid_number_is_said_to_be_possibly_wrong_not_old(tmp_path):
    # Too many digits: flagged, never dialled, but not a pre-2017 number.
    entry = _long(0).replace(
        "phones:\n\n", 'phones:\n  - number: "0239 3000 00312"\n    cost: standard\n')
    project = _project(tmp_path, {"ha-tinh/fict-long.yaml": entry})
    pdf, _ = _leaflet_and_warnings(project, final=False)
    text = " ".join(pdfcheck.text(pdf).split())
    assert "This number may be wrong. Call 111." in text
    assert "Số này có thể sai. Hãy gọi 111." in text
    assert "Old number" not in text and "Số cũ" not in text
