"""The directory builds from bad input, says which entry fails and why, and
shows a public edition only what it may."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import yaml
from pypdf import PdfReader

from booklet.errors import FitError
from booklet.products import directory
from booklet.project import open_project
from booklet.select import select
from tests import pdfcheck
from tests.conftest import (
    CASEWORKER_ONLY,
    LAYOUTS,
    SECRET_ADDRESS,
    SECRET_NOTE,
    TODAY,
    make_content,
)
from tests.test_directory import KEYS, main_pdf, make_all

MM = 72 / 25.4
MARKUP = "Nhà <b>unclosed & \"Sao\" 'Mai' <i> a < b > c </para>"
LONG_URL = ("https://example.org/" + "very-long-path-segment-" * 8
            + "end.html?query=1&x=2")
# Several thousand characters of varied words, with stacked diacritics.
LONG_TEXT = " ".join(
    f"Câu {i}: Ấp Ễnh Ộc hỗ trợ người trở về, chăm sóc sức khỏe tâm thần."
    for i in range(90))


def provider(pid: str, province: str, name: dict, description: dict,
             **extra) -> str:
    data = {
        "id": pid, "name": name, "kind": "ngo", "province": province,
        "phones": [{"number": "0238 3000 009", "cost": "standard"}],
        "services": [{"category": "legal", "description": description}],
        **extra}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


BAD = {
    "nghe-an/bad-markup.yaml": provider(
        "bad-markup", "40", {"vi": MARKUP, "en": "Tom & Jerry <Legal> \"Aid\""},
        {"vi": "Giá < 5 & > 2 <br/> <font size=40>x", "en": "a <b> b & c"},
        website=LONG_URL),
    "nghe-an/very-long.yaml": provider(
        "very-long", "40", {"vi": "Trung tâm Rất Dài", "en": "Very Long Centre"},
        {"vi": LONG_TEXT, "en": LONG_TEXT}),
    "ha-tinh/no-english.yaml": provider(
        "no-english", "42", {"vi": "Văn phòng Chỉ Tiếng Việt"},
        {"vi": "Chỉ có mô tả tiếng Việt"}),
}


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("directory-bad")
    return open_project(make_content(root / "content", BAD), LAYOUTS,
                        root / "output", TODAY)


@pytest.fixture(scope="module")
def bad_built(bad_project):
    return make_all(bad_project)


def test_markup_like_text_prints_as_written(bad_built):
    for key in KEYS:
        text = pdfcheck.squash(pdfcheck.text(main_pdf(bad_built, key)))
        for written in (MARKUP, "Tom & Jerry <Legal> \"Aid\"",
                        "Giá < 5 & > 2 <br/> <font size=40>x"):
            if key.startswith("directory-en") and written.startswith("Giá"):
                continue
            assert pdfcheck.squash(written) in text, (key, written)


def flowing_text(pdf: bytes) -> str:
    """The text of the pages without the draft stamp (drawn first) and the
    running head and page number (drawn last), so that text running on from
    one page to the next reads as one."""
    return "\n".join("\n".join(page.splitlines()[1:-2])
                     for page in pdfcheck.text_pages(pdf))


def test_an_entry_of_thousands_of_characters_splits_across_pages(bad_built):
    for key in KEYS:
        pdf = main_pdf(bad_built, key)
        assert pdfcheck.squash(LONG_TEXT) in pdfcheck.squash(flowing_text(pdf))
        pages = [i for i, t in enumerate(pdfcheck.text_pages(pdf))
                 if "Câu 45" in t or "Câu 1:" in t or "Câu 89" in t]
        assert len(pages) >= 2, key


def test_a_missing_translation_falls_back_and_is_marked(bad_built, bad_project):
    marker = bad_project.layouts.strings("en")["translation_missing"]
    text = pdfcheck.squash(pdfcheck.text(main_pdf(bad_built, "directory-en-print")))
    assert pdfcheck.squash("Văn phòng Chỉ Tiếng Việt") in text
    assert pdfcheck.squash("Chỉ có mô tả tiếng Việt" + marker) in text
    warnings = bad_built["directory-en-print"]["made"].warnings
    assert any(w.startswith("no-english: no en text for name") for w in warnings)


def test_a_province_without_entries_is_not_listed(bad_built):
    titles = pdfcheck.outline_titles(main_pdf(bad_built, "directory-vi-screen"))
    assert "Nghệ An" in titles and "Hà Tĩnh" in titles
    assert "Hà Nội" not in titles and "Quảng Trị" not in titles


def test_a_long_url_wraps_inside_the_column_and_its_link_stays_whole(bad_built):
    pdf = main_pdf(bad_built, "directory-en-screen")
    assert LONG_URL in pdfcheck.links(pdf)
    assert pdfcheck.squash(LONG_URL) in pdfcheck.squash(pdfcheck.text(pdf))
    print_pdf = main_pdf(bad_built, "directory-vi-print")
    reader = PdfReader(pdfcheck._source(print_pdf))
    for i, page in enumerate(pdfium.PdfDocument(print_pdf)):
        x0, _, x1, _ = (float(v) for v in reader.pages[i]["/TrimBox"])
        textpage = page.get_textpage()
        for c in range(textpage.count_chars()):
            left, _, right, _ = textpage.get_charbox(c)
            if right - left < 40:  # not the diagonal draft stamp
                assert x0 + 5 * MM - 0.5 <= left and right <= x1 - 5 * MM + 0.5


def test_phone_numbers_do_not_break_across_lines(bad_built):
    pdf = main_pdf(bad_built, "directory-en-print")
    lines = [line for page in pdfcheck.text_pages(pdf) for line in page.splitlines()]
    assert any("0238 3000 009" in line.replace("\xa0", " ") for line in lines)
    assert not any(line.rstrip().endswith(("0238", "3000")) for line in lines)


def test_an_entry_that_cannot_be_worded_names_its_provider(bad_project,
                                                            monkeypatch):
    from booklet.compose import directory as compose_directory
    real = compose_directory.view

    def failing(entry, *args):
        if entry.provider.id == "very-long":
            raise ValueError("bad date in verification")
        return real(entry, *args)

    monkeypatch.setattr(compose_directory, "view", failing)
    job = directory.plan(bad_project, {"lang": "vi", "layout": "screen"})[0]
    with pytest.raises(FitError) as err:
        directory.make(bad_project, job, select(bad_project.content, job.edition))
    where = bad_project.content.provider_files["very-long"]
    assert where.endswith("providers/nghe-an/very-long.yaml")
    assert str(err.value) == (
        f"provider very-long ({where}) under Nghệ An: "
        "the entry cannot be worded: bad date in verification")


# Editions (issue 6) ----------------------------------------------------
def test_public_directory_leaks_nothing(fictional):
    built = make_all(fictional)
    for key in KEYS:
        for path, pdf in built[key]["files"].items():
            seen = pdfcheck.squash("\n".join([
                pdfcheck.text(pdf), *pdfcheck.links(pdf),
                *pdfcheck.outline_titles(pdf), *pdfcheck.metadata(pdf).values()]))
            for secret in (SECRET_ADDRESS, SECRET_NOTE, CASEWORKER_ONLY):
                assert pdfcheck.squash(secret) not in seen, (path, secret)


def test_caseworker_directory_shows_caseworker_fields(fictional):
    built = make_all(fictional, {"audience": "caseworker", "lang": "en",
                                 "layout": "screen"})
    pdf = main_pdf(built, "directory-en-screen-caseworker")
    text = pdfcheck.squash(pdfcheck.text(pdf))
    assert pdfcheck.squash(CASEWORKER_ONLY) in text
    assert pdfcheck.squash(SECRET_NOTE) not in text
    assert pdfcheck.squash(SECRET_ADDRESS) not in text


def test_the_same_content_builds_byte_identical_pdfs(fictional):
    first = make_all(fictional, {"lang": "vi", "layout": "print"})
    second = make_all(fictional, {"lang": "vi", "layout": "print"})
    assert first["directory-vi-print"]["files"] == second["directory-vi-print"]["files"]
