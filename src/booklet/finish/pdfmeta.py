"""Document metadata that pypdf-written files need: title, language and how
a viewer opens them (ReportLab sets these itself for the files it writes)."""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.generic import NameObject, TextStringObject


def describe(writer: PdfWriter, title: str = "", subject: str = "",
             lang: str = "") -> None:
    """Set the title, subject and /Lang (PDF 32000-1 14.9.2) of `writer`."""
    info = {}
    if title:
        info["/Title"] = title
    if subject:
        info["/Subject"] = subject
    if info:
        writer.add_metadata(info)
    if lang:
        writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
