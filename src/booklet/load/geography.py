"""Province names as people type them, mapped to the 34 codes in force since 2025.

Since 1 July 2025 (Resolution 202/2025/QH15) Viet Nam has 34 provincial units;
many people still write the 63 older names. A current name is accepted with or
without "Tỉnh"/"Thành phố", with or without diacritics, in English, or as its
two-digit code. A former province name is mapped to the unit it merged into
(provinces.yaml `formed_from`), with a note. Any other name, a district or a
commune included, is refused: only the person who collected the data knows
which of today's provinces it belongs to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from booklet.model import Province

# Former provincial names that provinces.yaml does not list in formed_from,
# because the change predates 2025 (Hà Tây joined Hà Nội on 1 August 2008;
# Thừa Thiên Huế became Huế city on 1 January 2025).
EARLIER = {"Hà Tây": "01", "Thừa Thiên Huế": "46"}

# Everyday abbreviations of current names, and the one-word spellings that
# English texts use for the five cities (Saigon for Ho Chi Minh City).
ABBREVIATIONS = {"HCM": "79", "TPHCM": "79", "TP HCM": "79", "HCMC": "79",
                 "HN": "01", "TP HN": "01", "Hanoi": "01", "Haiphong": "31",
                 "Danang": "48", "Cantho": "92", "Saigon": "79", "Sài Gòn": "79"}

_PREFIXES = ("thanh pho ", "tinh ", "tp ", "t p ", "city of ", "province of ")
_SUFFIXES = (" province", " city")
_CODE_AND_NAME = re.compile(r"^(\d{1,2})(?:\s*[—–\-:.]\s*|\s+)(.+)$")
_NAME_AND_CODE = re.compile(r"^(.+?)\s*\((\d{1,2})\)$")
NATIONAL_WORDS = {"national", "nationwide", "toan quoc", "ca nuoc"}


class GeographyError(ValueError):
    """A name that cannot be mapped to one of the 34 provinces with certainty."""


def fold(text: str) -> str:
    """Lower case without diacritics, punctuation or repeated spaces."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def _bare(folded: str) -> str:
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    for suffix in _SUFFIXES:
        if folded.endswith(suffix):
            folded = folded[: -len(suffix)]
    return folded


@dataclass(frozen=True)
class Place:
    """A resolved province: its code and, when the name was a former one, why."""

    code: str
    note: str | None = None


class Geography:
    """Look-ups from what people write to province codes."""

    def __init__(self, provinces: list[Province]):
        self.provinces = {p.code: p for p in provinces}
        self._current: dict[str, set[str]] = {}
        self._former: dict[str, set[str]] = {}
        self._former_names: dict[str, str] = {}
        for p in provinces:
            for name in (p.name.vi, p.name.en, p.short_name.vi, p.short_name.en):
                if name:
                    self._add(self._current, name, p.code)
            for name in p.formed_from:
                self._add(self._former, name, p.code)
                self._former_names[_bare(fold(name))] = name
        for name, code in EARLIER.items():
            self._add(self._former, name, code)
            self._former_names[_bare(fold(name))] = name
        for name, code in ABBREVIATIONS.items():
            self._add(self._current, name, code)

    @staticmethod
    def _add(index: dict[str, set[str]], name: str, code: str) -> None:
        index.setdefault(_bare(fold(name)), set()).add(code)

    def label(self, code: str) -> str:
        """The form used in workbooks and messages: '01 — Hà Nội / Ha Noi'."""
        p = self.provinces[code]
        return f"{code} — {p.short_name.vi} / {p.short_name.en}"

    def choices(self) -> list[str]:
        return [self.label(code) for code in self.provinces]

    def resolve(self, text: str) -> Place:
        """The province meant by `text`; raises GeographyError when unsure."""
        text = " ".join(unicodedata.normalize("NFC", text).split())
        match = _CODE_AND_NAME.match(text) or _NAME_AND_CODE.match(text)
        if match:
            code, name = match.groups()
            if not code.isdigit():
                name, code = code, name
            return self._code_with_name(text, code.zfill(2), name)
        if text.isdigit():
            return self._code(text)
        key = _bare(fold(text))
        current = self._current.get(key, set())
        if len(current) == 1:
            return Place(next(iter(current)))
        former = self._former.get(key, set())
        if not current and len(former) == 1:
            code = next(iter(former))
            old = self._former_names.get(key, text)
            return Place(code, f"'{old}' is a former province; since 1 July 2025 "
                               f"it is part of {self.label(code)}")
        if len(current | former) > 1:
            options = "; ".join(self.label(c) for c in sorted(current | former))
            raise GeographyError(
                f"'{text}' could mean more than one province ({options}); "
                "write the province it belongs to since 1 July 2025")
        raise GeographyError(
            f"'{text}' is not one of the 34 provinces in force since 1 July 2025 "
            "(a district, commune or city name is not enough); choose the "
            "province from the drop-down list, for example "
            f"'{self.label(next(iter(self.provinces)))}'")

    def _code(self, text: str) -> Place:
        code = text.zfill(2)
        if code not in self.provinces:
            raise GeographyError(
                f"'{text}' is not a province code; use one of the 34 codes of "
                "provinces.yaml, for example "
                f"'{self.label(next(iter(self.provinces)))}'")
        return Place(code)

    def _code_with_name(self, text: str, code: str, name: str) -> Place:
        place = self._code(code)
        try:
            named = self.resolve(name.split(" / ")[0])
        except GeographyError:
            named = None
        if named is not None and named.code != code:
            raise GeographyError(
                f"'{text}' names code {code} ({self.label(code)}) but "
                f"'{name}' is {self.label(named.code)}; choose one from the "
                "drop-down list")
        return place

    def coverage(self, text: str) -> tuple[str | list[str], list[str]]:
        """A coverage cell: 'national', 'province' or a list of provinces.

        Returns the coverage and notes about former names that were mapped.
        """
        key = fold(text.split("—")[0])
        if key in NATIONAL_WORDS:
            return "national", []
        if key in ("province", "tinh", "chi tinh nay", "this province only"):
            return "province", []
        codes, notes = [], []
        for part in re.split(r"[;,\n]+", text):
            if part.strip():
                place = self.resolve(part.strip())
                codes.append(place.code)
                if place.note:
                    notes.append(place.note)
        return codes, notes

    def coverage_text(self, coverage: str | list[str]) -> str:
        if coverage == "national":
            return "national — toàn quốc / nationwide"
        if coverage == "province":
            return "province — chỉ tỉnh này / this province only"
        return "; ".join(self.label(code) if code in self.provinces else code
                         for code in coverage)
