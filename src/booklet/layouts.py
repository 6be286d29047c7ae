"""Layouts as data: page geometry, type and colours from layouts/*.yaml, text
from Jinja2 templates and per-language strings."""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

import jinja2
import yaml

from booklet.errors import LayoutError
from booklet.fonts import STYLES

_UNITS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0}
_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*$")


def length(value: object, where: str = "") -> float:
    """Points from a length such as '3mm', '0.5 in' or a bare number of points."""
    if isinstance(value, (int, float)):
        return float(value)
    match = _LENGTH.match(str(value))
    if not match:
        raise LayoutError(
            (f"{where}: " if where else "a layout setting: ")
            + f"'{value}' is not a length; write a number and a unit "
            "(mm, cm, in or pt), for example 3mm")
    return float(match.group(1)) * _UNITS[match.group(2)]


class Layouts:
    """The layouts folder: named layout files, fonts, strings and templates."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        if not (self.root / "fonts.yaml").exists():
            raise LayoutError(
                f"{self.root}: not a layouts folder (no fonts.yaml); pass the "
                "folder with --layouts")
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.root / "templates"),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("xml.j2",),
                default_for_string=False), undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)

    @functools.cache  # noqa: B019 - one Layouts per build; files do not change
    def get(self, name: str) -> dict:
        """The layout `name` (a file layouts/NAME.yaml) as a dict."""
        if not _NAME.fullmatch(name):
            # A name also becomes part of file names in output/.
            raise LayoutError(
                f"'{name}' is not a layout name; use lower-case letters, digits "
                "and single hyphens, as in the file names in " + str(self.root))
        path = self.root / f"{name}.yaml"
        if not path.exists():
            known = sorted(p.stem for p in self.root.glob("*.yaml"))
            raise LayoutError(
                f"no layout '{name}' in {self.root}; known: {', '.join(known)}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise LayoutError(f"{path}: {exc}") from exc
        if not isinstance(data, dict):
            raise LayoutError(f"{path}: a layout must be a mapping of settings")
        slip = difflib.get_close_matches("extends", [str(k) for k in data],
                                         n=1, cutoff=0.75)
        if slip and slip[0] != "extends":
            # Without it nothing is inherited, and the layout fails later
            # for want of settings it was meant to take from its base.
            raise LayoutError(f"{path}: '{slip[0]}' is not a setting; did you "
                              "mean 'extends'?")
        base = data.pop("extends", None)
        if base:
            inherited = self.get(base)
            _typos(inherited, data, path, base)
            data = _merge(inherited, data)
        return data

    def fonts(self) -> dict[str, dict[str, Path]]:
        """Family name -> style -> font file."""
        spec = self.get("fonts")
        folder = (self.root / spec.get("directory", "../fonts")).resolve()
        families = {}
        for family, styles in spec["families"].items():
            missing = [s for s in STYLES if s not in styles]
            if missing:
                raise LayoutError(
                    f"{self.root / 'fonts.yaml'}: family '{family}' lacks "
                    f"{', '.join(missing)}; give all four styles")
            families[family] = {s: folder / styles[s] for s in STYLES}
            for style, path in families[family].items():
                if not path.exists():
                    raise LayoutError(
                        f"{self.root / 'fonts.yaml'}: {family} {style}: "
                        f"{path} does not exist; 'directory:' in that file "
                        f"({spec.get('directory', '../fonts')}) is read from "
                        f"{self.root}: point it at the folder that holds the fonts")
        return families

    def font_files(self) -> list[Path]:
        return [p for styles in self.fonts().values() for p in styles.values()]

    @functools.cache  # noqa: B019
    def strings(self, lang: str) -> dict[str, str]:
        """Labels of the printed page in one language (layouts/strings/LANG.yaml)."""
        path = self.root / "strings" / f"{lang}.yaml"
        if not path.exists():
            known = sorted(p.stem for p in (self.root / "strings").glob("*.yaml"))
            raise LayoutError(
                f"no strings for language '{lang}'; known: {', '.join(known)}. "
                f"Add {path} to add a language")
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    @functools.cache  # noqa: B019
    def languages(self) -> dict[str, str]:
        """The languages a provider may list, code -> English name: those that
        lang_names names in the strings, since a code without a name would be
        printed as typed."""
        folder = self.root / "strings"
        names: dict[str, str] = {}
        for path in sorted(folder.glob("*.yaml")):
            names.update({str(code): str(code) for code in
                          self.strings(path.stem).get("lang_names") or {}})
        english = self.strings("en").get("lang_names") or {} if (
            folder / "en.yaml").exists() else {}
        return {code: str(english.get(code, code)) for code in sorted(names)}

    def template(self, name: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise LayoutError(f"no template '{name}' in {self.root / 'templates'}"
                              ) from exc

    def files(self) -> list[Path]:
        """Every file that shapes the output, for build fingerprints."""
        return sorted(p for p in self.root.rglob("*") if p.is_file())


def _typos(base: dict, over: dict, path: Path, name: str, at: str = "") -> None:
    """Refuse a setting that `base` lacks and that is one slip from one it
    has: merged, a misspelt key (type.bdy) would be kept and have no effect,
    without a word. Keys far from every inherited one are new settings."""
    for key, value in over.items():
        if key in base:
            if isinstance(value, dict) and isinstance(base[key], dict):
                _typos(base[key], value, path, name, f"{at}{key}.")
            elif isinstance(value, list) and isinstance(base[key], list):
                # A list replaces the inherited one; its items are checked
                # against the settings the inherited items use.
                known: dict = {}
                for item in base[key]:
                    if isinstance(item, dict):
                        known = _merge(known, item)
                for i, item in enumerate(value):
                    if known and isinstance(item, dict):
                        _typos(known, item, path, name, f"{at}{key}[{i}].")
            continue
        near = difflib.get_close_matches(str(key), [str(k) for k in base],
                                         n=1, cutoff=0.75)
        if near:
            raise LayoutError(
                f"{path}: '{at}{key}' is not a setting of the layout '{name}' it "
                f"extends; did you mean '{at}{near[0]}'?")


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
