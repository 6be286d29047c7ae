"""A project on disk: where content, layouts and output live, loaded once."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import booklet
from booklet.errors import ContentError, Problem
from booklet.finish.output import write_atomic
from booklet.layouts import Layouts
from booklet.load import Loaded, check_loaded, load_content
from booklet.model import Content

log = logging.getLogger(__name__)


@dataclass
class Project:
    content_dir: Path
    layouts_dir: Path
    output_dir: Path
    today: dt.date | None = None
    loaded: Loaded | None = None
    problems: list[Problem] = field(default_factory=list)
    _layouts: Layouts | None = None

    @property
    def layouts(self) -> Layouts:
        if self._layouts is None:
            self._layouts = Layouts(self.layouts_dir)
        return self._layouts

    def check(self, cache: bool = False) -> list[Problem]:
        """Load and check the content; every problem, errors and warnings.

        With `cache`, a checked content tree is kept in the user's cache, keyed
        by the bytes of every content file, the code, the fonts and the day,
        so that a rebuild does not parse and check unchanged YAML again.
        """
        path = self._cache_path() if cache else None
        if path is not None and path.exists():
            try:
                content, problems = pickle.loads(path.read_bytes())
            except Exception:  # a stale or torn cache is simply rebuilt
                log.info("ignoring unreadable cache %s", path)
            else:
                self.loaded = Loaded(self.content_dir)
                self.loaded.content, self.loaded.problems = content, problems
                self.problems = list(problems)
                return self.problems
        self.loaded = load_content(self.content_dir)
        self.problems = list(self.loaded.problems)
        self.problems += check_loaded(self.loaded, self.layouts.font_files(),
                                      self.today, self.layouts.languages())
        # Checked, the parsed sources and their line maps are no longer
        # needed; let go, they would be in every forked build process
        # (about 50 MB for a thousand providers).
        self.loaded.sources.clear()
        self.loaded.provider_sources.clear()
        self.loaded.invalid_sources.clear()
        if path is not None:
            for old in path.parent.glob("content-*.pickle"):
                old.unlink(missing_ok=True)
            # Private: it holds internal notes, consent records and
            # confidential addresses.
            write_atomic(path, pickle.dumps((self.loaded.content, self.problems)),
                         private=True)
        return self.problems

    def _cache_path(self) -> Path | None:
        if not self.content_dir.is_dir():
            return None
        digest = hashlib.sha256(code_digest().encode())
        digest.update(str(self.today or dt.date.today()).encode())
        for font in self.layouts.font_files():
            digest.update(font.name.encode())
        # Language codes are checked against the strings' lang_names.
        digest.update(" ".join(self.layouts.languages()).encode())
        for path in sorted(self.content_dir.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(self.content_dir).as_posix().encode())
                digest.update(path.read_bytes())
        # Kept in the user's cache folder, never in output/: the pickle holds
        # internal notes and confidential addresses, and output/ is shared.
        where = hashlib.sha256(str(self.content_dir.resolve()).encode())
        name = f"content-{digest.hexdigest()[:32]}.pickle"
        return cache_home() / where.hexdigest()[:16] / name

    @property
    def content(self) -> Content:
        """The checked content; raises ContentError when it has errors."""
        if self.loaded is None:
            self.check()
        if any(p.is_error for p in self.problems) or self.loaded.content is None:
            raise ContentError(self.problems)
        return self.loaded.content


def cache_home() -> Path:
    """booklet's folder under $XDG_CACHE_HOME (default ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "booklet"


@functools.cache
def code_digest() -> str:
    """A digest of the package source, so that a code change rebuilds."""
    digest = hashlib.sha256(booklet.__version__.encode())
    root = Path(booklet.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def open_project(content: str | Path = "content", layouts: str | Path = "layouts",
                 output: str | Path = "output", today: dt.date | None = None
                 ) -> Project:
    return Project(Path(content), Path(layouts), Path(output), today)
