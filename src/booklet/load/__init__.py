"""Load stage: read content (YAML or Excel) into the typed model and check it."""

from booklet.load.content import Loaded, load_content
from booklet.load.validate import check_loaded

__all__ = ["Loaded", "check_loaded", "load_content"]
