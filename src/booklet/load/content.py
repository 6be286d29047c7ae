"""Read a content tree into the typed model, collecting every problem on the way."""

from __future__ import annotations

import difflib
import enum
import logging
import re
from pathlib import Path

from pydantic import BaseModel, ValidationError

from booklet.errors import ContentError, Problem
from booklet.load.yamlsource import Source, display_path, dotted, read_yaml
from booklet.model import (
    Area,
    Category,
    Content,
    Criterion,
    Document,
    Guidance,
    Provider,
    Province,
    Region,
)

log = logging.getLogger(__name__)

# The files of a content tree besides the providers, and what each holds.
FILES = {
    "document": "document.yaml",
    "guidance": "guidance.yaml",
    "categories": "categories.yaml",
    "criteria": "eligibility.yaml",
    "provinces": "provinces.yaml",
    "regions": "regions.yaml",
}


class Loaded:
    """A content tree as read: the model (when it validates), its sources and
    the problems found."""

    def __init__(self, root: Path):
        self.root = root
        self.sources: dict[str, Source] = {}
        self.problems: list[Problem] = []
        self.content: Content | None = None
        # Provider id -> source file, for the checks that follow loading.
        self.provider_sources: dict[str, Source] = {}
        # Provider files that did not validate: checked for codes anyway, so
        # that every problem of a file is reported in one round.
        self.invalid_sources: list[Source] = []
        self.provider_files = 0  # read as providers, whether valid or not
        # When document.yaml or guidance.yaml does not validate: the rest of
        # the tree, for the checks only (never built from), so that one bad
        # shared file does not hide the problems of every provider.
        self.partial: Content | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def raise_for_errors(self) -> Content:
        if self.errors or self.content is None:
            raise ContentError(self.problems)
        return self.content


def _locate(source: Source, loc: tuple) -> tuple[tuple, str]:
    """Map a pydantic error location onto a path that exists in the data."""
    path: list[str | int] = []
    node = source.data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = (isinstance(node, list) and isinstance(part, int)
                   and part < len(node))
        if in_dict or in_list:
            path.append(part)
            node = node[part]
        elif isinstance(part, str) and not isinstance(node, (dict, list)):
            continue  # union branch names such as 'literal[...]'
        elif isinstance(node, dict) and isinstance(part, str) and "[" not in part:
            path.append(part)  # a missing or unknown key
            break
    return tuple(path), dotted(tuple(path))


# What a value of each text pattern in model.py is, and an example of one.
_FORMS = {
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": ("an e-mail address", "name@example.org"),
    r"^(https?://|www\.)\S+$": ("a web address", "https://example.org/page"),
    r"^\d{2}$": ("a two-digit province code", "'40'"),
    r"^0\d{2,3}$": ("an area code", "'0238'"),
}


def _explain(err: dict, fields: list[str]) -> tuple[str, str]:
    """Plain words and a fix for one pydantic error."""
    kind, value = err["type"], err.get("input")
    name = err["loc"][-1] if err["loc"] else ""
    if kind == "missing":
        return f"'{name}' is required but missing", f"add '{name}:' with a value"
    if kind == "extra_forbidden":
        near = difflib.get_close_matches(str(name), fields, n=1)
        fix = f"did you mean '{near[0]}'?" if near else (
            "remove it, or use one of: " + ", ".join(fields))
        return f"unknown field '{name}'", fix
    if kind in ("string_type", "str_type"):
        shown = "a list" if isinstance(value, list) else (
            "a mapping" if isinstance(value, dict) else repr(value))
        return f"expected text, found {shown}", "write a single text value"
    if kind in ("list_type",):
        return (f"expected a list, found {value!r}",
                "write each item on its own line starting with '- '")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (f"expected a group of fields, found {value!r}",
                "indent the fields under this key")
    if kind in ("enum", "literal_error") and isinstance(value, str):
        accepted = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        near = difflib.get_close_matches(value.lower(), accepted, n=1, cutoff=0.6)
        return (f"'{value}' is not accepted here; use one of: "
                + ", ".join(accepted),
                f"write '{near[0]}'" if near else "pick one of the values listed")
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        what, example = _FORMS.get(pattern, ("in the expected form", ""))
        return (f"'{value}' is not {what}",
                f"write it like {example}" if example else
                f"write it to match {pattern}")
    if kind == "too_short" and isinstance(value, list):
        return (f"'{name}' needs at least one item, and has none",
                f"add each under '{name}:' on its own line starting with '- '")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "value_error" and "is not a code" in message:
        code = re.sub(r"[^a-z0-9_-]+", "-", str(value).lower()).strip("-")
        return message, f"write '{code}'" if code else "write a code"
    shown = value is not None and not isinstance(value, (dict, list))
    if shown and repr(value) not in message and str(value) not in message:
        message += f" (found {value!r})"
    return message, "correct the value"


def _choices(model: type[BaseModel], name) -> str:
    """': one of a, b' when field `name` of `model` takes one of fixed values."""
    import typing

    info = model.model_fields.get(name)
    kind = info.annotation if info else None
    if typing.get_origin(kind) is typing.Literal:
        values = [str(v) for v in typing.get_args(kind)]
    elif isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = [str(member.value) for member in kind]
    else:
        return ""
    return ": one of " + ", ".join(values)


def validate_source(model: type[BaseModel], source: Source, base: tuple = ()):
    """Validate `source.data[base]` as `model`; return (object, problems)."""
    data = source.data
    for part in base:
        data = data[part]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = (*base, *err["loc"])
            path, field = _locate(source, loc)
            parent = _model_at(model, err["loc"][:-1])
            fields = list(parent.model_fields) if parent else []
            message, fix = _explain(err, fields)
            if err["type"] == "missing" and parent:
                fix += _choices(parent, err["loc"][-1])
            problems.append(Problem(
                "error", source.file, source.line_of(path), field, message, fix))
        return None, problems


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at `loc`, for field suggestions."""
    import typing

    current: object = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
        for _ in range(3):  # unwrap Optional[...] and list[...]
            args = [a for a in typing.get_args(current) if a is not type(None)]
            models = [a for a in args if isinstance(a, type)
                      and issubclass(a, BaseModel)]
            if models:
                current = models[0]
            elif len(args) == 1:
                current = args[0]
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _list_of(loaded: Loaded, key: str, model: type[BaseModel], listkey: str):
    source = loaded.sources.get(key)
    if source is None:
        return []
    items = source.data.get(listkey) if isinstance(source.data, dict) else None
    if not isinstance(items, list):
        loaded.problems.append(Problem(
            "error", source.file, source.line_of(()), listkey,
            f"expected a list under '{listkey}:'",
            f"start the file with '{listkey}:' followed by '- ' items"))
        return []
    result = []
    lines: dict[str, int | None] = {}  # code -> the line that first gave it
    for i in range(len(items)):
        obj, problems = validate_source(model, source, (listkey, i))
        loaded.problems.extend(problems)
        if obj is None:
            continue
        code = getattr(obj, "code", None)
        line = source.line_of((listkey, i, "code"))
        if code is not None and code in lines:
            # Lookups by code would find only one of them, and which one
            # would depend on the order of the file.
            loaded.problems.append(Problem(
                "error", source.file, line, "code",
                f"code '{code}' is also given on line {lines[code]}",
                "give each item its own code, or merge the two"))
            continue
        if code is not None:
            lines[code] = line
        result.append(obj)
    return result


def load_content(root: Path | str) -> Loaded:
    """Read every file of the content tree at `root`.

    Never raises for bad content: problems are collected on the result so
    that a check can report them all at once. A provider with errors is left
    out of `content.providers` and named in the problems.
    """
    root = Path(root)
    loaded = Loaded(root)
    if not root.is_dir():
        loaded.problems.append(Problem(
            "error", str(root), None, "", "the content folder does not exist",
            "pass the folder that holds document.yaml with --content"))
        return loaded
    for key, name in FILES.items():
        path = root / name
        if not path.exists():
            loaded.problems.append(Problem(
                "error", name, None, "", "the file is missing",
                f"create {name}; see README.md, section 'Content format'"))
            continue
        source, problems = read_yaml(path, root)
        loaded.problems.extend(problems)
        if source is not None:
            loaded.sources[key] = source

    document = guidance = None
    if "document" in loaded.sources:
        document, problems = validate_source(Document, loaded.sources["document"])
        loaded.problems.extend(problems)
    if "guidance" in loaded.sources:
        guidance, problems = validate_source(Guidance, loaded.sources["guidance"])
        loaded.problems.extend(problems)
    categories = _list_of(loaded, "categories", Category, "categories")
    criteria = _list_of(loaded, "criteria", Criterion, "criteria")
    provinces = _list_of(loaded, "provinces", Province, "provinces")
    regions = _list_of(loaded, "regions", Region, "regions")
    areas = _list_of(loaded, "regions", Area, "areas") if _has(
        loaded, "regions", "areas") else []

    providers, files = [], {}
    paths = provider_paths(root, loaded.problems)
    loaded.provider_files = len(paths)
    for path in paths:
        source, problems = read_yaml(path, root)
        loaded.problems.extend(problems)
        if source is None:
            continue
        if not isinstance(source.data, dict):
            loaded.problems.append(Problem(
                "error", source.file, 1, "", "a provider file must hold fields",
                "start with 'id:' and the fields listed in README.md"))
            continue
        provider, problems = validate_source(Provider, source)
        loaded.problems.extend(problems)
        if provider is None:
            log.debug("left out %s: it has errors", source.file)
            loaded.invalid_sources.append(source)
            continue
        if provider.id in files:
            loaded.problems.append(Problem(
                "error", source.file, source.line_of(("id",)), "id",
                f"id '{provider.id}' is also used by {files[provider.id]}",
                "give each provider its own id"))
            continue
        providers.append(provider)
        files[provider.id] = source.file
        loaded.provider_sources[provider.id] = source

    parts = dict(document=document, guidance=guidance, categories=categories,
                 criteria=criteria, provinces=provinces, regions=regions,
                 areas=areas, providers=providers, provider_files=files)
    if document and guidance:
        loaded.content = Content(**parts)
    else:
        loaded.partial = Content.model_construct(**parts)
    return loaded


YAML_SUFFIXES = (".yaml", ".yml")


def provider_paths(root: Path, problems: list[Problem]) -> list[Path]:
    """Every provider file; any other file under providers/ is an error, so
    that a provider saved as koto.yaml.txt never silently goes missing."""
    folder = root / "providers"
    if not folder.is_dir():
        problems.append(Problem(
            "warning", display_path(folder), None, "",
            "there is no providers folder, so no provider will be printed",
            "create it with one file per provider"))
        return []
    paths = []
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or _litter(path):
            continue
        if path.suffix.lower() in YAML_SUFFIXES and path.name.startswith("."):
            # Hidden from most file browsers, so it is easy to keep by mistake.
            problems.append(Problem(
                "error", display_path(path), None, "",
                "this hidden file is not read as a provider",
                f"rename it to {path.name.lstrip('.')}, or delete it"))
        elif path.suffix.lower() in YAML_SUFFIXES:
            paths.append(path)
        else:
            problems.append(Problem(
                "error", display_path(path), None, "",
                "this file is not read: provider files must end in .yaml",
                f"rename it to {path.name.split('.')[0]}.yaml, or move it out "
                "of providers/"))
    if not paths:
        problems.append(Problem(
            "warning", display_path(folder), None, "",
            "no provider files found, so no provider will be printed",
            "add one .yaml file per provider"))
    return paths


# What operating systems and office programs leave beside the files people
# save: never content, so skipped without a word.
_SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"}
_BACKUP_ENDINGS = ("~", ".bak", ".swp", ".orig", ".tmp")


def _litter(path: Path) -> bool:
    """Whether a file under providers/ is safe to pass over: a system or
    hidden file, an office lock file, a README, or an editor's backup of a
    provider file that is still there beside it. A backup whose original is
    gone may be the only copy of a provider, so it stays an error; so does
    any .yaml file, whatever its name."""
    name = path.name.lower()
    if path.suffix.lower() in YAML_SUFFIXES:
        return False  # whatever its name, it may hold a provider
    if name in _SYSTEM_FILES or name.startswith(("~$", ".", "readme")):
        return True
    for ending in _BACKUP_ENDINGS:
        if name.endswith(ending):
            original = path.with_name(path.name[: -len(ending)])
            return original.suffix.lower() in YAML_SUFFIXES and original.is_file()
    return False


def _has(loaded: Loaded, key: str, listkey: str) -> bool:
    source = loaded.sources.get(key)
    return bool(source and isinstance(source.data, dict) and listkey in source.data)
