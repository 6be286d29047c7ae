"""The full directory as words: cover, Part 1, Part 2 entries and indexes,
each as blocks of paragraph markup from the directory templates."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass, field

import jinja2

from booklet.compose.entry import (
    EntryView,
    Line,
    also_serves,
    care_known,
    short_shown,
    view,
)
from booklet.compose.outline import outline
from booklet.compose.text import (
    edition_marking,
    format_date,
    format_hours,
    pick,
    shown_number,
    sort_key,
    tel_uri,
    web_link,
)
from booklet.errors import FitError, LayoutError
from booklet.layouts import Layouts
from booklet.select import Entry, Selection

log = logging.getLogger(__name__)

NBSP = "\u00a0"
_BLOCK = re.compile(r"<block\s*([^>]*)>(.*?)</block>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Block:
    """One paragraph (or icon row) to typeset: `kind` names its style."""

    kind: str
    markup: str
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class EntryBlocks:
    """One provider entry under one heading of Part 2."""

    id: str
    dest: str
    blocks: list[Block]
    view: EntryView


@dataclass
class Heading:
    """A region or province heading; `running` is the running-head text."""

    kind: str  # part, national, region or province
    title: str
    dest: str
    level: int
    running: str
    kicker: str = ""


@dataclass
class Note:
    """A line of Part 2 under a heading that has no entries."""

    markup: str


@dataclass
class IndexLine:
    markup: str
    dest: str
    sort: tuple
    other: bool = False


@dataclass
class Book:
    """Everything the directory prints, in one language, ready to typeset."""

    lang: str
    layout: dict
    words: dict
    strings: dict
    colours: dict[str, str]
    cover: list[Block]
    inside_cover: list[Block]
    part1: list[Block]
    part2: list[Heading | EntryBlocks | Note]
    index_categories: list[tuple[str, str, list[IndexLine]]]
    index_alpha: list[IndexLine]
    title: str
    subject: str
    publisher: str
    back: list[Block]
    draft: bool
    # Said on every page and in the title: who the edition is for.
    marking: str = ""
    layout_name: str = ""  # the file under layouts/, for messages
    icons: list[str] = field(default_factory=list)
    hotlines: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# Template white space: no-break spaces are not part of it.
_FOLD = re.compile(r"[ \t\r\n]+")


def parse_blocks(text: str) -> list[Block]:
    """The <block> elements of rendered template text, in order."""
    # Template line breaks and indents fold into single spaces; no-break
    # spaces (nobr: phone numbers, fees) are not white space to fold.
    return [Block(m.group(1) and _attrs(m.group(1)).get("k", "p"),
                  _FOLD.sub(" ", m.group(2)).strip(" "), _attrs(m.group(1)))
            for m in _BLOCK.finditer(text)]


def _attrs(text: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(text)}


def nobr(value: object) -> str:
    """Spaces made non-breaking, so a phone number or name stays on one line."""
    return str(value).replace(" ", NBSP)


def colour_markup(spec: object, where: str) -> str:
    """A layout colour (a CMYK list or '#rrggbb') as paragraph markup."""
    if isinstance(spec, list) and len(spec) == 4:
        return "cmyk(" + ",".join(str(float(v)) for v in spec) + ")"
    if isinstance(spec, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", spec):
        return spec
    raise LayoutError(
        f"{where}: colour {spec!r} is neither a CMYK list [c, m, y, k] nor "
        "'#rrggbb'")


class _Templates:
    """The directory templates, compiled once per build."""

    def __init__(self, layouts: Layouts):
        layouts.env.filters.setdefault("nobr", nobr)
        layouts.env.filters.setdefault("tel", tel_uri)
        layouts.env.filters.setdefault("web", web_link)
        self.get = {name: layouts.template(f"directory/{name}.xml.j2")
                    for name in ("entry", "cover", "inside_cover", "guidance",
                                 "hotlines", "legend", "back")}

    def blocks(self, name: str, **context) -> list[Block]:
        return parse_blocks(self.get[name].render(**context))


def compose(selection: Selection, layouts: Layouts, layout_name: str,
            lang: str) -> Book:
    """The directory of `selection` in `lang` for the layout `layout_name`."""
    layout = layouts.get(layout_name)
    strings = layouts.strings(lang)
    words = layout["words"][lang]
    content = selection.content
    doc = content.document
    edition = selection.edition
    colours = {name: colour_markup(value, f"layouts/{layout_name}.yaml colours")
               for name, value in layout["colours"].items()}
    templates = _Templates(layouts)
    base = dict(s=strings, w=words, c=colours, z=layout["type"],
                links=layout.get("medium") == "screen", draft=edition.draft)
    title = pick(doc.title, lang)[0]
    edition_date = format_date(doc.settings.edition_date, strings)
    publisher = pick(doc.publisher, lang)[0]
    subtitle = pick(doc.subtitle, lang)[0]
    verified = [e.verified_on for e in selection.entries
                if e.verified and e.verified_on]
    last = (format_date(max(verified), strings) if verified
            else words["not_verified_yet"])
    scope = _scope(selection, lang, compact=False)
    cover_scope = strings["edition_scope"].format(what=scope) if scope else ""
    # The foot of a page and the title bar have room for a short form.
    short = _scope(selection, lang, compact=True)
    scope_line = strings["edition_scope"].format(what=short) if short else ""
    cover = templates.blocks("cover", **base, title=title, subtitle=subtitle,
                             publisher=publisher, edition_date=edition_date,
                             scope=cover_scope)
    inside = templates.blocks(
        "inside_cover", **base, title=title, publisher=publisher,
        edition_date=edition_date, last_verified=last,
        disclaimer=pick(doc.disclaimer, lang)[0])
    hotlines = _hotlines(selection, strings, lang)
    part1 = _part1(selection, templates, base, strings, words, lang,
                   layout["care_order"])
    marking = edition_marking(edition, strings)
    # A narrowed edition says so on its cover, in its metadata and at the
    # foot of every page: printed, it would pass for the whole directory.
    page_marking = " · ".join(filter(None, (
        edition_marking(edition, strings, "page"), scope_line)))
    book = Book(
        lang=lang, layout=layout, words=words, strings=strings, colours=colours,
        cover=cover, inside_cover=inside, part1=part1, part2=[],
        index_categories=[], index_alpha=[], title=title,
        subject=" – ".join(filter(None, (subtitle or title, marking, scope_line))),
        publisher=publisher, draft=edition.draft,
        marking=page_marking, layout_name=layout_name,
        back=templates.blocks("back", **base, hotlines=hotlines,
                              publisher=publisher, edition_date=edition_date),
        hotlines=hotlines)
    _part2(book, selection, templates, base, lang)
    return book


def _scope(selection: Selection, lang: str, compact: bool) -> str:
    """What a narrowed edition holds, in words: its region or area by name,
    or its provinces, and its kinds of service; empty for the whole
    directory. `compact`: short names, and at most three of each."""
    content, edition = selection.content, selection.edition

    def listed(names: list[str]) -> str:
        if compact and len(names) > 3:
            return ", ".join(names[:3]) + f" +{len(names) - 3}"
        return ", ".join(names)

    parts = []
    if edition.provinces is not None:
        codes = set(edition.provinces)
        group = next((g for g in (*content.regions, *content.areas)
                      if set(g.provinces) == codes), None)
        names = [pick(content.province(code).short_name, lang)[0]
                 for code in edition.provinces]
        parts.append(pick(group.name, lang)[0] if group else listed(names))
    if edition.categories:
        categories = [content.category(code) for code in edition.categories]
        parts.append(listed([pick(c.short if compact else c.name, lang)[0]
                             for c in categories]))
    return " · ".join(parts)


def _hotlines(selection: Selection, strings: dict, lang: str) -> list[dict]:
    out = []
    for h in selection.content.document.hotlines:
        name, fell = pick(h.name, lang)
        note, note_fell = pick(h.note, lang)
        out.append({"number": shown_number(h.number), "tel": tel_uri(h.number),
                    "name": Line(name, fell),
                    "cost": strings["cost"][h.cost.value],
                    "hours": format_hours(h.hours, strings, lang),
                    "note": Line(note, note_fell)})
    return out


def _part1(selection: Selection, templates: _Templates, base: dict,
           strings: dict, words: dict, lang: str,
           care_order: list[str]) -> list[Block]:
    content = selection.content
    sections = []
    for section in content.guidance.sections:
        title, fell = pick(section.title, lang)
        sections.append({
            "dest": f"s-{section.id}", "title": Line(title, fell),
            "body": [Line(*pick(para, lang)) for para in section.body]})
    blocks = templates.blocks("guidance", **base, sections=sections)
    blocks += templates.blocks("hotlines", **base,
                               hotlines=_hotlines(selection, strings, lang))
    blocks += templates.blocks(
        "legend", **base,
        categories=[{"icon": c.icon, "name": pick(c.name, lang)[0],
                     "short": pick(c.short, lang)[0]}
                    for c in content.categories],
        criteria=[{"abbreviation": r.abbreviation, "label": pick(r.label, lang)[0]}
                  for r in content.criteria],
        care=[(code, strings["care"][code], words["care_short"][code])
              for code in care_order],
        costs=list(strings["cost"].items()), fees=list(strings["fees"].items()),
        verified_example=strings["verified_on"].format(date=format_date(
            content.document.settings.edition_date, strings)))
    return blocks


def _part2(book: Book, selection: Selection, templates: _Templates, base: dict,
           lang: str) -> None:
    """Headings and entries in reading order, and the two indexes."""
    content = selection.content
    words, strings = book.words, book.strings
    scope = selection.edition.provinces
    # A narrowed edition names each province it covers, even one with no
    # local service, and says so: its reader asked about that province.
    plan = outline(selection, lang, empty_provinces=scope is not None,
                   provinces=list(scope) if scope is not None else None)
    by_category: dict[str, list[IndexLine]] = {}
    # Provider id -> its own province (None: national), and where it is
    # printed: (entry, heading title, province of the heading).
    home: dict[str, str | None] = {}
    printed: dict[str, list[tuple[EntryBlocks, str, str | None]]] = {}
    book.part2.append(Heading("part", words["part2_title"], "part2", 0,
                              words["part2_title"], kicker=words["part2"]))
    groups: list[tuple[Heading | None, Heading, list[Entry], str | None]] = []
    if plan.national:
        national = strings["national"]
        groups.append((None, Heading("national", national, "nat", 0, national),
                       plan.national, None))
    for region, province in plan.groups():
        region_heading = Heading("region", region.name, f"r-{region.region.code}",
                                 0, region.name)
        groups.append((region_heading, Heading(
            "province", province.name, f"p-{province.province.code}", 1,
            province.name, kicker=region.name), province.entries,
            province.province.code))
    seen_regions: set[str] = set()
    level_base = {None: 1}
    for region_heading, heading, entries, code in groups:
        if region_heading and region_heading.dest not in seen_regions:
            seen_regions.add(region_heading.dest)
            book.part2.append(region_heading)
        book.part2.append(heading)
        if not entries and code:
            # Narrowed to some services, the province may have others.
            key = ("no_local_kind" if selection.edition.categories
                   else "no_local" if plan.national else "no_local_alone")
            book.part2.append(Note(html.escape(words[key].format(
                province=heading.title))))
        level = level_base.get(code, 2)
        for entry in entries:
            item = _entry(entry, content, templates, base, strings, lang,
                          f"e-{code or 'nat'}-{entry.provider.id}", code,
                          heading.title)
            item.blocks[0].attrs.update(level=str(level),
                                        outline=item.view.name.text)
            book.part2.append(item)
            if entry.provider.id not in printed and item.view.fallbacks:
                book.warnings.append(
                    f"{entry.provider.id}: no {lang} text for "
                    + ", ".join(item.view.fallbacks)
                    + "; printed in the other language and marked")
            home[entry.provider.id] = (None if entry.provider.is_national
                                       else entry.provider.province)
            printed.setdefault(entry.provider.id, []).append(
                (item, heading.title, code))
    for pid, places in printed.items():
        # The index points to the entry under the provider's own province
        # (or the national section), and names the section it points to.
        item, title, _ = next(
            (p for p in places if p[2] == home[pid]), places[0])
        _index(book, item, title, by_category, lang)
    for category in content.categories:
        lines = by_category.get(category.code)
        if lines:
            book.index_categories.append((
                category.icon, pick(category.name, lang)[0],
                sorted(lines, key=lambda line: line.sort)))
    book.index_alpha.sort(key=lambda line: line.sort)
    book.icons = [c.icon for c in content.categories]


def _index(book: Book, item: EntryBlocks, where: str,
           by_category: dict[str, list[IndexLine]], lang: str) -> None:
    esc = html.escape
    name = item.view.name.text
    muted = book.colours["muted"]
    shown = f"<i>{esc(name)}</i>" if item.view.name.fallback else esc(name)
    # The dot keeps to the name: a line never opens with it.
    markup = f'{shown}\u00a0<font color="{muted}">· {esc(nobr(where))}</font>'
    key = sort_key(name, lang)
    book.index_alpha.append(IndexLine(markup, item.dest, key))
    other = item.view.other_name
    if other:
        book.index_alpha.append(IndexLine(
            f"<i>{esc(other)}</i>", item.dest, sort_key(other, lang), other=True))
    for code in item.view.categories:
        by_category.setdefault(code, []).append(IndexLine(markup, item.dest, key))


def _entry(entry: Entry, content, templates: _Templates, base: dict,
           strings: dict, lang: str, dest: str, code: str | None,
           province: str) -> EntryBlocks:
    """One entry's blocks; an entry that cannot be worded stops the build
    with its provider id, never silently disappears."""
    provider = entry.provider
    try:
        v = view(entry, content, strings, lang)
        short = short_shown(v)
        also = also_serves(provider, content, code, lang)
        care = ";".join(f"{c['code']}:{c['answer']}" for c in care_known(v))
        blocks = templates.blocks("entry", **base, e=v, dest=dest, short=short,
                                  also=also, care=care)
    except (jinja2.TemplateError, KeyError, ValueError, AttributeError) as exc:
        raise FitError(
            f"provider {provider.id} ({content.provider_files.get(provider.id, '?')})"
            f" under {province}: the entry cannot be worded: {exc}") from exc
    for block in blocks:
        block.attrs["provider"] = provider.id
    return EntryBlocks(provider.id, dest, blocks, v)
