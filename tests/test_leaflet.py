"""Leaflets for every bundled province: QR codes that scan, folds and trim kept
clear, neutral covers, phone variants with tappable numbers."""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from booklet import build as build_module
from booklet.compose.text import dial_string, format_hours
from booklet.errors import EditionError
from booklet.model import Visibility
from booklet.products import leaflets
from tests import pdfcheck

DPI = 300
PX = DPI / 25.4  # pixels per millimetre at DPI
# The tri-fold: outside [flap 97 | back 100 | front 100],
# inside [100 | 100 | 97]; folds in millimetres from the left edge.
FOLDS = {0: (97.0, 197.0), 1: (100.0, 200.0)}
CLEAR = 5.0  # mm from folds and trim where no text or QR code may be


# Expected payloads, built here from the content rather than by the product.

def _escape(value: str) -> str:
    out = []
    for ch in value:
        out.append({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}.get(ch, ch))
    return "".join(out)


def expected_vcard(provider, strings: dict) -> bytes | None:
    dials = [dial_string(p.number) for p in provider.phones
             if p.visibility is Visibility.public]
    dials = [d for d in dials if d]
    if not dials and not provider.website:
        return None
    if not dials:
        # Nothing to save but the website: the code opens it.
        site = provider.website
        return (site if "://" in site else "https://" + site).encode("utf-8")
    name = _escape((provider.short_name or provider.name).get("vi"))
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}"]
    lines += [f"TEL;TYPE=VOICE:{d}" for d in dials]
    if provider.address and provider.address.visibility is Visibility.public:
        lines.append(f"ADR;TYPE=WORK:;;{_escape(provider.address.text.get('vi'))}"
                     ";;;;")
    if provider.website:
        site = provider.website
        lines.append("URL:" + (site if "://" in site else "https://" + site))
    hours = provider.hours or (provider.phones[0].hours if provider.phones else None)
    if hours:
        lines.append("NOTE:" + _escape(format_hours(hours, strings, "vi")))
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


# Reading codes back from pixels.

def codes_on(image: np.ndarray) -> list:
    return pdfcheck.decode_qr(image)


def symbol_box(result) -> tuple[float, float, float, float, float]:
    """Left, top, right, bottom of the symbol in pixels, and its module size."""
    pos = result.position
    xs = [pos.top_left.x, pos.top_right.x, pos.bottom_left.x, pos.bottom_right.x]
    ys = [pos.top_left.y, pos.top_right.y, pos.bottom_left.y, pos.bottom_right.y]
    side = math.dist((pos.top_left.x, pos.top_left.y),
                     (pos.top_right.x, pos.top_right.y))
    modules = 17 + 4 * int(result.extra["Version"])
    return min(xs), min(ys), max(xs), max(ys), side / modules


@pytest.fixture(scope="module")
def built(bundled):
    """Every bundled leaflet (print and phone), through the build runner."""
    result = build_module.build(bundled, ["leaflets"], {})
    assert result.ok, [f.message for f in result.failures]
    out = bundled.output_dir / "leaflets"
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))}


@pytest.fixture(scope="module")
def expected(bundled):
    """File name -> sorted expected QR payloads, from the content."""
    content = bundled.content
    strings = bundled.layouts.strings("vi")
    national = [p for p in content.providers if p.is_national]
    out = {}
    for code in leaflets.provinces_with_providers(content):
        slug = content.province(code).slug
        local = [p for p in content.providers if not p.is_national
                 and p.covers(code)]
        payloads = [expected_vcard(p, strings) for p in local + national]
        out[f"leaflet-{code}-{slug}-vi+en.pdf"] = sorted(
            p for p in payloads if p is not None)
    return out


def test_plan_has_a_print_and_a_phone_job_per_province_with_providers(bundled):
    jobs = leaflets.plan(bundled, {})
    keys = [j.key for j in jobs]
    assert "leaflet-40-nghe-an-vi+en-print" in keys
    assert "leaflet-40-nghe-an-vi+en-screen" in keys
    assert len(keys) == len(set(keys))
    codes = leaflets.provinces_with_providers(bundled.content)
    assert len(jobs) == 2 * len(codes)
    by_key = {j.key: j for j in jobs}
    screen = by_key["leaflet-40-nghe-an-vi+en-screen"]
    assert screen.edition.medium == "screen"
    assert screen.edition.audience == "public"
    assert screen.outputs == ("leaflets/leaflet-40-nghe-an-vi+en-phone.pdf",)


def test_plan_for_an_area_gives_one_leaflet(bundled):
    jobs = leaflets.plan(bundled, {"area": "north-central-coast", "lang": "en"})
    assert [j.key for j in jobs] == ["leaflet-area-north-central-coast-en-print",
                                     "leaflet-area-north-central-coast-en-screen"]
    assert jobs[0].edition.provinces == ("38", "40", "42", "44", "46")


def test_narrowed_and_discreet_leaflets_never_replace_the_full_one(bundled):
    def paths(**request):
        jobs = leaflets.plan(bundled, {"province": ["01"], **request})
        return [path for job in jobs for path in job.outputs]
    assert paths() == ["leaflets/leaflet-01-ha-noi-vi+en.pdf",
                       "leaflets/leaflet-01-ha-noi-vi+en-phone.pdf"]
    assert paths(category=["psychological", "legal"]) == [
        "leaflets/leaflet-01-ha-noi-legal-psychological-vi+en.pdf",
        "leaflets/leaflet-01-ha-noi-legal-psychological-vi+en-phone.pdf"]
    assert paths(discreet=True, lang="vi") == [
        "leaflets/leaflet-01-ha-noi-discreet-vi.pdf",
        "leaflets/leaflet-01-ha-noi-discreet-vi-phone.pdf"]


def test_unknown_area_names_the_accepted_ones(bundled):
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"area": "atlantis"})
    assert str(info.value) == (
        "no area 'atlantis' in content/regions.yaml; accepted: north-central-coast")


def test_two_ways_of_choosing_leaflets_are_refused(bundled):
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"area": "north-central-coast",
                                "province": ["40", "42"]})
    assert str(info.value) == (
        "leaflets: --area north-central-coast and --province 40 42 each choose "
        "the leaflets to build; give only one of them")
    with pytest.raises(EditionError):
        leaflets.plan(bundled, {"region": "north-central-coast",
                                "province": ["40"]})


def test_a_region_without_local_providers_says_why_nothing_is_built(bundled):
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"region": "central-highlands"})
    assert str(info.value) == (
        "no province of region 'central-highlands' has a provider of its own, so "
        "there is no leaflet to build for it; to hand out one with the national "
        "services only, name a province, for example --province 52")


def test_unknown_province_names_the_accepted_ones(bundled):
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"province": ["40", "99"]})
    assert str(info.value) == (
        "unknown province code(s) 99; accepted: the codes in "
        "content/provinces.yaml, of which these have providers: "
        + ", ".join(leaflets.provinces_with_providers(bundled.content)))


def test_unknown_language_and_layout_are_refused(bundled):
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"lang": "fr"})
    assert str(info.value) == (
        "leaflets come in vi+en, vi, en; 'fr' is not one of them")
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"layout": "poster"})
    assert str(info.value) == (
        "no leaflet layout 'poster' (a file layouts/leaflet-poster.yaml); "
        "accepted: a6, trifold")
    with pytest.raises(EditionError) as info:
        leaflets.plan(bundled, {"layout": "phone"})
    assert str(info.value) == (
        "the phone leaflet is made with every printed one; choose the printed "
        "layout with --layout: a6, trifold")


def test_every_province_gets_a_sound_a4_trifold_and_a_phone_variant(built, expected):
    assert sorted(n for n in built if not n.endswith("-phone.pdf")) == sorted(expected)
    for name, pdf in built.items():
        assert pdfcheck.structural_check(pdf) == [], name
        assert pdfcheck.standard14_fonts(pdf) == [], name
        doc = pdfium.PdfDocument(pdf)
        sizes = {tuple(round(v / pdfcheck.MM) for v in page.get_size())
                 for page in doc}
        doc.close()
        if name.endswith("-phone.pdf"):
            assert sizes == {(90, 180)}, name
        else:
            assert sizes == {(297, 210)}, name
            assert pdfcheck.page_count(pdf) == 2, name


def test_every_qr_code_decodes_to_the_expected_payload_also_at_3_px_a_module(
        built, expected):
    for name, payloads in expected.items():
        pdf = built[name]
        found, degraded = [], []
        for page in range(2):
            image = pdfcheck.render(pdf, page, DPI)
            results = codes_on(image)
            found += [r.bytes for r in results]
            if not results:
                continue
            module_px = min(symbol_box(r)[4] for r in results)
            # Render again so that the smallest module is about 3 pixels.
            low = DPI * 3 / module_px
            degraded += [r.bytes for r in codes_on(pdfcheck.render(pdf, page, low))]
        assert sorted(found) == payloads, name
        assert sorted(degraded) == payloads, name


def test_qr_modules_are_at_least_half_a_millimetre_with_a_quiet_zone_clear_of_folds(
        built, expected):
    for name in expected:
        pdf = built[name]
        for page in range(2):
            image = pdfcheck.render(pdf, page, DPI, grayscale=True)
            height, width = image.shape
            for r in codes_on(image):
                left, top, right, bottom, module = symbol_box(r)
                assert module / PX >= 0.5 - 0.02, (name, page, module / PX)
                # ISO 18004: four modules of light quiet zone on every side.
                # (The symbol itself is grown by 2 px for anti-aliasing.)
                q = int(4 * module)
                zone = image[int(top) - q:int(bottom) + q, int(left) - q:int(right) + q]
                symbol = np.zeros(zone.shape, bool)
                symbol[q - 2:-q + 2, q - 2:-q + 2] = True
                assert zone[~symbol].min() > 200, (name, page, "quiet zone")
                # 5 mm from every fold and trim edge.
                edges = [0.0, width / PX, *FOLDS[page]]
                for x_mm in edges:
                    gap = min(abs(left / PX - x_mm), abs(right / PX - x_mm))
                    straddles = left / PX < x_mm < right / PX
                    assert gap >= CLEAR and not straddles, (name, page, x_mm)
                assert top / PX >= CLEAR and (height - bottom) / PX >= CLEAR


def test_nothing_is_printed_within_5_mm_of_a_fold_or_the_trim(built, expected):
    for name in expected:
        pdf = built[name]
        for page in range(2):
            image = pdfcheck.render(pdf, page, DPI, grayscale=True)
            band = int(CLEAR * PX)
            assert image[:, :band].min() > 250, (name, page, "left trim")
            assert image[:, -band:].min() > 250, (name, page, "right trim")
            assert image[:band, :].min() > 250, (name, page, "top trim")
            assert image[-band:, :].min() > 250, (name, page, "bottom trim")
            for fold in FOLDS[page]:
                x = int(fold * PX)
                columns = image[:, x - band:x + band]
                assert columns.min() > 250, (name, page, f"fold at {fold} mm")


def test_providers_sit_in_the_middle_of_their_panel(built, expected):
    # Laid out at the narrow flap's width, they kept 7 mm from one fold of a
    # 100 mm panel and 10 mm from the other. The hairlines between providers
    # span their column.
    rules = 0
    for name in expected:
        doc = pdfium.PdfDocument(built[name])
        for page in range(2):
            edges = [0.0, *FOLDS[page], 297.0]
            for obj in doc[page].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH],
                                             max_depth=5):
                left, bottom, right, top = (v / pdfcheck.MM for v in obj.get_bounds())
                if top - bottom > 0.5 or right - left < 60:
                    continue
                start = max(e for e in edges if e <= left)
                end = min(e for e in edges if e >= right)
                assert abs((left - start) - (end - right)) < 0.2, (
                    name, page, round(left, 1), round(right, 1))
                rules += 1
    assert rules > len(expected)


def _panel_text(pdf: bytes, page: int, left_mm: float, right_mm: float) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        leaf = doc[page]
        text = leaf.get_textpage().get_text_bounded(
            left=left_mm * pdfcheck.MM, bottom=0, right=right_mm * pdfcheck.MM,
            top=leaf.get_height())
        return unicodedata.normalize("NFC", text)
    finally:
        doc.close()


def test_front_cover_is_neutral_and_names_the_province(built, bundled):
    cover = bundled.content.document.leaflet_cover
    for name, pdf in built.items():
        if name.endswith("-phone.pdf"):
            continue
        front = pdfcheck.squash(_panel_text(pdf, 0, 197, 297))
        assert pdfcheck.squash(cover.vi) in front, name
        assert pdfcheck.squash(cover.en) in front, name
        lowered = front.lower()
        for word in ("trafficking", "buônbán", "muabánngười", "nạnnhân"):
            assert word not in lowered, (name, word)
    front = _panel_text(built["leaflet-40-nghe-an-vi+en.pdf"], 0, 197, 297)
    assert "Nghệ An" in front and "Nghe An" in front


def test_hotlines_and_emergency_numbers_are_on_the_flap(built, bundled):
    flap = _panel_text(built["leaflet-01-ha-noi-vi+en.pdf"], 0, 0, 97)
    for hotline in bundled.content.document.hotlines:
        assert hotline.number in flap


def test_providers_without_phone_or_website_say_how_to_reach_them(built, bundled):
    pdf = built["leaflet-40-nghe-an-vi+en.pdf"]
    text = pdfcheck.squash(pdfcheck.text(pdf))
    sunflower = next(p for p in bundled.content.providers
                     if p.id == "sunflower-house")
    assert not sunflower.phones and not sunflower.website
    assert pdfcheck.squash(sunflower.how_to_reach.vi) in text
    assert pdfcheck.squash(sunflower.how_to_reach.en) in text


def test_draft_is_stamped_on_every_page(built, bundled):
    stamp = bundled.layouts.strings("vi")["draft_stamp"]
    for name, pdf in built.items():
        for i, page in enumerate(pdfcheck.text_pages(pdf)):
            assert stamp in page, (name, i)


def test_phone_variant_links_every_dialable_number_and_has_no_qr(built, bundled):
    pdf = built["leaflet-01-ha-noi-vi+en-phone.pdf"]
    targets = set(pdfcheck.links(pdf))
    content = bundled.content
    for p in content.providers:
        if p.is_national or p.covers("01"):
            for phone in p.phones:
                dial = dial_string(phone.number)
                if dial:
                    assert f"tel:{dial}" in targets, phone.number
            if p.website:
                site = p.website if "://" in p.website else "https://" + p.website
                assert site in targets
    assert "tel:111" in targets
    for page in range(pdfcheck.page_count(pdf)):
        assert codes_on(pdfcheck.render(pdf, page, 200)) == []


def test_a6_booklet_folds_and_codes(bundled, expected):
    job = next(j for j in leaflets.plan(bundled, {"layout": "a6",
                                                  "province": ["01"]})
               if j.edition.medium == "print")
    from booklet.select import select
    made = leaflets.make(bundled, job, select(bundled.content, job.edition))
    pdf = made.artifacts[0].data
    assert made.artifacts[0].path == "leaflets/leaflet-01-ha-noi-vi+en-a6.pdf"
    assert pdfcheck.structural_check(pdf) == []
    pages = pdfcheck.page_count(pdf)
    assert pages in (2, 4)
    found = []
    for page in range(pages):
        image = pdfcheck.render(pdf, page, DPI, grayscale=True)
        band = int(CLEAR * PX)
        x = int(105 * PX)
        assert image[:, x - band:x + band].min() > 250, page
        assert image[:, :band].min() > 250 and image[:, -band:].min() > 250
        found += [r.bytes for r in codes_on(image)]
    assert sorted(found) == expected["leaflet-01-ha-noi-vi+en.pdf"]


def test_each_code_says_what_it_does(built, bundled):
    # A code with numbers saves them; one with only a website opens it.
    text = pdfcheck.text(built["leaflet-01-ha-noi-vi+en.pdf"])
    content = bundled.content
    in_scope = [p for p in content.providers if p.is_national or p.covers("01")]
    web_only = [p for p in in_scope if p.website and not any(
        dial_string(ph.number) for ph in p.phones
        if ph.visibility is Visibility.public)]
    assert web_only
    # The caption is as wide as its code, and a website's code is small.
    text = " ".join(text.split())
    assert text.count("Scan to open the website") == len(web_only)
    assert text.count("Quét mã để mở trang web") == len(web_only)


def test_an_old_style_number_is_printed_small_with_a_caution(built, bundled):
    content = bundled.content
    for code, slug in (("79", "ho-chi-minh-city"), ("01", "ha-noi")):
        in_scope = [p for p in content.providers
                    if p.is_national or p.covers(code)]
        old = [ph.number for p in in_scope for ph in p.phones
               if ph.visibility is Visibility.public and not dial_string(ph.number)]
        assert old, code
        for suffix in ("", "-phone"):
            pdf = built[f"leaflet-{code}-{slug}-vi+en{suffix}.pdf"]
            text = " ".join(pdfcheck.text(pdf).split())
            for caution in ("Old number; it may ring someone else. Call 111.",
                            "Số cũ, có thể gọi nhầm người khác. Hãy gọi 111."):
                assert text.count(caution) == len(old), caution


def test_plain_values_are_those_reportlabs_cleaning_leaves_alone():
    # Leaflets reuse parsed fragments for values the paragraph parser would
    # return unchanged; the quick test must agree with ReportLab's cleaning.
    import random

    from reportlab.platypus.paragraph import cleanBlockQuotedText

    from booklet.render.leaflet import _plain

    rnd = random.Random(1)
    pieces = ["a", "Ấ", " ", "  ", "\u00a0", "\n", "\t", "\u3000", "\x0b"]
    for _ in range(20000):
        value = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(7)))
        assert _plain(value) == (cleanBlockQuotedText(value) == value), repr(value)
    # Every character between two letters: whitespace to ReportLab is
    # whitespace to _plain, and nothing else is.
    for code in range(0x10000):
        if code in (0x26, 0x3C, 0x3E, 0x22, 0x27) or 0xD800 <= code < 0xE000 \
                or 0xE000 <= code <= 0xE003:
            continue  # escaped by the template, surrogates, or our slots
        value = f"a{chr(code)}a"
        assert _plain(value) == (cleanBlockQuotedText(value) == value), hex(code)


def test_the_cover_tagline_never_ends_on_a_word_alone(built, bundled):
    # "... đề nghị giữ bí / mật." split a two-syllable word and left it alone.
    tagline = bundled.content.document.leaflet_tagline
    for name, pdf in built.items():
        if name.endswith("-phone.pdf") or not name.endswith("vi+en.pdf"):
            continue
        lines = [" ".join(line.split()) for line in
                 pdfcheck.text(pdf).splitlines()]
        for text in (tagline.vi, tagline.en):
            last = text.split()[-1]
            holding = [line for line in lines if line.endswith(last)]
            # "giữ / bí mật.": two syllables, but one word, alone.
            assert holding and all(len(line.split()) >= 2 and len(line) >= 10
                                   for line in holding), (name, holding)
