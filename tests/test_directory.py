"""The full directory PDFs, read back as a reader and a print shop meet them."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import unicodedata

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from booklet.errors import BookletError
from booklet.products import directory
from booklet.select import Edition, select
from tests import pdfcheck
from tests.conftest import LAYOUTS, TODAY, copy_layouts, make_content

MM = 72 / 25.4
KEYS = ("directory-vi-print", "directory-vi-screen", "directory-en-print",
        "directory-en-screen")


def make_all(project, request: dict | None = None) -> dict[str, dict]:
    """Every job of the directory: key -> {selection, files: path -> bytes}."""
    out = {}
    for job in directory.plan(project, request or {}):
        selection = select(project.content, job.edition)
        made = directory.make(project, job, selection)
        out[job.key] = {"selection": selection, "job": job, "made": made,
                        "files": {a.path: a.data for a in made.artifacts}}
    return out


def main_pdf(built: dict, key: str) -> bytes:
    return built[key]["files"][f"directory/{key}.pdf"]


@pytest.fixture(scope="module")
def bundled_built(bundled):
    return make_all(bundled)


@pytest.fixture(scope="module")
def final_built(tmp_path_factory):
    from booklet.project import open_project
    root = tmp_path_factory.mktemp("directory-final")
    project = open_project(make_content(root / "content"), LAYOUTS,
                           root / "output", TODAY)
    return make_all(project, {"final": True})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Plan ------------------------------------------------------------------
def test_plan_makes_four_jobs_and_narrows_by_language_and_layout(bundled):
    assert [j.key for j in directory.plan(bundled, {})] == [
        "directory-vi-print", "directory-vi-screen", "directory-en-print",
        "directory-en-screen"]
    jobs = directory.plan(bundled, {"lang": "en", "layout": "print"})
    assert [j.key for j in jobs] == ["directory-en-print"]
    assert jobs[0].outputs == ("directory/directory-en-print.pdf",
                               "directory/directory-en-print-a4-imposed.pdf")
    assert jobs[0].edition.medium == "print"
    assert directory.plan(bundled, {"layout": "screen"})[0].edition.medium == "screen"


def test_a_layout_of_ones_own_is_named_in_its_errors(tmp_path):
    from booklet.errors import LayoutError
    from booklet.layouts import Layouts
    from booklet.project import open_project
    layouts = copy_layouts(tmp_path / "layouts")
    (layouts / "thin.yaml").write_text(
        "extends: print\npage:\n  margins: {top: 4mm}\n", encoding="utf-8")
    project = open_project(make_content(tmp_path / "content"), layouts,
                           tmp_path / "output", TODAY)
    with pytest.raises(LayoutError) as err:
        make_all(project, {"layout": "thin", "lang": "en"})
    assert str(err.value) == ("layouts/thin.yaml: page.margins.top is 4.0 mm; text "
                              "must stay at least 5 mm inside the trim")
    # A copy of the layouts whose fonts.yaml still says ../fonts.
    moved = tmp_path / "elsewhere" / "layouts"
    shutil.copytree(LAYOUTS, moved)
    with pytest.raises(LayoutError) as err:
        Layouts(moved).fonts()
    assert "'directory:' in that file (../fonts) is read from" in str(err.value)


def test_a_misspelt_setting_in_a_layout_of_ones_own_is_refused(tmp_path):
    # Merged, 'bdy' was kept beside 'body' and changed nothing, without a word.
    from booklet.errors import LayoutError
    from booklet.layouts import Layouts
    from booklet.project import open_project
    layouts = copy_layouts(tmp_path / "layouts")
    (layouts / "big.yaml").write_text(
        "extends: print\ntype:\n  bdy: 10\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        Layouts(layouts).get("big")
    assert str(err.value) == (
        f"{layouts / 'big.yaml'}: 'type.bdy' is not a setting of the layout "
        "'print' it extends; did you mean 'type.body'?")
    (layouts / "noext.yaml").write_text("extend: print\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        Layouts(layouts).get("noext")
    assert str(err.value).endswith("'extend' is not a setting; did you mean "
                                   "'extends'?")
    # In a list that replaces an inherited one (it stopped the build with
    # an internal KeyError).
    (layouts / "folds.yaml").write_text(
        "extends: leaflet-trifold\nsides:\n  - name: outside\n    panels:\n"
        "      - {name: flap, widht: 97mm, role: hotlines}\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        Layouts(layouts).get("folds")
    assert str(err.value).endswith(
        "'sides[0].panels[0].widht' is not a setting of the layout "
        "'leaflet-trifold' it extends; did you mean 'sides[0].panels[0].width'?")
    # Asked for by name, it is not 'no layout' (which it was called).
    project = open_project(make_content(tmp_path / "content"), layouts,
                           tmp_path / "output", TODAY)
    with pytest.raises(LayoutError) as err:
        directory.plan(project, {"layout": "big"})
    assert "did you mean 'type.body'?" in str(err.value)


def test_a_narrowed_directory_says_what_it_holds_on_every_page(bundled,
                                                              bundled_built):
    # Printed, a province's edition passed for the whole directory: its
    # cover, title and pages were those of the full one.
    built = make_all(bundled, {"province": ["46"], "lang": "en", "layout": "print"})
    key = "directory-en-print-provinces-46"
    name = bundled.content.province("46").short_name.en
    for path, pdf in built[key]["files"].items():
        assert pdfcheck.metadata(pdf)["/Title"].endswith(f"– Only {name}"), path
    pages = pdfcheck.text_pages(main_pdf(built, key))
    assert all(f"Only {name}" in page for page in pages)
    # It has no local provider: Part 2 names it all the same, and says so.
    assert not [e for e in built[key]["selection"].entries
                if not e.provider.is_national]
    text = " ".join(" ".join(pages).split())
    assert (f"No local service in {name} is listed yet. The national services at "
            "the start of Part 2 serve it too") in text
    built = make_all(bundled, {"region": "north-central-coast",
                               "category": ["legal"], "lang": "vi",
                               "layout": "screen"})
    (key,) = built
    region = next(r for r in bundled.content.regions
                  if r.code == "north-central-coast")
    legal = bundled.content.category("legal").name.vi
    assert f"Chỉ gồm {region.name.vi} · {legal}" in pdfcheck.text_pages(
        main_pdf(built, key))[0]
    # Narrowed to legal services, Nghe An's other local services are
    # there in the full directory: the line says so, not "no local service".
    built = make_all(bundled, {"province": ["40"], "category": ["legal"],
                               "lang": "en", "layout": "screen"})
    (key,) = built
    text = " ".join(" ".join(pdfcheck.text_pages(main_pdf(built, key))).split())
    assert not [e for e in built[key]["selection"].entries
                if not e.provider.is_national]
    assert "No local service of the kinds in this edition is listed" in text
    assert "No local service in" not in text
    # The whole directory says nothing of the kind.
    whole = main_pdf(bundled_built, "directory-en-print")
    assert pdfcheck.metadata(whole)["/Title"] == bundled.content.document.title.en
    assert f"Only {name}" not in pdfcheck.text(whole)


def test_two_ways_of_choosing_provinces_are_refused(bundled):
    with pytest.raises(BookletError) as err:
        directory.plan(bundled, {"region": "north-central-coast", "province": ["40"]})
    assert str(err.value) == (
        "directory: --region and --province each choose the provinces; give only "
        "one of them")


def test_area_and_region_of_one_code_get_their_own_files(bundled):
    request = {"lang": "en", "layout": "screen"}
    (region,) = directory.plan(bundled, {**request, "region": "north-central-coast"})
    (area,) = directory.plan(bundled, {**request, "area": "north-central-coast"})
    assert region.outputs == ("directory/directory-en-screen-north-central-coast.pdf",)
    assert area.outputs == (
        "directory/directory-en-screen-area-north-central-coast.pdf",)


def test_plan_refuses_an_unknown_layout(bundled):
    with pytest.raises(BookletError) as err:
        directory.plan(bundled, {"layout": "poster"})
    assert str(err.value) == (
        "directory: no layout 'poster' for --layout; use print, screen or the name "
        f"of a file in {LAYOUTS} whose medium is print or screen")
    with pytest.raises(BookletError) as err:
        directory.plan(bundled, {"layout": "leaflet-trifold"})
    assert str(err.value).startswith(
        f"directory: {LAYOUTS / 'leaflet-trifold.yaml'} is not a directory layout")


def test_a_layout_file_of_ones_own_builds_by_its_name(tmp_path):
    from booklet.project import open_project
    layouts = copy_layouts(tmp_path / "layouts")
    # A larger page for readers with poor sight: the print layout, on A4.
    (layouts / "large.yaml").write_text(
        "extends: print\npage:\n  trim: [210mm, 297mm]\n"
        "impose:\n  sheet: [420mm, 297mm]\n", encoding="utf-8")
    project = open_project(make_content(tmp_path / "content"), layouts,
                           tmp_path / "output", TODAY)
    built = make_all(project, {"layout": "large", "lang": "en"})
    assert list(built) == ["directory-en-large"]
    files = built["directory-en-large"]["files"]
    assert sorted(files) == ["directory/directory-en-large-a3-imposed.pdf",
                             "directory/directory-en-large.pdf"]
    page = PdfReader(io.BytesIO(files["directory/directory-en-large.pdf"])).pages[0]
    x0, y0, x1, y1 = (float(v) for v in page["/TrimBox"])
    assert (round((x1 - x0) / MM), round((y1 - y0) / MM)) == (210, 297)
    assert built["directory-en-large"]["job"].edition.medium == "print"


def test_caseworker_directory_has_its_own_keys(bundled):
    jobs = directory.plan(bundled, {"audience": "caseworker", "lang": "vi"})
    assert [j.key for j in jobs] == ["directory-vi-print-caseworker",
                                     "directory-vi-screen-caseworker"]
    assert all(j.edition.audience == "caseworker" for j in jobs)


# What every reader gets ------------------------------------------------
def test_every_provider_name_in_both_languages_comes_out_of_every_pdf(
        bundled_built):
    for key in KEYS:
        text = pdfcheck.squash(pdfcheck.text(main_pdf(bundled_built, key)))
        for entry in bundled_built[key]["selection"].entries:
            for name in (entry.provider.name.vi, entry.provider.name.en):
                if name:
                    assert pdfcheck.squash(nfc(name)) in text, (key, name)


def test_fonts_are_embedded_subset_and_mapped_and_none_is_standard_14(
        bundled_built):
    for key in KEYS:
        for path, pdf in bundled_built[key]["files"].items():
            fonts = pdfcheck.fonts(pdf)
            assert fonts, path
            assert pdfcheck.standard14_fonts(pdf) == [], path
            for font in fonts:
                assert font.embedded and font.subset and font.to_unicode, (
                    path, font)


def test_every_pdf_passes_the_structural_check(bundled_built):
    for key in KEYS:
        for path, pdf in bundled_built[key]["files"].items():
            assert pdfcheck.structural_check(pdf) == [], path


def test_artifacts_report_their_page_counts(bundled_built):
    for key in KEYS:
        for artifact in bundled_built[key]["made"].artifacts:
            assert artifact.pages == pdfcheck.page_count(artifact.data)


# Print -----------------------------------------------------------------
def test_print_pages_have_a5_trim_and_3mm_bleed_boxes(bundled_built):
    for key in ("directory-vi-print", "directory-en-print"):
        reader = PdfReader(pdfcheck._source(main_pdf(bundled_built, key)))
        for i, page in enumerate(reader.pages):
            trim = [float(v) for v in page["/TrimBox"]]
            bleed = [float(v) for v in page["/BleedBox"]]
            media = [float(v) for v in page.mediabox]
            assert round((trim[2] - trim[0]) / MM, 1) == 148.0, i
            assert round((trim[3] - trim[1]) / MM, 1) == 210.0, i
            for a, b, sign in zip(trim, bleed, (-1, -1, 1, 1), strict=True):
                assert round((b - a) * sign / MM, 2) == 3.0, i
            # Crop marks live outside the bleed, so the media box is larger.
            assert media[2] - media[0] > bleed[2] - bleed[0] + 10 * MM


def test_print_page_count_is_a_multiple_of_4_with_blanks_before_the_back(
        bundled_built, bundled):
    strings = bundled.layouts.strings("vi")
    words = bundled.layouts.get("print")["words"]["vi"]
    pdf = main_pdf(bundled_built, "directory-vi-print")
    pages = pdfcheck.text_pages(pdf)
    assert len(pages) % 4 == 0
    assert pdfcheck.squash(words["back_title"]) in pdfcheck.squash(pages[-1])
    stamp = pdfcheck.squash(strings["draft_stamp"])
    index_end = max(i for i, t in enumerate(pages)
                    if pdfcheck.squash(words["index_alpha"]) in pdfcheck.squash(t))
    for blank in pages[index_end + 1:-1]:
        # A padding page carries nothing but the draft stamp.
        if pdfcheck.squash(blank).replace(stamp, "") == "":
            continue
        # ... unless the index runs on to it.
        assert blank is pages[index_end + 1]


def test_print_uses_cmyk_only_and_k_only_black_text(bundled_built):
    pdf = main_pdf(bundled_built, "directory-vi-print")
    with pikepdf.open(pdfcheck._source(pdf)) as doc:
        for i, page in enumerate(doc.pages):
            parsed = pikepdf.parse_content_stream(page)
            ops = [(str(op.operator), [float(v) for v in op.operands])
                   for op in parsed
                   if str(op.operator) in ("rg", "RG", "g", "G", "k", "K")]
            texts = sum(str(op.operator) == "BT" for op in parsed)
            assert not {o for o, _ in ops} & {"rg", "RG", "g", "G"}, (
                f"non-CMYK colour on page {i + 1}")
            # Crop marks are K-only; so is every black on text pages.
            assert ("K", [0, 0, 0, 1]) in ops, i
            if 0 < i < len(doc.pages) - 1 and texts > 1:  # beyond the stamp
                assert ("k", [0, 0, 0, 1]) in ops, i


def _printed_chars(pdf: bytes):
    """(page index, character box) of every printed character but the
    diagonal draft stamp."""
    for i, page in enumerate(pdfium.PdfDocument(pdf)):
        textpage = page.get_textpage()
        for c in range(textpage.count_chars()):
            if textpage.get_text_range(c, 1).isspace():
                continue
            box = textpage.get_charbox(c)
            if box[2] - box[0] <= 40:
                yield i, box


def test_print_text_stays_5mm_inside_the_trim(bundled_built):
    pdf = main_pdf(bundled_built, "directory-en-print")
    reader = PdfReader(pdfcheck._source(pdf))
    for i, (left, bottom, right, top) in _printed_chars(pdf):
        x0, y0, x1, y1 = (float(v) for v in reader.pages[i]["/TrimBox"])
        assert left >= x0 + 5 * MM - 0.5 and right <= x1 - 5 * MM + 0.5, i
        assert bottom >= y0 + 5 * MM - 0.5 and top <= y1 - 5 * MM + 0.5, i


def test_a_long_marking_stays_clear_of_the_folio(bundled):
    # Caseworker, confidential, a region and a service: one line at the
    # folio's size ran past the page number on an A5 page.
    built = make_all(bundled, {
        "region": "north-central-coast", "category": ["legal"], "lang": "vi",
        "layout": "print", "audience": "caseworker", "show_confidential": True})
    (key,) = built
    pdf = main_pdf(built, key)
    reader = PdfReader(pdfcheck._source(pdf))
    for i, (left, _bottom, right, _top) in _printed_chars(pdf):
        x0, _y0, x1, _y1 = (float(v) for v in reader.pages[i]["/TrimBox"])
        assert left >= x0 + 5 * MM - 0.5 and right <= x1 - 5 * MM + 0.5, i
    marking = pdfcheck.squash(
        "Chỉ dành cho cán bộ · Có địa chỉ BẢO MẬT · "
        "Chỉ gồm Bắc Trung Bộ và Duyên hải "
        "miền Trung · Pháp lý")
    doc = pdfium.PdfDocument(pdf)
    for number, page in enumerate(doc):
        assert marking in pdfcheck.squash(page.get_textpage().get_text_range())
        # No two characters at the foot of the page overlap: the marking
        # does not run into the folio.
        text = page.get_textpage()
        trim_bottom = float(page.get_trimbox()[1])
        foot = sorted(box for i in range(text.count_chars())
                      if not text.get_text_range(i, 1).isspace()
                      and (box := text.get_charbox(i))[1] < trim_bottom + 14 * MM)
        for a, b in itertools.pairwise(foot):
            if abs(a[1] - b[1]) < 1:
                assert a[2] <= b[0] + 0.5, number


def test_a_page_marking_is_never_set_below_its_floor(bundled):
    # Five kinds of service on top of the rest: its second line came out
    # at 3.3 pt, unreadable.
    built = make_all(bundled, {
        "region": "northern-midlands-mountains", "lang": "en", "layout": "print",
        "category": ["legal", "medical", "psychological", "social_welfare",
                     "accommodation"],
        "audience": "caseworker", "show_confidential": True})
    (key,) = built
    pdf = main_pdf(built, key)
    doc = pdfium.PdfDocument(pdf)
    sizes = []
    for page in doc:
        text = page.get_textpage()
        trim_bottom = float(page.get_trimbox()[1])
        for i in range(text.count_chars()):
            if text.get_text_range(i, 1).isspace():
                continue
            if text.get_charbox(i)[1] < trim_bottom + 14 * MM:
                sizes.append(pdfium_c.FPDFText_GetFontSize(text.raw, i))
    assert sizes and min(sizes) >= 5.5 - 0.01, min(sizes)
    # The cover names every kind in full; the foot, short ones.
    cover = " ".join(pdfcheck.text_pages(pdf)[0].split())
    assert "Psychological support and mental health" in cover
    assert "Legal help, Medical care, Mental health +2" in cover


def test_running_heads_name_the_province(bundled_built, bundled):
    pdf = main_pdf(bundled_built, "directory-vi-print")
    reader = PdfReader(pdfcheck._source(pdf))
    doc = pdfium.PdfDocument(pdf)
    provinces = {p.short_name.vi for p in bundled.content.provinces}
    heads = []
    for i, page in enumerate(doc):
        x0, _, x1, y1 = (float(v) for v in reader.pages[i]["/TrimBox"])
        head = page.get_textpage().get_text_bounded(x0, y1 - 12 * MM, x1, y1)
        heads.append(nfc(head).strip())
    assert provinces & set(heads) >= {"Hà Nội", "Nghệ An", "Hà Tĩnh"}


def test_imposed_print_is_a4_two_up_with_half_the_pages(bundled_built):
    files = bundled_built["directory-vi-print"]["files"]
    pages = pdfcheck.page_count(files["directory/directory-vi-print.pdf"])
    imposed = files["directory/directory-vi-print-a4-imposed.pdf"]
    reader = PdfReader(pdfcheck._source(imposed))
    assert len(reader.pages) == pages // 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (297, 210)


# Screen ----------------------------------------------------------------
def test_screen_has_nested_bookmarks_region_province_provider(bundled_built):
    pdf = main_pdf(bundled_built, "directory-vi-screen")
    outline = PdfReader(pdfcheck._source(pdf)).outline
    flat = list(outline)
    i = next(k for k, item in enumerate(flat) if not isinstance(item, list)
             and str(item.title) == "Đồng bằng sông Hồng")
    provinces = flat[i + 1]
    assert isinstance(provinces, list)
    assert str(provinces[0].title) == "Hà Nội"
    assert isinstance(provinces[1], list)
    providers = [str(p.title) for p in provinces[1]]
    assert "Tổ chức Trẻ em Rồng Xanh" in providers


def test_screen_has_phone_web_and_internal_links(bundled_built):
    pdf = main_pdf(bundled_built, "directory-en-screen")
    targets = pdfcheck.links(pdf)
    assert "tel:111" in targets
    assert any(t.startswith("tel:+84") for t in targets)
    assert "https://bluedragon.org" in targets
    internal = 0
    for page in PdfReader(pdfcheck._source(pdf)).pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot or (annot.get("/A") or {}).get("/S") == "/GoTo":
                internal += 1
    # Contents and both indexes link to their pages.
    assert internal > 40


def test_screen_metadata_language_and_opening_view(bundled_built):
    for lang in ("vi", "en"):
        pdf = main_pdf(bundled_built, f"directory-{lang}-screen")
        meta = pdfcheck.metadata(pdf)
        assert meta["/Lang"] == lang
        assert meta["/Title"] and meta["/Subject"]
        root = PdfReader(pdfcheck._source(pdf)).trailer["/Root"]
        assert root["/PageMode"] == "/UseOutlines"
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True


def test_screen_uses_rgb_a4_pages(bundled_built):
    pdf = main_pdf(bundled_built, "directory-en-screen")
    page = PdfReader(pdfcheck._source(pdf)).pages[3]
    assert (round(float(page.mediabox.width) / MM),
            round(float(page.mediabox.height) / MM)) == (210, 297)


# Draft and final -------------------------------------------------------
def test_draft_stamp_is_on_every_page_of_a_draft(bundled_built, bundled):
    for key in KEYS:
        lang = key.split("-")[1]
        stamp = pdfcheck.squash(bundled.layouts.strings(lang)["draft_stamp"])
        for path, pdf in bundled_built[key]["files"].items():
            for i, page in enumerate(pdfcheck.text_pages(pdf)):
                assert stamp in pdfcheck.squash(page), (path, i)


def test_draft_marks_pending_consent_and_verification(bundled_built, bundled):
    strings = bundled.layouts.strings("en")
    text = pdfcheck.squash(pdfcheck.text(main_pdf(bundled_built,
                                                  "directory-en-print")))
    assert pdfcheck.squash(strings["consent_pending"]) in text
    assert pdfcheck.squash(strings["not_verified"]) in text


def test_a_fee_reads_as_a_sentence_of_its_own(bundled_built, bundled):
    for lang in ("vi", "en"):
        fees = bundled.layouts.strings(lang)["fees"].values()
        text = " ".join(pdfcheck.text(main_pdf(bundled_built,
                                               f"directory-{lang}-print")).split())
        found = 0
        for fee in fees:
            # Never "... tháng thứ 6. chưa rõ phí" with a lower-case start.
            assert f". {fee}" not in text, (lang, fee)
            found += text.count(f". {fee[0].upper()}{fee[1:]}")
        assert found >= len(bundled.content.providers), lang


def test_a_fee_note_in_brackets_does_not_double_the_full_stop(fictional):
    from booklet.compose.entry import view
    path = fictional.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "fees: {kind: paid}", 'fees: {kind: paid, note: {vi: "200.000 đồng một '
        'buổi.", en: "VND 200,000 a session."}}'), encoding="utf-8")
    fictional.loaded = None
    selection = select(fictional.content, Edition("public"))
    [entry] = [e for e in selection.entries if e.provider.id == "fict-clinic"]
    strings = fictional.layouts.strings("en")
    [note] = [s.fees_note.text for s in view(entry, fictional.content, strings,
                                             "en").services if s.fees_note]
    assert note == "VND 200,000 a session"


def test_back_cover_numbers_keep_clear_of_their_text(bundled_built, bundled):
    from booklet.compose.text import pick
    for key in KEYS:
        lang = key.split("-")[1]
        doc = pdfium.PdfDocument(main_pdf(bundled_built, key))
        text = doc[len(doc) - 1].get_textpage()
        for hotline in bundled.content.document.hotlines:
            number = _box(text, hotline.number)
            name = _box(text, pick(hotline.name, lang)[0][:12])
            # The name starts on the number's line, an em or so to its right.
            assert abs(number[1] - name[1]) < 10 * MM, (key, hotline.number)
            assert (name[0] - number[2]) / MM >= 4, (key, hotline.number)


def _box(text, words: str) -> tuple[float, ...]:
    """Left, bottom, right, top of the last place `words` is on the page."""
    found = text.search(words, match_case=True)
    boxes = []
    while (where := found.get_next()) is not None:
        first, count = where
        left = text.get_charbox(first)
        right = text.get_charbox(first + count - 1)
        boxes.append((left[0], left[1], right[2], left[3]))
    assert boxes, words
    return boxes[-1]


def test_parts_of_the_printed_directory_open_on_a_right_hand_page(bundled_built,
                                                                 bundled):
    for key in KEYS:
        lang = key.split("-")[1]
        words = bundled.layouts.get("directory")["words"][lang]
        pages = [page.replace("\r\n", "\n")
                 for page in pdfcheck.text_pages(main_pdf(bundled_built, key))]
        for opening in (f"{words['part1']}\n{words['part1_title']}",
                        f"{words['part2']}\n{words['part2_title']}",
                        f"\n{words['index_categories']}\n"):
            # The first page past the contents; those after it repeat the
            # title as their running head.
            number = min(n for n, page in enumerate(pages, 1) if opening in page
                         and n > 3)
            # Odd pages are right-hand pages; the screen edition has no sides.
            assert number % 2 == 1 or key.endswith("screen"), (key, opening, number)
        if key.endswith("print"):
            assert len(pages) % 4 == 0


def test_row_labels_sit_on_the_baseline_of_their_text(bundled_built, bundled):
    for key in KEYS:
        strings = bundled.layouts.strings(key.split("-")[1])
        pdf = main_pdf(bundled_built, key)
        pages = pdfcheck.text_pages(pdf)
        [page] = [n for n, text in enumerate(pages) if "3717 0544" in text][:1]
        # Read by baseline, the label and the number are one line.
        assert any(strings["phone"] in line and "3717 0544" in line
                   for line in pdfcheck.lines_top_down(pdf, page)), key


def test_a_row_label_comes_before_its_text_when_copied(bundled_built, bundled):
    # The PDF has no tags, so copied text (and what a screen reader reads)
    # follows the drawing order: it gave "https://bluedragon.org Website".
    for key in ("directory-en-screen", "directory-vi-screen"):
        strings = bundled.layouts.strings(key.split("-")[1])
        text = "\n".join(pdfcheck.text_pages(main_pdf(bundled_built, key)))
        assert f"{strings['website']} https://bluedragon.org" in text, key
        assert f"{strings['phone']} +84 4 3717 0544" in text, key


def test_no_page_opens_with_the_state_rows_of_an_entry(bundled_built, bundled):
    for key in KEYS:
        strings = bundled.layouts.strings(key.split("-")[1])
        states = [strings[k].split("{")[0] for k in (
            "verified_on", "not_verified", "consent_pending", "consent_refused")]
        pages = pdfcheck.text_pages(main_pdf(bundled_built, key))
        # Part 2, the entries: from the page that opens it (the legend of
        # Part 1 lists the state rows on purpose).
        words = bundled.layouts.get("directory")["words"][key.split("-")[1]]
        opens = next(i for i, page in enumerate(pages)
                     if f"{words['part2']}\n{words['part2_title']}"
                     in page.replace("\r\n", "\n"))
        pdf = main_pdf(bundled_built, key)
        for number in range(opens, len(pages)):
            # The running head, then the first line of the page's text.
            lines = pdfcheck.lines_top_down(pdf, number)
            assert len(lines) < 2 or not lines[1].startswith(tuple(states)), (
                key, number + 1, lines[:3])


@pytest.mark.parametrize("number, kind", [("08.38346080", "old_number"),
                                          ("0239 3000 00312", "bad_number")])
def test_a_flagged_number_is_printed_with_its_caution(fictional, number, kind):
    # An old-style number may ring a stranger; any other flagged number may
    # simply be wrong, and is not called old.
    from docx import Document

    from booklet.products import docx, inserts
    path = fictional.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"0239 3000 003"', f'"{number}"'), encoding="utf-8")
    fictional.loaded = None
    other = {"old_number": "bad_number", "bad_number": "old_number"}[kind]
    for lang in ("vi", "en"):
        caution = fictional.layouts.strings(lang)[kind]
        said = pdfcheck.squash(caution)
        built = make_all(fictional, {"lang": lang, "layout": "screen"})
        text = pdfcheck.squash(pdfcheck.text(main_pdf(built,
                                                      f"directory-{lang}-screen")))
        # On the number's own row, after what else it says of the number.
        at = text.index(pdfcheck.squash(number))
        assert text.index(said) - at < 80
        assert pdfcheck.squash(fictional.layouts.strings(lang)[other]) not in text
        [job] = inserts.plan(fictional, {"province": ["42"], "lang": lang})
        made = inserts.make(fictional, job, select(fictional.content, job.edition))
        assert said in pdfcheck.squash(pdfcheck.text(made.artifacts[0].data))
        [job] = docx.plan(fictional, {"lang": lang})
        made = docx.make(fictional, job, select(fictional.content, job.edition))
        words = Document(io.BytesIO(made.artifacts[0].data))
        cells = [c.text for t in words.tables for r in t.rows for c in r.cells]
        assert caution in cells


def test_phone_numbers_and_fees_never_break_across_lines(bundled_built, bundled):
    numbers = {ph.number for p in bundled.content.providers for ph in p.phones}
    for lang in ("vi", "en"):
        fees = bundled.layouts.strings(lang)["fees"].values()
        for layout in ("print", "screen"):
            text = pdfcheck.text(main_pdf(bundled_built, f"directory-{lang}-{layout}"))
            lines = [" ".join(line.split()) for line in text.splitlines()]
            joined = " ".join(text.split())
            for words in [*numbers, *(f[0].upper() + f[1:] for f in fees)]:
                whole = sum(line.count(words) for line in lines)
                assert whole == joined.count(words), (lang, layout, words)
            # A separating dot keeps to what it follows.
            assert not [line for line in lines if line.startswith("·")]


def test_final_has_no_stamp_and_leaves_out_the_unconsented(final_built, fictional):
    from tests.conftest import NO_CONSENT_NAME
    for key in KEYS:
        lang = key.split("-")[1]
        strings = fictional.layouts.strings(lang)
        text = pdfcheck.squash(pdfcheck.text(main_pdf(final_built, key)))
        assert pdfcheck.squash(strings["draft_stamp"]) not in text
        assert pdfcheck.squash(strings["consent_pending"]) not in text
        assert pdfcheck.squash(NO_CONSENT_NAME) not in text
        assert pdfcheck.squash("Mirage Clinic") in text
        assert pdfcheck.squash(strings["verified_on"].split("{")[0]) in text


def test_contents_give_the_page_each_province_starts_on(bundled_built):
    import re
    pdf = main_pdf(bundled_built, "directory-vi-print")
    pages = pdfcheck.text_pages(pdf)
    reader = PdfReader(pdfcheck._source(pdf))
    starts = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                starts.setdefault(str(item.title),
                                  reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    contents = nfc(pages[2])
    for province in ("Hà Nội", "Nghệ An", "Hà Tĩnh", "TP. Hồ Chí Minh"):
        listed = int(re.search(re.escape(province) + r"\s+(\d+)", contents)[1])
        assert listed == starts[province], province
        # The page number printed on that page agrees with the contents.
        assert pages[listed - 1].rstrip().endswith(str(listed))


def test_inside_cover_gives_the_latest_verification_date(bundled_built,
                                                         final_built):
    draft = nfc(pdfcheck.text_pages(main_pdf(bundled_built,
                                             "directory-en-print"))[1])
    assert "Information last verified: not yet verified" in draft
    final = nfc(pdfcheck.text_pages(main_pdf(final_built, "directory-en-print"))[1])
    # The fictional national line was verified last, on 1 November 2026.
    assert "Information last verified: 1 November 2026" in final


def test_screen_links_e_mail_addresses(bundled_built):
    targets = pdfcheck.links(main_pdf(bundled_built, "directory-vi-screen"))
    assert "mailto:k.tambenh@nch.org.vn" in targets


def test_a_hotline_labelled_hotline_says_so_once(bundled_built):
    # Ánh Dương House: 18001744 (printed in its groups), hotline: true,
    # label "Hotline".
    for key, word in (("directory-vi-print", "Đường dây nóng"),
                      ("directory-en-print", "Hotline")):
        text = pdfcheck.text(main_pdf(bundled_built, key))
        assert "1800 1744" in text
        assert f"{word} · {word}" not in text
        assert f"· {word}" in text


def test_national_numbers_are_tapped_on_screen(bundled, bundled_built):
    wanted = {"tel:" + h.number.replace(".", "").replace(" ", "")
              for h in bundled.content.document.hotlines}
    assert "tel:111" in wanted and len(wanted) >= 5
    pages = PdfReader(pdfcheck._source(
        main_pdf(bundled_built, "directory-vi-screen"))).pages

    def targets(page) -> set[str]:
        return {str(a.get_object()["/A"].get("/URI")) for a in
                page.get("/Annots") or [] if "/A" in a.get_object()}

    # Part 1's list of national numbers, and the back cover.
    assert any(wanted <= targets(page) for page in pages[:8])
    assert wanted <= targets(pages[-1])


def test_index_points_to_the_entry_under_the_providers_own_province(
        bundled, bundled_built):
    pdf = main_pdf(bundled_built, "directory-vi-print")
    reader = PdfReader(pdfcheck._source(pdf))
    # Bookmarks: province > provider; where each provider is under each one.
    under: dict[tuple[str, str], int] = {}

    def walk(items, province=""):
        last = province
        for item in items:
            if isinstance(item, list):
                walk(item, last)
                continue
            under.setdefault((province, item.title),
                             reader.get_destination_page_number(item) + 1)
            last = item.title

    walk(reader.outline)
    # Index lines wrap: compare with runs of white space made one space.
    index = " ".join(" ".join(pdfcheck.text_pages(pdf)[-6:]).split())
    content = bundled.content
    spread = [p for p in content.providers
              if isinstance(p.coverage, list) and p.coverage]
    assert spread
    for provider in spread:
        home = content.province(provider.province).short_name.vi
        line = " ".join(f"{provider.name.vi} · {home}".split())
        found = re.search(re.escape(line) + r" (\d+)", index)
        assert found, f"{provider.id} is not indexed under {home}"
        assert int(found[1]) == under[(home, provider.name.vi)], provider.id


@pytest.mark.parametrize("key", KEYS)
def test_no_entry_name_ends_a_page_without_its_first_row(bundled_built, key):
    # An orphaned head leaves only its name, other name and kind, then the
    # running head and folio, after the name on that page: four lines.
    reader = PdfReader(pdfcheck._source(main_pdf(bundled_built, key)))
    orphans = []

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
                continue
            if depth < 2:
                continue
            number = reader.get_destination_page_number(item)
            lines = [line for line in reader.pages[number].extract_text()
                     .splitlines() if line.strip()]
            at = [i for i, line in enumerate(lines) if line == item.title]
            if at and len(lines) - at[-1] - 1 <= 4:
                orphans.append((number + 1, item.title))

    walk(reader.outline)
    assert orphans == []


def test_a_right_page_is_headed_by_the_last_province_on_it(bundled, bundled_built):
    # Every edition is searched for right pages where two provinces start:
    # which pages those are shifts with the content.
    names = {n for p in bundled.content.provinces
             for n in (p.short_name.vi, p.short_name.en)}
    checked = 0
    for name in ("directory-vi-print", "directory-en-print",
                 "directory-vi-screen", "directory-en-screen"):
        reader = PdfReader(pdfcheck._source(main_pdf(bundled_built, name)))
        checked += _right_heads_checked(reader, names)
    assert checked


def _right_heads_checked(reader, names: set[str]) -> int:
    starts: dict[int, list[str]] = {}

    def walk(items, depth=0):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1 and item.title in names:
                number = reader.get_destination_page_number(item) + 1
                starts.setdefault(number, []).append(item.title)

    walk(reader.outline)
    checked = 0
    for number, titles in starts.items():
        if number % 2 == 0 or len(titles) < 2:
            continue
        lines = [line for line in reader.pages[number - 1].extract_text()
                 .splitlines() if line.strip()]
        assert lines[-1] == str(number)
        assert lines[-2] == titles[-1], (number, titles)
        checked += 1
    return checked


def test_index_keeps_province_names_on_one_line(bundled, bundled_built):
    # "Name · Hà Nội 12": the section an index line points to never breaks.
    pdf = main_pdf(bundled_built, "directory-vi-print")
    reader = PdfReader(pdfcheck._source(pdf))
    start = next(reader.get_destination_page_number(item)
                 for item in reader.outline if not isinstance(item, list)
                 and item.title.startswith("Tra cứu"))
    pages = pdfcheck.text_pages(pdf)[start:]
    lines = [line.strip() for page in pages for line in page.splitlines()]
    names = [p.short_name.vi.split() for p in bundled.content.provinces]
    for first, second in itertools.pairwise(lines):
        for words in names:
            for cut in range(1, len(words)):
                assert not (first.endswith("· " + " ".join(words[:cut]))
                            and second.startswith(" ".join(words[cut:]) + " ")), (
                    first, second)


@pytest.mark.parametrize("name", ["directory-vi-print", "directory-en-print"])
def test_text_stays_within_the_text_area(bundled, bundled_built, name):
    # Every line ends within the measure: no word runs into the margin.
    from booklet.render.page import Geometry

    g = Geometry.from_layout(bundled.layouts.get("print"), "print")
    checked = 0
    for i, (left, _, right, _) in _printed_chars(main_pdf(bundled_built, name)):
        x, _, w, _ = g.text_area((i + 1) % 2 == 1)
        assert x - 0.5 <= left and right <= x + w + 0.5, i + 1
        checked += 1
    assert checked > 10000


def test_a_name_with_a_line_break_makes_a_one_line_bookmark(fictional):
    # A line separator pasted into a name loads as a line break; a bookmark
    # cannot show one.
    path = fictional.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"Phòng khám Ảo Ảnh"', '"Phòng khám\\u2028Ảo Ảnh"').replace(
        'short_name: {vi: "Ảo Ảnh"', 'short_name: {vi: "Ảo\\u2028Ảnh"'),
        encoding="utf-8")
    fictional.loaded = None
    built = make_all(fictional, {"lang": "vi", "layout": "screen"})
    titles = pdfcheck.outline_titles(main_pdf(built, "directory-vi-screen"))
    assert any("Ảo Ảnh" in t for t in titles), titles
    assert not [t for t in titles if "\n" in t or "\u2028" in t]
