"""What one pocket leaflet says: cover, hotlines and providers as plain words.

A leaflet is composed in one or two languages; with two (vi+en) every text is
a Words pair whose second half is printed smaller beneath the first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from booklet.compose.entry import EntryView, view
from booklet.compose.text import (
    format_date,
    format_hours,
    pick,
    shown_number,
    sort_key,
    tel_uri,
)
from booklet.compose.vcard import Contact, dialled, payload, tel, vcard
from booklet.errors import LayoutError
from booklet.model import Content, Text
from booklet.select import Entry, Selection

log = logging.getLogger(__name__)

LANGS = {"vi+en": ("vi", "en"), "vi": ("vi",), "en": ("en",)}


@dataclass(frozen=True)
class Words:
    """A text in the leaflet's language, and the same in the second language
    when the leaflet has one and it says something different."""

    main: str
    second: str = ""

    def __bool__(self) -> bool:
        return bool(self.main)


@dataclass
class PhoneItem:
    number: str
    tel: str
    label: Words
    cost: Words
    cost_code: str
    caution: Words | None = None  # beside a number never dialled: why not


@dataclass
class ProviderItem:
    id: str
    name: Words
    place: Words  # the province, on leaflets for an area
    categories: list[tuple[str, Words]]  # icon, a few words
    phones: list[PhoneItem]
    hours: Words
    website: str
    how_to_reach: Words | None  # only for providers with no phone or website
    payload: bytes | None
    marks: str = ""  # draft only: consent and verification state
    contact: Contact | None = None  # what the QR code saves
    # Shorter payloads, in order, for when `payload` does not fit the space
    # the layout gives a code (see fallbacks()).
    fallbacks: tuple[bytes, ...] = ()
    # Kinds of service beyond the layout's max_categories, not printed.
    more_categories: int = 0

    @property
    def undialable(self) -> list[str]:
        """Numbers printed as written but kept out of QR codes and links."""
        return [ph.number for ph in self.phones if not ph.tel]


@dataclass
class HotlineItem:
    number: str
    tel: str
    name: Words
    cost: Words
    cost_code: str
    hours: Words


@dataclass
class Leaflet:
    lang: str
    place: Words
    provinces: tuple[str, ...]
    cover: Words
    tagline: Words
    hotlines: list[HotlineItem]
    local: list[ProviderItem]
    national: list[ProviderItem]
    words: dict[str, Words]
    edition: Words
    draft_stamp: str | None
    # Discreet leaflets: providers saved under a generic name because they
    # have no discreet_name of their own.
    generic_names: list[str] = field(default_factory=list)
    more: int = 0  # local providers continued on an enclosed sheet


def langs(lang: str) -> tuple[str, ...]:
    if lang not in LANGS:
        raise LayoutError(
            f"leaflet language '{lang}' is not known; use one of: "
            + ", ".join(LANGS))
    return LANGS[lang]


# The last line of the cover's tagline holds at least this many characters.
_TAIL = 10


def _no_runt(words: Words) -> Words:
    """The cover's lines end with two words or more, and at least _TAIL
    characters: a last word alone ("Bạn có thể đề nghị giữ bí / mật.")
    reads as a broken sentence, and a Vietnamese word is often two
    syllables, so two alone ("giữ / bí mật.") are still one word."""
    def bind(text: str) -> str:
        words = text.split(" ")
        tail = 2
        # At most three bound, so that the line before keeps some words.
        while tail < min(3, len(words) - 1) and len(
                " ".join(words[-tail:])) < _TAIL:
            tail += 1
        if len(words) <= tail:
            return text
        return " ".join(words[:-tail]) + " " + "\u00a0".join(words[-tail:])
    return Words(bind(words.main), bind(words.second))


def _pair(values: list[str]) -> Words:
    main = values[0]
    second = values[1] if len(values) > 1 and values[1] != main else ""
    return Words(main, second)


def compose(selection: Selection, layouts, layout: dict, provinces: tuple[str, ...],
            place: Text, lang: str, qr_discreet: bool = False) -> Leaflet:
    """The leaflet for `provinces` (one, or the provinces of an area) from
    the entries `selection` allows."""
    content = selection.content
    order = langs(lang)
    strings = {code: layouts.strings(code) for code in order}
    own = layout.get("words", {})

    def text(t: Text | None) -> Words:
        return _pair([pick(t, code)[0] for code in order]) if t else Words("")

    def label(key: str, **values) -> Words:
        # Without values a wording keeps its {placeholders} for the renderer.
        return _pair([own[code][key].format(**values) if values else own[code][key]
                      for code in order])

    def string(key: str, *path: str) -> Words:
        out = []
        for code in order:
            value = strings[code][key]
            for step in path:
                value = value[step]
            out.append(value)
        return _pair(out)

    place_words = text(place)
    local_entries: list[Entry] = []
    for entry in selection.entries:
        p = entry.provider
        if not p.is_national and any(p.covers(c) for c in provinces):
            local_entries.append(entry)
    national_entries = selection.entries_for(None)
    qr = layout.get("qr", {})
    kind = qr.get("payload", "vcard")
    discreet = bool(qr.get("discreet")) or qr_discreet
    base = content.document.settings.qr_base_url
    cats = int(layout.get("blocks", {}).get("max_categories", 4))
    items = {}
    for entry in local_entries + national_entries:
        views = [view(entry, content, strings[code], code) for code in order]
        items[entry.provider.id] = _item(
            entry, views, content, strings, order, kind if qr.get("show", True)
            else None, discreet, base, cats, selection.edition.draft,
            own[order[0]], show_place=len(provinces) > 1)
    key = order[0]

    def ordered(entries: list[Entry]) -> list[ProviderItem]:
        chosen = [items[e.provider.id] for e in entries]
        return sorted(chosen, key=lambda i: (sort_key(i.place.main, key),
                                             sort_key(i.name.main, key)))

    local, national = ordered(local_entries), ordered(national_entries)
    generic = []
    if discreet:
        # A discreet code must not save a shelter under its real name: one
        # without a discreet_name is saved as "Hỗ trợ 1", "Hỗ trợ 2" ... in
        # the order the leaflet prints them.
        for item in local + national:
            if item.contact is None or item.contact.discreet_name:
                continue
            name = own[key]["discreet"].format(n=len(generic) + 1)
            item.contact = replace(item.contact, discreet_name=name)
            item.payload = payload(kind, item.contact, True, base)
            item.fallbacks = fallbacks(kind, item.contact, item.payload, True)
            if item.payload is not None:
                # Only a code saves a name: one with nothing to dial gets no
                # code and takes no number.
                generic.append(item.id)

    doc = content.document
    hotlines = [HotlineItem(
        number=shown_number(h.number), tel=tel_uri(h.number), name=text(h.name),
        cost=string("cost", h.cost.value), cost_code=h.cost.value,
        hours=_pair([format_hours(h.hours, strings[c], c) for c in order]))
        for h in doc.hotlines]
    date = doc.settings.edition_date
    return Leaflet(
        lang=lang, place=place_words, provinces=provinces,
        cover=text(doc.leaflet_cover), tagline=_no_runt(text(doc.leaflet_tagline)),
        hotlines=hotlines, local=local, national=national,
        words={**{k: label(k) for k in own.get(order[0], {})
                  if k not in ("local", "continued", "edition", "page")},
               **{k: _pair([own[c][k].format(place=pick(place, c)[0])
                            for c in order]) for k in ("local", "continued")}},
        edition=_pair([own[c]["edition"].format(date=format_date(date, strings[c]))
                       for c in order]),
        draft_stamp=strings[order[0]]["draft_stamp"]
        if selection.edition.draft else None, generic_names=generic)


def _item(entry: Entry, views: list[EntryView], content: Content, strings: dict,
          order: tuple[str, ...], kind: str | None, discreet: bool,
          base: str | None, max_categories: int, draft: bool, own: dict,
          show_place: bool) -> ProviderItem:
    first = views[0]
    categories = []
    for i, service in enumerate(first.services):
        if any(service.icon == icon and service.category_short == w.main
               for icon, w in categories):
            continue
        categories.append((service.icon, _pair(
            [v.services[i].category_short for v in views])))
    more_categories = max(0, len(categories) - max_categories)
    categories = categories[:max_categories]
    shown_hours = [v.hours or (v.phones[0].hours if v.phones else "")
                   for v in views]
    hours = _pair(shown_hours)
    # Under each number: its cost, its own hours where they are not the
    # ones printed for the whole provider, and whether it is a hotline (a
    # 24/7 hotline under office hours would seem to close at five).
    phones = [PhoneItem(
        number=ph.number, tel=ph.tel,
        label=_pair([v.phones[i].label.text for v in views]),
        cost=_pair(["\u00a0· ".join(filter(None, (
            v.phones[i].cost,
            v.phones[i].hours if v.phones[i].hours != shown else "",
            strings[code]["hotline"] if v.phones[i].hotline else "")))
            for v, code, shown in zip(views, order, shown_hours, strict=True)]),
        cost_code=ph.cost_code,
        caution=_pair([v.phones[i].caution for v in views]) if ph.caution else None)
        for i, ph in enumerate(first.phones)]
    reach = None
    if not first.phones and not first.website:
        # Nowhere to call or visit: tell the reader how to get in touch.
        reach = _pair([v.how_to_reach.text or strings[code]["how_to_reach_default"]
                       for v, code in zip(views, order, strict=True)])
    contact = Contact(
        id=first.id, name=first.short_name.text,
        # The view falls back to the real short name; a discreet code must
        # not, so only a discreet_name the provider file gives counts.
        discreet_name=first.discreet_name.text if entry.provider.discreet_name
        else "",
        phones=tuple(ph.number for ph in first.phones),
        address=first.address.text if not entry.address_withheld else "",
        website=first.website, hours=hours.main)
    data = payload(kind, contact, discreet, base) if kind else None
    marks = ""
    if draft:
        marks = " · ".join(x for x in (
            (own["refused"] if first.consent_refused else own["unconfirmed"])
            if first.consent_pending else "",
            "" if first.verified else own["unverified"]) if x)
    province = content.province(entry.provider.province or "")
    place = _pair([pick(province.short_name, c)[0] for c in order]) if (
        show_place and province) else Words("")
    return ProviderItem(
        id=first.id, name=_pair([v.short_name.text for v in views]),
        place=place, categories=categories, phones=phones, hours=hours,
        more_categories=more_categories, website=first.website,
        how_to_reach=reach, payload=data, marks=marks,
        contact=contact if kind else None,
        fallbacks=fallbacks(kind, contact, data, discreet) if kind else ())


def fallbacks(kind: str, contact: Contact, data: bytes | None,
              discreet: bool) -> tuple[bytes, ...]:
    """What a vCard code may shrink to, shortest last, each shorter than
    the one before: the name and numbers alone, then a tel: code calling the
    first number. A contact with no number to call already has the shortest
    code, its website; tel: and URL codes have nothing shorter to offer."""
    if kind != "vcard" or data is None or not dialled(contact):
        return ()
    bare = replace(contact, address="", website="", hours="")
    shorter = (vcard(bare, discreet), tel(contact))
    found: list[bytes] = []
    for option in shorter:
        if option and len(option) < len(found[-1] if found else data):
            found.append(option)
    return tuple(found)
