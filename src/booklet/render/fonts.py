"""Register a layout's type families with ReportLab, once per process."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_registered: dict[str, str] = {}


def face_name(family: str, style: str = "regular") -> str:
    return family if style == "regular" else f"{family}-{style}"


def register(families: dict[str, dict[str, Path]]) -> None:
    """Register every family so that <b> and <i> markup picks the right face.

    TrueType faces are embedded as subsets with a ToUnicode map, so text
    copies out of the PDF as written.
    """
    for family, styles in families.items():
        if _registered.get(family) == str(styles["regular"]):
            continue
        for style, path in styles.items():
            pdfmetrics.registerFont(TTFont(face_name(family, style), str(path)))
        pdfmetrics.registerFontFamily(
            family, normal=family, bold=face_name(family, "bold"),
            italic=face_name(family, "italic"),
            boldItalic=face_name(family, "bold_italic"))
        for bold, italic, style in ((0, 0, "regular"), (1, 0, "bold"),
                                    (0, 1, "italic"), (1, 1, "bold_italic")):
            addMapping(family, bold, italic, face_name(family, style))
        _registered[family] = str(styles["regular"])


def canvas_options(family: str) -> dict:
    """Canvas settings that keep the standard-14 Helvetica out of every page:
    ReportLab otherwise sets it as each page's initial font."""
    return {"initialFontName": family, "initialFontSize": 10,
            "initialLeading": 12}
