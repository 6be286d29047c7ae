"""Regional inserts for caseworkers: one A4 PDF per region, or for the
provinces and service categories asked for, in Vietnamese and English."""

from __future__ import annotations

import dataclasses
import logging

from booklet.compose.insert import compose
from booklet.compose.text import pick
from booklet.errors import BookletError
from booklet.finish.output import Artifact
from booklet.finish.pdfmeta import dated
from booklet.products import Job, Made, edition_from
from booklet.render.insert import render
from booklet.select import select

log = logging.getLogger(__name__)

PRODUCT = "inserts"


def plan(project, request: dict) -> list[Job]:
    """One job per insert and language.

    By default one insert per region of regions.yaml that has local entries;
    request["region"] or request["province"] narrows it to one insert, and
    request["category"] keeps only providers offering those services.
    """
    content = project.content
    langs = _languages(project, request.get("lang"))
    categories = _categories(content, request.get("category"))
    region, provinces = request.get("region"), request.get("province")
    if region and provinces:
        raise BookletError(
            f"inserts: --region {region} and --province {' '.join(provinces)} "
            "both narrow the insert; give one of them")
    if provinces:
        codes = _provinces(content, provinces)
        scopes = [("provinces-" + "-".join(codes), codes)]
    elif region:
        found = _region(content, region)
        scopes = [(found.code, tuple(found.provinces))]
    else:
        scopes = [(r.code, tuple(r.provinces)) for r in content.regions]
    suffix = "".join(f"-{c}" for c in categories or ())
    if request.get("show_confidential"):
        # Never under the name of the insert without confidential addresses.
        suffix += "-confidential"
    jobs = []
    for slug, codes in scopes:
        editions = {lang: edition_from(request, "caseworker", "print",
                                       provinces=codes, categories=categories)
                    for lang in langs}
        if not (region or provinces) and not _has_local(content, editions, codes):
            log.info("inserts: no local entries in region %s; no insert", slug)
            continue
        for lang, edition in editions.items():
            key = f"insert-{slug}{suffix}-{lang}"
            jobs.append(Job(PRODUCT, key, edition,
                            params=(("lang", lang), ("provinces", codes),
                                    ("region", None if provinces else slug)),
                            outputs=(f"inserts/{key}.pdf",)))
    return jobs


def make(project, job: Job, selection) -> Made:
    """The insert of `job` as one PDF, from the entries `selection` allows."""
    lang = str(job.param("lang"))
    codes = list(job.param("provinces"))
    strings = project.layouts.strings(lang)
    content = selection.content
    area = _area_name(content, job.param("region"), codes, lang)
    ins = compose(selection, strings, lang, area, codes)
    data, pages = render(ins, project.layouts, strings)
    data = dated(data, content.document.settings.edition_date)
    warnings = []
    if not ins.sections:
        warnings.append(
            f"{job.key}: no provider in {area} matches this insert or may be "
            "shown in this edition; it holds the first page only")
    elif not any(not i.view.national for s in ins.sections for i in s.items):
        warnings.append(
            f"{job.key}: no local provider in {area} matches this insert; it "
            "lists national services only")
    log.info("%s: %d pages, %d entries", job.key, pages, len(ins.provider_ids))
    return Made([Artifact(job.outputs[0], data, pages, "pdf")], warnings)


def _has_local(content, editions: dict, codes: tuple[str, ...]) -> bool:
    """Whether a region has any entry of its own (national ones serve all).

    Planned as a draft so that a final build still plans the job and the
    build reports each unverified entry by name.
    """
    edition = dataclasses.replace(next(iter(editions.values())), final=False)
    selection = select(content, edition)
    return any(selection.entries_for(code) for code in codes)


def _area_name(content, region: str | None, codes: list[str], lang: str) -> str:
    if region:
        found = next((r for r in content.regions if r.code == region), None)
        if found is not None:
            return pick(found.name, lang)[0]
    return ", ".join(pick(content.province(c).short_name, lang)[0] for c in codes)


def _languages(project, requested) -> list[str]:
    known = list(project.layouts.get("insert").get("languages", ["vi", "en"]))
    if not requested:
        return known
    # "vi+en" asks the leaflets for a bilingual layout; inserts are built in
    # each language of the pair.
    langs = [part.strip() for part in str(requested).split("+")]
    for lang in langs:
        if lang not in known:
            raise BookletError(
                f"inserts: unknown language '{lang}'; use one of: "
                + ", ".join(known))
    return langs


def _categories(content, requested) -> tuple[str, ...] | None:
    if not requested:
        return None
    known = [c.code for c in content.categories]
    for code in requested:
        if code not in known:
            raise BookletError(
                f"inserts: unknown category '{code}' (content/categories.yaml); "
                "use one of: " + ", ".join(known))
    return tuple(sorted(set(requested)))


def _provinces(content, requested) -> tuple[str, ...]:
    known = [p.code for p in content.provinces]
    for code in requested:
        if code not in known:
            raise BookletError(
                f"inserts: unknown province code '{code}' (content/provinces.yaml);"
                " use one of: " + ", ".join(known))
    return tuple(sorted(set(requested)))


def _region(content, code: str):
    found = next((r for r in content.regions if r.code == code), None)
    if found is None:
        raise BookletError(
            f"inserts: unknown region '{code}' (content/regions.yaml); use one "
            "of: " + ", ".join(r.code for r in content.regions))
    return found
