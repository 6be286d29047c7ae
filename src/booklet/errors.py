"""Every exception booklet raises, and the Problem record that checks report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    severity: str  # "error" or "warning"
    file: str
    line: int | None
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" {self.field}:" if self.field else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}: {self.severity}:{field} {self.message}.{fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class BookletError(Exception):
    """Base class: an error the user can act on; the CLI prints its text."""


class ContentError(BookletError):
    """The content tree has errors; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(
            f"{len(errors)} error(s) in the content:\n"
            + "\n".join(str(p) for p in errors)
        )


class LayoutError(BookletError):
    """A layout file is missing, malformed or asks for something impossible."""


class FitError(BookletError):
    """Content does not fit the space a layout gives it."""


class QRError(BookletError):
    """A QR payload cannot be printed scannably in the space available."""


class EditionError(BookletError):
    """The edition cannot be built as asked (for example a final with unverified
    entries)."""


class ImportProblem(BookletError):
    """A workbook cannot be imported."""
