"""The products booklet builds, each planned as jobs and made from a Selection."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Protocol

from booklet.finish.output import Artifact
from booklet.select import Edition, Selection

# Product name -> module under booklet.products; `make build` builds them all.
NAMES = ("directory", "leaflets", "inserts", "docx", "slides")


@dataclass(frozen=True)
class Job:
    """One unit of work: a product in one language, layout or area."""

    product: str
    key: str
    edition: Edition
    params: tuple[tuple[str, object], ...] = ()
    outputs: tuple[str, ...] = ()

    def param(self, name: str, default: object = None) -> object:
        return dict(self.params).get(name, default)


@dataclass
class Made:
    artifacts: list[Artifact]
    warnings: list[str] = field(default_factory=list)
    # What the product printed, as text, for products that also define
    # printed() (see build.printed_key).
    printed: str | None = None


class Product(Protocol):
    def plan(self, project, request: dict) -> list[Job]: ...

    def make(self, project, job: Job, selection: Selection) -> Made: ...


def product(name: str) -> Product:
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"booklet.products.{name}")


def edition_from(request: dict, audience: str, medium: str, **scope) -> Edition:
    """The Edition a CLI request asks for, for one product's audience and
    medium; `scope` narrows it (provinces, categories)."""
    return Edition(
        audience=audience, medium=medium,
        final=bool(request.get("final")),
        skip_unverified=bool(request.get("skip_unverified")),
        show_confidential=bool(request.get("show_confidential")),
        today=request.get("today"), **scope)
