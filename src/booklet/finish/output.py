"""Write build results whole or not at all, with a manifest and a build report."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path


@dataclass
class Artifact:
    """One file a product made: where it goes (relative to output/) and what."""

    path: str
    data: bytes
    pages: int | None = None
    kind: str = "pdf"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class ProductReport:
    """What one product included, left out and redacted, and why."""

    key: str
    product: str
    audience: str
    final: bool
    files: list[str] = field(default_factory=list)
    included: list[str] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)
    redacted: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fingerprint: str = ""
    printed: str | None = None  # hash of what it prints, when the product says
    rebuilt: bool = True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def write_atomic(path: Path, data: bytes, private: bool = False) -> bool:
    """Write `data` to `path` through a temporary file and a rename, so that an
    interrupted build leaves the previous file intact. Returns False, touching
    nothing, when the file already holds exactly `data`. A `private` file and
    its folder are for the user alone (0600 and 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if private:
        path.parent.chmod(0o700)
    if (path.exists() and path.stat().st_size == len(data)
            and path.read_bytes() == data):
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes files private (0600); outputs are shared documents.
        if not private:
            os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def read_manifest(output: Path) -> dict:
    path = output / "manifest.json"
    if not path.exists():
        return {"files": {}, "products": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"files": {}, "products": {}}
    data.setdefault("files", {})
    data.setdefault("products", {})
    return data


def write_manifest(output: Path, manifest: dict) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
    write_atomic(output / "manifest.json", (text + "\n").encode("utf-8"))


def write_report(output: Path, reports: list[ProductReport], extra: dict) -> None:
    body = {**extra, "products": reports}
    # Dataclasses are written by their fields as json meets them: asdict()
    # would first deep-copy every decision (a third of a second at N=1000,
    # on every build, unchanged or not).
    text = json.dumps(body, ensure_ascii=False, indent=2, sort_keys=True,
                      default=_fields)
    write_atomic(output / "report.json", (text + "\n").encode("utf-8"))


def _fields(value) -> dict:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"{type(value).__name__} cannot be written to the report")
