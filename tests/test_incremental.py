"""Rebuilds with real products: unchanged output stays byte-identical, and a
change to one provider rebuilds only the products that include it."""

from __future__ import annotations

import pytest

from booklet.build import build
from booklet.project import open_project
from tests.conftest import LAYOUTS, TODAY, make_content

PRODUCTS = ["leaflets", "inserts", "slides"]
REQUEST = {"lang": "vi"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    project = open_project(make_content(root / "content"), LAYOUTS,
                           root / "output", TODAY)
    first = build(project, PRODUCTS, REQUEST, workers=2)
    assert first.ok, first.failures
    return project, first


def snapshot(project):
    return {p.relative_to(project.output_dir): (p.stat().st_mtime_ns,
                                                p.read_bytes())
            for p in project.output_dir.rglob("*.pdf")}


def test_unchanged_rebuild_rewrites_nothing(built):
    project, _ = built
    before = snapshot(project)
    again = open_project(project.content_dir, LAYOUTS, project.output_dir, TODAY)
    result = build(again, PRODUCTS, REQUEST, workers=2)
    assert result.ok and result.written == []
    assert snapshot(project) == before


def test_one_phone_change_rebuilds_only_products_with_that_provider(built):
    project, first = built
    keys_with_clinic = {r.key for r in first.reports if "fict-clinic" in r.included}
    keys_without = {r.key for r in first.reports} - keys_with_clinic
    assert keys_with_clinic and keys_without
    before = snapshot(project)
    path = project.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text().replace("0239 3000 003", "0239 3000 009"))
    again = open_project(project.content_dir, LAYOUTS, project.output_dir, TODAY)
    result = build(again, PRODUCTS, REQUEST, workers=2)
    assert result.ok
    rebuilt = {r.key for r in result.reports if r.rebuilt}
    # The slides count providers and show no phone: composed again, they
    # print the same, so they are not drawn again.
    assert rebuilt == {k for k in keys_with_clinic if not k.startswith("slides")}
    assert {r.key for r in result.reports if not r.rebuilt} >= {"slides-vi"}
    after = snapshot(project)
    changed = {str(p) for p in after if after[p] != before[p]}
    files_with_clinic = {f for r in result.reports if r.key in keys_with_clinic
                         for f in r.files if f.endswith(".pdf")}
    # Rebuilt products whose pages do not show the phone (the slides count
    # providers) come out byte-identical and are not rewritten either.
    assert changed <= files_with_clinic
    assert "leaflets/leaflet-42-ha-tinh-vi.pdf" in changed
    assert not any("nghe-an" in name for name in changed)


def test_a_change_the_slides_show_rebuilds_them(built, monkeypatch):
    project, _ = built
    path = project.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    # Desk research instead of a visit: the progress slide counts it.
    path.write_text(path.read_text().replace(
        "verification: {status: verified, date: \"2026-09-15\", method: in_person}",
        "verification: {status: desk_research}"))
    again = open_project(project.content_dir, LAYOUTS, project.output_dir, TODAY)
    result = build(again, ["slides"], REQUEST, workers=1)
    assert result.ok
    assert [r.key for r in result.reports if r.rebuilt] == ["slides-vi"]
    assert result.written == ["slides/consultation-vi.pdf"]
    # And the next build knows the deck is current without composing it.
    from booklet.products import slides

    def composed(*args):
        raise AssertionError("the deck was composed again")
    monkeypatch.setattr(slides, "printed", composed)
    again = open_project(project.content_dir, LAYOUTS, project.output_dir, TODAY)
    result = build(again, ["slides"], REQUEST, workers=1)
    assert result.ok and result.written == []
