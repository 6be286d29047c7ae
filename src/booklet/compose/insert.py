"""A caseworker's regional insert as words: the referral pathway of an area,
its sections of provider entries and the facts of its running footer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from booklet.compose.entry import EntryView, view
from booklet.compose.outline import outline
from booklet.compose.text import (
    dialable,
    format_date,
    format_hours,
    pick,
    shown_number,
)
from booklet.select import Entry, Selection


@dataclass
class Item:
    """One provider entry with the verification line the insert prints."""

    view: EntryView
    verification: str


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Offer:
    """A provider named in the pathway table: who, where, which phone."""

    name: str
    place: str
    phone: str
    national: bool
    declined: bool = False  # drafts only: the provider declined to be listed


@dataclass
class Need:
    category: str
    name: str
    offers: list[Offer] = field(default_factory=list)


@dataclass
class Insert:
    lang: str
    area: str
    edition: str
    verified: str
    draft: bool
    first_call: dict
    emergency: list[dict]
    other_lines: list[dict]
    needs: list[Need]
    sections: list[Section]
    categories_note: str
    provider_ids: list[str]
    # Whether confidential addresses are printed: said on every page.
    confidential: bool = False


def compose(selection: Selection, strings: dict, lang: str, area: str,
            provinces: list[str]) -> Insert:
    """The insert for `provinces`, named `area`, in `lang`.

    National entries come first in a section of their own: they serve every
    area. Entries are worded once by compose.entry.view.
    """
    content = selection.content
    order = outline(selection, lang, provinces=provinces)
    items: dict[str, Item] = {}

    def item(entry: Entry) -> Item:
        if entry.provider.id not in items:
            shown = view(entry, content, strings, lang)
            items[entry.provider.id] = Item(shown, _verification(entry, shown,
                                                                  strings))
        return items[entry.provider.id]

    sections = []
    if order.national:
        sections.append(Section(strings["national"],
                                [item(e) for e in order.national]))
    for _region, province in order.groups():
        sections.append(Section(province.name,
                                [item(e) for e in province.entries]))
    entries = [e for e in selection.entries if e.provider.id in items]
    categories = selection.edition.categories
    chosen = [c for c in content.categories
              if categories is None or c.code in categories]
    note = ""
    if categories is not None:
        note = strings["insert_only_categories"].format(categories=", ".join(
            pick(c.name, lang)[0] for c in chosen))
    first = _first_call(content.document.hotlines, strings, lang)
    others = content.document.hotlines[1:]
    return Insert(
        lang=lang, area=area,
        edition=strings["insert_edition"].format(date=format_date(
            content.document.settings.edition_date, strings)),
        verified=verified_range(entries, strings),
        draft=selection.edition.draft, first_call=first,
        emergency=[_hotline(h, strings, lang) for h in others if _short(h)],
        other_lines=[_hotline(h, strings, lang) for h in others if not _short(h)],
        needs=_needs(chosen, sections, strings, lang, first["number"]),
        sections=sections, categories_note=note, provider_ids=list(items),
        confidential=selection.edition.show_confidential)


def _verification(entry: Entry, shown: EntryView, strings: dict) -> str:
    """'Verified on <date> (<method>)', or the not-verified wording."""
    if entry.verified and entry.verified_on:
        return strings["verified_by_method"].format(
            date=format_date(entry.verified_on, strings),
            method=shown.verification_method)
    return strings["not_verified"]


def verified_range(entries: list[Entry], strings: dict) -> str:
    """Earliest to latest verification date of `entries`, and how many are
    not verified, for the footer."""
    dates: list[dt.date] = sorted(e.verified_on for e in entries
                                  if e.verified and e.verified_on)
    if not dates:
        return strings["insert_not_yet_verified"]
    first, last = (format_date(d, strings) for d in (dates[0], dates[-1]))
    text = (strings["insert_verified_one"].format(date=first) if first == last
            else strings["insert_verified_range"].format(first=first, last=last))
    missing = len(entries) - len(dates)
    if missing:
        text += " (" + strings["insert_unverified_count"].format(n=missing) + ")"
    return text


def _hotline(hotline, strings: dict, lang: str) -> dict:
    return {"number": shown_number(hotline.number),
            "name": pick(hotline.name, lang)[0],
            "note": pick(hotline.note, lang)[0],
            "cost": strings["cost"][hotline.cost.value],
            "hours": format_hours(hotline.hours, strings, lang)}


def _short(hotline) -> bool:
    """A three-digit emergency code (112 to 115), dialled without area code."""
    return len([ch for ch in hotline.number if ch.isdigit()]) <= 3


def _first_call(hotlines: list, strings: dict, lang: str) -> dict:
    """The number a caseworker calls first: the document's first hotline
    (111, the national anti-trafficking line)."""
    if hotlines:
        return _hotline(hotlines[0], strings, lang)
    return {"number": "111", "name": "", "note": "", "cost": "", "hours": ""}


def _needs(categories: list, sections: list[Section], strings: dict,
           lang: str, first_number: str) -> list[Need]:
    """Category -> providers with a phone: local services first, then national.

    The first-call line itself is left out: step 1 already names it.
    """
    local = [i for s in sections for i in s.items if not i.view.national]
    national = [i for s in sections for i in s.items if i.view.national]
    needs = []
    for category in categories:
        need = Need(category.code, pick(category.name, lang)[0])
        seen: set[str] = set()
        for it in local + national:
            v = it.view
            if v.id in seen or category.code not in v.categories:
                continue
            numbers = [p.number for p in v.phones]
            if numbers == [first_number]:
                continue
            seen.add(v.id)
            # The table says whom to call: a number in a pre-2017 or invalid
            # form (it may ring someone else) is never the one it gives.
            safe = [p for p in v.phones if dialable(p.number)]
            phone = next((p.number for p in safe if p.hotline),
                         safe[0].number if safe else "")
            need.offers.append(Offer(
                name=v.short_name.text,
                place=strings["insert_national_mark"] if v.national else v.province,
                phone=phone or strings["insert_via"].format(number=first_number),
                national=v.national, declined=v.consent_refused))
        if need.offers:
            needs.append(need)
    return needs
