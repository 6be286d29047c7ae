"""Pocket leaflets: one per province (or area), printed and for phones."""

from __future__ import annotations

import logging

from booklet.compose.leaflet import LANGS, compose
from booklet.errors import EditionError
from booklet.finish.output import Artifact
from booklet.finish.pdfmeta import dated
from booklet.model import Content, Text
from booklet.products import Job, Made, edition_from
from booklet.render.leaflet import render, shortened
from booklet.select import Selection

log = logging.getLogger(__name__)

LAYOUTS = {"trifold": "leaflet-trifold", "a6": "leaflet-a6"}
PHONE = "leaflet-phone"
DEFAULT_LANG = "vi+en"


def provinces_with_providers(content: Content) -> list[str]:
    """Codes of provinces that some non-national provider covers, in the
    order of provinces.yaml."""
    covered: set[str] = set()
    for p in content.providers:
        if p.is_national:
            continue
        covered.add(p.province)
        if isinstance(p.coverage, list):
            covered.update(p.coverage)
    return [pr.code for pr in content.provinces if pr.code in covered]


def _targets(content: Content, request: dict) -> list[tuple[str, tuple[str, ...]]]:
    """(name part of the key, province codes) for every leaflet asked for."""
    known = {p.code for p in content.provinces}
    given = [f"--{k} {' '.join(v) if isinstance(v, list) else v}"
             for k in ("area", "region", "province") if (v := request.get(k))]
    if len(given) > 1:
        # Each names a different set of leaflets: keeping one silently would
        # print leaflets nobody asked for.
        raise EditionError(f"leaflets: {' and '.join(given)} each choose the "
                           "leaflets to build; give only one of them")
    if request.get("area"):
        code = request["area"]
        area = next((a for a in content.areas if a.code == code), None)
        if area is None:
            raise EditionError(
                f"no area '{code}' in content/regions.yaml; accepted: "
                + (", ".join(a.code for a in content.areas) or "(none defined)"))
        return [(f"area-{area.code}", tuple(area.provinces))]
    codes = provinces_with_providers(content)
    if request.get("region"):
        region = next((r for r in content.regions if r.code == request["region"]),
                      None)
        if region is None:
            raise EditionError(
                f"no region '{request['region']}' in content/regions.yaml; "
                "accepted: " + ", ".join(r.code for r in content.regions))
        codes = [c for c in codes if c in region.provinces]
        if not codes:
            raise EditionError(
                f"no province of region '{region.code}' has a provider of its "
                "own, so there is no leaflet to build for it; to hand out one "
                "with the national services only, name a province, for example "
                f"--province {region.provinces[0]}")
    if request.get("province"):
        unknown = [c for c in request["province"] if c not in known]
        if unknown:
            raise EditionError(
                f"unknown province code(s) {', '.join(unknown)}; accepted: the "
                "codes in content/provinces.yaml, of which these have providers: "
                + ", ".join(codes))
        codes = list(dict.fromkeys(request["province"]))
    return [(f"{c}-{content.province(c).slug}", (c,)) for c in codes]


def plan(project, request: dict) -> list[Job]:
    """Two jobs per leaflet: the printed layout and the phone variant, which
    follow print and digital consent respectively."""
    content = project.content
    lang = request.get("lang") or DEFAULT_LANG
    if lang not in LANGS:
        raise EditionError(
            f"leaflets come in {', '.join(LANGS)}; '{lang}' is not one of them")
    layout = request.get("layout") or "trifold"
    # A leaflet layout is a file leaflet-NAME.yaml; the phone variant is
    # made with every printed one, not on its own.
    named = LAYOUTS.get(layout, f"leaflet-{layout}")
    known = sorted({*LAYOUTS, *(
        p.stem.removeprefix("leaflet-")
        for p in project.layouts.root.glob("leaflet-*.yaml") if p.stem != PHONE)})
    if named == PHONE:
        raise EditionError(
            "the phone leaflet is made with every printed one; choose the printed "
            f"layout with --layout: {', '.join(known)}")
    if not (project.layouts.root / f"{named}.yaml").is_file():
        raise EditionError(
            f"no leaflet layout '{layout}' (a file layouts/leaflet-{layout}.yaml); "
            f"accepted: {', '.join(known)}")
    kind = project.layouts.get(named).get("kind")
    if kind not in ("panels", "booklet"):
        raise EditionError(
            f"layouts/{named}.yaml is not a printed leaflet layout (kind: {kind}); "
            "make it extend leaflet-trifold or leaflet-a6")
    categories = tuple(request["category"]) if request.get("category") else None
    jobs = []
    # A leaflet narrowed to some services, or with discreet codes, is named so:
    # it must never replace the complete leaflet handed out on arrival.
    narrowed = "".join(f"-{c}" for c in sorted(categories or ())) + (
        "-discreet" if request.get("discreet") else "")
    for name, codes in _targets(content, request):
        base = f"leaflet-{name}{narrowed}-{lang}"
        # The phone variant does not depend on the printed layout: whichever
        # is asked for, it is the same job and the same file.
        printed = base + ("" if layout == "trifold" else f"-{layout}")
        for medium, layout_name, key, stem in (
                ("print", named, printed, printed),
                ("screen", PHONE, base, f"{base}-phone")):
            path = f"leaflets/{stem}.pdf"
            params = (("provinces", codes), ("lang", lang),
                      ("layout", layout_name), ("place", name),
                      ("discreet", bool(request.get("discreet"))))
            jobs.append(Job(
                product="leaflets", key=f"{key}-{medium}",
                edition=edition_from(request, "public", medium, provinces=codes,
                                     categories=categories),
                params=params, outputs=(path,)))
    return jobs


def _place(content: Content, name: str, codes: tuple[str, ...]) -> Text:
    if name.startswith("area-"):
        return next(a.name for a in content.areas if a.code == name[5:])
    return content.province(codes[0]).short_name


def make(project, job: Job, selection: Selection) -> Made:
    content = selection.content
    layouts = project.layouts
    codes = job.param("provinces")
    name = job.param("place")
    layout_name = job.param("layout")
    layout = layouts.get(layout_name)
    place = _place(content, name, codes)
    leaflet = compose(selection, layouts, layout, codes, place, job.param("lang"),
                      qr_discreet=job.param("discreet"))
    where = f"leaflet {name} ({layout_name})"
    title = f"{leaflet.cover.main} – {leaflet.place.main}"
    rendered = render(leaflet, layout, layouts, where, title, layout_name)
    warnings = []
    if not leaflet.local:
        warnings.append(f"{where}: no provider in {leaflet.place.main} is in this "
                        "edition; the leaflet lists national services only")
    for item in leaflet.local + leaflet.national:
        if item.more_categories:
            shown = len(item.categories)
            warnings.append(
                f"{where}: provider '{item.id}': the leaflet shows its first "
                f"{shown} kinds of service and leaves out {item.more_categories} "
                f"more; the directory lists them all. To show them here, raise "
                f"blocks.max_categories in layouts/{layout_name}.yaml")
        if item.undialable:
            warnings.append(
                f"{where}: provider '{item.id}': {', '.join(item.undialable)} "
                "cannot be dialled safely (invalid or pre-2017 style), so it is "
                "printed as written but left out of QR codes and links; correct "
                "it in the provider file")
    for provider, data in shortened(leaflet, layout):
        if data.startswith(b"tel:"):
            holds = f"only calls {data.decode()[4:]}"
        elif not data.startswith(b"BEGIN:VCARD"):
            holds = f"only opens {data.decode()}"
        else:
            holds = "saves only its name and numbers (no address, website or hours)"
        warnings.append(
            f"{where}: provider '{provider}': its whole contact does not fit a "
            f"QR code here, so its code {holds}; give it a shorter short_name, "
            f"address, website or hours note, or raise qr.max_span in "
            f"layouts/{layout_name}.yaml")
    if leaflet.generic_names:
        warnings.append(
            f"{where}: discreet QR codes save {len(leaflet.generic_names)} "
            "provider(s) under a generic name because they have no "
            "discreet_name: " + ", ".join(leaflet.generic_names)
            + "; add a discreet_name to each provider file")
    if rendered.continued:
        warnings.append(
            f"{where}: {rendered.continued} provider(s) do not fit the leaflet "
            f"and continue on {rendered.enclosed} enclosed A4 page(s) at the "
            "end of the PDF; print them and fold them in with the leaflet")
    if rendered.scale < 1:
        warnings.append(f"{where}: type reduced to {round(rendered.scale * 100)}% "
                        "to fit the panels")
    log.info("%s: %d page(s)", where, rendered.pages)
    pdf = dated(rendered.pdf, selection.content.document.settings.edition_date)
    return Made([Artifact(job.outputs[0], pdf, rendered.pages)], warnings)
