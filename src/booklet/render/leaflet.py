"""Draw a composed leaflet onto folded panels: tri-fold, A6 booklet or phone pages.

Geometry comes from the layout yaml: `kind: panels` (sides of one sheet cut
into panels by folds), `kind: booklet` (A6 pages imposed two to a folded A5
sheet) or `kind: pages` (one panel a page, as many pages as needed). Providers
flow through the panels named in `flow`; nothing is ever clipped: type shrinks
down to `fit.min_scale`, then (when `continuation.allowed`) the providers that
do not fit continue on enclosed A4 pages, and otherwise the build fails with
FitError.
"""

from __future__ import annotations

import copy
import difflib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscent, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText

from booklet.compose.leaflet import HotlineItem, Leaflet, ProviderItem, Words
from booklet.compose.text import web_link
from booklet.errors import FitError, LayoutError, QRError
from booklet.layouts import length
from booklet.render import qr
from booklet.render.fonts import canvas_options, face_name, register
from booklet.render.lines import Lines, can_set, runs, tuple_tree

log = logging.getLogger(__name__)
MM = 72 / 25.4

# A piece of a panel: its height, and how to paint it with its top-left
# corner at (x, top).
Paint = Callable[[Canvas, float, float], None]


@dataclass
class Piece:
    height: float
    paint: Paint
    width: float = 0.0


@dataclass
class Panel:
    name: str
    role: str
    page: int
    x: float
    y: float
    width: float
    height: float
    left: float  # margins, points
    right: float
    top: float
    bottom: float
    contents: list[Piece] = field(default_factory=list)

    @property
    def inner_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass
class Sheet:
    """The pages of one leaflet, each a list of panels, all the same size."""

    width: float
    height: float
    pages: list[list[Panel]]
    # Page sizes where they differ from the sheet's: enclosed A4 pages.
    sizes: dict[int, tuple[float, float]] = field(default_factory=dict)

    def panels(self) -> list[Panel]:
        return [p for page in self.pages for p in page]

    def panel(self, name: str) -> Panel:
        return next(p for p in self.panels() if p.name == name)


# Geometry ------------------------------------------------------------------

def _margins(layout: dict) -> dict[str, float]:
    m = layout["margins"]
    return {k: length(m[k], f"margins.{k}") for k in ("trim", "fold", "top",
                                                        "bottom")}


def _needs(spec: object, key: str, where: str):
    """`spec[key]`, or a layout error naming where it is missing: a misspelt
    key in a copied layout stopped the build with an internal KeyError."""
    if not isinstance(spec, dict) or key not in spec:
        near = difflib.get_close_matches(key, list(spec) if isinstance(
            spec, dict) else [], n=1, cutoff=0.6)
        raise LayoutError(
            f"{where} has no '{key}'"
            + (f"; did you mean '{key}' for '{near[0]}'?" if near else ""))
    return spec[key]


def panel_sheet(layout: dict) -> Sheet:
    """Panels of a sheet folded into columns (`kind: panels`)."""
    m = _margins(layout)
    width = length(layout["sheet"]["width"])
    height = length(layout["sheet"]["height"])
    pages = []
    for index, side in enumerate(_needs(layout, "sides", "sides")):
        x, panels = 0.0, []
        specs = _needs(side, "panels", f"sides[{index}]")
        for i, spec in enumerate(specs):
            for key in ("name", "width", "role"):
                _needs(spec, key, f"sides[{index}].panels[{i}]")
            w = length(spec["width"], f"sides.{side['name']}.{spec['name']}.width")
            panels.append(Panel(
                spec["name"], spec["role"], index, x, 0.0, w, height,
                m["trim"] if i == 0 else m["fold"],
                m["trim"] if i == len(specs) - 1 else m["fold"],
                m["top"], m["bottom"]))
            x += w
        if abs(x - width) > 0.5:
            raise LayoutError(
                f"layout side '{side['name']}': panels add up to "
                f"{x / MM:.1f} mm but the sheet is {width / MM:.1f} mm wide")
        pages.append(panels)
    return Sheet(width, height, pages)


def booklet_sheet(layout: dict, sheets: int) -> Sheet:
    """A6 pages imposed on folded, nested sheets (`kind: booklet`).

    Reading page k of n sits, for sheet s counted from the outside, on the
    outside as [n - 2s | 2s + 1] and on the inside as [2s + 2 | n - 2s - 1],
    the usual imposition for a saddle-stitched booklet.
    """
    m = _margins(layout)
    pw = length(layout["page"]["width"])
    ph = length(layout["page"]["height"])
    n = 4 * sheets
    pages = []
    for s in range(sheets):
        for left, right in ((n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)):
            pages.append([
                Panel(f"page {left}", _booklet_role(left, n), len(pages), 0.0, 0.0,
                      pw, ph, m["trim"], m["fold"], m["top"], m["bottom"]),
                Panel(f"page {right}", _booklet_role(right, n), len(pages), pw,
                      0.0, pw, ph, m["fold"], m["trim"], m["top"], m["bottom"])])
    return Sheet(2 * pw, ph, pages)


def _booklet_role(page: int, pages: int) -> str:
    return {1: "cover", 2: "hotlines", pages: "back"}.get(page, "providers")


def booklet_flow(sheet: Sheet) -> list[str]:
    named = sorted(sheet.panels(), key=lambda p: int(p.name.split()[1]))
    return [p.name for p in named if p.role in ("providers", "back")]


def page_panel(layout: dict, name: str, role: str, index: int) -> Panel:
    m = _margins(layout)
    return Panel(name, role, index, 0.0, 0.0, length(layout["page"]["width"]),
                 length(layout["page"]["height"]), m["trim"], m["trim"],
                 m["top"], m["bottom"])


# Type ------------------------------------------------------------------------

class Styles:
    """Paragraph styles of one layout at one type scale."""

    def __init__(self, layout: dict, scale: float):
        self.layout = layout
        self.scale = scale
        self.family = layout.get("family", "sans")
        t = layout["type"]
        self.leading = float(t.get("leading", 1.2))
        self.second = float(t.get("secondary", 0.82))
        self.colours = {k: HexColor(v) for k, v in layout["colours"].items()}
        self.hex = dict(layout["colours"])
        self.floor = float(t.get("min_size", 0))
        self.sizes = {k: float(v) * scale for k, v in t.items()
                      if k not in ("leading", "secondary", "min_size")}
        self._made: dict[tuple, ParagraphStyle] = {}

    def style(self, size: str, colour: str = "ink", bold: bool = False,
              align: int = 0, factor: float = 1.0) -> ParagraphStyle:
        key = (size, colour, bold, align, factor)
        made = self._made.get(key)
        if made is None:
            points = max(self.sizes[size] * factor, self.floor)
            made = self._made[key] = ParagraphStyle(
                f"{size}-{colour}-{bold}-{align}-{factor}",
                fontName=face_name(self.family, "bold" if bold else "regular"),
                fontSize=points, leading=points * self.leading,
                textColor=self.colours[colour], alignment=align)
        return made

    def face(self, bold: bool = False) -> str:
        return face_name(self.family, "bold" if bold else "regular")


def para(markup: str, style: ParagraphStyle, width: float,
         frags: list | None = None) -> Piece:
    if frags is None:
        tree = tuple_tree(cleanBlockQuotedText(markup))
        frags = runs(tree, style) if tree is not None else None
    if frags is not None and can_set(style, frags):
        p = Lines(style, frags)
        w, h = p.wrap(width, 1e6)
        widths = p.line_widths()
    else:
        p = Paragraph(markup, style, frags=frags)
        w, h = p.wrap(width, 1e6)
        widths = p.getActualLineWidths0()

    def paint(c: Canvas, x: float, top: float) -> None:
        p.drawOn(c, x, top - h)
    return Piece(h, paint, max(widths or [w]))


# Placeholders for the values of a template macro: private-use characters,
# which no content uses (_plain) and the paragraph parser passes through.
_SLOTS = ("\ue000", "\ue001", "\ue002", "\ue003")
_ESCAPED = frozenset("&<>\"'" + "".join(_SLOTS))
# Text that ReportLab's whitespace cleaning (cleanBlockQuotedText) gives back
# unchanged: words of anything but its whitespace, one space between them.
# Its whitespace is Python's less the no-break space (a test checks every
# character of the Basic Multilingual Plane).
_WS = re.escape("".join(ch for ch in map(chr, range(0x10000))
                        if ch.isspace() and ch != "\u00a0"))
_CLEAN = re.compile(f"(?:[^{_WS}]+ )*[^{_WS}]+\\Z")


def _plain(value: str) -> bool:
    """Whether the parser would give `value` back as one unchanged fragment:
    ReportLab collapses and trims whitespace in paragraph text, and makes a
    fragment of each character reference (the template escapes & < > " ')."""
    return (isinstance(value, str) and (not value or _CLEAN.match(value) is not None)
            and not any(ch in value for ch in _ESCAPED))


def stack(pieces: list[Piece], gap: float = 0.0) -> Piece:
    pieces = [p for p in pieces if p is not None]
    height = sum(p.height for p in pieces) + gap * max(len(pieces) - 1, 0)

    def paint(c: Canvas, x: float, top: float) -> None:
        for piece in pieces:
            piece.paint(c, x, top)
            top -= piece.height + gap
    return Piece(height, paint, max((p.width for p in pieces), default=0.0))


def spacer(height: float) -> Piece:
    return Piece(height, lambda c, x, top: None)


# Icons: plain vector shapes in a square of side s with its lower left at
# (x, y); read without words by people who cannot read them. ---------------

def icon(c: Canvas, name: str, x: float, y: float, s: float, colour) -> None:
    c.saveState()
    c.setFillColor(colour)
    c.setStrokeColor(colour)
    c.setLineWidth(s * 0.09)
    c.setLineJoin(1)
    c.setLineCap(1)
    draw = _ICONS.get(name, _info)
    draw(c, x, y, s)
    c.restoreState()


def _home(c, x, y, s):
    p = c.beginPath()
    p.moveTo(x + s * 0.5, y + s * 0.95)
    p.lineTo(x + s * 0.98, y + s * 0.52)
    p.lineTo(x + s * 0.84, y + s * 0.52)
    p.lineTo(x + s * 0.84, y + s * 0.05)
    p.lineTo(x + s * 0.6, y + s * 0.05)
    p.lineTo(x + s * 0.6, y + s * 0.32)
    p.lineTo(x + s * 0.4, y + s * 0.32)
    p.lineTo(x + s * 0.4, y + s * 0.05)
    p.lineTo(x + s * 0.16, y + s * 0.05)
    p.lineTo(x + s * 0.16, y + s * 0.52)
    p.lineTo(x + s * 0.02, y + s * 0.52)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _medical(c, x, y, s):
    a, b = s * 0.34, s * 0.66
    c.rect(x + a, y + s * 0.04, b - a, s * 0.92, stroke=0, fill=1)
    c.rect(x + s * 0.04, y + a, s * 0.92, b - a, stroke=0, fill=1)


def _mind(c, x, y, s):
    # A speech bubble, as in the directory's legend: someone to talk to. (The
    # directory's heart means trauma-informed care; it must not mean two
    # things to someone holding both.)
    c.roundRect(x + s * 0.04, y + s * 0.3, s * 0.92, s * 0.62, s * 0.16,
                stroke=0, fill=1)
    p = c.beginPath()
    p.moveTo(x + s * 0.22, y + s * 0.34)
    p.lineTo(x + s * 0.14, y + s * 0.04)
    p.lineTo(x + s * 0.5, y + s * 0.34)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    for cx in (0.3, 0.5, 0.7):
        c.circle(x + s * cx, y + s * 0.61, s * 0.065, stroke=0, fill=1)


def _legal(c, x, y, s):
    # Scales of justice: post, beam and two pans.
    c.rect(x + s * 0.46, y + s * 0.12, s * 0.08, s * 0.78, stroke=0, fill=1)
    c.rect(x + s * 0.26, y + s * 0.04, s * 0.48, s * 0.1, stroke=0, fill=1)
    c.line(x + s * 0.12, y + s * 0.8, x + s * 0.88, y + s * 0.8)
    for cx in (0.18, 0.82):
        p = c.beginPath()
        p.moveTo(x + s * (cx - 0.17), y + s * 0.42)
        p.lineTo(x + s * (cx + 0.17), y + s * 0.42)
        p.lineTo(x + s * cx, y + s * 0.8)
        p.close()
        c.drawPath(p, stroke=1, fill=0)
        c.wedge(x + s * (cx - 0.17), y + s * 0.26, x + s * (cx + 0.17),
                y + s * 0.58, 180, 180, stroke=0, fill=1)


def _social(c, x, y, s):
    # Two people side by side.
    for cx, r, top in ((0.32, 0.15, 0.86), (0.7, 0.13, 0.78)):
        c.circle(x + s * cx, y + s * (top - r), s * r, stroke=0, fill=1)
        c.wedge(x + s * (cx - 0.26), y + s * 0.04 - s * 0.3,
                x + s * (cx + 0.26), y + s * (top - 2 * r - 0.04) + s * 0.04,
                0, 180, stroke=0, fill=1)


def _education(c, x, y, s):
    # An open book.
    for sign in (-1, 1):
        p = c.beginPath()
        p.moveTo(x + s * 0.5, y + s * 0.14)
        p.curveTo(x + s * (0.5 + sign * 0.2), y + s * 0.24,
                  x + s * (0.5 + sign * 0.36), y + s * 0.22,
                  x + s * (0.5 + sign * 0.48), y + s * 0.16)
        p.lineTo(x + s * (0.5 + sign * 0.48), y + s * 0.8)
        p.curveTo(x + s * (0.5 + sign * 0.36), y + s * 0.86,
                  x + s * (0.5 + sign * 0.2), y + s * 0.88,
                  x + s * 0.5, y + s * 0.78)
        p.close()
        c.drawPath(p, stroke=0, fill=1)
    c.setStrokeColorRGB(1, 1, 1)
    c.setLineWidth(s * 0.05)
    c.line(x + s * 0.5, y + s * 0.16, x + s * 0.5, y + s * 0.78)


def _work(c, x, y, s):
    # A briefcase.
    c.roundRect(x + s * 0.04, y + s * 0.1, s * 0.92, s * 0.6, s * 0.08,
                stroke=0, fill=1)
    c.roundRect(x + s * 0.34, y + s * 0.64, s * 0.32, s * 0.24, s * 0.06,
                stroke=1, fill=0)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x + s * 0.04, y + s * 0.42, s * 0.92, s * 0.04, stroke=0, fill=1)


def _phone(c, x, y, s):
    # A handset, as in the directory: the sign for "call".
    p = c.beginPath()
    p.moveTo(x + s * 0.22, y + s * 0.86)
    p.curveTo(x + s * 0.02, y + s * 0.5, x + s * 0.42, y + s * 0.08,
              x + s * 0.82, y + s * 0.14)
    c.setLineWidth(s * 0.26)
    c.drawPath(p, stroke=1, fill=0)


def _info(c, x, y, s):
    c.circle(x + s * 0.5, y + s * 0.5, s * 0.47, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.rect(x + s * 0.43, y + s * 0.18, s * 0.14, s * 0.42, stroke=0, fill=1)
    c.circle(x + s * 0.5, y + s * 0.74, s * 0.08, stroke=0, fill=1)


def _clock(c, x, y, s):
    c.circle(x + s * 0.5, y + s * 0.5, s * 0.42, stroke=1, fill=0)
    c.line(x + s * 0.5, y + s * 0.5, x + s * 0.5, y + s * 0.78)
    c.line(x + s * 0.5, y + s * 0.5, x + s * 0.7, y + s * 0.4)


def _web(c, x, y, s):
    c.setLineWidth(s * 0.07)
    c.circle(x + s * 0.5, y + s * 0.5, s * 0.42, stroke=1, fill=0)
    c.ellipse(x + s * 0.32, y + s * 0.08, x + s * 0.68, y + s * 0.92,
              stroke=1, fill=0)
    c.line(x + s * 0.1, y + s * 0.5, x + s * 0.9, y + s * 0.5)


_ICONS = {"home": _home, "medical": _medical, "mind": _mind, "legal": _legal,
          "social": _social, "education": _education, "work": _work,
          "phone": _phone, "info": _info, "clock": _clock, "web": _web}


# Pieces of a leaflet ---------------------------------------------------------

class Pieces:
    """Builds the pieces of one leaflet at one type scale."""

    def __init__(self, leaflet: Leaflet, layout: dict, layouts, scale: float,
                 links: bool, memo: dict | None = None):
        self.leaflet = leaflet
        self.scale = scale
        # Provider pieces already made at this scale and width by an earlier
        # trial of the same leaflet: fitting tries many sheets and provider
        # counts, and a provider's piece depends on none of them.
        self.memo = {} if memo is None else memo
        self.layout = layout
        self.s = Styles(layout, scale)
        self.tpl = layouts.template("leaflet/blocks.xml.j2").module
        self._parsed: dict[tuple, list | None] = {}
        blocks = layout["blocks"]
        self.icon_size = length(blocks["icon"]) * scale
        self.icon_gap = length(blocks["icon_gap"])
        self.column_gap = length(blocks["column_gap"])
        self.links = links
        self.qr = bool(layout["qr"].get("show", True))
        self.layout_qr = layout["qr"]

    def text(self, macro: str, values: tuple[str, ...], style: ParagraphStyle,
             width: float, extra: tuple = ()) -> Piece:
        """A paragraph of the template macro `macro` over `values` (then
        `extra`, values that are not text).

        ReportLab parses paragraph markup character by character, and a
        leaflet has a few dozen paragraphs per provider. The markup a macro
        makes differs only in the values, so it is parsed once per macro and
        style with placeholders, and the parsed fragments are reused with
        the values put back: the same fragments the parser would give, as
        long as a value is text its whitespace cleaning leaves alone.
        """
        key = ("text", macro, values, extra, id(style), width)
        found = self.memo.get(key)
        if found is not None and found[0] is style:
            return found[1]
        markup = str(getattr(self.tpl, macro)(*values, *extra))
        piece = para(markup, style, width, self._fragments(
            macro, values, style, extra))
        # Labels, costs and captions recur on every provider; holding the
        # style keeps its id from being reused by another.
        self.memo[key] = (style, piece)
        return piece

    def _fragments(self, macro: str, values: tuple[str, ...],
                   style: ParagraphStyle, extra: tuple) -> list | None:
        if len(values) > len(_SLOTS) or not all(_plain(v) for v in values):
            return None
        key = (macro, tuple(bool(v) for v in values), id(style), extra)
        if key not in self._parsed:
            slots = [_SLOTS[i] if v else "" for i, v in enumerate(values)]
            markup = str(getattr(self.tpl, macro)(*slots, *extra))
            parsed = None
            if cleanBlockQuotedText(markup) == markup:
                parsed = Paragraph(markup, style).frags
            self._parsed[key] = parsed
        parsed = self._parsed[key]
        if parsed is None:
            return None
        out = []
        for frag in parsed:
            frag = copy.copy(frag)
            for slot, value in zip(_SLOTS, values, strict=False):
                if value:
                    frag.text = frag.text.replace(slot, value)
            out.append(frag)
        return out

    # Two-language text: the main text, the other language smaller beneath.
    def words(self, w: Words, size: str, width: float, colour: str = "ink",
              bold: bool = False, align: int = 0) -> Piece:
        main = self.text("plain", (w.main,), self.s.style(size, colour, bold,
                                                           align), width)
        if not w.second:
            return main
        second = self.text("plain", (w.second,), self.s.style(
            size, "muted", False, align, self.s.second), width)
        return stack([main, second])

    def with_icon(self, name: str, body: Piece, size: float | None = None,
                  colour: str = "accent") -> Piece:
        s = size or self.icon_size
        shift = s + self.icon_gap
        height = max(body.height, s)

        def paint(c, x, top):
            icon(c, name, x, top - s - s * 0.08, s, self.s.colours[colour])
            body.paint(c, x + shift, top)
        return Piece(height, paint, body.width + shift)

    def line_with_icon(self, name: str, w: Words, size: str, width: float,
                       colour: str = "ink", bold: bool = False) -> Piece:
        s = self.s.sizes[size] * 1.05
        shift = s + self.icon_gap
        return self.with_icon(name, self.words(w, size, width - shift, colour,
                                               bold), s)

    def phone(self, number: str, tel: str, size: str, width: float,
              colour: str = "accent") -> Piece:
        """A phone number; on screen layouts (links: true) a tappable button.

        A number never breaks across lines: a long one is set smaller to fit
        the column instead.
        """
        button = self.links and bool(tel)  # never link a number that could
        # ring a stranger (compose.text.dialable)
        pad_x, pad_y = (2.5 * MM, 1.2 * MM) if button else (0.0, 0.0)
        glyph = self.s.sizes[size] * 0.8 if button else 0.0
        room = width - 2 * pad_x - (glyph + self.icon_gap if button else 0)
        style = self.s.style(size, colour, True)
        text_width = stringWidth(number, self.s.face(True), style.fontSize)
        if text_width > room:
            style = self.s.style(size, colour, True, factor=room / text_width)
            text_width = room
        body = self.text("phone", (number.replace(" ", "\u00a0"),), style,
                         room + 1)
        if not button:
            return body
        box_w = text_width + 2 * pad_x + glyph + self.icon_gap
        box_h = body.height + 2 * pad_y

        def paint(c, x, top):
            c.saveState()
            c.setFillColor(self.s.colours["accent_light"])
            c.roundRect(x, top - box_h, box_w, box_h, 2 * MM, stroke=0, fill=1)
            c.restoreState()
            icon(c, "phone", x + pad_x, top - pad_y - body.height / 2 - glyph / 2,
                 glyph, self.s.colours[colour])
            body.paint(c, x + pad_x + glyph + self.icon_gap, top - pad_y)
            c.linkURL(tel, (x, top - box_h, x + box_w, top), relative=0,
                      thickness=0)
        return Piece(box_h, paint, box_w)

    def link(self, url: str, size: str, width: float) -> Piece:
        # Printed without the scheme: shorter to read and to type.
        shown = url.split("://", 1)[-1]
        body = self.text("plain", (shown,), self.s.style(size, "accent"), width)
        if not self.links:
            return body
        target = web_link(url)

        def paint(c, x, top):
            body.paint(c, x, top)
            c.linkURL(target, (x, top - body.height, x + body.width, top),
                      relative=0, thickness=0)
        return Piece(body.height, paint, body.width)

    def heading(self, w: Words, width: float) -> Piece:
        text = self.words(w, "heading", width, "accent", True)
        rule_gap = 1.2 * MM

        def paint(c, x, top):
            text.paint(c, x, top)
            y = top - text.height - rule_gap
            c.saveState()
            c.setStrokeColor(self.s.colours["accent"])
            c.setLineWidth(1.2)
            c.line(x, y, x + width, y)
            c.restoreState()
        return Piece(text.height + rule_gap + 2.5 * MM, paint, width)

    # One provider: the name across the panel, then what it helps with and
    # how to call it on the left, its QR code on the right.
    def provider(self, item: ProviderItem, width: float, where: str) -> Piece:
        key = (id(item), self.scale, width)
        found = self.memo.get(key)
        if found is not None and found[0] is item:
            return found[1]
        piece = self._provider(item, width, where)
        self.memo[key] = (item, piece)  # holding the item keeps its id unique
        return piece

    def _provider(self, item: ProviderItem, width: float, where: str) -> Piece:
        fitted, used = self._code(item, where)
        name, parts = self._rows(item, width, fitted)
        if not fitted:
            return _block(name, parts)
        small_gap, top_gap = ROW_GAP, NAME_GAP
        text = stack(parts, small_gap)
        # Vietnamese, with the English beneath it smaller (type.min_size
        # keeps it readable).
        # The caption says what the code does: save a contact with its
        # numbers, call (a tel: code), or open a web page (anything else).
        data = (item.payload, *item.fallbacks)[used]
        word = ("scan_call" if data.startswith(b"tel:") else "scan" if (
            data.startswith(b"BEGIN:VCARD") and b"\r\nTEL" in data) else "scan_web")
        caption = self.words(self.leaflet.words[word], "small", fitted.span,
                             "muted", align=1)
        # The caption goes below the whole quiet zone (ISO 18004 wants four
        # blank modules on every side).
        code_height = fitted.span + caption.height
        qr_x = width - fitted.span
        # The quiet zone starts below the name, which may run across the
        # whole width.
        body_top = name.height + top_gap

        def paint(c, x, top):
            name.paint(c, x, top)
            text.paint(c, x, top - name.height - top_gap)
            qr.draw(c, x + qr_x, top - body_top - fitted.span, fitted)
            caption.paint(c, x + qr_x, top - body_top - fitted.span)
        height = max(name.height + top_gap + text.height, body_top + code_height)
        return Piece(height, paint, width)

    def _code(self, item: ProviderItem, where: str
              ) -> tuple[qr.Fitted | None, int]:
        """The provider's QR code and which of its payloads it holds; None
        when the layout shows no codes or the provider has nothing to save."""
        if not self.qr or item.payload is None:
            return None, 0
        found, used = code_for(item, self.layout_qr)
        if isinstance(found, str):
            if item.payload.startswith((b"http://", b"https://")):
                # A website's code has nothing shorter to fall back on.
                raise QRError(
                    f"{where}, provider '{item.id}': {found}. The code opens "
                    "its website: give a shorter address in the provider "
                    "file (its home page), or raise qr.max_span in the layout")
            raise QRError(
                f"{where}, provider '{item.id}': {found}. Shorten the entry "
                "(fewer phones, a shorter short_name, address, website or "
                "hours note), raise qr.max_span or choose qr.payload: tel "
                "or url in the layout")
        return found, used

    def _rows(self, item: ProviderItem, width: float, fitted: qr.Fitted | None
              ) -> tuple[Piece, list[Piece]]:
        """The provider's name (and place), and the rows beneath it: each
        category, each phone with its label and cost, hours, website, how to
        reach it and draft marks. A page may break between two rows."""
        text_width = width - (fitted.span + self.column_gap if fitted else 0)
        head = [self.words(item.name, "name", width, "ink", True)]
        if item.place:
            head.append(self.words(item.place, "small", width, "muted"))
        parts = []
        label_width = text_width - self.icon_size - self.icon_gap
        for ic, w in item.categories:
            body = self.text("category", (w.main, w.second), self.s.style("body"),
                             label_width, (self.s.hex["muted"],))
            parts.append(self.with_icon(ic, body))
        for ph in item.phones:
            lines = [spacer(0.6 * MM)]
            if ph.label:
                lines.append(self.words(ph.label, "small", text_width, "muted"))
            if ph.tel:
                lines.append(self.phone(ph.number, ph.tel, "phone", text_width))
            else:
                # A number in a pre-2017 or invalid form now rings someone
                # else: it is not set large as one to call, and says so.
                lines.append(self.phone(ph.number, ph.tel, "body", text_width,
                                        "muted"))
                lines.append(self.words(ph.caution, "small", text_width, "draft"))
            # Markup is parsed once per macro with placeholders for the
            # values, so what depends on them is passed as `extra`.
            lines.append(self.text("cost", (ph.cost.main, ph.cost.second),
                                   self.s.style("small", "muted"), text_width,
                                   ("·" in ph.cost.main,)))
            parts.append(stack(lines))
        if item.hours:
            parts.append(self.line_with_icon("clock", item.hours, "small",
                                             text_width, "ink"))
        if item.website:
            parts.append(self.link(item.website, "small", text_width))
        if item.how_to_reach:
            parts.append(self.line_with_icon("info", item.how_to_reach, "body",
                                             text_width))
        if item.marks:
            parts.append(self.text("plain", (item.marks,),
                                   self.s.style("small", "draft"), text_width))
        return stack(head), parts

    def cut(self, item: ProviderItem, width: float, where: str,
            layout_name: str, room: float, cap: float, fresh: bool
            ) -> list[Piece] | None:
        """A provider taller than a page of height `cap`, cut between two of
        its rows into parts for successive pages, the first of them within
        `room`; every later part opens with the name marked as continued.
        None when `room` cannot take the name and its first rows and the
        page is not `fresh` (empty): the provider then starts a page."""
        name, rows = self._rows(item, width, None)
        if not rows or self._code(item, where)[0] is not None:
            # Nothing to cut between, or a QR code beside the rows, which
            # cannot be cut with them.
            return None
        mark = self.leaflet.words["continues"]
        again = self.words(Words(
            f"{item.name.main} {mark.main}",
            f"{item.name.second} {mark.second}" if item.name.second
            else mark.second), "name", width, "ink", True)
        heights = [row.height for row in rows]
        over = max(heights) - _rows_room(again, cap)
        if over > 0.01:
            raise FitError(
                f"{where}: provider '{item.id}' has a line (a phone with its "
                "label, or a service) taller than a page by "
                f"{over / MM:.1f} mm; shorten this provider's phone labels or "
                "services, or reduce the type sizes in "
                f"layouts/{layout_name}.yaml")
        counts = breaks(heights, _rows_room(name, room), _rows_room(again, cap),
                        ROW_GAP, 1 if fresh else 2)
        if counts is None:
            return None
        parts, start = [], 0
        for i, count in enumerate(counts):
            parts.append(_block(again if i else name, rows[start:start + count]))
            start += count
        return parts

    def rule(self, width: float) -> Piece:
        def paint(c, x, top):
            c.saveState()
            c.setStrokeColor(self.s.colours["rule"])
            c.setLineWidth(0.6)
            c.line(x, top, x + width, top)
            c.restoreState()
        return Piece(0.0, paint, width)

    # The cover: neutral words, the place, and the one number to remember.
    def cover(self, panel: Panel, footer: Piece | None = None) -> Piece:
        w = panel.inner_width
        lf = self.leaflet
        pad = 5 * MM
        icons = ["phone", "home", "medical", "mind", "legal", "work"]
        s = self.icon_size * 1.5
        band = stack([
            self.words(lf.cover, "cover_title", w - 2 * pad, "ink", True),
            spacer(4 * MM),
            self.words(lf.place, "cover_place", w - 2 * pad, "accent", True)])
        hot = lf.hotlines[0] if lf.hotlines else None
        call = None
        if hot is not None:
            number = self.phone(hot.number, hot.tel, "emergency_number", w)
            if not self.links:  # a screen button brings its own icon
                number = self.with_icon("phone", number,
                                        self.s.sizes["emergency_number"] * 0.9)
            call = stack([
                number,
                para(str(self.tpl.cost(hot.cost.main, hot.cost.second)) + (
                    f" · {self.tpl.plain(hot.hours.main)}" if hot.hours else ""),
                    self.s.style("body", "muted"), w)])
        tagline = self.words(lf.tagline, "cover_tagline", w) if lf.tagline else None

        below = (call.height if call else 0) + (
            tagline.height + 6 * MM if tagline else 0) + (
            footer.height + 5 * MM if footer else 0)

        def paint(c, x, top):
            bottom = panel.y + panel.bottom
            gap = (w - len(icons) * s) / (len(icons) - 1)
            for i, name in enumerate(icons):
                icon(c, name, x + i * (s + gap), top - s, s,
                     self.s.colours["accent"])
            box_h = band.height + 2 * pad
            # The title box sits a third of the way down the free space.
            free = top - s - 8 * MM - (bottom + below + 8 * MM) - box_h
            box_top = top - s - 8 * MM - max(free, 0) / 3
            c.saveState()
            c.setFillColor(self.s.colours["accent_light"])
            c.roundRect(x, box_top - box_h, w, box_h, 3 * MM, stroke=0, fill=1)
            c.restoreState()
            band.paint(c, x + pad, box_top - pad)
            y = bottom
            if footer:
                footer.paint(c, x, y + footer.height)
                y += footer.height + 5 * MM
            if tagline:
                tagline.paint(c, x, y + tagline.height)
                y += tagline.height + 6 * MM
            if call:
                call.paint(c, x, y + call.height)
        return Piece(s + 8 * MM + band.height + 2 * pad + 8 * MM + below, paint, w)

    # The hotlines panel: 111 large in a box, then the emergency numbers.
    def hotlines(self, panel: Panel) -> Piece:
        return self.hotlines_within(panel, None)[0]

    def hotlines_within(self, panel: Panel, room: float | None
                        ) -> tuple[Piece, list[Block]]:
        """The hotlines panel, holding as many numbers as fit in `room`
        (all when None), and the rest as blocks for the pages after it,
        each group's heading kept with its first number."""
        w = panel.inner_width
        lf = self.leaflet
        if not lf.hotlines:
            return spacer(0), []
        pad = 4 * MM
        first, rest = lf.hotlines[0], lf.hotlines[1:]
        meta = self._cost_hours(first, w - 2 * pad, "body")
        box = stack([
            self.phone(first.number, first.tel, "hotline_number", w - 2 * pad),
            meta,
            spacer(1.5 * MM),
            self.words(first.name, "body", w - 2 * pad, "ink", True)], 0.5 * MM)
        short = [h for h in rest if len(_digits(h.number)) <= 3]
        other = [h for h in rest if len(_digits(h.number)) > 3]
        # (group heading, piece): a heading opens its group's first piece.
        parts: list[tuple[Words, Piece, bool]] = []
        if short:
            cell = (w - 4 * MM) / 2
            for i in range(0, len(short), 2):
                cells = [stack([self.phone(h.number, h.tel, "emergency_number",
                                           cell),
                                self.words(h.name, "small", cell)])
                         for h in short[i:i + 2]]
                parts.append((lf.words["emergency"], _row(cells, cell + 4 * MM),
                              i == 0))
        for i, h in enumerate(other):
            parts.append((lf.words["other_hotlines"], stack([
                self.words(h.name, "small", w, "ink", True),
                self.phone(h.number, h.tel, "phone", w),
                self._cost_hours(h, w, "small")]), i == 0))
        top = box.height + 2 * pad + 4 * MM

        def laid(upto: int) -> Piece:
            pieces = []
            for k, (words, piece, opens) in enumerate(parts[:upto]):
                if opens:
                    if k:
                        pieces.append(spacer(2 * MM))
                    pieces.append(self.heading(words, w))
                pieces.append(piece)
            return stack(pieces, 2.5 * MM)

        keep = len(parts)
        while room is not None and keep and top + laid(keep).height > room:
            keep -= 1
        below = laid(keep)

        def paint(c, x, top_):
            c.saveState()
            c.setFillColor(self.s.colours["accent_light"])
            c.roundRect(x, top_ - box.height - 2 * pad, w, box.height + 2 * pad,
                        3 * MM, stroke=0, fill=1)
            c.restoreState()
            box.paint(c, x + pad, top_ - pad)
            below.paint(c, x, top_ - box.height - 2 * pad - 4 * MM)
        more = [Block(piece, self.heading(words, w) if (opens or k == keep)
                      else None, "hotlines")
                for k, (words, piece, opens) in enumerate(parts[keep:], keep)]
        return Piece(top + below.height, paint, w), more

    def _cost_hours(self, h: HotlineItem, width: float, size: str) -> Piece:
        main = " · ".join(x for x in (h.cost.main, h.hours.main) if x)
        second = " · ".join(x for x in (h.cost.second or h.cost.main,
                                        h.hours.second or h.hours.main) if x)
        return self.words(Words(main, second if second != main else ""), size,
                          width, "muted")

    def notes(self, panel: Panel) -> Piece:
        """An empty provider panel becomes a place to write a contact down."""
        w = panel.inner_width
        title = self.heading(self.leaflet.words["notes"], w)
        lines = int((panel.inner_height - title.height) // (9 * MM))

        def paint(c, x, top):
            title.paint(c, x, top)
            c.saveState()
            c.setStrokeColor(self.s.colours["rule"])
            c.setLineWidth(0.5)
            for i in range(1, lines + 1):
                y = top - title.height - i * 9 * MM
                c.line(x, y, x + w, y)
            c.restoreState()
        return Piece(panel.inner_height, paint, w)

    def more(self, count: int, width: float) -> Piece:
        """The note closing the last provider panel when providers continue
        on the enclosed sheet."""
        words = self.leaflet.words
        w = words["more_one"] if count == 1 and "more_one" in words else words["more"]
        words = Words(w.main.format(n=count), w.second.format(n=count))
        return self.line_with_icon("info", words, "body", width, "accent", True)

    def footer(self, width: float) -> Piece:
        return self.words(self.leaflet.edition, "small", width, "muted")


# Between two rows of a provider (a category, a phone, its hours ...), and
# from its name to the first row.
ROW_GAP = 0.9 * MM
NAME_GAP = 1.2 * MM


def _block(name: Piece, rows: list[Piece]) -> Piece:
    """A provider without a QR code: its name, then its rows."""
    return stack([name, spacer(NAME_GAP - ROW_GAP), stack(rows, ROW_GAP)],
                 ROW_GAP)


def _rows_room(name: Piece, height: float) -> float:
    """The room rows have in a block of `height` under `name` (_block)."""
    return height - name.height - NAME_GAP - ROW_GAP


def breaks(heights: list[float], first: float, rest: float, gap: float,
           least: int = 2) -> list[int] | None:
    """How many rows of `heights`, `gap` apart, go on each page when the
    first page has room `first` and every later one room `rest` (which no
    row is taller than): as many as fit, but at least `least` on the first
    page and two on the last, so that no row is left alone, cut off from
    the rows it belongs with, where a page can help it. None when the
    first page cannot take `least` rows."""
    counts: list[int] = []
    start, room = 0, first
    while start < len(heights):
        end, used = start, 0.0
        while end < len(heights):
            need = heights[end] + (gap if end > start else 0.0)
            if used + need > room + 0.01:
                break
            used += need
            end += 1
        if not counts and end - start < min(least, len(heights)):
            return None
        # A last page of one row takes one more from this page, if this
        # page keeps enough.
        left = len(heights) - end
        if left == 1 and end - start - 1 >= (least if not counts else 1):
            end -= 1
        counts.append(end - start)
        start, room = end, rest
    return counts


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())


def _row(cells: list[Piece], step: float) -> Piece:
    def paint(c, x, top):
        for i, cell in enumerate(cells):
            cell.paint(c, x + i * step, top)
    return Piece(max(cell.height for cell in cells), paint, step * len(cells))


# Flowing providers through panels --------------------------------------------

@dataclass
class Block:
    """A provider, with the heading of its group when it opens one."""

    piece: Piece
    heading: Piece | None = None
    item_id: str = ""
    item: ProviderItem | None = None  # what a page too short for it cuts

    @property
    def height(self) -> float:
        return self.piece.height + (self.heading.height if self.heading else 0)


def partition(heights: list[float], capacities: list[float], gap: float
              ) -> list[int] | None:
    """How many blocks go in each panel, in order, so that the fullest panel
    is as empty as possible, then the spread as even as possible, then empty
    panels last (a reader opening the leaflet meets providers first); None
    when no split fits."""
    n, p = len(heights), len(capacities)
    inf = (float("inf"), float("inf"), float("inf"))

    def fill(i: int, j: int) -> float:
        return sum(heights[i:j]) + gap * max(j - i - 1, 0)

    best = [[inf] * (n + 1) for _ in range(p + 1)]
    cut = [[0] * (n + 1) for _ in range(p + 1)]
    best[0][0] = (0.0, 0.0, 0.0)
    for k in range(1, p + 1):
        for j in range(n + 1):
            for i in range(j + 1):
                if best[k - 1][i] == inf:
                    continue
                ratio = fill(i, j) / capacities[k - 1]
                if ratio > 1.0 + 1e-9:
                    continue
                prev = best[k - 1][i]
                empty = (p - k + 1) if i == j else 0
                score = (round(max(prev[0], ratio), 9),
                         round(prev[1] + ratio * ratio, 9), prev[2] + empty)
                if score < best[k][j]:
                    best[k][j], cut[k][j] = score, i
    if best[p][n] == inf:
        return None
    counts, j = [], n
    for k in range(p, 0, -1):
        i = cut[k][j]
        counts.append(j - i)
        j = i
    return counts[::-1]


def overflow(heights: list[float], capacities: list[float], names: list[str],
             gap: float) -> tuple[str, float]:
    """Where a greedy fill first runs out of room, and by how many points."""
    i = 0
    for cap, name in zip(capacities, names, strict=True):
        used = 0.0
        first = True
        while i < len(heights):
            need = heights[i] + (0 if first else gap)
            if used + need > cap:
                if first:
                    return name, heights[i] - cap
                break
            used += need
            first = False
            i += 1
    rest = heights[i:]
    return names[-1], sum(rest) + gap * len(rest)


# The whole leaflet -------------------------------------------------------------

@dataclass
class Rendered:
    pdf: bytes
    pages: int
    scale: float
    continued: int = 0  # providers on the enclosed pages
    enclosed: int = 0  # enclosed pages, after the leaflet's own


def render(leaflet: Leaflet, layout: dict, layouts, where: str,
           title: str, name: str = "leaflet") -> Rendered:
    """The leaflet as PDF bytes; FitError or QRError when it cannot be
    printed as the layout asks."""
    register(layouts.fonts())
    fit = layout["fit"]
    step, floor = float(fit["step"]), float(fit["min_scale"])
    scales = []
    scale = 1.0
    while scale >= floor - 1e-9:
        scales.append(round(scale, 3))
        scale -= step
    kind = layout.get("kind")
    if kind == "pages":
        return _render_pages(leaflet, layout, layouts, title, name)
    if kind == "panels":
        try:
            panel_sheet(layout)  # checked once, so that its error names where
        except LayoutError as exc:
            raise LayoutError(f"{where}: {exc}") from None
        sheets = [lambda: panel_sheet(layout)]
    elif kind == "booklet":
        least, most = int(layout["sheets"]["min"]), int(layout["sheets"]["max"])
        sheets = [lambda n=n: booklet_sheet(layout, n)
                  for n in range(least, most + 1)]
    else:
        raise LayoutError(
            f"layout kind '{kind}' is not known; use panels, booklet or pages")
    tried: dict[float, tuple[Sheet | None, Overflow | None]] = {}
    memo: dict = {}

    def attempt(scale: float) -> Sheet | None:
        """The first sheet (fewest sheets of paper) that takes everything at
        `scale`, or None; the reason of the last failure is kept."""
        if scale not in tried:
            tried[scale] = None, None
            for make_sheet in sheets:
                sheet = make_sheet()
                flow = _flow(layout, sheet)
                result = _place(leaflet, layout, layouts, sheet, flow, scale, where,
                                memo)
                if result is None:
                    tried[scale] = sheet, None
                    break
                tried[scale] = None, result
        return tried[scale][0]

    # Smaller type never makes a panel fuller, so the largest scale that
    # fits is found by bisection instead of laying out every step: full
    # size first (most leaflets fit), then the floor, then halves between.
    # When even the QR codes alone overflow, only the floor is laid out,
    # for the error message.
    if _hopeless(leaflet, layout, sheets[-1]()):
        # The message is the one the largest sheet gives at the floor.
        sheets = sheets[-1:]
        low, high = len(scales) - 1, None
        attempt(scales[low])
    else:
        low, high = 0, None
        if attempt(scales[0]) is not None:
            high = 0
        elif len(scales) > 1 and attempt(scales[-1]) is not None:
            high = len(scales) - 1
            while high - low > 1:
                middle = (low + high) // 2
                if attempt(scales[middle]) is not None:
                    high = middle
                else:
                    low = middle
    if high is not None:
        scale = scales[high]
        if scale < 1:
            log.info("%s: type reduced to %d%% to fit", where, round(scale * 100))
        return _draw(leaflet, layout, layouts, tried[scale][0], scale, title)
    failure = tried[scales[-1]][1] if scales[-1] in tried else tried[scales[0]][1]
    if layout.get("continuation", {}).get("allowed") and leaflet.local:
        return _continued(leaflet, layout, layouts, sheets[-1], where, title, memo)
    instead = fit.get("instead")
    raise FitError(
        f"{where}: {failure} even with type at {round(floor * 100)}% "
        f"(fit.min_scale in layouts/{name}.yaml). "
        + ("Shorten this provider's phone labels or services, " if failure.provider
           else "Shorten the entries, build a leaflet for fewer provinces, ")
        + (f"try another layout ({instead}) " if instead else "")
        + "or let the providers continue on an enclosed sheet (continuation: "
        f"allowed: true in layouts/{name}.yaml)")


def _continued(leaflet: Leaflet, layout: dict, layouts, make_sheet, where: str,
               title: str, memo: dict) -> Rendered:
    """The leaflet with as many local providers as fit at full size (national
    services always stay on it) and the rest on enclosed pages."""
    local = leaflet.local

    def attempt(keep: int) -> tuple[Sheet | None, Overflow | None]:
        trial = replace(leaflet, local=local[:keep], more=len(local) - keep)
        sheet = make_sheet()
        failure = _place(trial, layout, layouts, sheet, _flow(layout, sheet), 1.0,
                         where, memo)
        return (sheet, None) if failure is None else (None, failure)

    sheet, failure = attempt(0)
    if sheet is None:
        raise FitError(
            f"{where}: with every local provider on the enclosed sheet, the "
            f"national services alone overflow: {failure}. "
            + ("Shorten this provider's phone labels or services" if
               failure.provider else "Shorten the national entries or use a "
               "layout with more panels"))
    # Fewer providers never make a panel fuller: bisect for the most that fit.
    low, high = 0, len(local)
    while high - low > 1:
        middle = (low + high) // 2
        found, _ = attempt(middle)
        if found is not None:
            low, sheet = middle, found
        else:
            high = middle
    rest = local[low:]
    kept = replace(leaflet, local=local[:low], more=len(rest))
    pages = _enclosed(kept, layout, layouts, rest, where, memo)
    base = len(sheet.pages)
    for i, page in enumerate(pages):
        sheet.pages.append([page])
        sheet.sizes[base + i] = (page.width, page.height)
    log.info("%s: %d provider(s) continue on %d enclosed page(s)", where,
             len(rest), len(pages))
    rendered = _draw(kept, layout, layouts, sheet, 1.0, title)
    rendered.continued = len(rest)
    rendered.enclosed = len(pages)
    return rendered


def _enclosed(leaflet: Leaflet, layout: dict, layouts, rest: list[ProviderItem],
              where: str, memo: dict) -> list[Panel]:
    """Enclosed pages: the providers in `rest` in columns of the same blocks
    as the leaflet, under a "continued" heading; each page closes with the
    edition date and its number."""
    spec = layout["continuation"]
    m = _margins(layout)
    pw, ph = length(spec["page"]["width"]), length(spec["page"]["height"])
    columns = int(spec.get("columns", 2))
    column_gap = length(spec.get("column_gap", "10mm"))
    pieces = Pieces(leaflet, layout, layouts, 1.0, bool(layout.get("links")), memo)
    gap = length(spec.get("gap", layout["blocks"]["gap"]), "continuation.gap")
    inner = pw - 2 * m["trim"]
    width = (inner - column_gap * (columns - 1)) / columns
    footer = pieces.footer(inner)
    top = length(spec.get("top", layout["margins"]["top"]), "continuation.top")
    cap = ph - top - m["bottom"] - footer.height - gap
    heading = pieces.heading(leaflet.words["continued"], width)
    blocks = [Block(pieces.provider(item, width, where),
                    heading if i == 0 else None, item.id)
              for i, item in enumerate(rest)]
    # Fill each column top to bottom, then the next, then the next page.
    cols: list[list[Block]] = [[]]
    used = 0.0
    for block in blocks:
        if block.height > cap:
            raise FitError(
                f"{where}: provider '{block.item_id}' is taller than a column of "
                f"the enclosed sheet by {(block.height - cap) / MM:.1f} mm; "
                "shorten this provider's phone labels or services, or lower "
                "continuation.columns")
        need = block.height + (gap if cols[-1] else 0)
        if cols[-1] and used + need > cap:
            cols.append([])
            used, need = 0.0, block.height
        cols[-1].append(block)
        used += need
    groups = [cols[i:i + columns] for i in range(0, len(cols), columns)]
    # The last page balances its columns rather than leaving the first full
    # and the last short.
    last = [b for col in groups[-1] for b in col]
    counts = partition([b.height for b in last], [cap] * columns, gap)
    if counts is not None:
        groups[-1], start = [], 0
        for count in counts:
            if count:
                groups[-1].append(last[start:start + count])
            start += count
    pages = []
    for number, group in enumerate(groups, start=1):
        panel = Panel(f"enclosed page {number}", "enclosed", 0, 0.0, 0.0, pw, ph,
                      m["trim"], m["trim"], top, m["bottom"])
        panel.contents = [_columns(group, pieces, width, cap, gap, column_gap,
                                   panel, number, len(groups))]
        pages.append(panel)
    return pages


def _columns(group: list[list[Block]], pieces: Pieces, width: float, cap: float,
             gap: float, column_gap: float, panel: Panel, number: int,
             count: int) -> Piece:
    """One enclosed page: its columns of blocks, a hairline in each gutter,
    and the footer (edition date, page number) at the bottom."""
    lf = pieces.leaflet
    second = f"{lf.edition.second} · {number}/{count}" if lf.edition.second else ""
    footer = pieces.words(Words(f"{lf.edition.main} · {number}/{count}", second),
                          "small", panel.inner_width, "muted")
    filled = [_column(blocks, pieces, width, cap, gap) for blocks in group]
    deepest = max(sum(b.height for b in blocks) + gap * (len(blocks) - 1)
                  for blocks in group)

    def paint(c, x, top):
        for i, column in enumerate(filled):
            left = x + i * (width + column_gap)
            column.paint(c, left, top)
            if i:
                c.saveState()
                c.setStrokeColor(pieces.s.colours["rule"])
                c.setLineWidth(0.6)
                mid = left - column_gap / 2
                c.line(mid, top, mid, top - deepest)
                c.restoreState()
        footer.paint(c, x, panel.y + panel.bottom + footer.height)
    return Piece(panel.inner_height, paint, panel.inner_width)


def _flow(layout: dict, sheet: Sheet) -> list[str]:
    """The panels providers flow through, in reading order."""
    return layout["flow"] if layout.get("kind") == "panels" else booklet_flow(sheet)


def code_for(item: ProviderItem, q: dict) -> tuple[qr.Fitted | str, int]:
    """The symbol for `item` in the layout's QR space (`q`, its qr: block),
    and which of the item's payloads it holds: 0 for the full one, 1 or more
    for a shorter fallback taken because the full one does not fit. When
    none fits, the sentence saying why the full payload does not."""
    space = (length(q["min_span"]), length(q["max_span"]), length(q["min_module"]),
             length(q.get("prefer_module", q["min_module"])),
             list(q.get("levels", ["M"])))
    first = None
    for index, data in enumerate((item.payload, *item.fallbacks)):
        found = qr.fit(data, *space)
        if not isinstance(found, str):
            return found, index
        first = first or found
    return first, 0


def shortened(leaflet: Leaflet, layout: dict) -> list[tuple[str, bytes]]:
    """The providers whose QR code holds a fallback payload, and that payload."""
    q = layout["qr"]
    if not q.get("show", True):
        return []
    found = []
    for item in leaflet.local + leaflet.national:
        if item.payload is not None:
            fitted, index = code_for(item, q)
            if index and not isinstance(fitted, str):
                found.append((item.id, item.fallbacks[index - 1]))
    return found


def _hopeless(leaflet: Leaflet, layout: dict, sheet: Sheet) -> bool:
    """Whether the QR codes alone, at their fixed size and one gap apart,
    are taller than every provider panel of the largest sheet together: then
    no type scale can fit the providers."""
    q = layout["qr"]
    if not q.get("show", True):
        return False
    spans = []
    for item in leaflet.local + leaflet.national:
        if item.payload is None:
            continue
        found, _ = code_for(item, q)
        if not isinstance(found, str):  # the layout pass names a bad code
            spans.append(found.span)
    panels = [sheet.panel(name) for name in _flow(layout, sheet)]
    gap = length(layout["blocks"]["gap"])
    room = sum(p.inner_height for p in panels)
    return sum(spans) + gap * max(len(spans) - len(panels), 0) > room + 0.01


def _blocks(leaflet: Leaflet, pieces: Pieces, width: float, where: str
            ) -> list[Block]:
    blocks = []
    for group, label in ((leaflet.local, "local"), (leaflet.national, "national")):
        for i, item in enumerate(group):
            heading = pieces.heading(leaflet.words[label], width) if i == 0 else None
            blocks.append(Block(pieces.provider(item, width, where), heading,
                                item.id, item))
    if leaflet.more:
        blocks.append(Block(pieces.more(leaflet.more, width)))
    return blocks


@dataclass(frozen=True)
class Overflow:
    """Why a leaflet's pieces do not fit its sheet at one type scale."""

    text: str
    # A provider taller than every provider panel on its own: only a shorter
    # entry (or a taller column elsewhere) can take it.
    provider: str = ""

    def __str__(self) -> str:
        return self.text


def _place(leaflet, layout, layouts, sheet: Sheet, flow: list[str], scale: float,
           where: str, memo: dict | None = None) -> Overflow | None:
    """Put every piece in its panel at `scale`; why not, when it fails."""
    pieces = Pieces(leaflet, layout, layouts, scale, bool(layout.get("links")), memo)
    gap = length(layout["blocks"]["gap"])
    for panel in sheet.panels():
        panel.contents = []
        if panel.role == "cover":
            piece = pieces.cover(panel)
        elif panel.role == "hotlines":
            piece = pieces.hotlines(panel)
        else:
            continue
        if piece.height > panel.inner_height + 0.01:
            return Overflow(f"panel '{panel.name}' overflows by "
                            f"{(piece.height - panel.inner_height) / MM:.1f} mm")
        panel.contents = [piece]
    panels = [sheet.panel(name) for name in flow]
    width = min(p.inner_width for p in panels)
    footer = pieces.footer(width)
    caps = [p.inner_height - (footer.height + gap if p.role == "back" else 0)
            for p in panels]
    blocks = _blocks(leaflet, pieces, width, where)
    heights = [b.height for b in blocks]
    counts = partition(heights, caps, gap)
    if counts is None:
        tallest = max(caps)
        lone = next((b for b in blocks if b.height > tallest + 0.01), None)
        if lone is not None:
            return Overflow(
                f"provider '{lone.item_id}' is taller than a panel by "
                f"{(lone.height - tallest) / MM:.1f} mm", lone.item_id)
        name, over = overflow(heights, caps, [p.name for p in panels], gap)
        return Overflow(f"the providers overflow panel '{name}' by "
                        f"{over / MM:.1f} mm")
    gap_max = length(layout["blocks"]["gap_max"])
    valign = layout["blocks"].get("valign", "top")
    groups, start = [], 0
    for count in counts:
        groups.append(blocks[start:start + count])
        start += count
    spreads = [_spread(g, cap, gap, gap_max, valign) for g, cap in zip(
        groups, caps, strict=True)]
    # Every provider panel starts at the same height: below the top by a
    # share of the least spare room, so a sparse leaflet sits at its optical
    # centre and a full one at the top.
    spare = [cap - used for (used, _), cap, g in zip(spreads, caps, groups,
                                                      strict=True) if g]
    offset = max(min(spare, default=0.0), 0.0) * float(
        layout["blocks"].get("offset_share", 0.0))
    for panel, group, cap, (_, between) in zip(panels, groups, caps, spreads,
                                               strict=True):
        # Laid out at the narrowest panel's width so that they can flow
        # between panels, the providers sit in the middle of a wider one:
        # the same margin at both of its folds.
        dx = (panel.inner_width - width) / 2
        panel.contents = [_shifted(
            _column(group, pieces, width, cap, between, offset), dx)]
        if not group and panel.role != "back":
            panel.contents = [pieces.notes(panel)]
        if panel.role == "back":
            panel.contents.append(_shifted(_at_bottom(footer, panel), dx))
    return None


def _shifted(piece: Piece, dx: float) -> Piece:
    """`piece` painted `dx` to the right."""
    if not dx:
        return piece
    return Piece(piece.height, lambda c, x, top: piece.paint(c, x + dx, top),
                 piece.width)


def _spread(blocks: list[Block], cap: float, gap: float, gap_max: float,
            valign: str) -> tuple[float, float]:
    """The height a panel's blocks take and the gap between them: with room
    to spare (valign: spread) gaps open up to gap_max, so that a short panel
    does not sit crammed together above empty paper."""
    n = len(blocks)
    used = sum(b.height for b in blocks) + gap * max(n - 1, 0)
    between = gap
    if valign == "spread" and n > 1:
        between = gap + min(max(cap - used, 0.0) / (n + 1), gap_max - gap)
    return used + (between - gap) * max(n - 1, 0), between


def _column(blocks: list[Block], pieces: Pieces, width: float, cap: float,
            between: float, offset: float = 0.0) -> Piece:
    """Blocks one under another, `between` apart with a hairline in the
    middle, starting `offset` below the top of the panel."""
    rule = pieces.rule(width)

    def paint(c, x, top):
        y = top - offset
        for i, block in enumerate(blocks):
            if i and block.heading is None:
                rule.paint(c, x, y + between / 2)
            if block.heading:
                block.heading.paint(c, x, y)
                y -= block.heading.height
            block.piece.paint(c, x, y)
            y -= block.piece.height + between
    return Piece(cap, paint, width)


def _at_bottom(piece: Piece, panel: Panel) -> Piece:
    def paint(c, x, top):
        piece.paint(c, x, panel.y + panel.bottom + piece.height)
    return Piece(0.0, paint, piece.width)


def _draw(leaflet, layout, layouts, sheet: Sheet, scale: float, title: str
          ) -> Rendered:
    out = io.BytesIO()
    family = layout.get("family", "sans")
    # The reader's language (PDF 32000 14.9.2) lets a screen reader speak it.
    c = Canvas(out, pagesize=(sheet.width, sheet.height),
               lang=leaflet.lang.split("+")[0], **canvas_options(family))
    c.setTitle(title)
    c.setAuthor("")
    c.setSubject("")
    c.setCreator("booklet")
    c.setProducer("booklet")
    for index, page in enumerate(sheet.pages):
        c.setPageSize(sheet.sizes.get(index, (sheet.width, sheet.height)))
        for panel in page:
            top = panel.y + panel.height - panel.top
            for piece in panel.contents:
                piece.paint(c, panel.x + panel.left, top)
        _stamp(c, leaflet, layout, page)
        c.showPage()
    c.save()
    return Rendered(out.getvalue(), len(sheet.pages), scale)


def _stamp(c: Canvas, leaflet: Leaflet, layout: dict, panels: list[Panel]) -> None:
    """Draft: the stamp at the top of every panel, in the top margin where
    no QR code or provider text can be."""
    if not leaflet.draft_stamp:
        return
    spec = layout["draft_stamp"]
    size = float(spec["size"])
    family = layout.get("family", "sans")
    c.saveState()
    c.setFillColor(HexColor(layout["colours"]["draft"]))
    c.setFont(face_name(family, "bold"), size)
    # The font's full ascent, not its cap height: Vietnamese stacks marks
    # above capitals (Ả, Ấ), and they too must stay clear of the trim.
    ascent = getAscent(face_name(family, "bold"), size)
    for panel in panels:
        y = panel.y + panel.height - length(spec["from_trim"]) - ascent
        c.drawCentredString(panel.x + panel.width / 2, y, leaflet.draft_stamp)
    c.restoreState()


def _render_pages(leaflet: Leaflet, layout: dict, layouts, title: str,
                  layout_name: str) -> Rendered:
    """Phone pages: cover, hotlines, then as many provider pages as the
    providers need; the footer closes the last page."""
    pieces = Pieces(leaflet, layout, layouts, 1.0, bool(layout.get("links")))
    gap = length(layout["blocks"]["gap"])
    cover = page_panel(layout, "cover", "cover", 0)
    hot = page_panel(layout, "hotlines", "hotlines", 1)
    pages = [[cover], [hot]]
    more: list[Block] = []
    for panel in (cover, hot):
        # On a phone the date of the edition goes on the cover, where the
        # reader sees it first. Hotlines that do not fit their page go on,
        # under their heading, at the head of the pages that follow.
        if panel.role == "cover":
            piece = pieces.cover(panel, pieces.footer(panel.inner_width))
        else:
            piece, more = pieces.hotlines_within(panel, panel.inner_height)
        if piece.height > panel.inner_height + 0.01:
            raise FitError(
                f"phone leaflet {leaflet.place.main}: page '{panel.name}' "
                f"overflows by {(piece.height - panel.inner_height) / MM:.1f} mm; "
                "reduce the type sizes in layouts/leaflet-phone.yaml")
        panel.contents = [piece]
    first = page_panel(layout, "page 3", "providers", 2)
    width = first.inner_width
    where = f"phone leaflet {leaflet.place.main}"
    blocks = more + _blocks(leaflet, pieces, width, where)
    current: list[Block] = []
    used = 0.0
    cap = first.inner_height
    flow: list[list[Block]] = []
    for block in blocks:
        if block.height > cap:
            # Pages scroll on: a provider taller than one continues on the
            # next, rather than take the whole leaflet down.
            parts = _cut(block, pieces, width, where, layout_name,
                         cap - used - gap if current else cap, cap)
            if parts is None:
                flow.append(current)
                current, used = [], 0.0
                parts = _cut(block, pieces, width, where, layout_name, cap,
                             cap)
            for i, part in enumerate(parts):
                if i:
                    flow.append(current)
                    current, used = [], 0.0
                used += part.height + (gap if current else 0)
                current.append(part)
            continue
        need = block.height + (gap if current else 0)
        if current and used + need > cap:
            flow.append(current)
            current, used = [], 0.0
            need = block.height
        current.append(block)
        used += need
    if current:
        flow.append(current)
    for blocks_ in flow:
        panel = page_panel(layout, f"page {len(pages) + 1}", "providers",
                           len(pages))
        panel.contents = [_column(blocks_, pieces, width, cap, gap)]
        pages.append([panel])
    sheet = Sheet(length(layout["page"]["width"]), length(layout["page"]["height"]),
                  pages)
    return _draw(leaflet, layout, layouts, sheet, 1.0, title)


def _cut(block: Block, pieces: Pieces, width: float, where: str,
         layout_name: str, room: float, cap: float) -> list[Block] | None:
    """`block`, taller than a page of height `cap`, as blocks for successive
    pages, the first within `room` (the group heading opens it); None when
    a page with `room` left is too full to start it on."""
    heading = block.heading.height if block.heading else 0.0
    fresh = room >= cap
    parts = None
    if block.item is not None:
        parts = pieces.cut(block.item, width, where, layout_name,
                           room - heading, cap, fresh)
    if parts is None and fresh:
        raise FitError(
            f"{where}: provider '{block.item_id}' is taller than a page by "
            f"{(block.height - cap) / MM:.1f} mm; shorten this provider's phone "
            f"labels or services, or reduce the type sizes in "
            f"layouts/{layout_name}.yaml")
    if parts is None:
        return None
    return [Block(part, block.heading if i == 0 else None, block.item_id,
                  block.item) for i, part in enumerate(parts)]

