"""Write a Provider as canonical YAML: model key order, safe quoting, block style.

The loader (yamlsource.py) keeps every scalar as the string written, but people
also open these files in other YAML tools, where YAML 1.1 reads 0241234567 as a
number, 7:30 as 450 and `no` as false. So every string is double-quoted; only
enum words that no YAML reads as anything else stay plain. Reading a dumped
file back gives the same Provider (tests/test_dump.py).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import Enum

from pydantic import BaseModel

from booklet.load.yamlsource import normal_text
from booklet.model import (
    CareStandards,
    Consent,
    ConsentItem,
    Fees,
    Phone,
    Provider,
    Service,
    Verification,
)

# Fields written even when they hold their default: they are the questions a
# consultant answers, and a visible "unknown" invites the answer.
KEEP = {
    (Provider, "languages"), (Provider, "care_standards"), (Provider, "consent"),
    (Provider, "verification"), (Service, "fees"), (Fees, "kind"),
    (Phone, "cost"), (Consent, "print"), (Consent, "digital"),
    (ConsentItem, "given"), (Verification, "status"), (Verification, "method"),
    *((CareStandards, name) for name in CareStandards.model_fields),
}

# Words YAML 1.1 resolves to booleans or null when unquoted.
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_PLAIN = re.compile(r"^[a-z][a-z_]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
            "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}


class _Plain(str):
    """A scalar written without quotes (enum words, booleans, numbers)."""


def quote(text: str) -> str:
    """`text` as a YAML double-quoted scalar (YAML 1.2, section 7.3.1)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _literal_ok(text: str) -> bool:
    """Whether `text` survives a `|-` literal block exactly (YAML 1.2, 8.1.3)."""
    if "\n" not in text or text.endswith("\n") or text.startswith((" ", "\n")):
        return False
    if any(ch in text for ch in "\r\t\x85\u2028\u2029\ufeff"):
        return False
    return all(line == line.rstrip() and all(
        unicodedata.category(ch) not in ("Cc", "Cs") for ch in line)
        for line in text.split("\n"))


def _omit(owner: type, name: str, value: object, default: object) -> bool:
    if value is None:
        return True
    if (owner, name) in KEEP:
        return False
    if isinstance(value, list) and not value:
        return True
    return value == default


def to_tree(obj: object) -> object:
    """The plain tree that is written: dicts in model order, lists, scalars."""
    if isinstance(obj, BaseModel):
        tree = {}
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if not _omit(type(obj), name, value, info.get_default(
                    call_default_factory=True)):
                tree[name] = to_tree(value)
        return tree
    if isinstance(obj, list):
        return [to_tree(item) for item in obj]
    if isinstance(obj, bool):
        return _Plain("true" if obj else "false")
    if isinstance(obj, Enum):
        value = str(obj.value)
        return _Plain(value) if _plain_ok(value) else value
    if isinstance(obj, float):
        return _Plain(repr(obj))
    if isinstance(obj, int):
        return _Plain(str(obj))
    if isinstance(obj, dt.date):
        return obj.isoformat()
    if isinstance(obj, str):
        return normal_text(obj)
    raise TypeError(f"cannot write {type(obj).__name__} as YAML")


def _plain_ok(value: str) -> bool:
    return bool(_PLAIN.match(value)) and value.lower() not in _YAML11_WORDS


def _scalar(value: object, indent: int) -> str:
    if isinstance(value, _Plain):
        return str(value)
    if _literal_ok(value):
        pad = " " * (indent + 2)
        return "|-\n" + "\n".join(pad + line if line else ""
                                   for line in value.split("\n"))
    return quote(value)


def _emit(tree: object, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(tree, dict):
        for key, value in tree.items():
            _emit_item(f"{pad}{key}:", value, indent, out)
    elif isinstance(tree, list):
        for item in tree:
            if isinstance(item, dict) and item:
                first = True
                for key, value in item.items():
                    lead = f"{pad}- " if first else f"{pad}  "
                    _emit_item(f"{lead}{key}:", value, indent + 2, out)
                    first = False
            else:
                _emit_item(f"{pad}-", item, indent, out)


def _emit_item(head: str, value: object, indent: int, out: list[str]) -> None:
    if (isinstance(value, dict) and value) or (isinstance(value, list) and value):
        out.append(head)
        _emit(value, indent + 2, out)
    elif isinstance(value, dict):
        out.append(f"{head} {{}}")
    elif isinstance(value, list):
        out.append(f"{head} []")
    else:
        out.append(f"{head} {_scalar(value, indent)}")


def dump_provider(provider: Provider) -> str:
    """The canonical YAML text of one provider file."""
    out: list[str] = []
    _emit(_coverage_words(to_tree(provider)), 0, out)
    return "\n".join(out) + "\n"


def _coverage_words(tree: dict) -> dict:
    # coverage and fees kind are Literal strings, not enums; they are words.
    if isinstance(tree.get("coverage"), str):
        tree["coverage"] = _Plain(tree["coverage"])
    for service in tree.get("services", []):
        fees = service.get("fees")
        if fees and isinstance(fees.get("kind"), str) and _plain_ok(fees["kind"]):
            fees["kind"] = _Plain(fees["kind"])
    return tree


def dump_bytes(provider: Provider) -> bytes:
    return dump_provider(provider).encode("utf-8")
