"""Benchmark builds on synthetic content: wall time, CPU time, peak memory, sizes.

Run with `make benchmark` (N = 100, 1000, 5000) or
`.venv/bin/python benchmarks/run.py --sizes 1000`. Each build runs as its own
`booklet` process, measured with wait4(), so imports and loading count.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synth import change_one_phone, generate

BOOKLET = [sys.executable, "-m", "booklet"]
LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def measure(args: list[str]) -> dict:
    """Run a booklet command; wall and CPU seconds and peak RSS in MB."""
    start = time.perf_counter()
    proc = subprocess.Popen([*BOOKLET, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    failed = [line for line in err.splitlines() if ": error:" in line]
    # A benchmark reports a failed product instead of stopping: the figures
    # of the others still count, the table marks the row, and the errors are
    # printed below it (a failed product is fast, so its time misleads).
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024,
            "failed": len(failed) if code else 0,
            "errors": failed if code else []}


def size_mb(folder: Path, pattern: str = "**/*") -> float:
    return sum(p.stat().st_size for p in folder.glob(pattern) if p.is_file()) / 2**20


def run(sizes: list[int], jobs: int, keep: Path | None) -> list[dict]:
    rows = []
    work = keep or Path(tempfile.mkdtemp(prefix="booklet-bench-"))
    try:
        for n in sizes:
            content = generate(work / f"content-{n}", n)
            common = ["--content", str(content), "--layouts", str(LAYOUTS), "-q",
                      "-j", str(jobs)]
            one = work / f"out-{n}-one"
            every = work / f"out-{n}-all"
            for folder in (one, every):
                shutil.rmtree(folder, ignore_errors=True)
            cases = [
                ("vi print directory", ["build", "directory", "--lang", "vi",
                                        "--layout", "print", "--output", str(one)]),
                ("every product", ["build", "--output", str(every)]),
            ]
            for name, args in cases:
                rows.append({"n": n, "case": name, **measure([*args, *common])})
            changed = change_one_phone(content)
            before = {p: p.stat().st_mtime_ns for p in every.rglob("*.pdf")}
            row = measure(["build", "--output", str(every), *common])
            rewritten = sum(1 for p, t in before.items() if p.stat().st_mtime_ns != t)
            rows.append({"n": n, "case": f"one phone changed ({changed}): "
                         f"{rewritten} of {len(before)} PDFs rewritten", **row})
            screen = size_mb(every, "directory/*-screen.pdf")
            rows.append({"n": n, "case": "output sizes", "wall": None,
                         "cpu": None, "peak_mb": None,
                         "note": f"all {size_mb(every):.1f} MB; screen "
                                 f"directories {screen:.2f} MB (both languages)"})
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = [f"{'N':>5}  {'case':<58} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}"]
    for r in rows:
        if r["wall"] is None:
            lines.append(f"{r['n']:>5}  {r['case']:<58} {r['note']}")
            continue
        failed = f"  ({r['failed']} product(s) failed)" if r.get("failed") else ""
        lines.append(f"{r['n']:>5}  {r['case']:<58} {r['wall']:7.2f} "
                     f"{r['cpu']:7.2f} {r['peak_mb']:8.0f}{failed}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000],
                        help="numbers of providers (default: 100 1000 5000)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="parallel processes per build (default: cores)")
    parser.add_argument("--keep", type=Path,
                        help="keep the generated content and output here")
    args = parser.parse_args(argv)
    print(f"booklet benchmark on {os.cpu_count()} cores, -j {args.jobs}")
    rows = run(args.sizes, args.jobs, args.keep)
    print(table(rows))
    errors = [e for r in rows for e in r.get("errors", [])]
    if errors:
        print("\nFAILED: these figures do not count, a build failed:")
        print("\n".join(dict.fromkeys(errors)))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
