"""What a directory costs below booklet: ReportLab drawing its text and nothing else.

Run with `.venv/bin/python benchmarks/floor.py PDF` on a directory that booklet
built (the benchmark keeps one with `--keep`). The text of each page is taken
from the PDF with pypdf, then drawn again line by line on a bare ReportLab
canvas in the layout's own fonts, with no layout, no links and no furniture.
That time, with Python's start and ReportLab's import, is the least any build
of that PDF through ReportLab can take on this machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from booklet.layouts import Layouts
from booklet.render.fonts import face_name, register

LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def page_lines(pdf: Path) -> tuple[list[list[str]], tuple[float, float]]:
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    pages = [page.extract_text().splitlines() for page in reader.pages]
    return pages, (float(box.width), float(box.height))


def draw(pages: list[list[str]], size: tuple[float, float], family: str,
         out: Path) -> float:
    """Seconds to draw every line of `pages` in 9 pt type and save the PDF."""
    start = time.perf_counter()
    canvas = Canvas(str(out), pagesize=size)
    regular, bold = face_name(family), face_name(family, "bold")
    for lines in pages:
        y = size[1] - 40
        for n, line in enumerate(lines):
            canvas.setFont(bold if n % 8 == 0 else regular, 9)
            canvas.drawString(30, y, line)
            y -= 11
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - start


def startup() -> float:
    """Seconds for Python to start and import ReportLab's canvas."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import reportlab.pdfgen.canvas"],
                   check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, help="a directory PDF booklet built")
    parser.add_argument("--out", type=Path, default=Path("/tmp/booklet-floor.pdf"),
                        help="where to write the redrawn PDF")
    args = parser.parse_args(argv)
    if not args.pdf.is_file():
        parser.error(f"{args.pdf}: no such file; build one first, for example "
                     "with benchmarks/run.py --sizes 1000 --keep /tmp/bench")
    layouts = Layouts(LAYOUTS)
    register(layouts.fonts())
    family = layouts.get("print")["family"]
    pages, size = page_lines(args.pdf)
    count = sum(len(lines) for lines in pages)
    seconds = min(draw(pages, size, family, args.out) for _ in range(3))
    start = min(startup() for _ in range(3))
    print(f"{len(pages)} pages, {count} lines of text")
    print(f"Python start and ReportLab import: {start:.2f} s")
    print(f"drawing the text on a bare canvas:  {seconds:.2f} s (best of 3)")
    print(f"floor for this PDF through ReportLab: {start + seconds:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
