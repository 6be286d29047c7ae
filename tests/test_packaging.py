"""Installing booklet without its test extras gives everything it imports."""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def _names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _optional(tree: ast.AST) -> set[str]:
    """Modules imported under `try: ... except ImportError`: the code says
    what it does without them (pyphen)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name)
                and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            for statement in node.body:
                names |= _names(statement)
    return names


def _imported(folder: Path) -> set[str]:
    """Top-level names of the modules that code under `folder` needs."""
    names = set()
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= _names(tree) - _optional(tree)
    return names


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-")


def test_every_import_of_the_library_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_canonical(Requirement(r).name) for r in project["dependencies"]}
    owners = packages_distributions()
    missing = {}
    for name in _imported(ROOT / "src" / "booklet"):
        if name == "booklet" or name in sys.stdlib_module_names:
            continue
        dists = {_canonical(d) for d in owners.get(name, [])}
        assert dists, f"{name} is imported but no installed distribution gives it"
        if not dists & declared:
            missing[name] = sorted(dists)
    assert not missing, (
        f"imported by src/booklet but not in [project] dependencies: {missing}")


def test_no_test_extra_repeats_a_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    main = {_canonical(Requirement(r).name) for r in project["dependencies"]}
    extras = {_canonical(Requirement(r).name)
              for r in project["optional-dependencies"]["test"]}
    assert not main & extras
