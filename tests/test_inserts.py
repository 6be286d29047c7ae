"""Regional inserts for caseworkers: scope, caseworker fields, page marks,
grayscale legibility and the edition rules, checked on the produced PDFs."""

from __future__ import annotations

import math
import signal

import numpy as np
import pypdfium2 as pdfium
import pytest

from booklet.build import build
from booklet.errors import BookletError
from booklet.products import inserts
from booklet.project import open_project
from booklet.select import select
from tests import pdfcheck
from tests.conftest import (
    CASEWORKER_ONLY,
    FICTIONAL,
    LAYOUTS,
    SECRET_ADDRESS,
    SECRET_NOTE,
    TODAY,
    make_content,
)

FULL = """\
id: fict-full
name: {vi: "Văn phòng Luật Hư Cấu", en: "Fictional Law Office"}
short_name: {vi: "Luật Hư Cấu", en: "Fictional Law"}
kind: ngo
province: "40"
address:
  text: {vi: "2 Phố Thử Nghiệm, Vinh", en: "2 Trial Street, Vinh"}
email: "intake@law.example.org"
phones:
  - number: "0238 3000 010"
    label: {vi: "Tiếp nhận hồ sơ", en: "Case intake"}
    cost: standard
  - number: "0238 3000 012"
    label: {vi: "Đường riêng cho cán bộ", en: "Line for caseworkers"}
    cost: standard
    visibility: caseworker
hours:
  spans:
    - {days: [mon, tue, wed, thu, fri], opens: "08:00", closes: "16:30"}
services:
  - category: legal
    description: {vi: "Trợ giúp pháp lý miễn phí", en: "Free legal representation"}
    fees: {kind: free, note: {vi: "Cho người có thẻ", en: "For card holders"}}
    eligibility:
      criteria: [confirmed_victim]
      notes:
        vi: "Người được xác định là nạn nhân"
        en: "Persons identified as victims"
    documents:
      - {vi: "Căn cước công dân", en: "Citizen identity card"}
      - {vi: "Giấy xác nhận nạn nhân", en: "Victim certification letter"}
languages: [vi, en]
referral:
  process:
    vi: "Gửi mẫu giới thiệu qua thư"
    en: "Email the referral form to intake"
  requirements:
    vi: "Có chữ ký của cán bộ"
    en: "Form signed by the referring officer"
  constraints:
    vi: "Chỉ tiếp nhận người ở Nghệ An"
    en: "Only clients living in Nghe An"
  template_url: "https://law.example.org/referral-form.docx"
  safeguarding:
    vi: "Không gọi vào số của người bị hại"
    en: "Never phone the client's own number"
  contact_person:
    name: "Trần Thị Hư Cấu"
    role: {vi: "Điều phối viên", en: "Intake coordinator"}
    phone: "0238 3000 011"
    email: "coordinator@law.example.org"
care_standards: {trauma_informed: "yes", gender_sensitive: "no"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-08-20", method: in_person}
"""

MIND = """\
id: fict-mind
name: {vi: "Nhóm Tâm Lý Ảo", en: "Imaginary Counselling Group"}
kind: ngo
province: "42"
phones:
  - number: "0239 3000 020"
    cost: standard
services:
  - category: psychological
    description: {vi: "Tư vấn nhóm", en: "Group counselling"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: desk_research, method: desk}
"""

JOBS = """\
id: fict-jobs
name: {vi: "Sàn Việc Làm Tưởng Tượng", en: "Pretend Job Exchange"}
kind: government_provincial
province: "42"
phones:
  - number: "0239 3000 030"
    cost: standard
services:
  - category: economic_employment
    description: {vi: "Giới thiệu việc làm", en: "Job matching"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-05", method: phone}
"""

OUTSIDE = """\
id: fict-outside
name: {vi: "Luật sư Ngoài Vùng Hư Cấu", en: "Fictional Out-of-Area Lawyers"}
kind: ngo
province: "38"
phones:
  - number: "0237 3000 040"
    cost: standard
services:
  - category: legal
    description: {vi: "Tư vấn pháp lý", en: "Legal advice"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-05", method: phone}
"""


def _many(n: int) -> str:
    return f"""\
id: fict-many-{n:02d}
name: {{vi: "Điểm Hỗ Trợ Giả Định số {n:02d}", en: "Placeholder Support Point {n:02d}"}}
kind: government_communal
province: "44"
phones:
  - number: "0233 3000 {n:03d}"
    cost: standard
services:
  - category: social_welfare
    description:
      vi: "Hỗ trợ xã hội cho người trở về, tư vấn và giới thiệu dịch vụ"
      en: "Social support for returnees, counselling and referral to services"
    eligibility:
      criteria: [returned_migrant]
      notes: {{vi: "Người trở về cư trú tại xã", en: "Returnees living in the commune"}}
referral:
  process: {{vi: "Gọi trước khi đưa người đến", en: "Phone before bringing the person"}}
consent:
  print: {{given: "yes"}}
  digital: {{given: "yes"}}
verification: {{status: verified, date: "2026-07-{n:02d}", method: phone}}
"""


PROVIDERS = {**FICTIONAL, "nghe-an/fict-full.yaml": FULL,
             "ha-tinh/fict-mind.yaml": MIND, "ha-tinh/fict-jobs.yaml": JOBS,
             "thanh-hoa/fict-outside.yaml": OUTSIDE,
             **{f"quang-tri/fict-many-{n:02d}.yaml": _many(n) for n in range(1, 15)}}

# English names of the fixture providers, by id.
NAMES = {"fict-shelter": "Fictional Dawn House",
         "fict-noconsent": "Fictional Unconsenting Fund",
         "fict-clinic": "Mirage Clinic", "fict-national": "Fictional National Line",
         "fict-full": "Fictional Law Office",
         "fict-mind": "Imaginary Counselling Group",
         "fict-jobs": "Pretend Job Exchange",
         "fict-outside": "Fictional Out-of-Area Lawyers"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("inserts")
    content = make_content(root / "content", PROVIDERS)
    return open_project(content, LAYOUTS, root / "output", TODAY)


def made(project, **request) -> dict[str, bytes]:
    """Every insert a request plans, made from its own selection: key -> PDF."""
    out = {}
    for job in inserts.plan(project, request):
        artifact = inserts.make(project, job, select(project.content, job.edition))
        assert artifact.artifacts[0].path == f"inserts/{job.key}.pdf"
        out[job.key] = artifact.artifacts[0].data
    return out


@pytest.fixture(scope="module")
def filtered(project) -> bytes:
    pdfs = made(project, province=["42", "40"], category=["psychological", "legal"],
                lang="en")
    assert list(pdfs) == ["insert-provinces-40-42-legal-psychological-en"]
    return next(iter(pdfs.values()))


@pytest.fixture(scope="module")
def region(project) -> dict[str, bytes]:
    return made(project, region="north-central-coast")


@pytest.fixture(scope="module")
def shown(project) -> bytes:
    return made(project, province=["40"], lang="en",
                show_confidential=True)["insert-provinces-40-confidential-en"]


# Scope: which providers an insert holds.

def test_filtered_insert_lists_only_the_services_asked_for(filtered):
    # Mirage Clinic offers counselling (asked for) and check-ups (not).
    text = pdfcheck.text(filtered)
    assert "Mirage Clinic" in text and "Counselling" in text
    assert "Health check-ups" not in text


def test_filtered_insert_holds_exactly_the_matching_providers(filtered):
    text = pdfcheck.text(filtered)
    wanted = {"fict-noconsent", "fict-full", "fict-clinic", "fict-mind",
              "fict-national"}
    for pid, name in NAMES.items():
        assert (name in text) == (pid in wanted), name
    assert "Placeholder Support Point" not in text


def test_filtered_insert_says_which_services_it_lists(filtered):
    first = pdfcheck.text_pages(filtered)[0]
    assert ("This insert lists only: Psychological support and mental health, "
            "Legal advice and legal aid.") in first.replace("\r\n", " ").replace(
                "\n", " ")
    # The pathway table names the services by need, with their phones.
    assert "Fictional Law (Nghe An) – 0238 3000 010" in first
    assert "Imaginary Counselling Group (Ha Tinh) – 0239 3000 020" in first
    assert "Fictional National Line (national) – 1800 0000" in first
    assert "Accommodation and shelter" not in first


def test_national_entries_have_a_section_of_their_own(filtered):
    pages = pdfcheck.text_pages(filtered)
    assert pages[1].startswith("National services")
    assert "Fictional National Line" in pages[1]
    assert pdfcheck.outline_titles(filtered)[:2] == ["Referral pathway",
                                                   "National services"]


def test_default_plan_is_one_insert_per_region_with_entries_in_each_language(
        project):
    keys = [job.key for job in inserts.plan(project, {})]
    assert keys == ["insert-north-central-coast-vi", "insert-north-central-coast-en"]


def test_unknown_codes_are_refused_with_the_accepted_ones(project):
    with pytest.raises(BookletError) as region_error:
        inserts.plan(project, {"region": "atlantis"})
    assert str(region_error.value) == (
        "inserts: unknown region 'atlantis' (content/regions.yaml); use one of: "
        "red-river-delta, northern-midlands-mountains, north-central-coast, "
        "central-highlands, southeast, mekong-delta")
    with pytest.raises(BookletError) as province_error:
        inserts.plan(project, {"province": ["40", "99"]})
    assert str(province_error.value).startswith(
        "inserts: unknown province code '99' (content/provinces.yaml); use one "
        "of: 01, 04, 08,")
    with pytest.raises(BookletError) as category_error:
        inserts.plan(project, {"category": ["legal", "astrology"]})
    assert str(category_error.value).startswith(
        "inserts: unknown category 'astrology' (content/categories.yaml); use one "
        "of: hotline_information, accommodation,")
    with pytest.raises(BookletError, match="unknown language 'fr'"):
        inserts.plan(project, {"lang": "fr"})


# Caseworker fields.

def test_every_caseworker_field_in_the_content_appears(filtered):
    text = pdfcheck.squash(pdfcheck.text(filtered))
    for value in (
            "Email the referral form to intake",          # referral process
            "Form signed by the referring officer",        # requirements
            "Only clients living in Nghe An",              # constraints
            "https://law.example.org/referral-form.docx",  # template link
            "Never phone the client's own number",         # safeguarding
            "Trần Thị Hư Cấu", "Intake coordinator", "0238 3000 011",
            "coordinator@law.example.org",                 # contact person
            "Confirmed victim", "Persons identified as victims",  # eligibility
            "Citizen identity card", "Victim certification letter",  # documents
            "For card holders",                            # fee note
            "Trauma-informed: yes", "Gender-sensitive: no",  # care standards
            "Verified on 20 August 2026 (in person)",      # verification
            "Vietnamese, English",                         # languages
            "Mon–Fri 08:00–16:30", "intake@law.example.org",
            "0238 3000 010", "Case intake"):
        assert pdfcheck.squash(value) in text, value
    assert "https://law.example.org/referral-form.docx" in pdfcheck.links(filtered)


def test_unverified_entry_says_so(filtered):
    text = pdfcheck.text(filtered).replace("\r\n", "\n")
    assert "Not yet verified – from public sources" in text
    assert "Imaginary Counselling Group\nNon-governmental organisation · Ha Tinh" \
        " · Nhóm Tâm Lý Ảo\nNot yet verified\n" in text


def test_a_phone_not_for_the_public_is_marked(filtered):
    text = pdfcheck.text(filtered)
    # In the directory's order: number, cost, hours, hotline, label.
    assert ("0238 3000 012 · Standard rate · Line for caseworkers · "
            "not for the public") in text


# Page marks.

def test_footer_on_every_page_with_page_x_of_y(region):
    for key, pdf in region.items():
        pages = pdfcheck.text_pages(pdf)
        count = pdfcheck.page_count(pdf)
        assert len(pages) == count >= 6, key
        en = key.endswith("-en")
        for number, text in enumerate(pages, start=1):
            mark = (f"Page {number} of {count}" if en
                    else f"Trang {number}/{count}")
            assert text.count(mark) == 1, (key, number)
            assert ("For caseworkers" if en
                    else "Dành cho cán bộ quản lý trường hợp") in text
            assert ("North Central and Central Coast" if en
                    else "Bắc Trung Bộ và Duyên hải miền Trung") in text
            assert ("Edition 1 December 2026" if en else "Ấn bản 01/12/2026") in text
            assert ("Verified 1 July 2026–1 November 2026" if en
                    else "Xác minh 01/07/2026–01/11/2026") in text


def test_a_long_province_runs_over_pages(region):
    pages = pdfcheck.text_pages(region["insert-north-central-coast-en"])
    holding = [i for i, t in enumerate(pages) if "Commune government · Quang Tri" in t]
    assert len(holding) >= 2
    assert "For caseworkers · North Central and Central Coast\n" in (
        pages[0].replace("\r\n", "\n"))
    for i in holding:
        # The footer names the province on the pages it runs on to.
        assert "North Central and Central Coast · Quang Tri" in pages[i]
    assert "Placeholder Support Point 14" in pages[holding[-1]]


def test_draft_pathway_marks_a_provider_that_declined(filtered):
    pathway = " ".join(pdfcheck.text_pages(filtered)[0].split())
    assert "Declined to be listed – left out of the final edition" in pathway


def test_footer_counts_unverified_entries(filtered):
    for text in pdfcheck.text_pages(filtered):
        assert ("Verified 20 August 2026–1 November 2026 (1 not yet verified)"
                in text)


def test_draft_stamps_every_page_and_marks_missing_consent(filtered):
    pages = pdfcheck.text_pages(filtered)
    assert all("DRAFT – not for distribution" in text for text in pages)
    # The fixture's unconsenting provider said no: reviewers are told that,
    # not that an answer is still awaited.
    text = pdfcheck.text(filtered)
    assert "Declined to be listed – left out of the final edition" in text
    assert "Consent to publish not yet confirmed" not in text


def test_final_has_no_stamp(project):
    pdf = made(project, province=["40"], lang="en", final=True)[
        "insert-provinces-40-en"]
    text = pdfcheck.text(pdf)
    assert "DRAFT" not in text
    assert "Consent to publish not yet confirmed" not in text
    assert "Fictional Law Office" in text
    # Handed over on paper, an insert is a publication: a refusal counts.
    assert NAMES["fict-noconsent"] not in text


def test_final_skip_unverified_leaves_out_unverified_entries(project):
    request = {"province": ["42"], "category": ["psychological"], "lang": "en",
               "final": True, "skip_unverified": True}
    (job,) = inserts.plan(project, request)
    selection = select(project.content, job.edition)
    result = inserts.make(project, job, selection)
    text = pdfcheck.text(result.artifacts[0].data)
    assert "Mirage Clinic" in text
    assert "Imaginary Counselling Group" not in text
    assert result.warnings == []
    assert ("fict-mind", "excluded") in [(d.provider, d.action)
                                         for d in selection.decisions]


def test_an_insert_with_nothing_to_show_says_so(project):
    request = {"province": ["01"], "category": ["accommodation"], "lang": "en"}
    (job,) = inserts.plan(project, request)
    result = inserts.make(project, job, select(project.content, job.edition))
    assert result.warnings == [
        "insert-provinces-01-accommodation-en: no provider in Ha Noi matches "
        "this insert or may be shown in this edition; it holds the first page "
        "only"]
    assert "No services are recorded here yet." in pdfcheck.text(
        result.artifacts[0].data)


def test_vietnamese_insert_keeps_its_letters(region):
    text = pdfcheck.text(region["insert-north-central-coast-vi"])
    for value in ("Lộ trình giới thiệu", "Ngôi nhà Bình Minh Hư Cấu",
                  "Văn phòng Luật Hư Cấu", "Gọi 111 trước", "Lưu ý an toàn",
                  "Đã xác minh ngày 20/08/2026 (gặp trực tiếp)"):
        assert value in text, value


# Edition rules: confidential addresses, internal notes.

def test_confidential_address_withheld_by_default(region, filtered):
    for pdf in [*region.values(), filtered]:
        everything = pdfcheck.everything_a_reader_gets(pdf, dpi=100)
        assert SECRET_ADDRESS not in everything
        assert SECRET_NOTE not in everything
    text = pdfcheck.text(region["insert-north-central-coast-en"])
    assert "Address not published – contact through the 111 hotline" in text


def test_confidential_address_shown_with_its_marking_when_asked(shown):
    pages = pdfcheck.text_pages(shown)
    page = next(t for t in pages if SECRET_ADDRESS in t)
    marking = "CONFIDENTIAL – do not share this address"
    assert page.index(marking) < page.index(SECRET_ADDRESS)
    # The entry is flagged under its name too, before any of its fields.
    assert "Fictional Dawn House\r\nNon-governmental organisation · Nghe An · " \
        "Ngôi nhà Bình Minh Hư Cấu\r\nCONFIDENTIAL\r\n" in page
    assert SECRET_NOTE not in pdfcheck.everything_a_reader_gets(shown, dpi=100)
    assert CASEWORKER_ONLY in pdfcheck.text(shown)


# The printed page.

def _all(region, filtered, shown):
    return [*region.values(), filtered, shown]


def test_pdfs_are_sound_and_embed_their_fonts(region, filtered, shown):
    for pdf in _all(region, filtered, shown):
        assert pdfcheck.structural_check(pdf) == []
        assert pdfcheck.standard14_fonts(pdf) == []
        assert all(f.subset and f.to_unicode for f in pdfcheck.fonts(pdf))


def test_pages_are_a4_portrait_without_bleed(shown):
    doc = pdfium.PdfDocument(shown)
    for page in doc:
        assert page.get_size() == pytest.approx((595.28, 841.89), abs=0.05)
        assert page.get_mediabox() == page.get_trimbox()


def test_nothing_prints_within_12mm_of_the_edge(region, shown):
    """Office printers cannot print to the edge: every mark keeps 12 mm clear."""
    dpi = 100
    edge = math.ceil(12 * dpi / 25.4)
    for pdf in (region["insert-north-central-coast-vi"], shown):
        for i in range(pdfcheck.page_count(pdf)):
            image = pdfcheck.render(pdf, i, dpi, grayscale=True)
            inside = np.ones(image.shape, bool)
            inside[edge:-edge, edge:-edge] = False
            assert image[inside].min() >= 250, i


def _contrast_failures(pdf: bytes, page: int, dpi: float = 200) -> list[str]:
    """Characters whose rendered box lacks dark ink or light paper.

    A character drawn in dark ink on light paper (or light on dark) has both a
    pixel darker than 80 and one lighter than 200 in its box on a grayscale
    render; light-grey text or text on a mid-grey tint fails one of them.
    """
    image = pdfcheck.render(pdf, page, dpi, grayscale=True)
    scale = dpi / 72
    height = image.shape[0]
    doc = pdfium.PdfDocument(pdf)
    textpage = doc[page].get_textpage()
    failures = []
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if not char.isalnum():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        box = image[max(0, int(height - top * scale) - 1):
                    math.ceil(height - bottom * scale) + 1,
                    max(0, int(left * scale) - 1):math.ceil(right * scale) + 1]
        if box.size == 0 or box.min() >= 80 or box.max() <= 200:
            failures.append(f"{char!r} at {left:.0f},{bottom:.0f}")
    doc.close()
    return failures


def test_text_keeps_its_contrast_in_grayscale(region, shown):
    pdf = region["insert-north-central-coast-en"]
    pages = range(pdfcheck.page_count(pdf))
    for i in pages:
        assert _contrast_failures(pdf, i) == [], i
    for i in range(pdfcheck.page_count(shown)):
        assert _contrast_failures(shown, i) == [], i


def test_same_content_gives_the_same_bytes(project, filtered):
    again = made(project, province=["40", "42"], category=["legal", "psychological"],
                 lang="en")
    assert again["insert-provinces-40-42-legal-psychological-en"] == filtered


# Bundled content, through the build runner.

def test_inserts_build_for_every_region_of_the_bundled_content(bundled):
    result = build(bundled, ["inserts"])
    assert result.failures == []
    content = bundled.content
    expected = [r.code for r in content.regions
                if any(not p.is_national and any(p.covers(c) for c in r.provinces)
                       for p in content.providers)]
    assert expected
    files = sorted(result.written)
    assert files == sorted(f"inserts/insert-{code}-{lang}.pdf"
                           for code in expected for lang in ("vi", "en"))
    for name in files:
        pdf = (bundled.output_dir / name).read_bytes()
        count = pdfcheck.page_count(pdf)
        assert count >= 2
        assert pdfcheck.structural_check(pdf) == []
        assert pdfcheck.standard14_fonts(pdf) == []
        pages = pdfcheck.text_pages(pdf)
        # The first page holds the pathway: 111 first, then the services by
        # need (the table starts on page 1 even when it runs on).
        strings = bundled.layouts.strings("en" if name.endswith("-en.pdf") else "vi")
        for label in (strings["insert_step_first"].format(number="111"),
                      strings["insert_step_check"], strings["insert_step_need"],
                      strings["insert_services"]):
            assert label in pages[0], (name, label)
        for number, text in enumerate(pages, start=1):
            mark = (f"Page {number} of {count}" if name.endswith("-en.pdf")
                    else f"Trang {number}/{count}")
            assert mark in text, (name, number)


# Directory scale: a region of 150 providers, and entries with very long fields.

BULK_CATEGORIES = ("legal", "psychological", "medical", "social_welfare",
                   "accommodation")
BULK_PROVINCES = (("nghe-an", "40", "0238", "Nghe An"),
                  ("ha-tinh", "42", "0239", "Ha Tinh"),
                  ("quang-tri", "44", "0233", "Quang Tri"))

# A requirement of about 6,000 characters and a safeguarding note of about
# 4,000, each sentence numbered so that every part can be found in the PDF.
LONG_REQUIREMENT = " ".join(
    f"Requirement R{i:03d}: bring the fictional intake form signed by the "
    "referring officer and a copy of the identity card." for i in range(60))
LONG_SAFEGUARDING = " ".join(
    f"Precaution S{i:03d}: never share the fictional client's location with "
    "anyone who calls." for i in range(50))


def _bulk(n: int, code: str, area: str) -> str:
    """Provider n of the bulk region, offering two of BULK_CATEGORIES."""
    services = "".join(
        f"""\
  - category: {BULK_CATEGORIES[(n + step) % len(BULK_CATEGORIES)]}
    description: {{vi: "Dịch vụ hư cấu số {n:03d}", en: "Fictional service {n:03d}"}}
""" for step in (0, 2))
    return f"""\
id: fict-bulk-{n:03d}
name: {{vi: "Trung tâm Hư Cấu số {n:03d}", en: "Fictional Test Centre {n:03d}"}}
kind: ngo
province: "{code}"
phones:
  - number: "{area} 3100 {n:03d}"
    cost: standard
services:
{services}consent:
  print: {{given: "yes"}}
  digital: {{given: "yes"}}
verification: {{status: verified, date: "2026-09-15", method: phone}}
"""


LONG = f"""\
id: fict-long
name: {{vi: "Văn phòng Dài Dòng Hư Cấu", en: "Fictional Verbose Office"}}
kind: ngo
province: "40"
phones:
  - number: "0238 3200 001"
    cost: standard
services:
  - category: legal
    description: {{vi: "Tư vấn pháp lý hư cấu", en: "Fictional legal advice"}}
referral:
  requirements: {{vi: "{LONG_REQUIREMENT}", en: "{LONG_REQUIREMENT}"}}
  safeguarding: {{vi: "{LONG_SAFEGUARDING}", en: "{LONG_SAFEGUARDING}"}}
consent:
  print: {{given: "yes"}}
  digital: {{given: "yes"}}
verification: {{status: verified, date: "2026-09-15", method: phone}}
"""


def _bulk_providers() -> dict[str, str]:
    files = {"nghe-an/fict-long.yaml": LONG}
    for i in range(150):
        slug, code, area, _name = BULK_PROVINCES[i % len(BULK_PROVINCES)]
        files[f"{slug}/fict-bulk-{i:03d}.yaml"] = _bulk(i, code, area)
    return files


@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> bytes:
    root = tmp_path_factory.mktemp("inserts-bulk")
    content = make_content(root / "content", _bulk_providers())
    big = open_project(content, LAYOUTS, root / "output", TODAY)
    return made(big, region="north-central-coast", lang="en")[
        "insert-north-central-coast-en"]


def _pathway_pages(pages: list[str]) -> list[str]:
    """The first page and the pages the services-by-need table runs on to."""
    return [pages[0], *[t for t in pages[1:] if t.startswith("Need Service and phone")]]


def test_a_region_of_150_providers_lists_every_service_by_need(bulk):
    pages = pdfcheck.text_pages(bulk)
    pathway = _pathway_pages(pages)
    assert len(pathway) >= 3
    first = pages[0]
    for label in ("Call 111 first", "Before you refer", "Refer by need",
                  "Need Service and phone"):
        assert label in first, label
    table = "\n".join(pathway)
    for i in range(150):
        _slug, _code, area, place = BULK_PROVINCES[i % len(BULK_PROVINCES)]
        row = f"Fictional Test Centre {i:03d} ({place}) – {area} 3100 {i:03d}"
        # Each bulk provider offers two services, so it is listed under two needs.
        assert table.count(row) == 2, row


def test_a_need_that_runs_on_is_named_again_atop_the_next_page(bulk):
    pathway = _pathway_pages(pdfcheck.text_pages(bulk))
    needs = ("Accommodation and shelter", "Medical care",
             "Psychological support and mental health",
             "Legal advice and legal aid", "Social work and social welfare")
    for text in pathway[1:]:
        # Below the repeated header: the need, then its next service.
        below_header = " ".join(text.split()).removeprefix("Need Service and phone ")
        assert any(below_header.startswith(f"{n} (continued) Fictional Test")
                   or below_header.startswith(f"{n} Fictional Test")
                   for n in needs), below_header
    assert any("(continued)" in t for t in pathway[1:])


def test_a_6000_character_requirement_runs_over_pages(bulk):
    assert len(LONG_REQUIREMENT) >= 6000
    pages = pdfcheck.text_pages(bulk)
    holding = {}
    for token in [f"R{i:03d}:" for i in range(60)] + [f"S{i:03d}:" for i in range(50)]:
        found = [n for n, t in enumerate(pages) if token in t]
        assert len(found) == 1, token
        holding[token] = found[0]
    assert holding["R059:"] > holding["R000:"]
    assert holding["S049:"] >= holding["R059:"]
    # The sentences come out in the order written, page after page.
    assert list(holding.values()) == sorted(holding.values())


def _in_the_footer(pdf: bytes) -> list[tuple[int, str]]:
    """(page, character) of every character between the text frame and the
    footer: a cell taller than a page, or one split at the wrong width, was
    drawn over the footer."""
    frame_bottom = 26 * 72 / 25.4
    footer_top = 14 * 72 / 25.4 + 10 + 7.5 + 4   # upper footer line and rule gap
    doc = pdfium.PdfDocument(pdf)
    found = []
    for number, page in enumerate(doc, start=1):
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if char.isspace():
                continue
            _left, bottom, _right, top = textpage.get_charbox(i)
            if not (bottom >= frame_bottom - 4 or top <= footer_top):
                found.append((number, char))
    doc.close()
    return found


def test_no_text_runs_into_the_footer(bulk):
    assert not _in_the_footer(bulk)


def test_a_large_insert_keeps_page_x_of_y_and_is_sound(bulk):
    pages = pdfcheck.text_pages(bulk)
    count = pdfcheck.page_count(bulk)
    assert len(pages) == count
    for number, text in enumerate(pages, start=1):
        assert text.count(f"Page {number} of {count}") == 1, number
    assert pdfcheck.structural_check(bulk) == []
    assert pdfcheck.standard14_fonts(bulk) == []


def test_pathway_never_gives_a_number_that_could_ring_a_stranger(bundled):
    # The HCMC Legal Aid Centre prints only pre-2017 "08" numbers.
    (pdf,) = made(bundled, region="southeast", lang="en").values()
    pathway = pdfcheck.text_pages(pdf)[0]
    assert "HCMC Legal Aid Centre" in pathway
    for number in ("08.38346080", "08.35079534", "08.36024081"):
        assert number not in pathway
    assert "08.35079534" in pdfcheck.text(pdf)  # its entry still prints it


def test_a_boxed_flag_keeps_its_descenders_off_the_frame(bundled):
    # The bundled providers have not yet confirmed consent: a draft flags it.
    pdf = made(bundled, region="north-central-coast", lang="vi")[
        "insert-north-central-coast-vi"]
    flag = bundled.layouts.strings("vi")["consent_pending"]  # "... đồng ý ..."
    dpi = 600
    for number in range(pdfcheck.page_count(pdf)):
        doc = pdfium.PdfDocument(pdf)
        text = doc[number].get_textpage()
        found = text.search(flag, match_case=True)
        where = found.get_next()
        if where is None:
            continue
        first, count = where
        boxes = [text.get_charbox(i) for i in range(first, first + count)]
        height = doc[number].get_height()
        low = min(b[1] for b in boxes)  # the lowest descender, in points
        left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        image = pdfcheck.render(pdf, number, dpi, grayscale=True)
        scale = dpi / 72
        row = int((height - low) * scale) + 1
        band = image[row:row + int(6 * scale), int(left * scale):int(right * scale)]
        # The first row below the text that is dark right across: the frame.
        frame = next(i for i, line in enumerate(band) if (line < 128).mean() > 0.9)
        # About a millimetre clear (it was 2.2 pt, which read as touching).
        assert frame / scale >= 3, f"page {number + 1}: {frame / scale:.2f} pt"
        return
    pytest.fail("no consent flag in the insert")


VERY_LONG = """\
id: fict-long
name: {vi: "Phòng khám Hư Cấu Rất Dài", en: "Fictional Very Long Clinic"}
kind: ngo
province: "42"
phones:
""" + "".join(f'  - {{number: "0239 3000 {n:03d}", cost: standard}}\n'
              for n in range(100, 106)) + """\
services:
""" + "".join(f"""\
  - category: {category}
    description:
      vi: "{'Mô tả dài về dịch vụ dành cho người trở về. ' * 30}"
      en: "{'A long description of the service for returnees. ' * 30}"
""" for category in ("medical", "psychological", "legal", "social_welfare",
                     "accommodation", "economic_employment", "education_vocational",
                     "reintegration", "family_tracing")) + """\
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-01", method: phone}
"""


def test_an_entry_over_several_pages_opens_each_with_its_name(tmp_path):
    # Each break opens the next page with the name, marked as continued,
    # also when the rest of the entry fills a page again.
    content = make_content(tmp_path / "content", {"ha-tinh/fict-long.yaml": VERY_LONG})
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf = made(project, province=["42"], lang="en")["insert-provinces-42-en"]
    pages = pdfcheck.text_pages(pdf)
    opens = [next(line for line in p.splitlines() if line.strip()) for p in pages]
    continued = [i for i, line in enumerate(opens)
                 if line == "Fictional Very Long Clinic (continued)"]
    assert len(continued) >= 2, opens
    start = opens.index("Ha Tinh")
    assert continued == list(range(start + 1, start + 1 + len(continued)))
    # Every phone once in the entry (the pathway before it names the first).
    text = pdfcheck.squash("".join(pages[start:]))
    for n in range(100, 106):
        assert text.count(f"02393000{n}") == 1


def test_a_continued_entry_names_the_field_its_first_row_belongs_to(tmp_path):
    # A page that opens inside a list of services or phones prints that
    # list's label again: a bare "Reintegration – ..." under the name read
    # as a field of its own.
    content = make_content(tmp_path / "content", {"ha-tinh/fict-long.yaml": VERY_LONG})
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf = made(project, province=["42"], lang="en")["insert-provinces-42-en"]
    rows = []
    for page in pdfcheck.text_pages(pdf):
        lines = [line for line in page.splitlines() if line.strip()]
        if lines[0] == "Fictional Very Long Clinic (continued)":
            rows.append(lines[1])
    assert len(rows) >= 2
    assert all(row.startswith("Services ") for row in rows), rows


LONG_WAY = {"en": "Follow the main road and turn left at the market. ",
            "vi": "Đi theo đường lớn rồi rẽ trái ở chợ. "}
HUGE_FIELD = """\
id: fict-huge
name: {vi: "Phòng khám Hư Cấu Rất Dài", en: "Fictional Very Long Clinic"}
kind: ngo
province: "42"
ADDRESS
how_to_reach:
  vi: "VI_WAY"
  en: "EN_WAY"
phones:
  - {number: "0239 3000 100", cost: standard, label: {vi: "VI_LABEL", en: "EN_LABEL"}}
services:
  - category: medical
    description: {vi: "Khám bệnh", en: "Check-ups"}
  - category: legal
    description: {vi: "VI_LEGAL", en: "EN_LEGAL"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-01", method: phone}
"""
ADDRESS = ('address: {text: {vi: "Số 1 đường Giả Định", '
           'en: "1 Fictional Road"}}')


def _huge(long_field: str, address: bool, times: int) -> str:
    """The fixture with one field (how_to_reach, the second service or the
    phone's label) `times` phrases long, and the others short."""
    text = HUGE_FIELD.replace("ADDRESS\n", ADDRESS + "\n" if address else "")
    for lang in ("vi", "en"):
        for field in ("way", "legal", "label"):
            value = LONG_WAY[lang] * times if long_field == field else "Short."
            text = text.replace(f"{lang.upper()}_{field.upper()}", value)
    return text


@pytest.fixture
def deadline():
    """Fails a test whose build runs on past a minute: a layout that can
    place a row nowhere used to loop, growing in memory, for ever."""
    def expire(signum, frame):
        raise TimeoutError("the build ran on for a minute")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize(("long_field", "address", "label"), [
    ("way", False, "Address"), ("way", True, "Address"),
    ("legal", True, "Services"), ("label", True, "Phone")])
def test_a_field_longer_than_a_page_breaks_under_the_continued_name(
        tmp_path, deadline, lang, long_field, address, label):
    # It used to leave the province's heading alone on a blank page, then
    # go on over the next page with neither name nor label; under an
    # address, or as a second service, the build never ended.
    times = {"en": 130, "vi": 180}[lang]  # over a page, whatever the language
    provider = _huge(long_field, address, times)
    content = make_content(tmp_path / "content", {"ha-tinh/fict-huge.yaml": provider})
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf = made(project, province=["42"], lang=lang)[f"insert-provinces-42-{lang}"]
    pages = [[line for line in p.splitlines() if line.strip()]
             for p in pdfcheck.text_pages(pdf)]
    province, name = {"en": ("Ha Tinh", "Fictional Very Long Clinic"),
                      "vi": ("Hà Tĩnh", "Phòng khám Hư Cấu Rất Dài")}[lang]
    continued = {"en": "(continued)", "vi": "(tiếp theo)"}[lang]
    labels = {"Address": {"en": "Address", "vi": "Địa chỉ"},
              "Services": {"en": "Services", "vi": "Dịch vụ"},
              "Phone": {"en": "Phone", "vi": "Điện thoại"}}[label][lang]
    start = next(i for i, p in enumerate(pages) if p[0] == province)
    assert name in pages[start]
    rest = pages[start + 1:]
    assert len(rest) >= 1
    for page in rest:
        assert page[0] == f"{name} {continued}"
        assert page[1].startswith(labels + " ")
    # The page the entry opens on is filled before it breaks: the long
    # field starts there rather than leave it blank below the phone.
    assert len(pages[start]) > 40
    # Nothing lost at the breaks (the phrase itself may straddle one).
    words = " ".join(" ".join(p) for p in pages[start:]).split()
    first, last = LONG_WAY[lang].split()[0], LONG_WAY[lang].split()[-1]
    assert words.count(first) == times
    assert words.count(last) == times
    # Split at the width it is drawn at, the field stays above the footer.
    assert not _in_the_footer(pdf)


def test_entries_with_long_fields_one_after_another_fill_their_pages(
        tmp_path, deadline):
    # One long entry ended a few lines down a page; the next, whose second
    # row was over a page long, left the rest of it blank (about 70 %)
    # because its cut came out a hair too tall three times running.
    providers = {}
    for n, (field, address) in enumerate((("label", True), ("way", True),
                                          ("label", True), ("way", True))):
        text = _huge(field, address, 120).replace("fict-huge", f"fict-huge-{n}")
        text = text.replace("Fictional Very Long Clinic",
                            f"Fictional Very Long Clinic {n}")
        providers[f"ha-tinh/fict-huge-{n}.yaml"] = text
    content = make_content(tmp_path / "content", providers)
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf = made(project, province=["42"], lang="en")["insert-provinces-42-en"]
    pages = [[line for line in p.splitlines() if line.strip()]
             for p in pdfcheck.text_pages(pdf)]
    start = next(i for i, p in enumerate(pages) if p[0] == "Ha Tinh")
    end = max(i for i, p in enumerate(pages)
              if any("Fictional Very Long Clinic 3" in line for line in p))
    short = [(i + 1, len(p)) for i, p in enumerate(pages[start:end], start)
             if len(p) < 40]
    assert not short, short


def test_a_continued_page_repeats_the_flags_of_its_entry(tmp_path):
    # A caseworker reading the second page of an entry did not see that it
    # was not yet verified, nor its consent state: both were on the first.
    provider = _huge("way", True, 130).replace(
        'verification: {status: verified, date: "2026-10-01", method: phone}',
        "verification: {status: desk_research, method: desk}").replace(
        'print: {given: "yes"}', 'print: {given: "unknown"}')
    content = make_content(tmp_path / "content", {"ha-tinh/fict-huge.yaml": provider})
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    pdf = made(project, province=["42"], lang="en")["insert-provinces-42-en"]
    opens = [p.splitlines()[0] for p in pdfcheck.text_pages(pdf)]
    continued = [line for line in opens
                 if line.startswith("Fictional Very Long Clinic (continued)")]
    assert continued
    assert all(line.startswith(
        "Fictional Very Long Clinic (continued) · Consent to publish not yet "
        "confirmed · Not yet verified") for line in continued), continued


def test_the_footer_stays_clear_of_the_page_number(bundled):
    # The confidential Vietnamese footer, with a long region and section,
    # ran over "Trang 8/12".
    pdfs = made(bundled, region="north-central-coast", lang="vi",
                show_confidential=True)
    (pdf,) = pdfs.values()
    doc = pdfium.PdfDocument(pdf)
    for number, page in enumerate(doc, start=1):
        text = page.get_textpage()
        found = text.search("Trang ", match_case=True)
        matches = list(iter(found.get_next, None))
        first, count = matches[-1]  # the footer's, at the foot of the page
        left, bottom = text.get_charbox(first)[:2]
        for i in range(text.count_chars()):
            box = text.get_charbox(i)
            if first <= i < first + count + 6 or abs(box[1] - bottom) > 1:
                continue
            if not text.get_text_range(i, 1).isspace():
                assert box[2] <= left, (number, text.get_text_range(i, 1))
    doc.close()
