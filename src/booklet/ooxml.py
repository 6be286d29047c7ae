"""Office Open XML packages (.docx, .xlsx) written the same way every time."""

from __future__ import annotations

import io
import zipfile

# A ZIP entry cannot be dated before 1980 (PKWARE APPNOTE 4.4.6): a fixed
# date makes two builds of the same content byte-identical.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def restamp(data: bytes) -> bytes:
    """Rewrite a ZIP package with fixed timestamps, [Content_Types].xml first
    (ECMA-376 Part 2 recommends it) and the rest sorted by name."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(),
                   key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
