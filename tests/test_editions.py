"""Every product, built from fictional content, leaks nothing it must not show."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from booklet.build import build
from booklet.products import NAMES
from booklet.project import open_project
from tests import pdfcheck
from tests.conftest import (
    CASEWORKER_ONLY,
    LAYOUTS,
    NO_CONSENT_NAME,
    SECRET_ADDRESS,
    SECRET_NOTE,
    TODAY,
    make_content,
)

CASEWORKER_PRODUCTS = ("inserts",)


def docx_text(path: Path) -> str:
    """Every text and relationship target inside a Word file."""
    with zipfile.ZipFile(path) as archive:
        parts = [archive.read(name).decode("utf-8", "replace")
                 for name in archive.namelist()
                 if name.endswith((".xml", ".rels"))]
    return unicodedata.normalize("NFC", "\n".join(parts))


def everything(path: Path) -> str:
    if path.suffix == ".docx":
        return docx_text(path)
    return pdfcheck.everything_a_reader_gets(path, dpi=150)


def files_of(result, products: tuple[str, ...]) -> list[Path]:
    return [Path(f) for r in result.reports if r.product in products
            for f in r.files]


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    root = tmp_path_factory.mktemp("editions")
    project = open_project(make_content(root / "content"), LAYOUTS,
                           root / "output", TODAY)
    result = build(project, list(NAMES), {"province": ["40", "42"]}, workers=2)
    assert result.ok, result.failures
    return project, result


def test_public_products_leak_nothing(draft):
    project, result = draft
    public = [n for n in NAMES if n not in CASEWORKER_PRODUCTS]
    files = files_of(result, tuple(public))
    assert {f.parts[0] for f in files} >= {"directory", "leaflets", "review",
                                           "slides"}
    for name in files:
        seen = everything(project.output_dir / name)
        for secret in (SECRET_ADDRESS, SECRET_NOTE, CASEWORKER_ONLY):
            assert secret not in seen, f"{secret!r} leaked into {name}"


def test_caseworker_products_show_their_fields_but_no_notes(draft):
    project, result = draft
    files = files_of(result, CASEWORKER_PRODUCTS)
    assert files
    seen = "\n".join(everything(project.output_dir / f) for f in files)
    assert pdfcheck.squash(CASEWORKER_ONLY) in pdfcheck.squash(seen)
    assert SECRET_NOTE not in seen
    assert pdfcheck.squash(SECRET_ADDRESS) not in pdfcheck.squash(seen)


def test_confidential_address_only_on_request_and_marked(tmp_path):
    project = open_project(make_content(tmp_path / "content"), LAYOUTS,
                           tmp_path / "out", TODAY)
    result = build(project, ["inserts"], {"province": ["40"], "lang": "en",
                                          "show_confidential": True})
    assert result.ok, result.failures
    (name,) = files_of(result, ("inserts",))
    # Its own file name: the insert without confidential addresses, which
    # caseworkers may hand on, is never replaced by this one.
    assert name.name == "insert-provinces-40-confidential-en.pdf"
    pdf = project.output_dir / name
    seen = pdfcheck.squash(pdfcheck.text(pdf))
    assert pdfcheck.squash(SECRET_ADDRESS) in seen
    for number, page in enumerate(pdfcheck.text_pages(pdf), 1):
        assert ("For caseworkers · Holds CONFIDENTIAL addresses – do not share"
                in page), f"page {number} does not say it is confidential"
    assert "CONFIDENTIAL" in pdfcheck.metadata(pdf)["/Subject"]


def test_confidential_caseworker_directory_is_marked_on_every_page(tmp_path):
    project = open_project(make_content(tmp_path / "content"), LAYOUTS,
                           tmp_path / "out", TODAY)
    result = build(project, ["directory"], {
        "province": ["40"], "lang": "vi", "layout": "print",
        "audience": "caseworker", "show_confidential": True})
    assert result.ok, result.failures
    names = sorted(f.name for f in files_of(result, ("directory",)))
    assert names == [
        "directory-vi-print-a4-imposed-provinces-40-caseworker-confidential.pdf",
        "directory-vi-print-provinces-40-caseworker-confidential.pdf"]
    pdf = project.output_dir / "directory" / names[1]
    for number, page in enumerate(pdfcheck.text_pages(pdf), 1):
        assert "Chỉ dành cho cán bộ · Có địa chỉ BẢO MẬT" in page, (
            f"page {number} does not say who the edition is for")
    assert "BẢO MẬT" in pdfcheck.metadata(pdf)["/Title"]


def test_draft_stamps_every_pdf_page(draft):
    project, result = draft
    for name in (f for f in files_of(result, NAMES) if f.suffix == ".pdf"):
        pages = pdfcheck.text_pages(project.output_dir / name)
        for i, page in enumerate(pages):
            squashed = pdfcheck.squash(page)
            assert ("BẢNNHÁP" in squashed or "DRAFT" in squashed), (
                f"{name} page {i + 1} has no draft stamp")


def test_draft_shows_provider_without_consent(draft):
    project, result = draft
    (vi,) = [f for f in files_of(result, ("directory",))
             if f.name == "directory-vi-screen-provinces-40-42.pdf"]
    assert pdfcheck.squash(NO_CONSENT_NAME) in pdfcheck.squash(
        pdfcheck.text(project.output_dir / vi))


def test_final_leaves_out_provider_without_consent(tmp_path):
    project = open_project(make_content(tmp_path / "content"), LAYOUTS,
                           tmp_path / "out", TODAY)
    result = build(project, ["directory", "leaflets"],
                   {"final": True, "lang": "vi", "province": ["40"]})
    assert result.ok, result.failures
    for report in result.reports:
        assert "fict-noconsent" in [e["provider"] for e in report.excluded]
        assert "fict-noconsent" not in report.included
        for name in report.files:
            if name.endswith(".pdf"):
                seen = pdfcheck.squash(pdfcheck.text(project.output_dir / name))
                assert pdfcheck.squash(NO_CONSENT_NAME) not in seen
                assert "DRAFT" not in seen and "BẢNNHÁP" not in seen


def test_same_content_gives_byte_identical_files(draft, tmp_path):
    project, result = draft
    again = open_project(project.content_dir, LAYOUTS, tmp_path / "again", TODAY)
    second = build(again, list(NAMES), {"province": ["40", "42"]}, workers=1)
    assert second.ok
    first_files = sorted(f for r in result.reports for f in r.files)
    assert first_files == sorted(f for r in second.reports for f in r.files)
    for name in first_files:
        assert (project.output_dir / name).read_bytes() == (
            again.output_dir / name).read_bytes(), name


def test_every_pdf_is_sound_and_uses_embedded_fonts(draft):
    project, result = draft
    for name in (f for f in files_of(result, NAMES) if f.suffix == ".pdf"):
        path = project.output_dir / name
        assert pdfcheck.structural_check(path) == [], name
        assert pdfcheck.standard14_fonts(path) == [], name


SECRET_LINES = """\
id: fict-lines
name: {vi: "Trung tâm Đường dây Hư Cấu", en: "Fictional Lines Centre"}
kind: ngo
province: "40"
phones:
  - {number: "0238 3000 071", cost: standard}
  - {number: "0238 3000 072", cost: standard, visibility: confidential}
  - {number: "0238 3000 073", cost: standard, visibility: caseworker}
services:
  - category: legal
    description: {vi: "Tư vấn", en: "Advice"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-10-01", method: phone}
"""


def test_a_caseworker_directory_marks_phones_not_for_the_public(tmp_path):
    # Only the address was marked: a caseworker could not tell which
    # number must never be passed on.
    content = make_content(tmp_path / "content",
                           {"nghe-an/fict-lines.yaml": SECRET_LINES})
    project = open_project(content, LAYOUTS, tmp_path / "out", TODAY)
    request = {"province": ["40"], "lang": "en", "layout": "screen"}
    result = build(project, ["directory"], {
        **request, "audience": "caseworker", "show_confidential": True})
    assert result.ok, result.failures
    (pdf,) = files_of(result, ("directory",))
    text = " ".join(pdfcheck.text(project.output_dir / pdf).split())
    assert "0238 3000 072 · Standard rate · CONFIDENTIAL – do not share" in text
    assert "0238 3000 073 · Standard rate · not for the public" in text
    public = build(project, ["directory"], request)
    (pdf,) = files_of(public, ("directory",))
    text = pdfcheck.text(project.output_dir / pdf)
    assert "3000 071" in text
    assert "3000 072" not in text and "3000 073" not in text
