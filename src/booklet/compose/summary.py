"""The figures of a mapping: counts, coverage gaps, eligibility limits, progress.

Computed once from a Selection, so the consultation slides, their tests and
anyone else quote the same numbers. A provider is counted once per group it
belongs to; national providers serve every province and are counted apart,
so that "a province with no provider" means no local provider serves it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from booklet.compose.outline import sort_entries
from booklet.compose.text import pick, sort_key
from booklet.load.validate import is_stale
from booklet.model import ProviderKind
from booklet.select import Entry, Selection


@dataclass
class Count:
    """One bar of a chart: a code, its label in the edition's language, a count."""

    code: str
    label: str
    count: int


@dataclass
class Limit:
    """A provider's services whose eligibility leaves a group out."""

    provider: str
    categories: list[str]  # of the limited services, in content order
    criteria: list[str]  # the limiting criteria, labels
    services: int = 0


@dataclass
class Matrix:
    """Providers per province (rows) and service category (columns)."""

    rows: list[Count]  # provinces with at least one provider, reading order
    columns: list[Count]  # categories, content order
    cells: list[list[int]]
    national: list[int]  # national providers per category


@dataclass
class Progress:
    verified: int
    desk_research: int
    stale: int  # verified longer ago than the configured maximum age
    fresh: int  # verified within it
    oldest: dt.date | None
    newest: dt.date | None
    consent_confirmed: int
    consent_pending: int  # no answer yet
    consent_refused: int
    medium: str  # which consent the Selection's edition counts


@dataclass
class Summary:
    lang: str
    total: int
    national: int
    local: int
    provinces_total: int
    by_region: list[Count]
    by_province: list[Count]
    by_kind: list[Count]
    by_category: list[Count]
    provinces_without: list[Count]  # count is always 0; kept for the label
    matrix: Matrix
    exclude_men: list[Limit]
    need_status: list[Limit]
    progress: Progress
    max_age_months: int
    today: dt.date
    services: int = 0
    regions_without: list[Count] = field(default_factory=list)


def _name(entry: Entry, lang: str) -> str:
    return pick(entry.provider.short_name or entry.provider.name, lang)[0]


def _limits(selection: Selection, lang: str, restricts: str) -> list[Limit]:
    """Per provider, the services with a criterion restricting `restricts`
    (gender: they exclude men; status: they need a confirmed status)."""
    content = selection.content
    codes = [c.code for c in content.criteria if c.restricts == restricts]
    out = []
    for entry in sort_entries(selection.entries, lang):
        limit = Limit(_name(entry, lang), [], [])
        for service in entry.provider.services:
            hit = [code for code in codes if code in service.eligibility.criteria]
            if not hit:
                continue
            limit.services += 1
            category = content.category(service.category)
            name = pick(category.short, lang)[0] if category else service.category
            if name not in limit.categories:
                limit.categories.append(name)
            for code in hit:
                label = pick(content.criterion(code).label, lang)[0]
                if label not in limit.criteria:
                    limit.criteria.append(label)
        if limit.services:
            order = [pick(c.short, lang)[0] for c in content.categories]
            limit.categories.sort(key=lambda n: order.index(n) if n in order
                                  else len(order))
            out.append(limit)
    # By the name shown: in English the entries' order is that of their
    # full names, and the slide lists short ones.
    out.sort(key=lambda limit: sort_key(limit.provider, lang))
    return out


def _progress(selection: Selection, today: dt.date, max_age: int) -> Progress:
    dates = [e.verified_on for e in selection.entries
             if e.verified and e.verified_on]
    stale = sum(1 for d in dates if is_stale(d, max_age, today))
    verified = sum(1 for e in selection.entries if e.verified)
    pending = sum(1 for e in selection.entries if e.consent_pending)
    refused = sum(1 for e in selection.entries if e.consent_refused)
    return Progress(
        verified=verified, desk_research=len(selection.entries) - verified,
        stale=stale, fresh=verified - stale,
        oldest=min(dates) if dates else None, newest=max(dates) if dates else None,
        consent_confirmed=len(selection.entries) - pending,
        consent_pending=pending - refused, consent_refused=refused,
        medium=selection.edition.medium)


def summarise(selection: Selection, lang: str, strings: dict) -> Summary:
    """Every figure the consultation shows, in `lang` (labels from `strings`),
    from `selection`."""
    content = selection.content
    entries = selection.entries
    local = [e for e in entries if not e.provider.is_national]
    national = [e for e in entries if e.provider.is_national]

    # Provinces in reading order (region, then the region's list).
    provinces = [content.province(code) for region in content.regions
                 for code in region.provinces if content.province(code)]
    by_province, without = [], []
    for province in provinces:
        n = len(selection.entries_for(province.code))
        label = pick(province.short_name, lang)[0]
        (by_province if n else without).append(Count(province.code, label, n))

    by_region, regions_without = [], []
    for region in content.regions:
        n = sum(1 for e in local
                if any(e.provider.covers(code) for code in region.provinces))
        by_region.append(Count(region.code, pick(region.name, lang)[0], n))
        if not n:
            regions_without.append(by_region[-1])

    by_kind = [Count(kind.value, strings["kind"][kind.value],
                     sum(1 for e in entries if e.provider.kind is kind))
               for kind in ProviderKind]
    by_kind = [c for c in by_kind if c.count]

    by_category = [Count(c.code, pick(c.short, lang)[0],
                         sum(1 for e in entries if c.code in e.provider.categories()))
                   for c in content.categories]

    columns = [Count(c.code, pick(c.short, lang)[0], 0) for c in content.categories]
    cells = [[sum(1 for e in selection.entries_for(row.code)
                  if col.code in e.provider.categories()) for col in columns]
             for row in by_province]
    matrix = Matrix(rows=by_province, columns=columns, cells=cells,
                    national=[sum(1 for e in national
                                  if col.code in e.provider.categories())
                              for col in columns])

    settings = content.document.settings
    today = selection.edition.today or settings.edition_date
    return Summary(
        lang=lang, total=len(entries), national=len(national), local=len(local),
        provinces_total=len(provinces), by_region=by_region,
        by_province=by_province, by_kind=by_kind, by_category=by_category,
        provinces_without=without, matrix=matrix,
        exclude_men=_limits(selection, lang, "gender"),
        need_status=_limits(selection, lang, "status"),
        progress=_progress(selection, today, settings.verification_max_age_months),
        max_age_months=settings.verification_max_age_months, today=today,
        services=sum(len(e.provider.services) for e in entries),
        regions_without=regions_without)
