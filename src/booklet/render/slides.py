"""Draw 16:9 presentation slides with ReportLab: titles, text, big figures,
bar charts and a coverage matrix drawn with reportlab.graphics."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from itertools import pairwise

from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib.colors import HexColor, white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Frame, KeepInFrame, Paragraph

from booklet.errors import LayoutError
from booklet.layouts import length
from booklet.render.fonts import canvas_options, face_name

# A chart's note: the room it takes above the bottom margin, and the gap
# that keeps the chart's last bar or row off it.
_NOTE_ROOM, _NOTE_GAP = 32, 12


@dataclass
class Slide:
    """One slide: the drawing method of Deck to call and what it draws."""

    kind: str
    title: str
    data: dict = field(default_factory=dict)


@dataclass
class _Heads:
    """The column heads of a matrix: type size, lines of each head, whether
    they read upwards, and the depth of the band above the grid."""

    size: float
    lines: list[list[str]]
    turned: bool
    depth: float


class Deck:
    """A presentation under construction on one ReportLab canvas."""

    def __init__(self, layout: dict, lang: str, stamp: str, footer: str,
                 meta: dict):
        self.layout, self.lang, self.stamp, self.footer = layout, lang, stamp, footer
        self.font = layout["font"]
        self.bold = face_name(self.font, "bold")
        self.size = layout["sizes"]
        self.color = {k: HexColor(v) for k, v in layout["colors"].items()}
        page = layout["page"]
        self.width = length(page["width"], "slides page.width")
        self.height = length(page["height"], "slides page.height")
        m = layout["margins"]
        self.left = length(m["left"], "slides margins.left")
        self.right = self.width - length(m["right"], "slides margins.right")
        self.top = self.height - length(m["top"], "slides margins.top")
        self.bottom = length(m["bottom"], "slides margins.bottom")
        self.buffer = io.BytesIO()
        self.canvas = Canvas(self.buffer, pagesize=(self.width, self.height),
                             pageCompression=1, lang=meta.get("lang", lang),
                             **canvas_options(self.font))
        self.canvas.setTitle(meta.get("title", ""))
        self.canvas.setSubject(meta.get("subject", ""))
        self.canvas.setAuthor(meta.get("author", ""))
        self.canvas.setCreator("booklet")
        self.number = 0
        self.total = 0

    # -- the deck -------------------------------------------------------
    def draw(self, slides: list[Slide]) -> tuple[bytes, int]:
        self.total = len(slides)
        for slide in slides:
            self.number += 1
            getattr(self, f"slide_{slide.kind}")(slide)
            self.furniture(slide.kind == "title")
            self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue(), self.total

    def furniture(self, title_slide: bool) -> None:
        """Footer with the slide number and, in a draft, the stamp on every
        slide (issue 6: a draft must never pass for the final version)."""
        c = self.canvas
        if not title_slide:
            c.setFillColor(self.color["muted"])
            c.setFont(self.font, self.size["footer"])
            c.drawString(self.left, self.bottom - 14, self.footer)
            c.drawRightString(self.right, self.bottom - 14,
                              f"{self.number} / {self.total}")
        if self.stamp:
            size = self.size["stamp"]
            width = stringWidth(self.stamp, self.bold, size) + 20
            x, y = self.right - width, self.height - 30
            c.setFillColor(self.color["stamp"])
            c.roundRect(x, y, width, size + 10, 4, stroke=0, fill=1)
            c.setFillColor(white)
            c.setFont(self.bold, size)
            c.drawString(x + 10, y + 6, self.stamp)

    def heading(self, title: str) -> float:
        """The slide title; returns the y below it where content may start."""
        c = self.canvas
        size = self.size["title"]
        # The draft stamp sits above the title line, so the title may use
        # the full width.
        lines = simpleSplit(title, self.bold, size, self.right - self.left)
        y = self.top - size
        c.setFillColor(self.color["title"])
        c.setFont(self.bold, size)
        for line in lines:
            c.drawString(self.left, y, line)
            y -= size * 1.25
        c.setStrokeColor(self.color["accent"])
        c.setLineWidth(3)
        c.line(self.left, y + size * 0.55, self.left + 90, y + size * 0.55)
        return y - 8

    def style(self, size: float, bold: bool = False, color: str = "ink",
              **extra) -> ParagraphStyle:
        # Vietnamese stacks tone marks over vowel marks (Ấ, Ộ): generous
        # leading keeps them clear of the line above.
        extra.setdefault("leading", size * 1.35)
        # ParagraphStyle's bullet font defaults to the standard-14 Helvetica.
        return ParagraphStyle(
            "s", fontName=self.bold if bold else self.font, fontSize=size,
            bulletFontName=self.font,
            textColor=self.color[color], **extra)

    def drawing(self, width: float, height: float) -> Drawing:
        """A reportlab.graphics drawing whose initial font is ours: the
        renderer otherwise starts every drawing in the standard-14 Helvetica."""
        drawing = Drawing(width, height)
        drawing.initialFontName = self.font
        drawing.initialFontSize = self.size["chart_label"]
        return drawing

    def frame(self, flowables: list, x: float, y: float, w: float, h: float
              ) -> None:
        """Flowables in a box, shrunk to fit rather than cut off."""
        box = KeepInFrame(w, h, flowables, mode="shrink")
        Frame(x, y, w, h, 0, 0, 0, 0, showBoundary=0).addFromList(
            [box], self.canvas)

    # -- kinds of slide ---------------------------------------------------
    def slide_title(self, slide: Slide) -> None:
        c, d = self.canvas, slide.data
        band_y, band_h = self.height * 0.3, self.height * 0.5
        c.setFillColor(self.color["band"])
        c.rect(0, band_y, self.width, band_h, stroke=0, fill=1)
        w = self.right - self.left
        flow = [Paragraph(slide.title, self.style(self.size["cover_title"], True,
                                                  "on_band")),
                Paragraph(d["subtitle"], self.style(self.size["subtitle"],
                                                    color="on_band",
                                                    spaceBefore=12))]
        # Centre the title block in the band.
        used = sum(p.wrap(w, band_h)[1] for p in flow) + 12
        y = band_y + (band_h - used) / 2
        self.frame(flow, self.left, y, w, used + 2)
        flow = [Paragraph(line, self.style(self.size["body"], i == 0, "ink"))
                for i, line in enumerate(d["lines"])]
        self.frame(flow, self.left, self.bottom, w, band_y - self.bottom - 20)

    def slide_text(self, slide: Slide) -> None:
        """Paragraphs and bullets from a template."""
        top = self.heading(slide.title)
        flow = []
        size = self.size["body"]
        for kind, text in slide.data["blocks"]:
            if kind == "bullet":
                flow.append(Paragraph(text, self.style(
                    size, leftIndent=22, bulletIndent=4, spaceBefore=8),
                    bulletText="•"))
            else:
                flow.append(Paragraph(text, self.style(size, spaceBefore=10)))
        self.frame(flow, self.left, self.bottom + 10, self.right - self.left,
                   top - self.bottom - 10)

    def slide_figures(self, slide: Slide) -> None:
        """Large numbers in cards, three to a row."""
        top = self.heading(slide.title)
        cards = slide.data["cards"]
        cols = 3
        rows = (len(cards) + cols - 1) // cols
        gap = 18
        w = (self.right - self.left - gap * (cols - 1)) / cols
        h = min(170, (top - self.bottom - 10 - gap * (rows - 1)) / rows)
        c = self.canvas
        for i, (number, label) in enumerate(cards):
            x = self.left + (i % cols) * (w + gap)
            y = top - 6 - (i // cols + 1) * h - (i // cols) * gap
            c.setFillColor(self.color["card"])
            c.roundRect(x, y, w, h, 8, stroke=0, fill=1)
            c.setFillColor(self.color["title"])
            c.setFont(self.bold, self.size["big_number"])
            c.drawString(x + 18, y + h - self.size["big_number"] - 12, str(number))
            self.frame([Paragraph(label, self.style(self.size["card_label"]))],
                       x + 18, y + 8, w - 36, h - self.size["big_number"] - 28)

    def slide_bars(self, slide: Slide) -> None:
        """A horizontal bar chart: one labelled bar per count, value at its end."""
        top = self.heading(slide.title)
        counts = slide.data["counts"]
        note = slide.data.get("note", "")
        bottom = self.bottom + (_NOTE_ROOM + _NOTE_GAP if note else 8)
        width, height = self.right - self.left, top - bottom
        self.canvas.saveState()
        renderPDF.draw(self.bar_chart(counts, width, height,
                                      slide.data.get("scale", counts),
                                      slide.data.get("rows", len(counts))),
                       self.canvas, self.left, bottom)
        self.canvas.restoreState()
        if note:
            self.frame([Paragraph(note, self.style(self.size["note"],
                                                   color="muted"))],
                       self.left, self.bottom, width, _NOTE_ROOM)

    def bar_chart(self, counts: list, width: float, height: float,
                  scale: list | None = None, rows: int = 0) -> Drawing:
        """Bars for `counts`, measured against all of `scale` (the counts of
        every slide of one chart) and spaced for `rows` bars."""
        scale = scale or counts
        size = self.size["chart_label"]
        label_w = min(width * 0.42, max(
            stringWidth(c.label, self.font, size) for c in scale) + 16)
        per_bar = min(height / max(rows, len(counts), 1), 44)
        drawing = self.drawing(width, height)
        chart = HorizontalBarChart()
        chart.x, chart.width = label_w, width - label_w - 50
        chart.height = per_bar * len(counts)
        chart.y = height - chart.height
        chart.data = [tuple(c.count for c in counts)]
        axis = chart.categoryAxis
        axis.categoryNames = ["\n".join(simpleSplit(c.label, self.font, size,
                                                    label_w - 16))
                              for c in counts]
        axis.reverseDirection = 1  # the first count at the top
        axis.labels.fontName = self.font
        axis.labels.fontSize = size
        axis.labels.leading = size * 1.25
        axis.labels.fillColor = self.color["ink"]
        axis.labels.boxAnchor = "e"
        axis.labels.dx = -8
        axis.visibleTicks = 0
        axis.strokeColor = self.color["rule"]
        value = chart.valueAxis
        value.valueMin = 0
        value.valueMax = max(1, max(c.count for c in scale))
        value.visible = 0  # every bar carries its own number
        value.labels.fontName = self.font
        chart.bars[0].fillColor = self.color["bar"]
        chart.bars[0].strokeColor = None
        chart.barSpacing = 0
        chart.groupSpacing = per_bar * 0.28
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = self.bold
        chart.barLabels.fontSize = size
        chart.barLabels.fillColor = self.color["ink"]
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 6
        drawing.add(chart)
        return drawing

    def slide_matrix(self, slide: Slide) -> None:
        """Providers per province (rows) and category (columns); an empty
        cell is a gap and is tinted so the eye finds it."""
        top = self.heading(slide.title)
        d = slide.data
        note = d.get("note", "")
        bottom = self.bottom + (_NOTE_ROOM + _NOTE_GAP if note else 8)
        width, height = self.right - self.left, top - bottom
        self.canvas.saveState()
        renderPDF.draw(self.matrix(d, width, height), self.canvas, self.left, bottom)
        self.canvas.restoreState()
        if note:
            self.frame([Paragraph(note, self.style(self.size["note"],
                                                   color="muted"))],
                       self.left, self.bottom, width, _NOTE_ROOM)

    def matrix(self, d: dict, width: float, height: float) -> Drawing:
        size = self.size["matrix"]
        rows = d["rows"]  # (label, [counts], national?)
        columns = d["columns"]
        label_w = max(stringWidth(r[0], self.bold, size) for r in rows) + 14
        col_w = (width - label_w) / len(columns)
        heads = self.matrix_heads(columns, col_w, height)
        head_h = heads.depth
        # The nationwide row stands apart from the provinces below it.
        apart = 8
        cell_h = min(34, (height - head_h - apart) / len(rows))
        drawing = self.drawing(width, height)
        for j, lines in enumerate(heads.lines):
            self.matrix_head(drawing, heads, lines, label_w + (j + 0.5) * col_w,
                             height - head_h)
        top = max(d["max"], 1)
        for i, (label, counts, national) in enumerate(rows):
            y = height - head_h - (i + 1) * cell_h - (apart if i else 0)
            drawing.add(String(label_w - 10, y + cell_h / 2 - size * 0.35, label,
                               fontName=self.bold if national else self.font,
                               fontSize=size, fillColor=self.color["ink"],
                               textAnchor="end"))
            for j, n in enumerate(counts):
                fill, ink = self.cell_colours(n, top, national)
                x = label_w + j * col_w
                drawing.add(Rect(x + 1.5, y + 1.5, col_w - 3, cell_h - 3,
                                 fillColor=fill, strokeColor=None))
                drawing.add(String(x + col_w / 2, y + cell_h / 2 - size * 0.35,
                                   str(n), fontName=self.bold, fontSize=size,
                                   fillColor=ink, textAnchor="middle"))
        return drawing

    def matrix_heads(self, columns: list[str], col_w: float, height: float
                     ) -> _Heads:
        """The largest heads that keep clear of each other: level ones if
        they fit at the floor size or above, else heads that read upwards
        (layout `matrix_head`)."""
        spec = self.layout["matrix_head"]
        sizes = range(int(spec["size"]), int(spec["floor"]) - 1, -1)
        # Level heads read best, so they win while they fit, even smaller.
        for size in sizes:
            gap = spec["gap"] * size
            lines = [simpleSplit(c, self.bold, size, col_w - gap) for c in columns]
            widths = [self.widest(ls, size) for ls in lines]
            # A long word may reach over a short neighbour's column, but not
            # past the last column nor within `gap` of the next head.
            if (max(map(len, lines)) <= spec["lines"] and widths[-1] <= col_w
                    and all((a + b) / 2 + gap <= col_w
                            for a, b in pairwise(widths))):
                return _Heads(size, lines, False,
                              max(map(len, lines)) * size * 1.2 + 8)
        # Turned, a head's lines sit side by side across the column, so the
        # column's width says how many. The band is as shallow as the head
        # that needs most allows; in it, a head takes as few lines as it can.
        for size in sizes:
            room = col_w - spec["gap"] * size
            across = max(1, min(spec["lines"], int(room // (size * 1.2))))
            measure = max(self.narrowest(c, size, across) for c in columns)
            depth = measure + 10
            if depth <= height * spec["depth"] or size == sizes[-1]:
                return _Heads(size, [simpleSplit(c, self.bold, size, measure)
                                     for c in columns], True, depth)
        raise LayoutError(
            f"slides layout: matrix_head floor {spec['floor']} is above its size "
            f"{spec['size']}; set a floor at or below the size")

    def matrix_head(self, drawing: Drawing, heads: _Heads, lines: list[str],
                    cx: float, base: float) -> None:
        """One column head, centred on `cx`, standing on the grid at `base`."""
        size, lead = heads.size, heads.size * 1.2
        style = dict(fontName=self.bold, fontSize=size,
                     fillColor=self.color["ink"])
        if not heads.turned:
            # Bottom-aligned, so a one-line head sits on its column; drawn
            # top line first, so the text comes out of the PDF in order.
            for k, line in enumerate(lines):
                y = base + 4 + size * 0.25 + (len(lines) - 1 - k) * lead
                drawing.add(String(cx, y, line, textAnchor="middle", **style))
            return
        # Rotated a quarter turn anticlockwise: the text runs up from the grid
        # and the first line is the leftmost, as a tilted head reads them.
        for k, line in enumerate(lines):
            x = cx + (k - (len(lines) - 1) / 2) * lead + size * 0.35
            drawing.add(Group(String(0, 0, line, textAnchor="start", **style),
                              transform=(0, 1, -1, 0, x, base + 6)))

    def widest(self, lines: list[str], size: float) -> float:
        return max((stringWidth(line, self.bold, size) for line in lines),
                   default=0.0)

    def narrowest(self, text: str, size: float, most: int) -> float:
        """The narrowest measure that sets `text` in at most `most` lines."""
        words = text.split()
        # A hair over each run's width, so rounding never breaks the run.
        measures = sorted({stringWidth(" ".join(words[i:j]), self.bold, size)
                           + 0.01 for i in range(len(words))
                           for j in range(i + 1, len(words) + 1)})
        return next((m for m in measures
                     if len(simpleSplit(text, self.bold, size, m)) <= most), 0.0)

    def cell_colours(self, n: int, top: int, national: bool):
        if n == 0:
            return self.color["gap"], self.color["gap_text"]
        if national:
            return self.color["national"], self.color["ink"]
        # Blend from light to dark blue with the count.
        share = min(1.0, n / top)
        light, dark = self.color["cell_light"], self.color["cell_dark"]
        fill = HexColor(0)
        fill.red = light.red + (dark.red - light.red) * share
        fill.green = light.green + (dark.green - light.green) * share
        fill.blue = light.blue + (dark.blue - light.blue) * share
        ink = white if share > 0.5 else self.color["ink"]
        return fill, ink

    def slide_groups(self, slide: Slide) -> None:
        """Named groups of items, for example provinces without a provider,
        grouped by region, in two columns."""
        top = self.heading(slide.title)
        d = slide.data
        size = self.size["list"]
        flow = []
        if d.get("lead"):
            flow.append(Paragraph(d["lead"], self.style(size + 2, True,
                                                        spaceAfter=10)))
        for name, items in d["groups"]:
            flow.append(Paragraph(f"<b>{name}</b> ({len(items)}): "
                                  + ", ".join(items),
                                  self.style(size, spaceBefore=6)))
        if d.get("note"):
            flow.append(Paragraph(d["note"], self.style(
                self.size["note"], color="muted", spaceBefore=14)))
        self.frame(flow, self.left, self.bottom + 10, self.right - self.left,
                   top - self.bottom - 10)

    def slide_columns(self, slide: Slide) -> None:
        """Two columns, each a large figure, a caption and a list; both lists
        share one type size, the largest at which the longer one fits."""
        top = self.heading(slide.title)
        gap = 30
        w = (self.right - self.left - gap) / 2
        size = self.size["list"]
        columns = slide.data["columns"]
        heads, room = [], []
        for col in columns:
            head = [Paragraph(str(col["number"]), self.style(
                        self.size["column_number"], True, "title",
                        leading=self.size["column_number"] * 1.1)),
                    Paragraph(col["caption"], self.style(size + 1, True,
                                                         spaceBefore=6))]
            used = sum(p.wrap(w, top)[1] + p.getSpaceBefore() for p in head)
            heads.append((head, used))
            room.append(top - used - 14 - self.bottom - 10)

        def items(col, item_size):
            style = self.style(item_size, leftIndent=16, bulletIndent=2,
                               spaceBefore=3)
            for item in col["items"]:
                yield Paragraph(item, style, bulletText="•")
            if col.get("tail"):
                yield Paragraph(col["tail"], self.style(
                    item_size, color="muted", leftIndent=16, spaceBefore=3))
            if not col["items"]:
                yield Paragraph(col["empty"], self.style(item_size, color="muted"))

        def shortened(col, item_size, h):
            """The column's first items that fit `h` at `item_size`, and a
            last line saying how many more there are."""
            heights = [p.wrap(w, h)[1] + p.getSpaceBefore()
                       for p in items(col, item_size)]
            if sum(heights) <= h:
                return col
            total = len(col["items"])
            tail = col["more"].format(more=total)
            room_left = h - (Paragraph(tail, self.style(item_size)).wrap(w, h)[1]
                             + 3)
            keep, used = 0, 0.0
            while keep < total and used + heights[keep] <= room_left:
                used += heights[keep]
                keep += 1
            return {**col, "items": col["items"][:keep],
                    "tail": col["more"].format(more=total - keep)}

        def fits(item_size):
            for col, h in zip(columns, room, strict=True):
                used = 0.0
                for p in items(col, item_size):
                    used += p.wrap(w, h)[1] + p.getSpaceBefore()
                    if used > h:
                        return False
            return True

        # Smaller type never takes more room: bisect for the largest size
        # that fits, instead of laying out every size from the top down.
        sizes = list(range(size - 1, 11, -1))
        low, high = 0, len(sizes)
        while low < high:
            middle = (low + high) // 2
            if fits(sizes[middle]):
                high = middle
            else:
                low = middle + 1
        item_size = sizes[low] if low < len(sizes) else 12
        if low == len(sizes):
            # Even at 12 pt a list runs over: it shows what fits and says how
            # many more there are, rather than shrinking to dust.
            columns = [shortened(col, item_size, h)
                       for col, h in zip(columns, room, strict=True)]
        for i, (col, (head, used)) in enumerate(zip(columns, heads, strict=True)):
            x = self.left + i * (w + gap)
            self.frame(head, x, top - used - 4, w, used + 4)
            self.frame(list(items(col, item_size)), x, self.bottom + 10, w,
                       room[i])

    def slide_progress(self, slide: Slide) -> None:
        """Stacked bars, one per measure, each split into labelled parts."""
        top = self.heading(slide.title)
        d = slide.data
        width = self.right - self.left
        bar_h, size = 46, self.size["chart_label"]
        drawing = self.drawing(width, top - self.bottom - 20)
        y = drawing.height
        for measure in d["measures"]:
            y -= size * 1.4
            drawing.add(String(0, y, measure["title"], fontName=self.bold,
                               fontSize=size + 2, fillColor=self.color["ink"]))
            y -= bar_h + 10
            total = sum(n for n, _, _ in measure["parts"]) or 1
            x = 0.0
            for n, _label, colour in measure["parts"]:
                w = width * n / total
                if n:
                    drawing.add(Rect(x, y, w, bar_h, fillColor=self.color[colour],
                                     strokeColor=white, strokeWidth=2))
                x += w
            y -= size * 1.6
            x = 0.0
            for n, label, colour in measure["parts"]:
                drawing.add(Rect(x, y - 2, size, size, fillColor=self.color[colour],
                                 strokeColor=None))
                text = f"{label}: {n}"
                drawing.add(String(x + size + 6, y, text, fontName=self.font,
                                   fontSize=size, fillColor=self.color["ink"]))
                x += size + 6 + stringWidth(text, self.font, size) + 28
            y -= 26
        for line in d.get("notes", []):
            y -= size * 1.5
            drawing.add(String(0, y, line, fontName=self.font, fontSize=size,
                               fillColor=self.color["muted"]))
        self.canvas.saveState()
        renderPDF.draw(drawing, self.canvas, self.left, self.bottom + 10)
        self.canvas.restoreState()
