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
