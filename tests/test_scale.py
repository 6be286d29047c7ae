"""Every product builds from the benchmark's synthetic content: a hundred
providers of real text lengths meet page feet, labels and splits in more ways
than the hand-made fixtures do."""

from __future__ import annotations

import pytest
from benchmarks.synth import generate

from booklet.build import build
from booklet.products import NAMES
from booklet.project import open_project
from tests import pdfcheck
from tests.conftest import LAYOUTS, TODAY


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    project = open_project(generate(root / "content", 100), LAYOUTS,
                           root / "output", TODAY)
    return project, build(project, list(NAMES), workers=2)


def test_every_product_builds_from_a_hundred_providers(built):
    _, result = built
    assert result.ok, result.failures


def test_every_pdf_is_dated_on_its_edition_date(built):
    # A viewer showed every file as created on 1 January 2000.
    project, _ = built
    day = project.content.document.settings.edition_date
    stamp = f"D:{day:%Y%m%d}000000+00'00'"
    pdfs = sorted(project.output_dir.rglob("*.pdf"))
    assert {p.parent.name for p in pdfs} >= {"directory", "leaflets", "inserts"}
    for pdf in pdfs:
        meta = pdfcheck.metadata(pdf)
        assert (meta.get("/CreationDate"), meta.get("/ModDate")) == (stamp, stamp), pdf


def test_every_provider_is_in_each_directory(built):
    # A row that cannot be placed must fail the build, never drop an entry.
    project, _ = built
    heading = {"vi": "Trung tâm Mẫu số {} –", "en": "Sample Centre No. {} –"}
    for pdf in sorted(project.output_dir.glob("directory/*.pdf")):
        text = pdfcheck.squash(pdfcheck.text(pdf))
        lang = pdf.name.split("-")[1]
        missing = [i for i in range(100)
                   if pdfcheck.squash(heading[lang].format(i)) not in text]
        assert not missing, (pdf.name, missing[:5])


def test_an_insert_page_never_opens_in_an_entry_without_its_name(built):
    # A long entry breaks between rows of its table and the next page opens
    # with the name, marked as continued; it used to move whole (leaving
    # half a page blank) or leave its last row alone on the next page.
    project, _ = built
    provinces = {pdfcheck.squash(name) for p in project.content.provinces
                 for name in (p.short_name.vi, p.short_name.en)}
    heading = ("Trungtâm", "SampleCentre")
    continued = {"vi": "(tiếp theo)", "en": "(continued)"}
    breaks = 0
    for pdf in sorted(project.output_dir.glob("inserts/*.pdf")):
        lang = pdf.stem.rsplit("-", 1)[1]
        pages = pdfcheck.text_pages(pdf)
        firsts = [next(line for line in page.splitlines() if line.strip())
                  for page in pages]
        # The entries start with the first province's section; the pages
        # before it hold the referral pathway.
        start = next(i for i, line in enumerate(firsts)
                     if pdfcheck.squash(line) in provinces)
        for number, first in enumerate(firsts[start:], start=start + 1):
            squashed = pdfcheck.squash(first)
            if first.endswith(continued[lang]):
                breaks += 1
                assert squashed.startswith(heading), (pdf.name, number, first)
            else:
                assert squashed.startswith(heading) or squashed in provinces, (
                    pdf.name, number, first)
    assert breaks  # the case in question arises at this size
