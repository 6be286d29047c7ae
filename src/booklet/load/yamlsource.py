"""Read YAML without type guessing, keeping the line of every value.

YAML 1.1 resolvers turn 0241234567 into an octal number, 7:30 into 450 and NO
into false. Content must arrive byte-exact, so every scalar stays the string
that was written; only plain `null`, `~` and empty values become None. The
typed model decides what a string means.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from booklet.errors import Problem

Path_ = tuple[str | int, ...]

_NULLS = {"", "~", "null", "Null", "NULL"}
# libyaml's parser composes nodes about ten times faster than the pure-Python
# one; both give the same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """A parsed YAML file: plain data plus the line of each path in it."""

    file: str
    data: object
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


# libyaml's names for what an error was found inside: what the user typed.
_OPENERS = {
    "while parsing a flow mapping": ("'{'", "'}'"),
    "while parsing a flow sequence": ("'['", "']'"),
    "while scanning a quoted scalar": ("quote", "quote"),
}

# Characters that text pasted from a word processor carries and that print
# wrongly: a soft hyphen as a hyphen in mid-line, a word joiner or byte-order
# mark as nothing useful, a line or paragraph separator as a wide gap, a
# zero-width space as a name that no search finds. They carry no words in
# Vietnamese or English, so dropping them (or making them line breaks) loses
# nothing.
_INVISIBLE = {0x00AD: None, 0x200B: None, 0x2060: None, 0xFEFF: None,
              0x2028: "\n", 0x2029: "\n"}


def normal_text(text: str) -> str:
    """Text as the content holds it: composed (NFC), since pasted text may
    arrive decomposed and the fonts and sort order expect composed letters,
    without the invisible characters above, and without spaces or line
    breaks at either end (pasted from a spreadsheet, a description ending
    in a space printed "hỗ trợ. . Miễn phí")."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE).strip()


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str,
           problems: list[Problem]) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.style in (None, "") and node.value in _NULLS:
            return None
        return normal_text(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*path, i), lines, file, problems)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(
                    "error", file, key_node.start_mark.line + 1, _dotted(path),
                    "a key must be a plain word", "write the key as text"))
                continue
            key = key_node.value
            if key in result:
                problems.append(Problem(
                    "error", file, key_node.start_mark.line + 1,
                    _dotted((*path, key)), f"'{key}' is given twice",
                    "keep one of the two values"))
                continue
            result[key] = _build(value_node, (*path, key), lines, file, problems)
        return result
    problems.append(Problem(
        "error", file, node.start_mark.line + 1, _dotted(path),
        "aliases and tags are not supported", "write the value out in full"))
    return None


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to where they work when it
    lies below, absolute otherwise."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _levels_above(text: str, line: int, indent: int) -> list[tuple[int, str, int]]:
    """(indentation, key, line number) of each group that the key on `line`
    could belong to: the keys above it, nearest first, each less indented
    than the last, that line up with none of its `indent` spaces."""
    found: list[tuple[int, str, int]] = []
    limit = None
    lines = text.splitlines()
    for number in range(line - 1, -1, -1):
        above = lines[number]
        key = above.strip().removeprefix("- ").split(":")[0]
        if not key or above.lstrip().startswith("#") or ":" not in above:
            continue
        level = len(above) - len(above.lstrip(" -"))
        if (limit is None or level < limit) and level != indent:
            found.append((level, key, number + 1))
            limit = level
        if level == 0:
            break
    return found


def read_yaml(path: Path, root: Path) -> tuple[Source | None, list[Problem]]:
    """Parse one YAML file; a syntax error becomes a problem, not an exception."""
    rel = display_path(path)
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(
            "error", rel, None, "",
            f"the file is not UTF-8 text (byte {exc.start})",
            "save the file as UTF-8")]
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark, exc.context_mark
        fix = "check indentation and quoting on that line"
        line = text.splitlines()[mark.line] if mark and mark.line < len(
            text.splitlines()) else ""
        indent = len(line) - len(line.lstrip(" "))
        if (start and mark and start.line != mark.line
                and exc.context not in _OPENERS and indent != start.column):
            # A key indented unlike the keys beside it (three spaces among
            # twos) ends the group it was meant to be in; which group it
            # belongs to only the writer knows, so each is offered.
            levels = ", or ".join(
                f"{n} (like '{key}' on line {at})"
                for n, key, at in _levels_above(text, mark.line, indent))
            fix = (f"line {mark.line + 1} is indented {indent} space(s), like no "
                   f"key above it: indent it as the key it goes beside, {levels}")
        elif start and mark and start.line != mark.line:
            # An unclosed bracket or quote is found only where the next key
            # starts; the mistake is usually where it was opened.
            opened, closing = _OPENERS.get(exc.context or "", ("value", "end"))
            fix = (f"check the {opened} opened on line {start.line + 1}, column "
                   f"{start.column + 1}: is its closing {closing} missing?")
        if "\t" in line[:mark.column + 1]:
            # PyYAML's words for it ("cannot start any token") name no tab.
            fix = ("replace the tab on that line with spaces: YAML indents "
                   "with spaces only")
        return None, [Problem(
            "error", rel, mark.line + 1 if mark else None, "",
            f"YAML syntax error: {exc.problem}", fix)]
    if node is None:
        return None, [Problem("error", rel, 1, "", "the file is empty",
                              "fill it in or delete it")]
    lines: dict[Path_, int] = {}
    data = _build(node, (), lines, rel, problems)
    return Source(rel, data, lines), problems
