"""Page furniture any product can reuse: geometry from a layout, colours,
crop marks, page boxes and the draft stamp."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from booklet.errors import LayoutError
from booklet.layouts import length


def colour(spec: object, where: str = "") -> Color:
    """A layout colour: a CMYK list [c, m, y, k] (0..1) or '#rrggbb'."""
    if isinstance(spec, list) and len(spec) == 4:
        try:
            return CMYKColor(*(float(v) for v in spec))
        except (TypeError, ValueError):
            pass
    if isinstance(spec, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", spec):
        return HexColor(spec)
    raise LayoutError(
        f"{where}: colour {spec!r} is neither a CMYK list [c, m, y, k] nor "
        "'#rrggbb'")


@dataclass(frozen=True)
class Geometry:
    """Where the trim, bleed and text area lie on the PDF page, in points.

    The media box is the trim plus the bleed plus a slug on every side; the
    slug holds crop marks, which must sit outside the bleed so that the
    guillotine never cuts through them.
    """

    trim_w: float
    trim_h: float
    bleed: float
    slug: float
    top: float
    bottom: float
    inner: float
    outer: float
    head: float
    folio: float
    mark_offset: float = 0.0
    mark_length: float = 0.0
    mark_width: float = 0.25

    @classmethod
    def from_layout(cls, layout: dict, where: str) -> Geometry:
        page = layout.get("page")
        if not isinstance(page, dict) or "trim" not in page:
            raise LayoutError(f"{where}: 'page' needs 'trim: [width, height]'")
        m = page.get("margins", {})
        marks = page.get("marks", {})

        def get(value, name):
            return length(value, f"{where} page.{name}")

        geometry = cls(
            trim_w=get(page["trim"][0], "trim"), trim_h=get(page["trim"][1], "trim"),
            bleed=get(page.get("bleed", 0), "bleed"),
            slug=get(page.get("slug", 0), "slug"),
            top=get(m["top"], "margins.top"),
            bottom=get(m["bottom"], "margins.bottom"),
            inner=get(m["inner"], "margins.inner"),
            outer=get(m["outer"], "margins.outer"),
            head=get(page["head"], "head"), folio=get(page["folio"], "folio"),
            mark_offset=get(marks.get("offset", 0), "marks.offset"),
            mark_length=get(marks.get("length", 0), "marks.length"),
            mark_width=get(marks.get("width", "0.25pt"), "marks.width"))
        geometry.check(where)
        return geometry

    def check(self, where: str) -> None:
        # Text closer than 5 mm to the trim risks the guillotine's tolerance.
        least = 5 * 72 / 25.4
        for name in ("top", "bottom", "inner", "outer", "head", "folio"):
            if getattr(self, name) < least - 0.01:
                key = name if name in ("head", "folio") else f"margins.{name}"
                raise LayoutError(
                    f"{where}: page.{key} is {getattr(self, name) / 72 * 25.4:.1f}"
                    " mm; text must stay at least 5 mm inside the trim")
        if self.mark_length and self.mark_offset < self.bleed:
            raise LayoutError(
                f"{where}: page.marks.offset must be at least the bleed "
                "so that crop marks stay outside it")
        if self.mark_offset + self.mark_length > self.bleed + self.slug + 0.01:
            raise LayoutError(
                f"{where}: crop marks ({self.mark_offset / 72 * 25.4:.1f} mm + "
                f"{self.mark_length / 72 * 25.4:.1f} mm) do not fit in bleed + slug")

    @property
    def off(self) -> float:
        """Distance from the media box edge to the trim."""
        return self.bleed + self.slug

    @property
    def media(self) -> tuple[float, float]:
        return self.trim_w + 2 * self.off, self.trim_h + 2 * self.off

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        o = self.off
        return o, o, o + self.trim_w, o + self.trim_h

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        o = self.slug
        return o, o, o + self.trim_w + 2 * self.bleed, o + self.trim_h + 2 * self.bleed

    def text_area(self, recto: bool) -> tuple[float, float, float, float]:
        """x, y, width, height of the text area; the inner margin is on the
        left of a right-hand (odd) page and on the right of a left-hand one."""
        left = self.inner if recto else self.outer
        return (self.off + left, self.off + self.bottom,
                self.trim_w - self.inner - self.outer,
                self.trim_h - self.top - self.bottom)


def crop_marks(canv, g: Geometry, colour_) -> None:
    """Crop marks at the four trim corners, starting outside the bleed."""
    if not g.mark_length:
        return
    canv.saveState()
    canv.setStrokeColor(colour_)
    canv.setLineWidth(g.mark_width)
    x0, y0, x1, y1 = g.trim_box
    a, b = g.mark_offset, g.mark_offset + g.mark_length
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            canv.line(x + sx * a, y, x + sx * b, y)
            canv.line(x, y + sy * a, x, y + sy * b)
    canv.restoreState()


def draft_stamp(canv, g: Geometry, text: str, font: str, size: float,
                colour_) -> None:
    """The draft stamp across the trimmed page, beneath the content."""
    x0, y0, x1, y1 = g.trim_box
    diagonal = math.hypot(x1 - x0, y1 - y0)
    size = min(size, 0.8 * diagonal / stringWidth(text, font, 1))
    canv.saveState()
    canv.translate((x0 + x1) / 2, (y0 + y1) / 2)
    canv.rotate(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    canv.setFillColor(colour_)
    canv.setFont(font, size)
    canv.drawCentredString(0, -size / 3, text)
    canv.restoreState()


# Icons are drawn in a unit square (0..1) scaled to the icon size: a filled
# rounded tile and a glyph of strokes in the ink colour. Nothing comes from
# a font, so no icon can print as a missing-glyph box.
ICONS = ("phone", "home", "medical", "mind", "legal", "social", "education",
         "work", "info", "trauma_informed", "survivor_centred",
         "gender_sensitive", "culturally_appropriate", "child_friendly",
         "verified", "unverified", "consent")


def draw_icon(canv, name: str, x: float, y: float, size: float, fill, ink,
              crossed: bool = False, cross_colour=None) -> None:
    """Draw icon `name` with its lower-left corner at (x, y)."""
    canv.saveState()
    canv.translate(x, y)
    canv.scale(size, size)
    canv.setFillColor(fill)
    if name in ("verified", "unverified"):
        canv.circle(0.5, 0.5, 0.5, stroke=0, fill=1)
    elif name == "consent":
        p = canv.beginPath()
        p.moveTo(0.5, 0.98)
        p.lineTo(1.0, 0.08)
        p.lineTo(0.0, 0.08)
        p.close()
        canv.drawPath(p, stroke=0, fill=1)
    else:
        canv.roundRect(0, 0, 1, 1, 0.18, stroke=0, fill=1)
    canv.setStrokeColor(ink)
    canv.setFillColor(ink)
    canv.setLineWidth(0.09)
    canv.setLineCap(1)
    canv.setLineJoin(1)
    _GLYPHS.get(name, _info)(canv)
    if crossed:
        canv.setStrokeColor(cross_colour or ink)
        canv.setLineWidth(0.1)
        canv.line(-0.05, -0.05, 1.05, 1.05)
    canv.restoreState()


def _path(canv, points, close=False, fill=False):
    p = canv.beginPath()
    p.moveTo(*points[0])
    for point in points[1:]:
        p.lineTo(*point)
    if close:
        p.close()
    canv.drawPath(p, stroke=not fill, fill=fill)


def _phone(c):
    p = c.beginPath()
    p.moveTo(0.3, 0.78)
    p.curveTo(0.18, 0.55, 0.42, 0.24, 0.7, 0.22)
    c.setLineWidth(0.16)
    c.drawPath(p, stroke=1, fill=0)
    c.setLineWidth(0.09)


def _home(c):
    _path(c, [(0.18, 0.5), (0.5, 0.8), (0.82, 0.5)])
    _path(c, [(0.28, 0.55), (0.28, 0.2), (0.72, 0.2), (0.72, 0.55)])
    c.rect(0.44, 0.2, 0.12, 0.18, stroke=0, fill=1)


def _medical(c):
    c.rect(0.41, 0.18, 0.18, 0.64, stroke=0, fill=1)
    c.rect(0.18, 0.41, 0.64, 0.18, stroke=0, fill=1)


def _mind(c):
    c.roundRect(0.17, 0.36, 0.66, 0.44, 0.12, stroke=1, fill=0)
    _path(c, [(0.32, 0.36), (0.26, 0.18), (0.48, 0.36)])
    for cx in (0.35, 0.5, 0.65):
        c.circle(cx, 0.58, 0.045, stroke=0, fill=1)


def _legal(c):
    c.line(0.5, 0.2, 0.5, 0.8)
    c.line(0.22, 0.7, 0.78, 0.7)
    c.line(0.34, 0.2, 0.66, 0.2)
    for cx in (0.26, 0.74):
        _path(c, [(cx - 0.12, 0.44), (cx, 0.68), (cx + 0.12, 0.44)])
        c.wedge(cx - 0.13, 0.31, cx + 0.13, 0.57, 180, 180, stroke=0, fill=1)


def _social(c):
    for cx, r in ((0.36, 0.1), (0.64, 0.1)):
        c.circle(cx, 0.66, r, stroke=0, fill=1)
        c.wedge(cx - 0.17, 0.18, cx + 0.17, 0.58, 0, 180, stroke=0, fill=1)


def _education(c):
    _path(c, [(0.5, 0.26), (0.16, 0.34), (0.16, 0.76), (0.5, 0.68), (0.84, 0.76),
              (0.84, 0.34), (0.5, 0.26)], close=True)
    c.line(0.5, 0.28, 0.5, 0.66)


def _work(c):
    c.roundRect(0.16, 0.22, 0.68, 0.44, 0.06, stroke=1, fill=0)
    _path(c, [(0.38, 0.66), (0.38, 0.78), (0.62, 0.78), (0.62, 0.66)])
    c.line(0.16, 0.46, 0.84, 0.46)


def _info(c):
    c.circle(0.5, 0.76, 0.07, stroke=0, fill=1)
    c.rect(0.43, 0.18, 0.14, 0.44, stroke=0, fill=1)


def _heart(c):
    p = c.beginPath()
    p.moveTo(0.5, 0.2)
    p.curveTo(0.1, 0.48, 0.16, 0.84, 0.5, 0.66)
    p.curveTo(0.84, 0.84, 0.9, 0.48, 0.5, 0.2)
    c.drawPath(p, stroke=0, fill=1)


def _person(c):
    c.circle(0.5, 0.68, 0.12, stroke=0, fill=1)
    c.wedge(0.28, 0.18, 0.72, 0.62, 0, 180, stroke=0, fill=1)
    c.circle(0.5, 0.5, 0.4, stroke=1, fill=0)


def _gender(c):
    c.circle(0.42, 0.42, 0.17, stroke=1, fill=0)
    c.line(0.54, 0.54, 0.78, 0.78)
    _path(c, [(0.62, 0.8), (0.8, 0.8), (0.8, 0.62)])
    c.line(0.42, 0.25, 0.42, 0.12)
    c.line(0.34, 0.17, 0.5, 0.17)


def _globe(c):
    c.circle(0.5, 0.5, 0.32, stroke=1, fill=0)
    c.ellipse(0.36, 0.18, 0.64, 0.82, stroke=1, fill=0)
    c.line(0.18, 0.5, 0.82, 0.5)


def _child(c):
    c.circle(0.36, 0.7, 0.09, stroke=0, fill=1)
    c.wedge(0.2, 0.2, 0.52, 0.58, 0, 180, stroke=0, fill=1)
    c.circle(0.68, 0.52, 0.07, stroke=0, fill=1)
    c.wedge(0.56, 0.2, 0.8, 0.44, 0, 180, stroke=0, fill=1)


def _check(c):
    c.setLineWidth(0.12)
    _path(c, [(0.26, 0.5), (0.43, 0.32), (0.75, 0.68)])


def _question(c):
    c.setLineWidth(0.11)
    p = c.beginPath()
    p.arc(0.36, 0.5, 0.64, 0.78, -20, 200)
    c.drawPath(p, stroke=1, fill=0)
    c.line(0.62, 0.56, 0.5, 0.46)
    c.line(0.5, 0.46, 0.5, 0.38)
    c.circle(0.5, 0.22, 0.06, stroke=0, fill=1)


def _exclaim(c):
    c.rect(0.45, 0.36, 0.1, 0.36, stroke=0, fill=1)
    c.circle(0.5, 0.23, 0.06, stroke=0, fill=1)


_GLYPHS = {
    "phone": _phone, "home": _home, "medical": _medical, "mind": _mind,
    "legal": _legal, "social": _social, "education": _education, "work": _work,
    "info": _info, "trauma_informed": _heart, "survivor_centred": _person,
    "gender_sensitive": _gender, "culturally_appropriate": _globe,
    "child_friendly": _child, "verified": _check, "unverified": _question,
    "consent": _exclaim,
}
