"""Typeset a caseworker's insert as A4 pages for a black-and-white office printer.

Templates in layouts/templates/insert/ write a small block language that this
module turns into ReportLab flowables:

    <p style="S">markup</p>            a paragraph in layout style S
    <row table="T" label="L">markup</row>
                                       consecutive rows of one table T form a
                                       label/value table; head="1" marks a
                                       header row, cont="1" a row that goes on
                                       from the one above, emph="1" a boxed row;
                                       more="M" is the label printed instead
                                       of an empty one when the row opens a
                                       page (a need "(continued)")
    <step n="N">blocks</step>          a numbered step of the referral pathway
    <space h="3mm"/>  <rule width="entry|section"/>
    <bookmark title="T" level="0|1"/>  an entry of the PDF outline

Markup inside blocks is ReportLab paragraph markup (<b>, <i>, <br/>, <a>);
Jinja2 has already escaped every value taken from the content.
"""

from __future__ import annotations

import functools
import html
import io
import logging
import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable, _listWrapOn

from booklet.compose.entry import care_known
from booklet.compose.insert import Insert
from booklet.compose.text import web_link
from booklet.errors import LayoutError
from booklet.layouts import Layouts, length
from booklet.render import fonts
from booklet.render.lines import Lines, can_set

log = logging.getLogger(__name__)

_ATTRS = re.compile(r'(\w+)="([^"]*)"')
_BLOCK = re.compile(
    r"<(step|p|row)\b([^>]*)>(.*?)</\1>|<(space|rule|bookmark)\b([^>]*?)/>", re.S)
_TAGS = re.compile(r"<[^>]+>")
# Tags, entities and the text between them, for Typesetter.para.
_TOKEN = re.compile(r"<[^>]*>|&[^;\s]*;|[^<&]+|[<&]")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&quot;": '"',
             "&#39;": "'", "&apos;": "'"}


def blocks(markup: str, where: str) -> list[tuple[str, dict, str]]:
    """(kind, attributes, inner markup) of each block of a rendered template."""
    out = []
    pos = 0
    for match in _BLOCK.finditer(markup):
        _outside(markup[pos:match.start()], where)
        pos = match.end()
        if match.group(1):
            out.append((match.group(1), dict(_ATTRS.findall(match.group(2))),
                        match.group(3).strip()))
        else:
            out.append((match.group(4), dict(_ATTRS.findall(match.group(5))), ""))
    _outside(markup[pos:], where)
    return out


def _outside(text: str, where: str) -> None:
    if text.strip():
        raise LayoutError(
            f"{where}: text outside a block: '{text.strip()[:60]}'; put it "
            "inside <p style=\"...\">...</p>")


class _Bookmark(Flowable):
    """A zero-size mark that adds an entry to the PDF outline where it lands."""

    def __init__(self, key: str, title: str, level: int):
        super().__init__()
        # A bookmark is one line, whatever breaks the name has.
        self.key, self.title, self.level = key, " ".join(title.split()), level
        self.keepWithNext = 1

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, self.level)


class _Running(Flowable):
    """A zero-size mark naming the section its page belongs to, for the
    footer of that page and of the pages the section runs on to."""

    def __init__(self, title: str):
        super().__init__()
        self.title = title
        self.keepWithNext = 1

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        # Canvas state is held per page by PagedCanvas, so the footer drawn
        # at save time sees the section that was current on each page.
        self.canv.booklet_section = self.title


class _Paragraph(Paragraph):
    """A paragraph that keeps its line breaks for the width it last wrapped
    to: a table cell is measured by KeepTogether, by the frame and by the
    table's own split and draw, always at the column's width."""

    _wrapped_at: float | None = None

    def wrap(self, available_width, available_height):
        # split() drops blPara when the paragraph cannot start in the space
        # offered; the next wrap then breaks the lines again.
        if self._wrapped_at == available_width and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return size


class _Grid(Table):
    """A table whose rows and cells split across pages.

    Rows split between pages (splitByRow) and, when one row alone is taller
    than what is left, within the row (splitInRow), so that no entry field
    however long can stop the build. A row whose empty label cell carries a
    `run_on` label prints that label when it opens a page.
    """

    def __init__(self, data, **options):
        options.setdefault("splitInRow", 1)
        super().__init__(data, **options)

    def _calc(self, available_width, available_height):
        # KeepTogether, the frame and split() each measure the table at the
        # same width; once every row height is known, measuring again gives
        # the same answer.
        if (getattr(self, "_measured_at", None) == available_width
                and None not in self._rowHeights):
            return
        super()._calc(available_width, available_height)
        self._measured_at = available_width

    def _splitCell(self, value, style, oldHeight, newHeight, width):
        # ReportLab splits a cell's flowables at the column's whole width but
        # draws them inside its padding, where lines are shorter: a field
        # split across pages took a line more than measured and ran into the
        # footer. Measured at the narrower width, the estimate errs on the
        # safe side.
        inner = width - style.leftPadding - style.rightPadding
        return super()._splitCell(value, style, oldHeight, newHeight, inner)

    def split(self, available_width, available_height):
        parts = super().split(available_width, available_height)
        if len(parts) == 2:
            rest, first = parts[1], parts[1].repeatRows
            label = _label_of(rest, first)
            run_on = getattr(label, "run_on", None)
            if run_on is not None:
                row = rest._cellvalues[first]
                rest._cellvalues[first] = [_Paragraph(run_on, label.style),
                                           *row[1:]]
                # The run-on label may take more lines than the empty one:
                # it runs into the next row's empty label cell if there is
                # one, or else makes its row taller.
                rest._argH = list(rest._argH)
                rest._argH[first] = None
                if getattr(_label_of(rest, first + 1), "run_on", None):
                    rest.setStyle([("SPAN", (0, first), (0, first + 1))])
        return parts


class _Entry(KeepTogether):
    """A provider entry: its heading (name, kind, flags) and its table of
    fields. An entry that does not fit what is left of a page breaks between
    two rows of its table when the heading and at least two rows fit here
    and two rows go on; the next page then opens with the name marked as
    continued. Kept whole, a long entry left up to half a page blank, and a
    lone closing row opened the next page with nothing to say whose it was."""

    def __init__(self, flowables: list[Flowable], caption):
        super().__init__(flowables)
        self.caption = caption  # makes the "Name (continued)" line

    def split(self, aW, aH):
        table = self._content[-1]
        if not isinstance(table, _Grid):
            return super().split(aW, aH)
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        at_top = frame is None or getattr(frame, "_atTop", 0)
        room = aH
        if not at_top:
            # Below other flowables, the entry's first visible flowable (its
            # rule) takes its space before, less the space after the one
            # above; the group's own measure leaves it out.
            visible = next((f for f in self._content
                            if f.wrapOn(self.canv, aW, aH)[1] > 0), None)
            if visible is not None:
                room -= max(0.0, visible.getSpaceBefore()
                            - getattr(frame, "_prevASpace", 0.0))
        if room >= self._H:
            return super().split(aW, aH)
        heights = list(table._rowHeights or [])
        left = room - (self._H - sum(heights))
        fit, used = 0, 0.0
        while fit < len(heights) and used + heights[fit] <= left + 1e-6:
            used += heights[fit]
            fit += 1
        head = self._content[:-1]
        if fit < len(heights) and heights[fit] > _page_room(frame, aH) / 2:
            # The next row is longer than half a page: breaking before it
            # could leave most of this page blank, and it would break
            # inside itself on the next if longer than a page.
            parts = self._inside_row(head, table, aW, room)
            if parts:
                return parts
        for cut in range(min(fit, len(heights) - 2), 1, -1):
            # Cut exactly after row `cut`: a row split within itself here
            # would leave a sliver of it.
            table.splitInRow = 0
            try:
                parts = table.split(aW, sum(heights[:cut]) + 1e-3)
            finally:
                table.splitInRow = 1
            if len(parts) != 2:
                continue
            first, rest = parts
            # Measured as the frame will place them: spacing and the cut
            # table's own rules may differ from the estimate.
            if _listWrapOn([*head, first], aW, self.canv)[1] > room + 1e-6:
                continue
            rest.splitInRow = 1
            # The rest is an entry of its own under the continued name, so
            # that it breaks again the same way if it fills the next page.
            return [self.NullActionFlowable(), *head, first, self.FrameBreak(),
                    _Entry([self.caption(), rest], self.caption)]
        if at_top or _page_room(frame, aH) < self._H:
            # Not even a whole page holds it with its breaks between rows
            # (a field longer than a page): it breaks inside a row, here,
            # rather than leave this page blank under its province's name.
            parts = self._inside_row(head, table, aW, room)
            if parts:
                return parts
        if at_top:
            return super().split(aW, aH)
        # Moved whole, and still one entry on the next page, so that it may
        # break there as above.
        return [self.FrameBreak(), self]

    def _inside_row(self, head, table, aW, room):
        """The entry broken inside a row to fill `room`, its rest an entry
        under the continued name whose first row keeps its label; None when
        fewer than a few lines of the table would fit."""
        left = room - _listWrapOn(head, aW, self.canv)[1]
        for _ in range(3):
            if left < _MIN_LINES:
                return None
            # Inside the first row that does not fit, not before it: a break
            # between rows was tried above.
            table.splitByRow = 0
            try:
                parts = table.split(aW, left)
            finally:
                table.splitByRow = 1
            if len(parts) != 2:
                return None
            first, rest = parts
            # The cut row's padding may add a little to the estimate.
            over = _listWrapOn([*head, first], aW, self.canv)[1] - room
            if over <= 1e-6:
                _relabel(rest, table,
                         len(table._cellvalues) - len(rest._cellvalues))
                return [self.NullActionFlowable(), *head, first,
                        self.FrameBreak(),
                        _Entry([self.caption(), rest], self.caption)]
            # Below the height the cut part took, so that it loses a line:
            # a point less than `left` alone gave the same cut again.
            left = min(left, sum(first._rowHeights)) - over - 1.0
        return None


# Below this much room (about three lines of entry text) an entry that must
# break inside a row starts on the next page instead.
_MIN_LINES = 36.0


def _page_room(frame, available: float) -> float:
    """The height a fresh page's frame offers; `available` without a frame."""
    if frame is None:
        return available
    return frame._height - frame._topPadding - frame._bottomPadding


def _relabel(rest: Table, table: Table, row: int) -> None:
    """A rest that opens inside a field, or on a row that goes on from the
    one above, takes the label of the field it continues: "Address", not a
    blank cell under the continued name."""
    if getattr(_label_of(rest, 0), "frags", None):
        return
    for above in range(row, -1, -1):
        label = _label_of(table, above)
        if getattr(label, "frags", None):
            rest._cellvalues[0] = [label, *rest._cellvalues[0][1:]]
            rest._argH = list(rest._argH)
            rest._argH[0] = None  # measured again with its label
            return


def _label_of(table: Table, row: int):
    """The flowable in the label cell of `row`, or None past the last row."""
    if row >= len(table._cellvalues):
        return None
    label = table._cellvalues[row][0]
    if isinstance(label, (list, tuple)) and len(label) == 1:
        label = label[0]
    return label


class Typesetter:
    """Blocks to flowables, with the styles and tables of one layout."""

    def __init__(self, layout: dict, width: float):
        self.layout = layout
        self.width = width
        self.family = layout["family"]
        self.ink = colors.HexColor(layout["ink"])
        self.paper = colors.HexColor(layout["paper"])
        self.fill = colors.HexColor(layout["fill"])
        self.styles = {name: self._style(name, spec)
                       for name, spec in layout["styles"].items()}
        self._marks = 0
        self._labels_made: dict[tuple[str, str], Paragraph] = {}
        self._base_frags: dict[str, object] = {}

    def _style(self, name: str, spec: dict) -> ParagraphStyle:
        face = fonts.face_name(self.family, "bold" if spec.get("bold") else "regular")
        return ParagraphStyle(
            name, fontName=face, fontSize=length(spec["size"], f"styles.{name}"),
            leading=length(spec["leading"], f"styles.{name}"),
            spaceBefore=length(spec.get("before", 0)),
            spaceAfter=length(spec.get("after", 0)),
            alignment=TA_CENTER if spec.get("align") == "center" else TA_LEFT,
            textColor=self.paper if spec.get("inverse") else self.ink)

    def _table_style(self, commands: list) -> TableStyle:
        # A table sets its cells' font even when every cell is a Paragraph;
        # left alone it would be the standard-14 Helvetica.
        face = fonts.face_name(self.family)
        return TableStyle([("FONT", (0, 0), (-1, -1), face, 10), *commands])

    def para(self, markup: str, style: str) -> Paragraph:
        """A paragraph of `markup` in layout style `style`.

        The markup the templates write (text, <b>, <i>, <br/> and the
        entities Jinja2 escapes) is cut into fragments here, as ReportLab's
        markup parser would cut it, at a fraction of its cost; anything else
        (links, other tags) goes through that parser.
        """
        st = self.style(style)
        frags = self._fragments(markup, style) if markup else None
        if frags and can_set(st, frags):
            return Lines(st, frags)
        return _Paragraph(markup, st, frags=frags)

    def _fragments(self, markup: str, style: str) -> list | None:
        if "\n" in markup or markup != markup.strip() or "  " in markup:
            return None
        if style not in self._base_frags:
            self._base_frags[style] = _Paragraph("x", self.style(style)).frags[0]
        base = self._base_frags[style]
        family = ps2tt(base.fontName)[0]
        # One link list and one underline list per paragraph, shared by its
        # fragments, as the parser does.
        link, lines = [], []
        frags, tags = [], []
        for token in _TOKEN.findall(markup):
            if token.startswith("<"):
                name = token.strip("</>")
                if name == "br" and token == "<br/>":
                    frags.append(self._fragment(base, family, tags, "", link, lines,
                                                lineBreak=True, __tag__="br"))
                elif name in ("b", "i") and token == f"<{name}>":
                    tags.append(name)
                elif token == f"</{name}>" and tags[-1:] == [name]:
                    tags.pop()
                else:
                    return None
                continue
            if token.startswith("&"):
                if token not in _ENTITIES:
                    return None
                token = _ENTITIES[token]
            frags.append(self._fragment(base, family, tags, token, link, lines))
        return frags if not tags else None

    @staticmethod
    def _fragment(base, family: str, tags: list[str], text: str, link: list,
                  lines: list, **extra):
        # A bold style stays bold outside <b>, as in the parser.
        bold = int(bool(base.bold) or "b" in tags)
        italic = int(bool(base.italic) or "i" in tags)
        return base.clone(text=text, bold=bold, italic=italic,
                          fontName=tt2ps(family, bold, italic), link=link,
                          us_lines=lines, **{"__tag__": tags[-1] if tags else "para",
                                             **extra})

    def label(self, markup: str, style: str) -> Paragraph:
        """The paragraph of a table label, made once per wording and style.

        Labels repeat on every entry ("Phone", "Services"); one shared
        paragraph is parsed and broken into lines once, at the label
        column's width, and drawn wherever it is needed.
        """
        if not markup:
            # An empty paragraph, not an empty string: a string cell would
            # take the table font's leading and make its row taller.
            return _Paragraph("", self.style(style), frags=[])
        key = (markup, style)
        if key not in self._labels_made:
            self._labels_made[key] = self.para(markup, style)
        return self._labels_made[key]

    def _label_cell(self, attrs: dict, style: str) -> Paragraph:
        """The label cell of a row; an empty one that carries the run-on
        label (more="...") for _Grid to print when the row opens a page."""
        more = attrs.get("more")
        if attrs.get("label") or not more:
            return self.label(attrs.get("label", ""), style)
        # No fragments: nothing to parse, and no height of its own.
        cell = _Paragraph("", self.style(style), frags=[])
        cell.run_on = more
        return cell

    def style(self, name: str) -> ParagraphStyle:
        if name not in self.styles:
            raise LayoutError(
                f"layouts/insert.yaml: no style '{name}' under styles; known: "
                + ", ".join(sorted(self.styles)))
        return self.styles[name]

    def flowables(self, items: list[tuple[str, dict, str]],
                  width: float | None = None) -> list[Flowable]:
        width = self.width if width is None else width
        out: list[Flowable] = []
        rows: list[tuple[dict, str]] = []
        labels: list[str] = []
        for kind, attrs, inner in [*items, ("end", {}, "")]:
            style = attrs.get("style", "")
            boxed = kind == "p" and self.layout["styles"].get(style, {}).get("boxed")
            if rows and (kind != "row" or attrs.get("table") != rows[0][0]["table"]):
                out.append(self._table(rows, width))
                rows = []
            if labels and not (boxed and style == labels[0]):
                out.append(self._labels(labels[0], labels[1:], width))
                labels = []
            if kind == "row":
                rows.append((attrs, inner))
            elif boxed:
                labels = labels or [style]
                labels.append(inner)
            elif kind == "p":
                out.append(self.para(inner, style))
            elif kind == "step":
                out.append(self._step(attrs.get("n", ""), inner, width))
            elif kind == "space":
                out.append(Spacer(0, length(attrs.get("h", "0pt"))))
            elif kind == "rule":
                out.append(self._rule(attrs.get("width", "entry")))
            elif kind == "bookmark":
                self._marks += 1
                out.append(_Bookmark(f"m{self._marks}",
                                     html.unescape(attrs.get("title", "")),
                                     int(attrs.get("level", "0"))))
        return out

    def _labels(self, style: str, inners: list[str], width: float) -> Flowable:
        """Labels in ruled boxes on one line: emphasis that survives a
        grayscale print (consecutive boxed paragraphs of one style)."""
        st = self.style(style)
        pad, gap = 3, 4
        cells, widths, commands = [], [], []
        for i, inner in enumerate(inners):
            plain = html.unescape(_TAGS.sub("", inner))
            if i:
                cells.append("")
                widths.append(gap)
            commands.append(("BOX", (len(cells), 0), (len(cells), 0), 0.9,
                             self.ink))
            cells.append(_Paragraph(inner, st))
            widths.append(stringWidth(plain, st.fontName, st.fontSize)
                          + 2 * pad + 1)
        if sum(widths) > width:
            # Too many to share a line: stack them, each as wide as the column.
            return _Grid([[c] for c in cells if c != ""], colWidths=[width],
                         hAlign="LEFT", style=self._table_style([
                             ("BOX", (0, i), (0, i), 0.9, self.ink)
                             for i in range(len(inners))]))
        table = _Grid([cells], colWidths=widths, hAlign="LEFT",
                      style=self._table_style([
                          *commands,
                          ("LEFTPADDING", (0, 0), (-1, -1), pad),
                          ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                          ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                          # Room below for descenders and dots below (ý, ậ).
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5)]))
        table.spaceAfter = st.spaceAfter
        return table

    def _rule(self, kind: str) -> Flowable:
        spec = self.layout.get(kind)
        if not isinstance(spec, dict) or "rule_width" not in spec:
            raise LayoutError(
                f"layouts/insert.yaml: <rule width=\"{kind}\"/> needs "
                f"{kind}.rule_width; use entry or section")
        rule = HRFlowable(width="100%", thickness=length(spec["rule_width"]),
                          color=self.ink, spaceBefore=length(spec.get(
                              "space_before", 0)), spaceAfter=length("1.5mm"))
        rule.keepWithNext = 1
        return rule

    def _step(self, number: str, inner: str, width: float) -> Flowable:
        spec = self.layout["steps"]
        side = length(spec["number_width"])
        gap = length(spec["gap"])
        # White on black: the step number reads at full contrast in grayscale.
        marker = Table([[_Paragraph(number, self.style("step_number"))]],
                       colWidths=[side], rowHeights=[side], style=self._table_style([
                           ("BACKGROUND", (0, 0), (-1, -1), self.ink),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        body = self.flowables(blocks(inner, "step"), width - side - gap)
        step = _Grid([[marker, body]], colWidths=[side + gap, width - side - gap],
                     style=self._table_style([
                         ("VALIGN", (0, 0), (-1, -1), "TOP"),
                         ("LEFTPADDING", (0, 0), (-1, -1), 0),
                         ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                         ("TOPPADDING", (0, 0), (-1, -1), 0),
                         ("BOTTOMPADDING", (0, 0), (-1, -1),
                          length(spec["space_after"]))]))
        # Not kept with what follows: the pathway table may be taller than a
        # page, and a group kept together would push the steps off page 1.
        return step

    def _table(self, rows: list[tuple[dict, str]], width: float) -> Flowable:
        kind = rows[0][0]["table"]
        spec = self.layout["tables"].get(kind)
        if spec is None:
            raise LayoutError(
                f"layouts/insert.yaml: no table '{kind}' under tables; known: "
                + ", ".join(sorted(self.layout["tables"])))
        label_width = length(spec["label_width"])
        rule = length(spec["rule_width"])
        pad = length(spec["padding"])
        label, value = (("label", "value") if kind == "fields"
                        else ("cell_need", "cell"))
        data = []
        commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LEFTPADDING", (1, 0), (1, -1), pad * 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                    ("TOPPADDING", (0, 0), (-1, -1), pad),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1)]
        head = 0
        for i, (attrs, inner) in enumerate(rows):
            if attrs.get("head"):
                head = i + 1
                data.append([self.label(attrs.get("label", ""), "cell_head"),
                             _Paragraph(inner, self.style("cell_head"))])
                commands += [("BACKGROUND", (0, i), (-1, i), self.fill),
                             ("LEFTPADDING", (0, i), (0, i), pad * 2),
                             ("LINEABOVE", (0, i), (-1, i), rule * 3, self.ink),
                             ("LINEBELOW", (0, i), (-1, i), rule * 2, self.ink)]
                continue
            data.append([self._label_cell(attrs, label),
                         self.para(inner, value)])
            if i and not attrs.get("cont") and i != head:
                commands.append(("LINEABOVE", (0, i), (-1, i), rule, self.ink))
            if attrs.get("cont") and "run_padding" in spec:
                # Rows that go on from the one above sit closer: a long list
                # under one label reads as one group and takes fewer pages.
                run = length(spec["run_padding"])
                commands += [("TOPPADDING", (0, i), (-1, i), run),
                             ("BOTTOMPADDING", (0, i - 1), (-1, i - 1), run)]
            if (attrs.get("more") and i and kind != "fields"
                    and not rows[i - 1][0].get("cont")):
                # A need is not left alone at the foot of a page: it keeps
                # its first row below it, and may run into that row's label
                # cell rather than open a gap between the two rows. Not in
                # an entry's fields, where a row may be longer than a page
                # and two held together could then be placed nowhere.
                commands += [("NOSPLIT", (0, i - 1), (-1, i)),
                             ("SPAN", (0, i - 1), (0, i))]
            if attrs.get("emph"):
                # A boxed row: safeguarding and confidential addresses stand
                # out by a heavy frame, not by colour.
                commands += [("BOX", (0, i), (-1, i), length(spec["box_width"]),
                              self.ink),
                             ("LEFTPADDING", (0, i), (0, i), pad * 2)]
        if kind != "fields":
            commands.append(("LINEBELOW", (0, -1), (-1, -1), rule * 3, self.ink))
        if head and kind != "fields":
            commands.append(("LEFTPADDING", (0, head), (0, -1), pad * 2))
        return _Grid(data, colWidths=[label_width, width - label_width],
                     repeatRows=head, hAlign="RIGHT",
                     style=self._table_style(commands))


def _paged(draw_marks):
    """A canvas class that holds every page until the end, so that each
    footer can say 'page x of y'."""

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                # update() keeps keys a page did not set: drop the section
                # mark so that it comes from this page's own state only.
                self.__dict__.pop("booklet_section", None)
                self.__dict__.update(state)
                draw_marks(self, number, total)
                super().showPage()
            draw_marks.pages = total
            super().save()

    return PagedCanvas


class _Marks:
    """The running marks of every page: draft stamp and footer."""

    def __init__(self, ins: Insert, layout: dict, strings: dict):
        self.ins, self.layout, self.strings = ins, layout, strings
        self.pages = 0
        page = layout["page"]
        self.left = length(page["margin_left"])
        self.right_margin = length(page["margin_right"])
        family = layout["family"]
        self.regular = fonts.face_name(family, "regular")
        self.bold = fonts.face_name(family, "bold")
        self.ink = colors.HexColor(layout["ink"])

    def __call__(self, canv: Canvas, number: int, total: int) -> None:
        width, height = canv._pagesize
        right = width - self.right_margin
        canv.saveState()
        canv.setFillColor(self.ink)
        canv.setStrokeColor(self.ink)
        if self.ins.draft:
            self._stamp(canv, height, right)
        self._footer(canv, number, total, right)
        canv.restoreState()

    def _footer(self, canv: Canvas, number: int, total: int, right: float) -> None:
        spec = self.layout["footer"]
        size = length(spec["size"])
        lower = length(spec["baseline"])
        upper = lower + length(spec["leading"])
        rule = upper + size + length(spec["rule_gap"])
        s = self.strings
        canv.setLineWidth(length(spec["rule_width"]))
        canv.line(self.left, rule, right, rule)
        mark = _audience(self.ins, s) + "  ·  "
        area = self.ins.area
        section = getattr(canv, "booklet_section", "")
        if section:
            area += "  ·  " + section
        page = s["page_of"].format(page=number, pages=total)
        # Who the insert is for, its area and section, clear of the page
        # number: the confidential Vietnamese line ran over "Trang 8/12".
        room = right - self.left - stringWidth(page, self.bold, size) - length("4mm")
        wide = (stringWidth(mark, self.bold, size)
                + stringWidth(area, self.regular, size))
        small = size * min(1.0, room / wide)
        canv.setFont(self.bold, small)
        canv.drawString(self.left, upper, mark)
        canv.setFont(self.regular, small)
        canv.drawString(self.left + stringWidth(mark, self.bold, small), upper, area)
        canv.setFont(self.regular, size)
        canv.drawString(self.left, lower,
                        f"{self.ins.edition}  ·  {self.ins.verified}")
        canv.setFont(self.bold, size)
        canv.drawRightString(right, upper, page)

    def _stamp(self, canv: Canvas, height: float, right: float) -> None:
        spec = self.layout["stamp"]
        top = height - length(spec["top"])
        box = length(spec["height"])
        size = length(spec["size"])
        text = self.strings["draft_stamp"]
        canv.setLineWidth(1.2)
        canv.rect(self.left, top - box, right - self.left, box, stroke=1, fill=0)
        # Diagonal hatching either side of the words marks the sheet as a
        # draft at a glance, in black only; the words sit on clear paper.
        words = stringWidth(text, self.bold, size) + 8 * size
        middle = (self.left + right) / 2
        canv.setLineWidth(0.8)
        for start, end in ((self.left, middle - words / 2),
                           (middle + words / 2, right)):
            x = start
            while x + box <= end:
                canv.line(x, top - box, x + box, top)
                x += 4
        canv.setFont(self.bold, size)
        canv.drawCentredString(middle, top - box / 2 - size * 0.35, text)


def _audience(ins: Insert, strings: dict) -> str:
    """The audience marking of every page, and of the metadata."""
    mark = strings["insert_for_caseworkers"]
    if ins.confidential:
        mark += "  ·  " + strings["edition_confidential"]
    return mark


def render(ins: Insert, layouts: Layouts, strings: dict,
           templates: str = "insert") -> tuple[bytes, int]:
    """The insert as PDF bytes, and its number of pages."""
    layout = layouts.get("insert")
    family = layout["family"]
    fonts.register(layouts.fonts())
    page = layout["page"]
    width, height = (length(v, "page.size") for v in page["size"])
    left, right = length(page["margin_left"]), length(page["margin_right"])
    top, bottom = length(page["margin_top"]), length(page["margin_bottom"])
    frame_width = width - left - right
    setter = Typesetter(layout, frame_width)
    story = _story(ins, layouts, strings, setter, templates)
    out = io.BytesIO()
    title = f"{strings['insert_pathway']}: {ins.area}"
    if ins.confidential:
        title += " – " + strings["edition_confidential"]
    doc = BaseDocTemplate(
        out, pagesize=(width, height), leftMargin=left, rightMargin=right,
        topMargin=top, bottomMargin=bottom, title=title,
        subject=_audience(ins, strings), author="", creator="booklet",
        lang=ins.lang, **fonts.canvas_options(family))
    doc.addPageTemplates([PageTemplate("page", [Frame(
        left, bottom, frame_width, height - top - bottom, id="text",
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)])])
    marks = _Marks(ins, layout, strings)
    doc.build(story, canvasmaker=_paged(marks))
    return out.getvalue(), marks.pages


def _story(ins: Insert, layouts: Layouts, strings: dict, setter: Typesetter,
           folder: str) -> list[Flowable]:
    # Each template is looked up once per insert, not once per entry: Jinja2
    # would otherwise check the file on disk for every entry it renders.
    layouts.env.filters.setdefault("web", web_link)
    templates = {name: layouts.template(f"{folder}/{name}.xml.j2")
                 for name in ("pathway", "section", "entry", "continued")}

    def run(name: str, **context) -> list[tuple[str, dict, str]]:
        markup = templates[name].render(s=strings, ins=ins, **context)
        return blocks(markup, f"layouts/templates/{folder}/{name}.xml.j2")

    story = setter.flowables(run("pathway"))
    for section in ins.sections:
        # Each section starts a page, so a caseworker can print one province.
        story.append(PageBreak())
        story.append(_Running(section.title))
        story.extend(setter.flowables(run("section", section=section)))
        for i, item in enumerate(section.items):
            # A fresh flowable for each page the entry goes on to.
            caption = functools.partial(
                lambda made: setter.flowables(made)[0],
                run("continued", item=item, draft=ins.draft))
            story.append(_Entry(setter.flowables(run(
                "entry", item=item, first=i == 0, draft=ins.draft,
                care=care_known(item.view))), caption))
    return story
