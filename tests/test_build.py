"""The build runner: atomic writes, manifest, report, incremental and parallel."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
import types

import pytest

from booklet import build as build_module
from booklet.errors import FitError
from booklet.finish.output import Artifact, write_atomic
from booklet.products import Job, Made, edition_from
from tests.conftest import SECRET_NOTE


def _plan(project, request):
    codes = ("40", "42")
    return [Job("fake", f"fake-{code}",
                edition_from(request, "public", "print", provinces=(code,)),
                params=(("province", code),)) for code in codes]


def _make(project, job, selection):
    if job.param("province") == project.fail_on:
        raise FitError(f"province {job.param('province')}: panel 2 overflows by "
                       "3 mm. Shorten it.")
    body = "\n".join(f"{e.provider.id} {[p.number for p in e.provider.phones]}"
                     for e in selection.entries)
    warnings = [f"{job.key}: type reduced to 90%"] if job.param("province") == "42" \
        else []
    return Made([Artifact(f"fake/{job.key}.txt", body.encode(), pages=1, kind="txt")],
                warnings)


FAKE = types.SimpleNamespace(plan=_plan, make=_make)


@pytest.fixture
def fake(monkeypatch, fictional):
    monkeypatch.setattr(build_module, "product", lambda name: FAKE)
    fictional.fail_on = None
    return fictional


def run(project, **kw):
    return build_module.build(project, ["fake"], {}, **kw)


def test_outputs_manifest_and_report(fake):
    result = run(fake)
    assert result.ok and sorted(result.written) == [
        "fake/fake-40.txt", "fake/fake-42.txt"]
    out = fake.output_dir
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["files"]["fake/fake-40.txt"]
    assert entry["pages"] == 1 and len(entry["sha256"]) == 64
    report = json.loads((out / "report.json").read_text())
    by_key = {p["key"]: p for p in report["products"]}
    assert "fict-shelter" in by_key["fake-40"]["included"]
    redacted = {r["provider"]: r["what"] for r in by_key["fake-40"]["redacted"]}
    assert "confidential address" in redacted["fict-shelter"]
    assert SECRET_NOTE not in (out / "report.json").read_text()


def test_unchanged_rebuild_rewrites_nothing(fake):
    run(fake)
    stamps = {p: p.stat().st_mtime_ns for p in fake.output_dir.rglob("*.txt")}
    result = run(fake)
    assert result.written == []
    assert all(not r.rebuilt for r in result.reports)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps


def test_a_product_never_overwrites_the_file_of_another(fake, monkeypatch):
    def plan(keys):
        return lambda project, request: [
            Job("fake", key, edition_from(request, "public", "print",
                                          provinces=("42",)),
                params=(("province", "42"),), outputs=("fake/shared.txt",))
            for key in keys]

    def make(project, job, selection):
        return Made([Artifact("fake/shared.txt", job.key.encode(), pages=1)])

    monkeypatch.setattr(FAKE, "make", make)
    monkeypatch.setattr(FAKE, "plan", plan(["fake-a", "fake-b"]))
    result = run(fake)
    assert [(f.key, f.message.split(",")[0]) for f in result.failures] == [
        ("fake-b", "fake/shared.txt is the file of fake-a")]
    shared = fake.output_dir / "fake" / "shared.txt"
    assert shared.read_bytes() == b"fake-a"
    # Nor in a later build, while fake-a's file is there.
    monkeypatch.setattr(FAKE, "plan", plan(["fake-b"]))
    assert [f.key for f in run(fake).failures] == ["fake-b"]
    assert shared.read_bytes() == b"fake-a"
    shared.unlink()
    assert run(fake).ok and shared.read_bytes() == b"fake-b"


def test_an_unchanged_product_repeats_the_warnings_of_its_making(fake):
    first = run(fake)
    again = run(fake)
    assert not any(r.rebuilt for r in again.reports)
    warned = {r.key: r.warnings for r in first.reports}
    assert warned == {r.key: r.warnings for r in again.reports}
    assert warned["fake-42"] == ["fake-42: type reduced to 90%"]
    report = json.loads((fake.output_dir / "report.json").read_text())
    assert {p["key"]: p["warnings"] for p in report["products"]} == warned


def test_one_provider_change_rebuilds_only_its_products(fake):
    run(fake)
    path = fake.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text().replace("0239 3000 003", "0239 3000 004"))
    fake.loaded = None
    fake.check()
    result = run(fake)
    rebuilt = sorted(r.key for r in result.reports if r.rebuilt)
    assert rebuilt == ["fake-42"]
    assert result.written == ["fake/fake-42.txt"]


def test_a_final_edition_whose_rebuild_fails_is_withdrawn(fake):
    final = {"final": True, "today": dt.date(2026, 12, 1)}
    assert build_module.build(fake, ["fake"], final).ok
    out = fake.output_dir
    assert (out / "fake/fake-42.txt").exists()
    fake.fail_on = "42"
    result = build_module.build(fake, ["fake"], final, force=True)
    assert [(f.key, f.message) for f in result.failures] == [
        ("fake-42", "province 42: panel 2 overflows by 3 mm. Shorten it; the "
         "previous final edition (fake/fake-42.txt) was removed, as this build "
         "could not confirm it is still fit to hand out.")]
    assert not (out / "fake/fake-42.txt").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "fake/fake-42.txt" not in manifest["files"]
    assert "fake-42" not in manifest["products"]
    assert (out / "fake/fake-40.txt").exists()


def test_a_draft_whose_rebuild_fails_stays(fake):
    assert run(fake).ok
    fake.fail_on = "42"
    result = run(fake, force=True)
    assert [f.message for f in result.failures] == [
        "province 42: panel 2 overflows by 3 mm. Shorten it."]
    assert (fake.output_dir / "fake/fake-42.txt").exists()


def test_temporary_files_of_a_killed_build_are_cleared(fake):
    leftover = fake.output_dir / "fake" / ".fake-40.txt.abc123.tmp"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a file")
    assert run(fake).ok
    assert not leftover.exists()


def test_failed_job_is_named_and_others_build(fake):
    fake.fail_on = "40"
    result = run(fake)
    assert [(f.key, f.message) for f in result.failures] == [
        ("fake-40", "province 40: panel 2 overflows by 3 mm. Shorten it.")]
    assert result.written == ["fake/fake-42.txt"]


def test_parallel_build_gives_the_same_files(fake, tmp_path):
    run(fake)
    serial = {p.name: p.read_bytes() for p in fake.output_dir.rglob("*.txt")}
    fake.output_dir = tmp_path / "parallel"
    run(fake, workers=2)
    parallel = {p.name: p.read_bytes() for p in fake.output_dir.rglob("*.txt")}
    assert parallel == serial


@pytest.mark.parametrize("step", ["os.fsync", "os.replace"])
def test_interrupted_write_leaves_previous_file(tmp_path, monkeypatch, step):
    path = tmp_path / "out" / "a.pdf"
    write_atomic(path, b"old complete file")

    def interrupt(*args):
        raise KeyboardInterrupt  # Ctrl-C while writing, or just before rename

    monkeypatch.setattr(step, interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new content, only partly written")
    monkeypatch.undo()
    assert path.read_bytes() == b"old complete file"
    assert [p.name for p in path.parent.iterdir()] == ["a.pdf"]


def test_interrupted_build_keeps_earlier_outputs(fake, monkeypatch):
    run(fake)
    before = {p: p.read_bytes() for p in fake.output_dir.rglob("*") if p.is_file()}

    builder = os.getpid()

    def interrupted(project, job, selection):
        # Ctrl-C reaches the building process, whether the job runs in it or
        # in a process of its own.
        os.kill(builder, signal.SIGINT)
        time.sleep(10)

    monkeypatch.setattr(FAKE, "make", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(fake, force=True)
    after = {p: p.read_bytes() for p in fake.output_dir.rglob("*") if p.is_file()}
    assert after == before


def test_content_cache_is_keyed_by_file_bytes(fictional, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = fictional.check(cache=True)
    cached = list((tmp_path / "cache").rglob("content-*.pickle"))
    assert len(cached) == 1
    # Confidential data never sits in the shared output folder, and in the
    # cache it is for the user alone.
    assert not list(fictional.output_dir.rglob("*.pickle"))
    assert cached[0].stat().st_mode & 0o777 == 0o600
    assert cached[0].parent.stat().st_mode & 0o777 == 0o700
    again = fictional.check(cache=True)
    assert [str(p) for p in again] == [str(p) for p in first]
    path = fictional.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text().replace("Mirage Clinic", "Mirage Clinic Two"))
    fictional.check(cache=True)
    names = [p.name.en for p in fictional.content.providers]
    assert "Mirage Clinic Two" in names
    assert len(list((tmp_path / "cache").rglob("content-*.pickle"))) == 1


def test_written_files_are_readable_by_others(tmp_path):
    path = tmp_path / "shared.pdf"
    write_atomic(path, b"%PDF")
    assert path.stat().st_mode & 0o044 == 0o044


def test_edition_with_everyone_left_out_is_not_written(fake, monkeypatch):
    monkeypatch.setattr(build_module, "product", lambda name: FAKE)
    result = build_module.build(fake, ["fake"], {"final": True,
                                                 "skip_unverified": True,
                                                 "today": dt.date(2028, 1, 1)})
    assert [f.key for f in result.failures] == ["fake-40", "fake-42"]
    assert result.failures[0].message == (
        "nothing left to publish: all 3 provider(s) in scope were left out "
        "(verified on 2026-11-01, more than 12 months ago: 1; print consent to "
        "publish refused: 1; verified on 2026-10-01, more than 12 months ago: 1); "
        "nothing was written. Fix: verify the entries again and update "
        "verification.date; or build without --final for a draft to review")
    assert result.written == []
