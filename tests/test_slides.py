"""The consultation slides: figures on the slides equal figures recomputed
from the content, charts are drawn, drafts are stamped, output is stable."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from booklet.build import build
from booklet.compose.text import pick, sort_key
from booklet.products import product
from booklet.project import open_project
from booklet.select import Edition, select
from tests import pdfcheck
from tests.conftest import (
    CONTENT,
    LAYOUTS,
    NO_CONSENT_NAME,
    SECRET_ADDRESS,
    TODAY,
    make_content,
)

SLIDES = product("slides")


def make(project, lang: str, final: bool = False) -> tuple[bytes, object]:
    job = next(j for j in SLIDES.plan(project, {"lang": lang, "final": final}))
    selection = select(project.content, job.edition)
    made = SLIDES.make(project, job, selection)
    return made.artifacts[0].data, selection


@pytest.fixture(scope="module")
def decks(bundled):
    """Both languages of the bundled draft: (pdf bytes, selection, page texts)."""
    out = {}
    for lang in ("vi", "en"):
        pdf, selection = make(bundled, lang)
        out[lang] = (pdf, selection, pdfcheck.text_pages(pdf))
    return out


@pytest.fixture(scope="module")
def fictional_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("slides-fictional")
    return open_project(make_content(root / "content"), LAYOUTS, root / "output",
                        TODAY)


def words(lang: str) -> dict:
    from booklet.layouts import Layouts
    return Layouts(LAYOUTS).get("slides")["text"][lang]


def head_spec() -> dict:
    from booklet.layouts import Layouts
    return Layouts(LAYOUTS).get("slides")["matrix_head"]


def page_titled(pages: list[str], title: str) -> int:
    return next(i for i, text in enumerate(pages) if text.startswith(title))


# -- figures recomputed from the Selection, independently of compose.summary --
def local_count(selection, code: str) -> int:
    return sum(1 for e in selection.entries
               if not e.provider.is_national and e.provider.covers(code))


def province_counts(selection, lang):
    content = selection.content
    return [(pick(content.province(code).short_name, lang)[0],
             local_count(selection, code))
            for region in content.regions for code in region.provinces]


def limited_services(selection, restricts: str) -> tuple[int, set[str]]:
    codes = {c.code for c in selection.content.criteria if c.restricts == restricts}
    services, providers = 0, set()
    for e in selection.entries:
        for s in e.provider.services:
            if codes & set(s.eligibility.criteria):
                services += 1
                providers.add(e.provider.id)
    return services, providers


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_slide_count_follows_the_deck_and_the_rows_per_slide(decks, bundled,
                                                             lang):
    pdf, selection, pages = decks[lang]
    layout = bundled.layouts.get("slides")
    per = layout["rows_per_slide"]
    covered = sum(1 for _, n in province_counts(selection, lang) if n)
    kinds = {e.provider.kind for e in selection.entries}
    extra = {"region": len(selection.content.regions), "province": covered,
             "kind": len(kinds), "category": len(selection.content.categories),
             "matrix": covered}
    expected = sum(math.ceil(extra[k] / per) if k in extra else 1
                   for k in layout["deck"])
    assert pdfcheck.page_count(pdf) == len(pages) == expected == 12


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_province_bars_show_the_providers_based_in_each_province(decks, lang):
    pdf, selection, pages = decks[lang]
    page = page_titled(pages, words(lang)["province"])
    shown = 0
    for name, count in province_counts(selection, lang):
        if count:
            assert str(count) in pdfcheck.text_beside(pdf, page, name), name
            shown += 1
        else:
            assert name not in pages[page]
    assert shown == 10


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_region_kind_and_category_bars_equal_the_content(decks, bundled, lang):
    pdf, selection, pages = decks[lang]
    content, strings = selection.content, bundled.layouts.strings(lang)
    t = words(lang)
    page = page_titled(pages, t["region"])
    for region in content.regions:
        n = sum(1 for e in selection.entries if not e.provider.is_national
                and any(e.provider.covers(c) for c in region.provinces))
        assert str(n) in pdfcheck.text_beside(pdf, page, pick(region.name, lang)[0])
    page = page_titled(pages, t["kind"])
    for kind in {e.provider.kind for e in selection.entries}:
        n = sum(1 for e in selection.entries if e.provider.kind is kind)
        assert str(n) in pdfcheck.text_beside(pdf, page,
                                              strings["kind"][kind.value])
    page = page_titled(pages, t["category"])
    for category in content.categories:
        n = sum(1 for e in selection.entries
                if any(s.category == category.code for s in e.provider.services))
        assert str(n) in pdfcheck.text_beside(pdf, page,
                                              pick(category.short, lang)[0])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_coverage_matrix_rows_equal_providers_per_category(decks, lang):
    pdf, selection, pages = decks[lang]
    content = selection.content
    page = page_titled(pages, words(lang)["matrix"])
    national = [sum(1 for e in selection.entries if e.provider.is_national
                    and c.code in e.provider.categories())
                for c in content.categories]
    row = pdfcheck.text_beside(pdf, page, words(lang)["matrix_national"])
    assert row == [" ".join(map(str, national))]
    for name, count in province_counts(selection, lang):
        if not count:
            continue
        code = next(p.code for p in content.provinces
                    if pick(p.short_name, lang)[0] == name)
        cells = [sum(1 for e in selection.entries if not e.provider.is_national
                     and e.provider.covers(code) and c.code in e.provider.categories())
                 for c in content.categories]
        assert pdfcheck.text_beside(pdf, page, name) == [" ".join(map(str, cells))]


# -- the matrix's column heads, with every category defined -------------------

# Six more categories after the bundled ten: with sixteen columns, long single
# words ("Reintegration", "Repatriation") are wider than a column.
MORE_CATEGORIES = [
    ("identity_papers", "Giấy tờ tùy thân", "Identity papers"),
    ("financial_aid", "Trợ cấp khẩn cấp", "Financial assistance"),
    ("repatriation", "Hồi hương", "Repatriation"),
    ("child_protection", "Bảo vệ trẻ em", "Child protection"),
    ("transport", "Đi lại", "Transport"),
    ("peer_support", "Nhóm đồng đẳng", "Peer support"),
]
AGREED = """\
consent: {print: {given: "yes"}, digital: {given: "yes"}}
verification: {status: verified, date: "2026-10-01", method: phone}
"""


def offering(codes: list[str]) -> str:
    return "services:\n" + "".join(
        f'  - {{category: {code}, description: {{vi: "Dịch vụ", en: "Service"}}}}\n'
        for code in codes)


@pytest.fixture(scope="module")
def every_category(tmp_path_factory):
    """Both languages of a draft over sixteen categories, a national line
    offering all of them and a provider in each of twelve provinces (a full
    matrix slide): lang -> (pdf bytes, category heads in order, page texts)."""
    import yaml

    root = tmp_path_factory.mktemp("slides-every-category")
    bundled = yaml.safe_load((CONTENT / "categories.yaml").read_text("utf-8"))
    categories = bundled["categories"] + [
        {"code": code, "name": {"vi": vi, "en": en},
         "short": {"vi": vi, "en": en}, "icon": "info"}
        for code, vi, en in MORE_CATEGORIES]
    codes = [c["code"] for c in categories]
    provinces = yaml.safe_load((CONTENT / "provinces.yaml").read_text("utf-8"))
    providers = {"national/fict-every.yaml": (
        'id: fict-every\nname: {vi: "Đường dây Mọi Việc", '
        'en: "Every Need Line"}\n'
        "kind: government_central\ncoverage: national\n"
        'phones: [{number: "1800 0000", hotline: true, cost: free}]\n'
        + offering(codes) + AGREED)}
    for i, province in enumerate(provinces["provinces"][:12]):
        providers[f"{province['slug']}/fict-{i}.yaml"] = (
            f'id: fict-{i}\nname: {{vi: "Nơi Thử {i}", en: "Test Place {i}"}}\n'
            f"kind: ngo\nprovince: \"{province['code']}\"\n"
            f'phones: [{{number: "0238 3000 {i:03d}", cost: standard}}]\n'
            + offering(codes[i::12]) + AGREED)
    content = make_content(root / "content", providers)
    (content / "categories.yaml").write_text(
        yaml.safe_dump({"categories": categories}, allow_unicode=True), "utf-8")
    project = open_project(content, LAYOUTS, root / "output", TODAY)
    out = {}
    for lang in ("vi", "en"):
        pdf, selection = make(project, lang)
        heads = [pick(c.short, lang)[0] for c in selection.content.categories]
        out[lang] = (pdf, heads, pdfcheck.text_pages(pdf))
    assert len(out["en"][1]) == 16
    return out


def matrix_heads(pdf: bytes, pages: list[str], lang: str, heads: list[str]):
    """Each column head of the matrix slide as drawn: its letters' boxes, type
    sizes and angles. The heads come between the title and the first row, in
    the order of `heads`, whatever lines they were broken into."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    t = words(lang)
    textpage = pdfium.PdfDocument(pdf)[page_titled(pages, t["matrix"])
                                       ].get_textpage()
    text = textpage.get_text_range()
    start = text.index(t["matrix"]) + len(t["matrix"])
    end = text.index(t["matrix_national"], start)
    letters = [i for i in range(start, end) if not text[i].isspace()]
    drawn = "".join(text[i] for i in letters)
    assert pdfcheck.squash(drawn) == pdfcheck.squash("".join(heads))
    out, i = [], 0
    for head in heads:
        mine = letters[i:i + len(pdfcheck.squash(head))]
        i += len(mine)
        out.append({
            "boxes": [textpage.get_charbox(k) for k in mine],
            "sizes": {raw.FPDFText_GetFontSize(textpage.raw, k) for k in mine},
            "angles": {round(raw.FPDFText_GetCharAngle(textpage.raw, k), 2)
                       for k in mine}})
    below = min(textpage.get_charbox(k)[3] for k in range(
        end, end + len(t["matrix_national"])))
    return out, below


def overlap(a: tuple, b: tuple) -> bool:
    """Whether two (left, bottom, right, top) boxes share any area."""
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def assert_heads_keep_clear(heads: list[dict], below: float) -> None:
    floor = head_spec()["floor"]
    for j, head in enumerate(heads):
        assert min(head["sizes"]) >= floor, (j, head["sizes"])
        # Above the first row of the grid, by the nationwide label's top.
        assert min(box[1] for box in head["boxes"]) > below, j
        for other in heads[j + 1:]:
            assert not any(overlap(a, b) for a in head["boxes"]
                           for b in other["boxes"]), j


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_matrix_heads_never_overlap_with_every_category(every_category, lang):
    pdf, heads, pages = every_category[lang]
    assert pdfcheck.structural_check(pdf) == []
    drawn, below = matrix_heads(pdf, pages, lang, heads)
    assert_heads_keep_clear(drawn, below)


def test_matrix_heads_turn_upwards_when_a_word_is_wider_than_its_column(
        every_category):
    pdf, heads, pages = every_category["en"]
    drawn, _ = matrix_heads(pdf, pages, "en", heads)
    angles = {angle for head in drawn for angle in head["angles"]}
    assert len(angles) == 1 and 0 not in angles  # one quarter turn for all
    assert {size for head in drawn for size in head["sizes"]} == {
        head_spec()["size"]}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_matrix_heads_of_the_bundled_content_stay_level_and_clear(decks, lang):
    pdf, selection, pages = decks[lang]
    heads = [pick(c.short, lang)[0] for c in selection.content.categories]
    drawn, below = matrix_heads(pdf, pages, lang, heads)
    assert_heads_keep_clear(drawn, below)
    assert all(head["angles"] == {0} for head in drawn)
    # Ten columns leave room: the heads give up a point at most.
    assert min(size for head in drawn for size in head["sizes"]) >= 12


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_gap_slide_lists_every_province_without_a_provider(decks, lang):
    _pdf, selection, pages = decks[lang]
    t = words(lang)
    page = pages[page_titled(pages, t["gaps"])]
    counts = province_counts(selection, lang)
    empty = [name for name, n in counts if not n]
    assert pdfcheck.squash(t["gaps_lead"].format(
        count=len(empty), total=len(counts))) in pdfcheck.squash(page)
    for name, n in counts:
        assert (pdfcheck.squash(name) in pdfcheck.squash(page)) == (n == 0), name


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_eligibility_slide_counts_services_that_exclude_men_or_need_status(
        decks, lang):
    _pdf, selection, pages = decks[lang]
    t = words(lang)
    page = pdfcheck.squash(pages[page_titled(pages, t["eligibility"])])
    for restricts, key in (("gender", "exclude_men"), ("status", "need_status")):
        services, providers = limited_services(selection, restricts)
        caption = t[key].format(providers=len(providers))
        assert pdfcheck.squash(f"{services}{caption}") in page
        for e in selection.entries:
            name = pick(e.provider.short_name or e.provider.name, lang)[0]
            if e.provider.id in providers:
                assert pdfcheck.squash(name) in page
    # In the order of the names shown (the English list was in the order of
    # full names, and looked unsorted).
    _services, providers = limited_services(selection, "gender")
    names = [pick(e.provider.short_name or e.provider.name, lang)[0]
             for e in selection.entries if e.provider.id in providers]
    found = sorted(names, key=lambda n: page.index(pdfcheck.squash(n)))
    assert found == sorted(names, key=lambda n: sort_key(n, lang))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_key_figures_and_progress_equal_the_entry_flags(decks, lang):
    _pdf, selection, pages = decks[lang]
    t = words(lang)
    entries = selection.entries
    verified = sum(e.verified for e in entries)
    pending = sum(e.consent_pending for e in entries)
    refused = sum(e.consent_refused for e in entries)
    figures = pdfcheck.squash(pages[page_titled(pages, t["figures"])])
    assert pdfcheck.squash(f"{len(entries)}{t['card_total']}") in figures
    assert pdfcheck.squash(f"{verified}{t['card_verified'].format(total=len(entries))}"
                           ) in figures
    progress = pdfcheck.squash(pages[page_titled(pages, t["progress"])])
    assert pdfcheck.squash(f"{t['desk_research']}: {len(entries) - verified}") \
        in progress
    assert pdfcheck.squash(f"{t['consent_pending']}: {pending - refused}") \
        in progress
    assert pdfcheck.squash(f"{t['consent_refused']}: {refused}") in progress
    assert pdfcheck.squash(f"{t['consent_yes']}: {len(entries) - pending}") \
        in progress


def colour_pixels(image: np.ndarray, hex_colour: str, tolerance: int = 12) -> int:
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image.astype(int) - rgb).max(axis=2) <= tolerance).sum())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_charts_are_drawn(decks, bundled, lang):
    pdf, _selection, pages = decks[lang]
    colours = bundled.layouts.get("slides")["colors"]
    t = words(lang)
    for key in ("region", "province", "kind", "category"):
        image = pdfcheck.render(pdf, page_titled(pages, t[key]), dpi=72)
        # At least a bar's worth of bar colour (a bar is 20+ px high).
        assert colour_pixels(image, colours["bar"]) > 2000, key
    image = pdfcheck.render(pdf, page_titled(pages, t["matrix"]), dpi=72)
    assert colour_pixels(image, colours["gap"]) > 5000
    assert colour_pixels(image, colours["national"]) > 500


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_slides_are_sound_pdfs_with_embedded_fonts_only(decks, lang):
    pdf = decks[lang][0]
    assert pdfcheck.structural_check(pdf) == []
    assert pdfcheck.standard14_fonts(pdf) == []
    for font in pdfcheck.fonts(pdf):
        assert font.embedded and font.to_unicode, font
    assert pdfcheck.metadata(pdf)["/Lang"] == lang
    page = pdfcheck.render(pdf, 0, dpi=36)
    assert page.shape[1] / page.shape[0] == pytest.approx(16 / 9, rel=0.01)


def test_every_slide_of_a_draft_carries_the_stamp(decks, bundled):
    for lang in ("vi", "en"):
        stamp = bundled.layouts.strings(lang)["draft_stamp"]
        assert all(stamp in page for page in decks[lang][2])


def test_final_slides_count_only_consented_providers_and_have_no_stamp(
        fictional_project):
    draft, draft_sel = make(fictional_project, "en")
    final, final_sel = make(fictional_project, "en", final=True)
    stamp = fictional_project.layouts.strings("en")["draft_stamp"]
    assert len(draft_sel.entries) == 4 and len(final_sel.entries) == 3
    pages = pdfcheck.text_pages(final)
    assert not any(stamp in p for p in pages)
    figures = pdfcheck.squash(pages[page_titled(pages, words("en")["figures"])])
    assert pdfcheck.squash(f"3{words('en')['card_total']}") in figures
    everything = pdfcheck.everything_a_reader_gets(final, dpi=50) \
        + pdfcheck.everything_a_reader_gets(draft, dpi=50)
    assert "Fictional Unconsenting Fund" not in pdfcheck.text(final)
    assert SECRET_ADDRESS not in everything
    assert NO_CONSENT_NAME not in everything


def test_same_content_gives_identical_slides(fictional_project):
    assert make(fictional_project, "vi")[0] == make(fictional_project, "vi")[0]


def test_build_lists_slides_in_the_manifest(fictional_project):
    result = build(fictional_project, ["slides"], {"lang": "vi"})
    assert result.ok, result.failures
    assert result.reports[0].files == ["slides/consultation-vi.pdf"]
    path = fictional_project.output_dir / "slides/consultation-vi.pdf"
    assert pdfcheck.page_count(path) == 12


def test_edition_is_the_public_print_directory():
    job = SLIDES.plan(None, {"final": True})[0]
    assert [j.key for j in SLIDES.plan(None, {})] == ["slides-vi", "slides-en"]
    assert job.edition == Edition(audience="public", medium="print", final=True)


def test_a_chart_keeps_clear_of_its_note(decks):
    import pypdfium2 as pdfium
    dpi = 144
    scale = dpi / 72
    for lang, (pdf, _, pages) in decks.items():
        text = words(lang)
        for note in ("matrix_note", "province_note"):
            # The note's first words, before any figure is filled in.
            start = text[note].split("{")[0][:20]
            number = next(i for i, page in enumerate(pages) if start in page)
            doc = pdfium.PdfDocument(pdf)
            page = doc[number]
            textpage = page.get_textpage()
            first, count = textpage.search(start, match_case=True).get_next()
            # The top of its tallest letter (stacked marks reach highest).
            top = max(textpage.get_charbox(i)[3] for i in range(first, first + count))
            image = pdfcheck.render(pdf, number, dpi, grayscale=True)
            row = int((page.get_height() - top) * scale)
            # Upward from the note's top (past its own anti-aliased edge): the
            # first row with ink is the chart's.
            above = image[:row - 2, int(60 * scale):int(-60 * scale)]
            inked = np.where((above < 235).any(axis=1))[0]
            gap = (row - inked[-1]) / scale
            assert gap >= 8, (lang, note, round(gap, 1))


# -- at a hundred providers (the benchmark's synthetic content) --------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from benchmarks.synth import generate

    root = tmp_path_factory.mktemp("slides-synthetic")
    project = open_project(generate(root / "content", 100), LAYOUTS,
                           root / "output", TODAY)
    pdf, selection = make(project, "en")
    return pdf, selection, pdfcheck.text_pages(pdf)


def test_long_eligibility_lists_stay_readable_and_say_how_many_more(synthetic):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf, selection, pages = synthetic
    number = page_titled(pages, words("en")["eligibility"])
    textpage = pdfium.PdfDocument(pdf)[number].get_textpage()
    sizes = {raw.FPDFText_GetFontSize(textpage.raw, i)
             for i in range(textpage.count_chars())
             if textpage.get_text_range(i, 1).isalnum()}
    assert min(sizes) >= 11  # the footer's size; the lists are at 12 pt
    text = pages[number]
    more = [int(n) for n in re.findall(r"… and (\d+) more", text)]
    assert len(more) == 2
    providers = (len(limited_services(selection, "gender")[1])
                 + len(limited_services(selection, "status")[1]))
    assert text.count("Sample ") + sum(more) == providers


def test_a_chart_over_several_slides_keeps_one_scale(synthetic):
    # The same count draws the same bar on every slide of the chart.
    pdf, _, pages = synthetic
    title = words("en")["province"]
    numbers = [i for i, page in enumerate(pages) if page.startswith(title)]
    assert len(numbers) >= 2
    widths = set()
    for number in numbers:
        image = pdfcheck.render(pdf, number, 72)
        blue = (np.abs(image[:, :, :3].astype(int) - (0x2E, 0x75, 0xB6))
                .sum(axis=2) < 30)
        blue[:100] = False  # the rule under the slide's title
        for row in np.where(blue.any(axis=1))[0]:
            columns = np.where(blue[row])[0]
            widths.add(int(columns[-1]) - int(columns[0]))
    counts = {n for number in numbers for n in re.findall(
        r"^(\d+)\r?$", pages[number], re.MULTILINE)}
    # One width a count (within a pixel of antialiasing).
    assert len({w // 2 for w in widths}) <= len(counts), (widths, counts)


def test_scope_counts_the_kinds_of_service_in_use(synthetic):
    _, selection, pages = synthetic
    used = {s.category for e in selection.entries for s in e.provider.services}
    assert len(used) < len(selection.content.categories)  # the case in question
    scope = pages[page_titled(pages, words("en")["scope"])]
    assert f"in {len(used)} categories" in " ".join(scope.split())


def test_no_slide_speaks_of_zero_gaps(synthetic):
    _, _, pages = synthetic
    text = " ".join(" ".join(pages).split())
    assert "the 0 " not in text
    assert words("en")["gaps_note"].split("{")[0] not in text


def test_counts_are_grouped_in_thousands_as_each_language_writes_them():
    from booklet.compose.text import format_count

    assert format_count(2492, "vi") == "2.492"
    assert format_count(2492, "en") == "2,492"
    assert format_count(999, "vi") == "999"


def _women_only(pid: str, name: str, short: str) -> str:
    return f"""\
id: {pid}
name: {{vi: "{name}", en: "{name}"}}
short_name: {{vi: "{short}", en: "{short}"}}
kind: ngo
province: "40"
services:
  - category: accommodation
    description: {{vi: "Nơi ở", en: "Shelter"}}
    eligibility: {{criteria: [women_only]}}
consent:
  print: {{given: "yes"}}
  digital: {{given: "yes"}}
verification: {{status: verified, date: "2026-10-01", method: phone}}
"""


def test_eligibility_lists_follow_the_names_they_show(tmp_path):
    # Ordered by full name and shown by short name, the list looked unsorted.
    content = make_content(tmp_path / "content", {
        "nghe-an/fict-a.yaml": _women_only("fict-a", "Aardvark Fictional Shelter",
                                           "Zebra Fictional House"),
        "nghe-an/fict-b.yaml": _women_only("fict-b", "Zebra Fictional Shelter",
                                           "Alpha Fictional House")})
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf, _selection = make(project, "en")
    pages = pdfcheck.text_pages(pdf)
    page = pdfcheck.squash(pages[page_titled(pages, words("en")["eligibility"])])
    alpha = page.index(pdfcheck.squash("Alpha Fictional House"))
    assert alpha < page.index(pdfcheck.squash("Zebra Fictional House"))
