"""The benchmark says when a build failed instead of printing its (short)
time as if it counted."""

from __future__ import annotations

from benchmarks import run


def test_a_failed_build_is_reported_and_fails_the_benchmark(tmp_path, monkeypatch,
                                                            capsys):
    missing = tmp_path / "no-content"
    row = run.measure(["build", "--content", str(missing), "--output",
                       str(tmp_path / "out"), "-q"])
    assert row["failed"] == 1
    assert any("content folder does not exist" in e for e in row["errors"])
    monkeypatch.setattr(run, "run", lambda *a: [{"n": 1, "case": "x", **row}])
    assert run.main(["--sizes", "1"]) == 1
    out = capsys.readouterr().out
    assert "(1 product(s) failed)" in out and "FAILED" in out
    assert str(missing) in out
