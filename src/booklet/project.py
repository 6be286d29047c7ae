"""A project on disk: where content, layouts and output live, loaded once."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from booklet.errors import ContentError, Problem
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

    def check(self) -> list[Problem]:
        """Load and check the content; every problem, errors and warnings."""
        self.loaded = load_content(self.content_dir)
        self.problems = list(self.loaded.problems)
        self.problems += check_loaded(self.loaded, self.layouts.font_files(),
                                      self.today)
        return self.problems

    @property
    def content(self) -> Content:
        """The checked content; raises ContentError when it has errors."""
        if self.loaded is None:
            self.check()
        if any(p.is_error for p in self.problems) or self.loaded.content is None:
            raise ContentError(self.problems)
        return self.loaded.content


def open_project(content: str | Path = "content", layouts: str | Path = "layouts",
                 output: str | Path = "output", today: dt.date | None = None
                 ) -> Project:
    return Project(Path(content), Path(layouts), Path(output), today)
