"""Write a Word document with python-docx: styles from a layout, headings,
tables, hyperlinks, running header and footer, and byte-stable saving."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from dataclasses import dataclass
from urllib.parse import quote

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.shared import Emu, Pt, RGBColor
from docx.table import Table
from lxml.etree import SubElement

from booklet.errors import LayoutError
from booklet.layouts import length
from booklet.ooxml import restamp

# Word reads the language of each run from w:lang; spelling and hyphenation
# follow it (BCP 47 tags as Word writes them).
LANG_TAGS = {"vi": "vi-VN", "en": "en-GB"}
# Element and attribute names of the body, resolved once.
_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T, _TAB, _BR, _TC, _HYPERLINK = (
    qn(f"w:{tag}") for tag in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t",
                               "tab", "br", "tc", "hyperlink"))
_VAL, _TYPE, _RID, _SPACE = (qn(n) for n in ("w:val", "w:type", "r:id",
                                             "xml:space"))
# A tab is a w:tab and a line break a w:br inside the run, as python-docx
# writes them.
_BREAKS = re.compile(r"([\t\r\n])")
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme")


def _set_fonts(rpr, name: str) -> None:
    """Name the font for every script slot. Theme attributes win over named
    fonts (ECMA-376 17.3.2.26), so they are removed."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in _THEME_SLOTS:
        if fonts.get(qn(slot)) is not None:
            del fonts.attrib[qn(slot)]
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), name)


def _set_lang(rpr, tag: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _text(run, text: str) -> None:
    """`text` into a w:r as python-docx's Run.text writes it: w:t pieces,
    with xml:space="preserve" where spaces lead or trail, and a w:tab or w:br
    for each tab or line break."""
    for piece in _BREAKS.split(text):
        if piece == "\t":
            SubElement(run, _TAB)
        elif piece in ("\r", "\n"):
            SubElement(run, _BR)
        elif piece:
            t = SubElement(run, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_SPACE, "preserve")


@dataclass
class _Table:
    """A table in the body and the model of its body rows."""

    tbl: object
    row: object


class Writer:
    """One Word document under construction, styled by a docx layout.

    python-docx resolves a style name, finds the styles part and picks a
    relationship id by scanning lists that grow with the document, and its
    `add_paragraph` and `add_table` search the body for its section
    properties; called once a paragraph, that is quadratic in the number of
    entries. The writer resolves each style once, numbers hyperlink
    relationships itself and appends blocks before the body's final w:sectPr
    (ECMA-376 17.6.17: it closes the body), producing the same XML.
    """

    def __init__(self, layout: dict, lang: str):
        self.layout = layout
        self.lang = lang
        self.doc = Document()
        self._page()
        self._styles()
        self._container = self.doc._body
        self._sect_pr = self.doc.element.body.sectPr
        section = self.doc.sections[0]
        self._block_width = Emu(section.page_width - section.left_margin
                                - section.right_margin)
        self._ids: dict[tuple[str, object], str | None] = {}
        self._rels = self.doc.part.rels
        self._links = {rel.target_ref: rid for rid, rel in self._rels.items()
                       if rel.is_external and rel.reltype == RT.HYPERLINK}
        self._next_rid = 1
        self._tables: dict[tuple, tuple] = {}

    # -- set-up ---------------------------------------------------------
    def _page(self) -> None:
        page = self.layout["page"]
        section = self.doc.sections[0]
        section.page_width = int(length(page["width"], "docx page.width") * 12700)
        section.page_height = int(length(page["height"], "docx page.height")
                                  * 12700)
        for side in ("top", "bottom", "left", "right"):
            value = length(page["margins"][side], f"docx page.margins.{side}")
            setattr(section, f"{side}_margin", int(value * 12700))

    def _styles(self) -> None:
        """Defaults and every style of the layout; body text then carries
        only a style name, never direct formatting."""
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        _set_fonts(rpr, self.layout["font"])
        _set_lang(rpr, LANG_TAGS.get(self.lang, self.lang))
        kinds = {"paragraph": WD_STYLE_TYPE.PARAGRAPH,
                 "character": WD_STYLE_TYPE.CHARACTER}
        for name, spec in self.layout["styles"].items():
            kind = kinds[spec.get("type", "paragraph")]
            try:
                style = styles[name]
            except KeyError:
                # A built-in name (Hyperlink) must not be marked custom, or
                # Word keeps its own style beside ours under a new name.
                style = styles.add_style(name, kind,
                                         builtin=bool(spec.get("builtin")))
                style.hidden = False
                style.quick_style = True
            if spec.get("based_on"):
                style.base_style = styles[spec["based_on"]]
            self._style(style, name, spec)

    def _style(self, style, name: str, spec: dict) -> None:
        font = style.font
        rpr = style.element.get_or_add_rPr()
        _set_fonts(rpr, spec.get("font", self.layout["font"]))
        if "size" in spec:
            font.size = Pt(length(spec["size"], f"docx styles.{name}.size"))
            # w:szCs sizes complex-script runs; keep it equal to w:sz.
            size_cs = rpr.find(qn("w:szCs"))
            if size_cs is None:
                size_cs = OxmlElement("w:szCs")
                rpr.find(qn("w:sz")).addnext(size_cs)
            size_cs.set(qn("w:val"), str(round(font.size.pt * 2)))
        for flag in ("bold", "italic", "underline"):
            if flag in spec:
                setattr(font, flag, bool(spec[flag]))
        if "color" in spec:
            font.color.rgb = RGBColor.from_string(str(spec["color"]))
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            return
        fmt = style.paragraph_format
        for key in ("space_before", "space_after"):
            if key in spec:
                setattr(fmt, key, Pt(length(spec[key], f"docx styles.{name}.{key}")))
        if "line_spacing" in spec:
            fmt.line_spacing = float(spec["line_spacing"])
        for key in ("keep_with_next", "page_break_before", "keep_together"):
            if key in spec:
                setattr(fmt, key, bool(spec[key]))
        if "indent" in spec:
            fmt.left_indent = Pt(length(spec["indent"], f"docx styles.{name}.indent"))

    def style_id(self, name: str) -> str:
        key = (name, None)
        if key not in self._ids:
            try:
                self._ids[key] = self.doc.styles[name].style_id
            except KeyError as exc:
                raise LayoutError(
                    f"docx layout: no style '{name}'; define it under 'styles'"
                ) from exc
        return self._ids[key]

    def _applied(self, name: str, kind) -> str | None:
        """The id to write for style `name` of `kind`, as python-docx writes
        it: None for the default style of that kind (Normal)."""
        key = (name, kind)
        if key not in self._ids:
            self.style_id(name)
            self._ids[key] = self.doc.part.get_style_id(name, kind)
        return self._ids[key]

    def _block(self, tag: str):
        """A new block element at the end of the body, before its w:sectPr
        (ECMA-376 17.6.17: the section properties close the body)."""
        element = self._sect_pr.makeelement(tag)
        self._sect_pr.addprevious(element)
        return element

    # -- text -----------------------------------------------------------
    def heading(self, text: str, level: int):
        return self.para(text, f"Heading {level}")

    def para(self, text: str = "", style: str = "Normal"):
        """A paragraph of `style`; returns its w:p, to add runs and links."""
        p = self._block(_P)
        style_id = self._applied(style, WD_STYLE_TYPE.PARAGRAPH)
        ppr = SubElement(p, _PPR)
        if style_id:
            SubElement(ppr, _PSTYLE, {_VAL: style_id})
        if text:
            _text(SubElement(p, _R), text)
        return p

    def run(self, paragraph, text: str, style: str | None = None):
        """A run of text; a character style is the only formatting allowed."""
        run = SubElement(paragraph, _R)
        if style:
            style_id = self._applied(style, WD_STYLE_TYPE.CHARACTER)
            rpr = SubElement(run, _RPR)
            if style_id:
                SubElement(rpr, _RSTYLE, {_VAL: style_id})
        if text:
            _text(run, text)
        return run

    def _link_rid(self, target: str) -> str:
        """The relationship id of an external hyperlink to `target`: one per
        target, numbered from the lowest free rIdN as python-docx would."""
        rid = self._links.get(target)
        if rid is None:
            while f"rId{self._next_rid}" in self._rels:
                self._next_rid += 1
            rid = f"rId{self._next_rid}"
            self._rels.add_relationship(RT.HYPERLINK, target, rid,
                                        is_external=True)
            self._links[target] = rid
        return rid

    def link(self, paragraph, text: str, url: str, style: str = "Hyperlink"):
        """A real w:hyperlink with an external relationship (ECMA-376
        17.16.22), so Word, LibreOffice and screen readers follow it. With
        no target (a number that could ring a stranger) it is plain text:
        an empty link looks tappable and goes nowhere."""
        if not url:
            return self.run(paragraph, text)
        link = SubElement(paragraph, _HYPERLINK, {_RID: self._link_rid(uri(url))})
        run = SubElement(link, _R)
        SubElement(SubElement(run, _RPR), _RSTYLE, {_VAL: self.style_id(style)})
        SubElement(run, _T, {_SPACE: "preserve"}).text = text
        return link

    def page_break(self) -> None:
        p = self._block(_P)
        SubElement(SubElement(p, _R), _BR, {_TYPE: "page"})

    # -- tables ---------------------------------------------------------
    def table(self, header: list[str], widths: list[float], style: str):
        """A table with a header row that repeats on every page; returns a
        handle for `row`, which adds the rows.

        Every table of one kind starts the same, so it is built once with
        python-docx and copied.
        """
        key = (tuple(header), tuple(widths), style)
        if key not in self._tables:
            self._tables[key] = self._table_model(header, widths, style)
        model, row = self._tables[key]
        tbl = copy.deepcopy(model)
        self._sect_pr.addprevious(tbl)
        return _Table(tbl, row)

    def _table_model(self, header: list[str], widths: list[float], style: str):
        tbl = CT_Tbl.new_tbl(1, len(header), self._block_width)
        table = Table(tbl, self._container)
        tbl.tblStyle_val = self._applied(style, WD_STYLE_TYPE.TABLE)
        table.autofit = False
        row = table.rows[0]
        trpr = row._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        trpr.append(repeat)
        heading = self._applied("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
        for cell, text, width in zip(row.cells, header, widths, strict=True):
            cell.width = int(width * 12700)
            cell.paragraphs[0]._p.style = heading
            cell.paragraphs[0].add_run(text)
        # LibreOffice lays tables out by the grid, Word by the cell widths.
        for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = int(width * 12700)
        # The model of a body row, copied by `row`.
        body = table.add_row()
        # A row split across pages loses its header context (cantSplit).
        body._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        text = self._applied("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        for cell, width in zip(body.cells, widths, strict=True):
            cell.width = int(width * 12700)
            cell.paragraphs[0]._p.style = text
        tbl.remove(body._tr)
        return tbl, body._tr

    def row(self, table, cells: list) -> list:
        """Append a row; each cell is a string or a callable that fills the
        cell's w:p. Returns the cells' paragraphs."""
        tr = copy.deepcopy(table.row)
        table.tbl.append(tr)
        paragraphs = [tc[-1] for tc in tr.iterchildren(_TC)]
        for paragraph, value in zip(paragraphs, cells, strict=True):
            if callable(value):
                value(paragraph)
            elif value:
                self.run(paragraph, str(value))
        return paragraphs

    # -- page furniture -------------------------------------------------
    def furniture(self, header: str, stamp: str, page_label: str) -> None:
        """Running header (the draft stamp first, when given) and a footer
        with the page number as a PAGE field."""
        section = self.doc.sections[0]
        head = section.header.paragraphs[0]
        if stamp:
            head.style = self.doc.styles["Draft Stamp"]
            head.add_run(stamp)
            head = section.header.add_paragraph(style="Header")
        else:
            head.style = self.doc.styles["Header"]
        head.add_run(header)
        foot = section.footer.paragraphs[0]
        foot.style = self.doc.styles["Footer"]
        foot.add_run(f"{page_label} ")
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        run.append(t)
        field.append(run)
        foot._p.append(field)

    # -- saving ---------------------------------------------------------
    def save(self, when: dt.date, title: str, subject: str, author: str) -> bytes:
        """The .docx bytes, identical for identical content: dates fixed to
        `when`, ZIP entries in a fixed order with a fixed timestamp."""
        props = self.doc.core_properties
        stamp = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        props.title, props.subject, props.author = title, subject, author
        props.last_modified_by = author
        props.language = LANG_TAGS.get(self.lang, self.lang)
        props.keywords = props.comments = props.category = ""
        # The template's thumbnail shows a blank page; no thumbnail is better.
        rels = self.doc.part.package.rels
        for rid in [r for r, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
            rels.pop(rid)
        # The template's extended properties claim one page, no words and
        # "Microsoft Macintosh Word"; Word's File > Info showed them until a
        # reviewer saved. Only what is true stays: who wrote the file.
        for rel in rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = _APP_XML
        raw = io.BytesIO()
        self.doc.save(raw)
        return restamp(raw.getvalue())


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties"><Application>booklet</Application></Properties>')


def uri(url: str) -> str:
    """`url` with non-ASCII characters percent-encoded (RFC 3986 section 2.1),
    as a relationship target must be a URI; the link text stays as written."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")
