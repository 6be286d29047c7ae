"""booklet: typeset a directory of support services into print and screen
publications."""

__version__ = "0.1.0"

from booklet.errors import BookletError, ContentError, Problem
from booklet.project import Project, open_project

__all__ = ["BookletError", "ContentError", "Problem", "Project", "open_project"]
