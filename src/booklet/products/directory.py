"""The full directory product: print and screen PDFs in Vietnamese and English."""

from __future__ import annotations

import contextlib
import gc
import logging

from booklet.compose.directory import compose
from booklet.errors import BookletError, LayoutError
from booklet.finish.impose import impose
from booklet.finish.output import Artifact
from booklet.finish.pdfmeta import can_compact, compact, dated
from booklet.layouts import length
from booklet.products import Job, Made, edition_from
from booklet.render.directory import render
from booklet.render.flowables import has_pyphen
from booklet.render.fonts import register
from booklet.select import Selection

log = logging.getLogger(__name__)

LANGS = ("vi", "en")
LAYOUTS = ("print", "screen")


def plan(project, request: dict) -> list[Job]:
    """One job per language and layout asked for (default: all four)."""
    langs = _narrow(request.get("lang"), LANGS, "language", "--lang")
    layouts = [request["layout"]] if request.get("layout") else list(LAYOUTS)
    media = {name: _medium(project.layouts, name) for name in layouts}
    sheets = {name: _sheet_name(project.layouts.get(name)) for name in layouts
              if media[name] == "print"}
    audience = request.get("audience") or "public"
    provinces, categories = _scope(project.content, request)
    # A narrowed directory is named after its scope, so that it never
    # overwrites the full one in output/.
    suffix = _scope_suffix(request) + ("" if audience == "public"
                                       else f"-{audience}")
    if request.get("show_confidential"):
        # Never under the name of the edition without confidential addresses.
        suffix += "-confidential"
    jobs = []
    for lang in langs:
        for layout in layouts:
            key = f"directory-{lang}-{layout}{suffix}"
            outputs = [f"directory/{key}.pdf"]
            if media[layout] == "print":
                imposed = key.replace(f"-{layout}",
                                      f"-{layout}-{sheets[layout]}-imposed", 1)
                outputs.append(f"directory/{imposed}.pdf")
            jobs.append(Job(
                product="directory", key=key,
                edition=edition_from(request, audience, media[layout],
                                     provinces=provinces, categories=categories),
                params=(("lang", lang), ("layout", layout),
                        ("medium", media[layout])),
                outputs=tuple(outputs)))
    return jobs


_PAPER = {(297, 210): "a4", (420, 297): "a3", (210, 148): "a5"}


def _sheet_name(layout: dict) -> str:
    """The imposed file's paper, by name where it has one (a4) or by size."""
    sheet = layout.get("impose", {}).get("sheet")
    if not sheet:
        return "sheet"  # _make says what is missing
    w, h = (round(length(v) / 72 * 25.4) for v in sheet)
    return _PAPER.get((max(w, h), min(w, h)), f"{w}x{h}mm")


def _medium(layouts, name: str) -> str:
    """What a directory layout is for, print or screen (its `medium`): that
    decides which consent applies, links, and the imposed copy."""
    if not (layouts.root / f"{name}.yaml").is_file():
        raise BookletError(
            f"directory: no layout '{name}' for --layout; use print, screen or "
            f"the name of a file in {layouts.root} whose medium is print or "
            "screen")
    # A layout that exists but is wrong says what is wrong with it.
    medium = layouts.get(name).get("medium")
    if medium not in ("print", "screen"):
        raise BookletError(
            f"directory: {layouts.root / (name + '.yaml')} is not a directory "
            "layout (" + (f"medium: {medium}" if medium else "it gives no medium")
            + "); a directory layout says medium: print or medium: screen, most "
            "simply by extends: print or extends: screen")
    return medium


def _scope_suffix(request: dict) -> str:
    parts = []
    if request.get("region"):
        parts.append(request["region"])
    if request.get("area"):
        # An area may share its code with a region yet hold other provinces.
        parts.append("area-" + request["area"])
    if request.get("province"):
        parts.append("provinces-" + "-".join(sorted(request["province"])))
    if request.get("category"):
        parts.append("-".join(sorted(request["category"])))
    return "".join(f"-{part}" for part in parts)


def _scope(content, request: dict) -> tuple[tuple | None, tuple | None]:
    """Provinces and categories a request narrows the directory to."""
    given = [f"--{k}" for k in ("region", "area", "province") if request.get(k)]
    if len(given) > 1:
        # Whether both narrow (only Nghệ An) or add up (the region and Hà
        # Nội) is anyone's guess; the leaflets and inserts refuse it too.
        raise BookletError(
            f"directory: {' and '.join(given)} each choose the provinces; give "
            "only one of them")
    provinces = request.get("province")
    for option, groups in (("region", content.regions), ("area", content.areas)):
        code = request.get(option)
        if not code:
            continue
        found = next((g for g in groups if g.code == code), None)
        if found is None:
            raise BookletError(
                f"directory: unknown {option} '{code}' for --{option}; use one of: "
                + ", ".join(g.code for g in groups))
        provinces = [*(provinces or []), *found.provinces]
    if request.get("province"):
        known = [p.code for p in content.provinces]
        wrong = [c for c in request["province"] if c not in known]
        if wrong:
            raise BookletError(
                f"directory: unknown province code(s) {', '.join(wrong)} for "
                "--province; use two-digit codes from content/provinces.yaml, "
                "for example 40")
    categories = request.get("category")
    if categories:
        known = [c.code for c in content.categories]
        wrong = [c for c in categories if c not in known]
        if wrong:
            raise BookletError(
                f"directory: unknown categor(ies) {', '.join(wrong)} for "
                "--category; use one of: " + ", ".join(known))
    return (tuple(dict.fromkeys(provinces)) if provinces else None,
            tuple(categories) if categories else None)


def _narrow(value, accepted: tuple[str, ...], what: str, option: str) -> list[str]:
    if not value:
        return list(accepted)
    if value not in accepted:
        raise BookletError(
            f"directory: unknown {what} '{value}' for {option}; use one of: "
            + ", ".join(accepted))
    return [value]


def make(project, job: Job, selection: Selection) -> Made:
    """The PDFs of one job: the print edition also gives the A4 imposition."""
    with _collector_spared():
        return _make(project, job, selection)


@contextlib.contextmanager
def _collector_spared():
    """Keep Python's cyclic garbage collector off the objects that exist
    before the job (the loaded content and its selection): they outlive the
    job, and scanning them at every full collection cost about a tenth of
    the typesetting time of a directory of a thousand entries."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _make(project, job: Job, selection: Selection) -> Made:
    lang, layout = job.param("lang"), job.param("layout")
    medium = job.param("medium")
    layouts = project.layouts
    register(layouts.fonts())
    book = compose(selection, layouts, layout, lang)
    pdf, pages, blanks = render(book, print_=medium == "print")
    pdf = dated(pdf, selection.content.document.settings.edition_date)
    log.info("%s: %d pages (%d blank), %d entries", job.key, pages, blanks,
             len(selection.entries))
    warnings = list(book.warnings)
    if medium == "screen" and can_compact():
        # Free the typesetting's leftovers first: the compaction then reuses
        # their memory instead of raising the job's peak.
        gc.collect()
        pdf = compact(pdf)
    elif medium == "screen":
        warnings.append(
            "the screen edition is not compacted (about 2.5 times larger) because "
            "pikepdf is not installed; install pikepdf to pack its links and "
            "bookmarks into object streams")
    artifacts = [Artifact(job.outputs[0], pdf, pages)]
    if medium == "print":
        sheet = book.layout.get("impose", {}).get("sheet")
        if not sheet:
            raise LayoutError(
                f"layouts/{layout}.yaml: impose.sheet is missing; give the sheet "
                "size, for example [297mm, 210mm]")
        where = f"layouts/{layout}.yaml: impose.sheet"
        if not isinstance(sheet, list) or len(sheet) != 2:
            raise LayoutError(f"{where}: give the sheet's width and height, for "
                              "example [297mm, 210mm]")
        imposed, sides = impose(pdf, (length(sheet[0], where),
                                      length(sheet[1], where)),
                                lang=lang)
        artifacts.append(Artifact(job.outputs[1], imposed, sides))
    if book.layout.get("hyphenate", {}).get(lang) and not has_pyphen():
        warnings.append(
            "English words are not hyphenated in this version (no hyphenation "
            "dictionary is installed); lines break between words only")
    return Made(artifacts, warnings=warnings)

