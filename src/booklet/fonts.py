"""The type families a layout names: their files and the characters they cover."""

from __future__ import annotations

import functools
from pathlib import Path

from fontTools.ttLib import TTFont

STYLES = ("regular", "bold", "italic", "bold_italic")


@functools.lru_cache(maxsize=64)
def _cmap(path: str) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def coverage(paths: list[Path]) -> set[int]:
    """Code points present in every one of `paths` (bold and italic included),
    so that a character passes only if it prints in any style."""
    result: set[int] | None = None
    for path in paths:
        cmap = _cmap(str(path))
        result = set(cmap) if result is None else result & cmap
    return result or set()
