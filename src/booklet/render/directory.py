"""Typeset a composed directory (compose/directory.Book) as one PDF with
ReportLab platypus, in a single pass."""

from __future__ import annotations

import contextlib
import io
import logging

from reportlab import rl_config
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
)
from reportlab.platypus.doctemplate import LayoutError as RLLayoutError

from booklet.compose.directory import Book, Heading, Note
from booklet.errors import FitError
from booklet.layouts import length
from booklet.render.flowables import (
    Anchor,
    Hanging,
    Leader,
    Nothing,
    Typesetter,
    esc,
    icon_forms,
    styles,
)
from booklet.render.fonts import canvas_options, face_name
from booklet.render.lines import Lines
from booklet.render.page import (
    Geometry,
    colour,
    crop_marks,
    draft_stamp,
    draw_icon,
)

log = logging.getLogger(__name__)

KINDS = ("cover", "plain", "body", "index", "blank", "back")


class SetKind(ActionFlowable):
    """Which kind of page the next page is (cover, body, index ...)."""

    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def apply(self, doc):
        doc.kind = self.kind


class Pad(ActionFlowable):
    """Blank pages so that the page count, with the back cover that follows,
    is a multiple of `pad_to`: saddle stitching folds sheets of 4 pages."""

    def __init__(self, pad_to: int):
        super().__init__()
        self.pad_to = pad_to

    def apply(self, doc):
        blanks = (-(doc.page + 1)) % self.pad_to
        doc.pad = blanks
        extra = []
        for _ in range(blanks):
            extra += [SetKind("blank"), PageBreak(), Nothing()]
        doc.pending[0:0] = extra


class RectoBreak(ActionFlowable):
    """A page break to the next right-hand page, leaving a blank left-hand
    one when needed: the parts of a printed book open on the right."""

    def apply(self, doc):
        extra: list = [PageBreak()]
        if (doc.page + 1) % 2 == 0:  # the next page would be a left-hand one
            extra = [SetKind("blank"), PageBreak(), Nothing(), SetKind(doc.kind),
                     PageBreak()]
        doc.pending[0:0] = extra


class _KeepTogether(KeepTogether):
    """ReportLab's measure of a keep-with-next group leaves out the space
    before its flowables, which the frame then adds: a heading and an entry's
    name could end a page by that much, their first line on the next. Counted
    here, the whole group moves on instead."""

    def wrap(self, aW, aH):
        size = super().wrap(aW, aH)
        self._H += sum(f.getSpaceBefore() for f in self._content)
        return size


# The smallest type a page's marking is set in before it takes two lines.
_MARKING_FLOOR = 5.5


def _fitted(text: str, font: str, size: float, room: float
            ) -> list[tuple[str, float]]:
    """`text` as lines, bottom first, each with the size that fits `room`:
    one line at `size`, or smaller, or two lines split between its parts."""
    width = stringWidth(text, font, size)
    if width <= room:
        return [(text, size)]
    if size * room / width >= _MARKING_FLOOR:
        return [(text, size * room / width)]
    parts = text.split(" · ")
    half = max(1, len(parts) // 2)
    lines = [line for line in (" · ".join(parts[:half]), " · ".join(parts[half:]))
             if line]
    small = min(size, *(size * room / stringWidth(line, font, size)
                        for line in lines))
    if small < _MARKING_FLOOR:
        # Never smaller than the floor: wrapped to as many lines as it takes.
        small = _MARKING_FLOOR
        lines = simpleSplit(text, font, small, room)
    return [(line, small) for line in reversed(lines)]


class DirectoryDoc(BaseDocTemplate):
    """Page templates by kind and side; records pages, bookmarks and running
    heads as anchors are drawn."""

    def __init__(self, out, book: Book, geometry: Geometry, styles: dict,
                 colours: dict, print_: bool):
        self.book, self.g, self.styles, self.colours = book, geometry, styles, colours
        self.print_ = print_
        self.kind = self.page_kind = "cover"
        self.pages: dict[str, int] = {}
        self.running = ""
        self.page_head = ""
        self.page_fresh = True
        self.pad = 0
        self.pending: list = []
        boxes = ({"trimBox": geometry.trim_box, "bleedBox": geometry.bleed_box}
                 if print_ else {})
        family = book.layout["family"]
        super().__init__(
            out, pagesize=geometry.media,
            title=" – ".join(filter(None, (book.title, book.marking))),
            subject=book.subject,
            author=book.publisher,
            creator="booklet", lang=book.lang, displayDocTitle=1,
            keepTogetherClass=_KeepTogether,
            **boxes, **canvas_options(family))
        self.family = family
        templates = []
        for kind in KINDS:
            for recto in (True, False):
                templates.append(PageTemplate(
                    id=f"{kind}-{'r' if recto else 'l'}",
                    frames=self._frames(kind, recto), onPage=self._on_page,
                    onPageEnd=self._on_page_end, pagesize=geometry.media))
        self.addPageTemplates(templates)
        self._templates = {t.id: t for t in templates}

    def _frames(self, kind: str, recto: bool) -> list[Frame]:
        x, y, w, h = self.g.text_area(recto)
        pad = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        if kind == "index":
            cols = int(self.book.layout["page"].get("index_columns", 1))
            gap = length(self.book.layout["page"].get("column_gap", "6mm"))
            cw = (w - gap * (cols - 1)) / cols
            return [Frame(x + i * (cw + gap), y, cw, h, id=f"col{i}", **pad)
                    for i in range(cols)]
        if kind == "cover":
            return [Frame(x, y + h * 0.22, w, h * 0.72, id="cover", **pad)]
        if kind == "back":
            return [Frame(x, y, w, h * 0.8, id="back", **pad)]
        return [Frame(x, y, w, h, id="body", **pad)]

    # Page furniture -----------------------------------------------------
    def handle_pageBegin(self):
        side = "r" if (self.page + 1) % 2 else "l"
        self.pageTemplate = self._templates[f"{self.kind}-{side}"]
        self.page_kind = self.kind
        self.page_head, self.page_fresh = self.running, True
        super().handle_pageBegin()

    def _on_page(self, canv, doc):
        c, g = self.colours, self.g
        if self.page_kind == "cover":
            self._cover(canv)
        if self.page_kind == "back":
            canv.saveState()
            canv.setFillColor(c["accent_light"])
            x0, y0, x1, y1 = g.bleed_box
            canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
            canv.restoreState()
        if self.book.draft:
            draft_stamp(canv, g, self.book.strings["draft_stamp"],
                        face_name(self.family, "bold"),
                        self.book.layout["type"]["stamp"], c["stamp"])

    def _cover(self, canv):
        """Full-bleed colour, and a row of the service icons above a light
        band at the foot of the cover."""
        c, g = self.colours, self.g
        x0, y0, x1, y1 = g.bleed_box
        canv.saveState()
        canv.setFillColor(c["accent"])
        canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=0, fill=1)
        band = g.off + g.trim_h * 0.2
        canv.setFillColor(c["accent_light"])
        canv.rect(x0, y0, x1 - x0, band - y0, stroke=0, fill=1)
        x, _, w, _ = g.text_area(True)
        icons = list(dict.fromkeys(self.book.icons))
        size = min(w / (len(icons) * 1.6), 28) if icons else 0
        for i, name in enumerate(icons):
            draw_icon(canv, name, x + i * size * 1.6, band + size * 0.9, size,
                      c["on_accent"], c["accent"])
        canv.restoreState()

    def _on_page_end(self, canv, doc):
        g, c, t = self.g, self.colours, self.book.layout["type"]
        recto = self.page % 2 == 1
        if self.page_kind in ("body", "index"):
            x, _, w, _ = g.text_area(recto)
            top = g.off + g.trim_h - g.head
            canv.saveState()
            canv.setFillColor(c["muted"])
            canv.setFont(face_name(self.family, "bold"), t["head"])
            # As in a dictionary: a left page is headed by the province it
            # opens with, a right page by the one it ends with, so that the
            # open spread shows the range it covers.
            head = (self.running if recto else self.page_head) or self.book.title
            if recto:
                canv.drawRightString(x + w, top, head)
            else:
                canv.drawString(x, top, head)
            canv.setStrokeColor(c["rule"])
            canv.setLineWidth(0.3)
            canv.line(x, top - t["head"] * 0.6, x + w, top - t["head"] * 0.6)
            canv.setFillColor(c["text"])
            canv.setFont(self.family, t["folio"])
            base = g.off + g.folio
            if recto:
                canv.drawRightString(x + w, base, str(self.page))
            else:
                canv.drawString(x, base, str(self.page))
            canv.restoreState()
        if self.book.marking:
            # Every page, covers included, says who the edition is for and
            # what it holds: a page taken out of a caseworker copy must not
            # pass as public, nor one of a province's edition as the whole.
            canv.saveState()
            canv.setFillColor(c["text"])
            font = face_name(self.family, "bold")
            cx = g.off + g.trim_w / 2
            x, _, w, _ = g.text_area(recto)
            # Clear of the folio, whichever side it is on.
            room = 2 * (min(cx - x, x + w - cx)
                        - stringWidth("0000", self.family, t["folio"]))
            lines = _fitted(self.book.marking, font, t["folio"], room)
            # Top line first, so that copied text reads in order.
            for i, (line, size) in reversed(list(enumerate(lines))):
                canv.setFont(font, size)
                canv.drawCentredString(cx, g.off + g.folio + i * size * 1.2, line)
            canv.restoreState()
        if self.print_:
            crop_marks(canv, g, c["rule"])

    # Flowables ----------------------------------------------------------
    def handle_flowable(self, flowables):
        self.pending = flowables
        first = flowables[0] if flowables else None
        try:
            super().handle_flowable(flowables)
        except RLLayoutError as exc:
            who = getattr(first, "provider", "") or getattr(
                getattr(first, "_content", [None])[0], "provider", "")
            where = f"provider {who}" if who else f"page {self.page}"
            raise FitError(
                f"{where}: cannot be typeset on a {self.pageTemplate.id} page: "
                f"{exc}. Shorten the text or split it into paragraphs") from exc

    def afterFlowable(self, flowable):
        if isinstance(flowable, Anchor):
            if flowable.dest and flowable.dest not in self.pages:
                self.pages[flowable.dest] = self.page
                self.canv.bookmarkHorizontalAbsolute(
                    flowable.dest, self.frame._y + 24)
                if flowable.outline:
                    # A bookmark is one line, whatever breaks the name has.
                    self.canv.addOutlineEntry(" ".join(flowable.outline.split()),
                                              flowable.dest,
                                              flowable.level,
                                              closed=flowable.level >= 1)
            if flowable.running:
                self.running = flowable.running
                if self.page_fresh:
                    self.page_head = flowable.running
        elif isinstance(flowable, (Paragraph, Lines, Hanging, Leader)):
            # The running head names what the page opens with: the last
            # heading anchor before the first printed line of the page.
            self.page_fresh = False

    def page_forms(self) -> None:
        """Fill in the page numbers of the contents, now that pages are known.
        Only the contents uses forms; the index follows the pages it lists."""
        t = self.book.layout["type"]
        listed = {dest for _, dest, _ in toc_lines(self.book)}
        for dest, page in self.pages.items():
            if dest not in listed:
                continue
            self.canv.beginForm(f"pg_{dest}", lowerx=-60, lowery=-4, upperx=2,
                                uppery=t["toc"] + 4)
            self.canv.setFillColor(self.colours["text"])
            self.canv.setFont(self.family, t["toc"])
            self.canv.drawRightString(0, 0, str(page))
            self.canv.endForm()

    def _endBuild(self):
        self._doSave = 0
        super()._endBuild()
        self.page_forms()
        icon_forms(self.canv)
        self.canv.save()

    def handle_documentBegin(self):
        super().handle_documentBegin()
        # Open with the bookmarks panel (PageMode /UseOutlines).
        self.canv.showOutline()


class _Deferred(ActionFlowable):
    """Insert the flowables `make(doc)` returns when this point is reached."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def apply(self, doc):
        doc.pending[0:0] = self.make(doc)


def _part2_chunks(book: Book, ts: Typesetter, print_: bool, size: int = 24
                  ) -> list:
    """Part 2 as makers of a few entries' flowables each, expanded only when
    the build reaches them: a directory of thousands of entries then never
    holds every paragraph in memory at once. A chunk ends only after an
    entry, never between a heading and what it keeps with."""
    chunks: list[list] = [[]]
    previous, count = None, 0
    for item in book.part2:
        if previous == "entry" and (isinstance(item, Heading) or count >= size):
            chunks.append([])
            count = 0
        chunks[-1].append(item)
        if isinstance(item, Heading):
            previous = item.kind
        else:
            previous, count = "entry", count + 1

    def expand(items: list, before: str | None):
        def make(doc) -> list:
            out: list = []
            previous = before
            for item in items:
                if isinstance(item, Heading):
                    # Each region opens a page, unless it follows the Part 2
                    # title.
                    if item.kind == "part":
                        out.append(RectoBreak() if print_ else PageBreak())
                    elif item.kind == "region" and previous != "part":
                        out.append(PageBreak())
                    out += ts.heading(item)
                elif isinstance(item, Note):
                    out.append(ts.para(item.markup, "body"))
                else:
                    out += ts.entry(item, previous != "entry")
                previous = item.kind if isinstance(item, Heading) else "entry"
            return out
        return make

    makers, before = [], None
    for items in chunks:
        makers.append(expand(items, before))
        before = "entry" if items and not isinstance(items[-1], Heading) else (
            items[-1].kind if items else before)
    return makers


def toc_lines(book: Book) -> list[tuple[str, str, int]]:
    """Contents: Part 1 sections, national services, regions and provinces,
    and the indexes, each with the anchor that gives its page."""
    w = book.words
    lines = [(f"{w['part1']}. {w['part1_title']}", "part1", 0)]
    lines += [(b.attrs["outline"], b.attrs["dest"], 1) for b in book.part1
              if b.kind == "h1" and b.attrs.get("dest")]
    for item in book.part2:
        if isinstance(item, Heading):
            if item.kind == "part":
                lines.append((f"{item.kicker}. {item.title}", item.dest, 0))
            elif item.kind in ("national", "region"):
                lines.append((item.title, item.dest, 0))
            else:
                lines.append((item.title, item.dest, 1))
    lines += [(w["index_categories"], "index-categories", 0),
              (w["index_alpha"], "index-alpha", 0)]
    return lines


def render(book: Book, print_: bool) -> tuple[bytes, int, int]:
    """The directory PDF, its page count and the blank pages added."""
    where = (f"layouts/{book.layout_name}.yaml" if book.layout_name
             else f"layouts ({'print' if print_ else 'screen'})")
    g = Geometry.from_layout(book.layout, where)
    c = {k: colour(v, f"{where} colours.{k}")
         for k, v in book.layout["colours"].items()}
    st = styles(book)
    ts = Typesetter(book, st, c, links=not print_)
    w = book.words
    story: list = ts.blocks(book.cover)
    story += [SetKind("plain"), PageBreak()]
    story += ts.blocks(book.inside_cover)
    story += [SetKind("body"), PageBreak()]
    story += ts.contents(toc_lines(book))
    # In print, Part 1, Part 2 and the indexes open on a right-hand page.
    opening = RectoBreak if print_ else PageBreak
    story += [opening(),
              Anchor("part1", f"{w['part1']}. {w['part1_title']}", 0,
                     running=w["part1_title"]),
              ts.para(esc(w["part1"]), "part_kicker"),
              ts.para(esc(w["part1_title"]), "part")]
    story += ts.blocks(book.part1)
    story += [_Deferred(chunk) for chunk in _part2_chunks(book, ts, print_)]
    story += [SetKind("index"), opening(),
              _Deferred(lambda doc: ts.index(doc.pages))]
    pad_to = int(book.layout["page"].get("pad_to", 1))
    if pad_to > 1:
        story.append(Pad(pad_to))
    story += [SetKind("back"), PageBreak()]
    story += ts.blocks(book.back)
    out = io.BytesIO()
    doc = DirectoryDoc(out, book, g, st, c, print_)
    with _binary_streams():
        doc.build(story)
    return out.getvalue(), doc.page, doc.pad



@contextlib.contextmanager
def _binary_streams():
    """Streams compressed without the ASCII85 layer ReportLab adds by default:
    it makes every stream a quarter larger and costs time, and a PDF is a
    binary file anyway (PDF 32000-1 7.2.2)."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before
