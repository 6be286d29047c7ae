"""Document metadata that pypdf-written files need (title, language and how a
viewer opens them; ReportLab sets these itself for the files it writes), and
the compaction of finished screen PDFs."""

from __future__ import annotations

import datetime as dt
import io

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


# The date ReportLab writes for "now" when rl_config.invariant is set, so
# that the same content gives the same bytes.
_INVARIANT = b"(D:20000101000000+00'00')"


def dated(pdf: bytes, day: dt.date) -> bytes:
    """`pdf` (as ReportLab wrote it) created and modified on `day`, the
    edition date: a viewer showed every file as made on 1 January 2000. The
    dates are the same length, so the file's cross-reference offsets hold."""
    stamp = f"(D:{day:%Y%m%d}000000+00'00')".encode()
    return pdf.replace(_INVARIANT, stamp)


def compact(pdf: bytes) -> bytes:
    """`pdf` with its dictionaries (pages, link annotations, bookmarks) packed
    into compressed object streams (PDF 32000-1 7.5.7, PDF 1.5). A long screen
    edition holds thousands of links and bookmarks, and their dictionaries are
    more than half of the file. Not for print: PDF/X-1a (ISO 15930-1) keeps
    to PDF 1.3, which has no object streams."""
    import pikepdf  # optional: see can_compact

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        # A fixed /ID keeps identical input byte-identical.
        doc.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, deterministic_id=True)
    return out.getvalue()


def can_compact() -> bool:
    """Whether `compact` can run: it needs the pikepdf package."""
    try:
        import pikepdf  # noqa: F401
    except ImportError:
        return False
    return True
