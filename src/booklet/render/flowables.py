"""Directory flowables and paragraph styles: hanging label rows, icon
strips, anchors, contents and index lines, and the Typesetter that turns
composed blocks into them."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser

from booklet.compose.directory import Block, Book, EntryBlocks, Heading, nobr
from booklet.errors import FitError, LayoutError
from booklet.layouts import length
from booklet.render.fonts import face_name
from booklet.render.lines import Lines, can_set, runs, tuple_tree
from booklet.render.page import colour, draw_icon


class Para(Paragraph):
    """A Paragraph that remembers its last line breaking: platypus wraps a
    flowable several times at the same width (keep-together, frame, draw),
    and breaking lines is the dearest step of the whole build."""

    _wrapped: tuple | None = None

    def wrap(self, aw, ah):
        if (self._wrapped is not None and self._wrapped[0] == aw
                and "blPara" in self.__dict__):
            return self._wrapped[1]
        size = super().wrap(aw, ah)
        self._wrapped = (aw, size)
        return size


def icon(canv, name: str, x: float, y: float, size: float, fill, ink,
         crossed: bool = False, cross_colour=None) -> None:
    """Draw icon `name` as a form XObject: each icon and colouring is drawn
    once per document (icon_forms) and placed wherever it recurs, which
    keeps thousands of entry icons small in the file and quick to draw."""
    forms = canv.__dict__.setdefault("_booklet_icons", {})
    key = (name, repr(fill), repr(ink), crossed, repr(cross_colour))
    found = forms.get(key)
    if found is None:
        found = forms[key] = (f"icon{len(forms)}",
                              (name, fill, ink, crossed, cross_colour))
    canv.saveState()
    canv.translate(x, y)
    canv.scale(size, size)
    canv.doForm(found[0])
    canv.restoreState()


def icon_forms(canv) -> None:
    """Define the form of every icon `icon` placed; call before saving."""
    for form, (name, fill, ink, crossed, cross) in canv.__dict__.get(
            "_booklet_icons", {}).values():
        # The unit square plus room for the cross and round line caps.
        canv.beginForm(form, lowerx=-0.2, lowery=-0.2, upperx=1.2, uppery=1.2)
        draw_icon(canv, name, 0, 0, 1, fill, ink, crossed, cross)
        canv.endForm()


class Anchor(Flowable):
    """A zero-height mark where a heading or entry starts: the document records
    its page, bookmark and running head when it is drawn. `rule` draws a
    hairline above an entry."""

    def __init__(self, dest: str, outline: str = "", level: int = 0,
                 running: str = "", provider: str = "", rule=None,
                 rule_width: float = 0.4):
        super().__init__()
        self.dest, self.outline, self.level = dest, outline, level
        self.running, self.provider = running, provider
        self.rule, self.rule_width = rule, rule_width
        self.keepWithNext = 1

    def wrap(self, aw, ah):
        self.width = aw
        return aw, 0

    def draw(self):
        if self.rule is not None:
            self.canv.setStrokeColor(self.rule)
            self.canv.setLineWidth(self.rule_width)
            self.canv.line(0, 0, self.width, 0)


class Nothing(Flowable):
    """A flowable that takes no space, so an intentionally blank page is
    still emitted."""

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        pass


class Hanging(Flowable):
    """A body paragraph with a left column: a label paragraph or an icon.
    Splits across pages like its body; the left column stays with the first
    part."""

    def __init__(self, body, indent: float, label: Paragraph | None = None,
                 icon: tuple | None = None, icon_size: float = 8,
                 first_line: float = 0, provider: str = "", shift: float = 0,
                 gap: float = 0):
        super().__init__()
        # Space below the row, kept as space after (not a Spacer) so that a
        # frame drops it at its foot and platypus places half the flowables.
        self.gap = gap
        self.shift = shift  # lowers the body to share a baseline with the label
        self.body, self.indent, self.label = body, indent, label
        self.icon, self.icon_size = icon, icon_size
        self.first_line = first_line  # height of the body's first line
        self.provider = provider

    def wrap(self, aw, ah):
        self.width = aw
        _, self.body_height = self.body.wrap(aw - self.indent, ah)
        self.label_height = self.label_drop = 0.0
        if self.label is not None:
            _, self.label_height = self.label.wrap(self.indent - 3, ah)
            # A smaller label sits on the first baseline of its text, not
            # above it: both first baselines fall one type size below the top.
            self.label_drop = max(0.0, _size(self.body) - _size(self.label)
                                  - self.shift)
        left = (self.icon_size if self.icon is not None
                else self.label_height + self.label_drop)
        self.height = max(self.body_height + self.shift, left)
        return aw, self.height

    def split(self, aw, ah):
        parts = self.body.split(aw - self.indent, ah - self.shift)
        if not parts:
            return []
        first = Hanging(parts[0], self.indent, self.label, self.icon,
                        self.icon_size, self.first_line, self.provider, self.shift,
                        self.gap)
        # The label (lowered to the body's baseline) can be taller than the
        # body's first part: then nothing of the row fits here, and platypus
        # must move it to the next frame rather than place a part too tall.
        if first.wrap(aw, ah)[1] > ah + 1e-6:
            return []
        return [first] + [Hanging(p, self.indent, provider=self.provider,
                                  gap=self.gap) for p in parts[1:]]

    def getSpaceBefore(self):
        return self.body.getSpaceBefore()

    def getSpaceAfter(self):
        return self.body.getSpaceAfter() + self.gap

    def draw(self):
        canv = self.canv
        # The label first: text is read and copied from an untagged PDF in
        # the order it is drawn ("Address 12 Main Street", not the reverse).
        if self.label is not None:
            # A label may be shared by many rows: wrap it again at this width.
            self.label.wrap(self.indent - 3, self.height)
            self.label.drawOn(canv, 0, self.height - self.label_height
                              - self.label_drop)
        elif self.icon is not None:
            name, fill, ink, crossed, *cross = self.icon
            # Centre the icon on the first line of the body.
            top = self.height - max(0.0, (self.first_line - self.icon_size) / 2)
            icon(canv, name, 0, top - self.icon_size, self.icon_size,
                 fill, ink, crossed, *cross)
        self.body.drawOn(canv, self.indent,
                         self.height - self.body_height - self.shift)


def _size(para) -> float:
    """The type size of a paragraph's first line, which sets its baseline."""
    first = getattr(para, "first_size", None)
    if first:
        return first()
    # Not a paragraph (the icons of care standards): no baseline to meet.
    style = getattr(para, "style", None)
    return getattr(style, "fontSize", 0.0)


class IconStrip(Flowable):
    """Icons each followed by their label, flowing onto as many lines as
    needed (the care standards of an entry)."""

    def __init__(self, items: list[tuple], font: str, size: float,
                 leading: float, colour, icon_size: float, cross_colour=None):
        super().__init__()
        self.cross_colour = cross_colour or colour
        self.items = items  # (icon, label, fill, ink, crossed)
        self.font, self.size, self.leading = font, size, leading
        self.colour, self.icon_size = colour, icon_size

    def _place(self, aw):
        x, y, placed = 0.0, 0, []
        gap = self.size * 0.4
        for item in self.items:
            w = self.icon_size + gap + stringWidth(item[1], self.font, self.size)
            if x and x + w > aw:
                x, y = 0.0, y + 1
            placed.append((x, y, item))
            x += w + self.size * 1.2
        return placed, y + 1

    def wrap(self, aw, ah):
        self.width = aw
        self.placed, lines = self._place(aw)
        self.height = lines * self.leading
        return aw, self.height

    def draw(self):
        canv = self.canv
        gap = self.size * 0.4
        for x, line, (name, label, fill, ink, crossed) in self.placed:
            base = self.height - (line + 1) * self.leading + (
                self.leading - self.size) / 2 + self.size * 0.2
            icon(canv, name, x, base - self.size * 0.12, self.icon_size,
                 fill, ink, crossed, self.cross_colour)
            canv.setFillColor(self.colour)
            canv.setFont(self.font, self.size)
            canv.drawString(x + self.icon_size + gap, base, label)


class Leader(Flowable):
    """A contents or index line: text on the left, the page number on the
    right, the whole line a link to `dest` when `link` is set. The number is
    either known (`page`) or a form XObject filled in at the end of the build
    (`form`), since the contents precede the pages they list."""

    def __init__(self, text: Paragraph, dest: str, number_font: str,
                 number_size: float, colour, page: str = "", form: str = "",
                 link: bool = False, number_width: float = 24):
        super().__init__()
        self.text, self.dest, self.page, self.form = text, dest, page, form
        self.font, self.size, self.colour = number_font, number_size, colour
        self.link, self.number_width = link, number_width

    def wrap(self, aw, ah):
        self.width = aw
        _, self.height = self.text.wrap(aw - self.number_width, ah)
        return aw, self.height

    def getSpaceBefore(self):
        return self.text.getSpaceBefore()

    def getSpaceAfter(self):
        return self.text.getSpaceAfter()

    def draw(self):
        canv = self.canv
        self.text.drawOn(canv, 0, 0)
        # The number sits on the baseline of the text's last line.
        style = self.text.style
        lines = text_lines(self.text)
        base = self.height - style.fontSize - (lines - 1) * style.leading
        if self.form:
            canv.saveState()
            canv.translate(self.width, base)
            canv.doForm(self.form)
            canv.restoreState()
        else:
            canv.setFillColor(self.colour)
            canv.setFont(self.font, self.size)
            canv.drawRightString(self.width, base, self.page)
        if self.link:
            canv.linkRect("", self.dest, (0, 0, self.width, self.height),
                          relative=1, thickness=0)


def styles(book: Book) -> dict[str, ParagraphStyle]:
    """Paragraph styles from the layout's type sizes, colours and leading."""
    layout, lang = book.layout, book.lang
    t = layout["type"]
    ratio = float(layout["leading"][lang])
    if ratio < 1.35:
        # Stacked marks (Ấ, Ễ, Ộ) touch the line above below 1.35.
        raise LayoutError(
            f"layouts: leading.{lang} is {ratio}; Vietnamese text (printed in "
            "every edition) needs at least 1.35 times the type size so that "
            "stacked diacritics do not collide")
    c = {k: colour(v, "colours") for k, v in layout["colours"].items()}
    sans, serif = layout["family"], layout["text_family"]
    bold = face_name(sans, "bold")

    # English may hyphenate (through pyphen, when installed); Vietnamese
    # syllables are words and are never hyphenated.
    hyphenation = ""
    if layout.get("hyphenate", {}).get(lang) and lang == "en" and has_pyphen():
        hyphenation = "en_GB"

    def st(name, size, font=sans, color="text", **kw):
        kw.setdefault("leading", size * ratio)
        kw.setdefault("hyphenationLang", hyphenation)
        # Where ReportLab sets a paragraph (hyphenated English), no last
        # line opens a page alone either, as with Lines.
        kw.setdefault("allowWidows", 0)
        return ParagraphStyle(name, fontName=font, fontSize=t[size] if isinstance(
            size, str) else size, textColor=c[color], splitLongWords=1,
            **kw)

    def sized(name, key, **kw):
        size = t[key]
        kw.setdefault("leading", size * ratio)
        return st(name, size, **kw)

    body = t["body"]
    return {
        "body": sized("body", "body"),
        "label": sized("label", "label", font=bold, color="muted",
                       leading=t["body"] * ratio),
        "name": sized("name", "entry_name", font=bold, color="accent",
                      keepWithNext=1, spaceBefore=body * 0.5,
                      spaceAfter=body * 0.1),
        "sub": sized("sub", "other_name", color="muted", keepWithNext=1),
        "meta": sized("meta", "small", color="muted", keepWithNext=1,
                      spaceAfter=body * 0.45),
        "state": sized("state", "small", color="muted"),
        "text": sized("text", "body", font=serif, spaceAfter=body * 0.55,
                      leading=t["body"] * max(ratio, 1.45)),
        "h1": sized("h1", "section", font=bold, color="accent", keepWithNext=1,
                    spaceBefore=body * 1.3, spaceAfter=body * 0.5),
        "h2": sized("h2", "body", font=bold, color="accent", keepWithNext=1,
                    spaceBefore=body * 1.0, spaceAfter=body * 0.3),
        "small": sized("small", "small", color="muted", spaceAfter=body * 0.3),
        "warning": sized("warning", "section", font=bold, color="warning"),
        "item": sized("item", "small", spaceAfter=body * 0.25),
        "key": sized("key", "small"),
        "kicker": sized("kicker", "region", font=bold, color="muted",
                        keepWithNext=1, spaceBefore=length(
                            layout["space"]["province_before"]) + body * 2),
        "part_kicker": sized("part_kicker", "section", font=bold, color="muted",
                             keepWithNext=1),
        "part": sized("part", "part", font=bold, color="accent", keepWithNext=1,
                      spaceAfter=body * 1.2),
        "province": sized("province", "province", font=bold, color="accent",
                          keepWithNext=1, spaceAfter=body * 0.6,
                          leading=t["province"] * 1.25),
        "toc0": sized("toc0", "toc", font=bold, spaceBefore=body * 0.7),
        "toc1": sized("toc1", "toc", leftIndent=body * 1.4),
        "index": sized("index", "index", leftIndent=body, firstLineIndent=-body),
        "index_head": sized("index_head", "body", font=bold, color="accent",
                            keepWithNext=1, spaceBefore=body * 0.9,
                            spaceAfter=body * 0.2),
        "cover_kicker": sized("cover_kicker", "cover_subtitle", font=bold,
                              color="on_accent", spaceAfter=t["cover_title"] * 0.8),
        "cover_title": sized("cover_title", "cover_title", font=bold,
                             color="on_accent", leading=t["cover_title"] * 1.3,
                             spaceAfter=t["cover_title"] * 0.5),
        "cover_subtitle": sized("cover_subtitle", "cover_subtitle", font=serif,
                                color="on_accent", spaceAfter=t["cover_title"]),
        "cover_edition": sized("cover_edition", "body", font=bold,
                               color="on_accent"),
        "back_title": sized("back_title", "section", font=bold, color="accent",
                            spaceAfter=body),
        "back_number": sized("back_number", "hotline_number", font=bold,
                             color="accent", alignment=TA_LEFT,
                             leading=t["hotline_number"] * 1.2),
        "back_note": sized("back_note", "small", color="muted",
                           spaceBefore=body * 2),
        "hotline_number": sized("hotline_number", "hotline_number", font=bold,
                                color="accent", alignment=TA_CENTER,
                                leading=t["hotline_number"] * 1.2),
    }


class Typesetter:
    """Turns a Book into flowables: blocks to paragraphs, entries to rows."""

    def __init__(self, book: Book, styles_: dict, colours: dict, links: bool):
        self.book, self.s, self.c, self.links = book, styles_, colours, links
        space = book.layout["space"]
        self.label_width = length(space["label_width"])
        self.icon = length(space["icon"])
        self.row_gap = length(space["row_gap"])
        self.entry_gap = length(space["entry_gap"])
        self.family = book.layout["family"]
        self.words = book.words
        self.labels: dict[str, Paragraph] = {}
        self.plain: dict[str, object] = {}
        self.parser = ParaParser()
        self.parser.caseSensitive = 1  # as Paragraph sets it
        # Hotline numbers hang in a column as wide as the widest of them,
        # and the text keeps about an em's gap from it at any type size.
        size = book.layout["type"]["hotline_number"]
        self.number_width = 0.8 * size + max(
            [stringWidth(h["number"], face_name(self.family, "bold"), size)
             for h in book.hotlines] or [0])

    def label(self, markup: str) -> Paragraph:
        """A row label; one paragraph per distinct label, parsed once."""
        found = self.labels.get(markup)
        if found is None:
            found = self.labels[markup] = self.para(markup, "label")
        return found

    def para(self, markup: str, style: str, provider: str = "") -> Paragraph:
        if markup.strip() and not any(c in markup for c in "<&\n"):
            # Plain text needs no markup parser: its one fragment is the
            # style's own fragment holding the text.
            text = cleanBlockQuotedText(markup)
            return self._set(text, style, [self._plain(style).clone(text=text)])
        tree = tuple_tree(cleanBlockQuotedText(markup))
        if tree is not None and can_set(self.s[style], ()):
            found = runs(tree, self.s[style])
            if found is not None:
                return Lines(self.s[style], found)
        if tree is not None:
            # ReportLab's own handlers build the fragments from the tree;
            # only its (slow) HTML tokenizer is skipped.
            try:
                _, frags, _ = self.parser.tt_parse(tree, self.s[style])
            except ValueError:
                frags = None
            if frags is not None:
                textTransformFrags(frags, self.s[style])
                return self._set(markup, style, frags)
        try:
            return Para(markup, self.s[style])
        except ValueError as exc:
            who = f"provider {provider}" if provider else "the directory text"
            raise FitError(f"{who}: cannot typeset {markup[:80]!r}: {exc}") from exc

    def _set(self, markup: str, style: str, frags: list):
        """Our own line breaking where it sets the text as ReportLab would,
        at a fraction of the time; ReportLab's Paragraph elsewhere."""
        if can_set(self.s[style], frags):
            return Lines(self.s[style], frags)
        return Para(markup, self.s[style], frags=frags)

    def _plain(self, style: str):
        """The fragment ReportLab's parser makes for plain text in `style`."""
        found = self.plain.get(style)
        if found is None:
            found = self.plain[style] = ParaParser().parse(
                "x", self.s[style])[1][0]
        return found

    def icon_of(self, name: str, crossed: bool = False) -> tuple:
        fill = self.c["warning"] if name == "consent" else self.c["accent"]
        return (name, fill, self.c["on_accent"], crossed, self.c["warning"])

    def block(self, b: Block, provider: str = "") -> list:
        k, a = b.kind, b.attrs
        s = self.s
        if k in ("name", "h1"):
            style = "name" if k == "name" else "h1"
            return [Anchor(a.get("dest", ""), a.get("outline", ""),
                           int(a.get("level", 1)), provider=provider,
                           rule=None),
                    self.para(b.markup, style, provider)]
        if k in ("row", "care"):
            label = self.label(a.get("label", ""))
            if k == "care":
                body = IconStrip(
                    [(code, self.words["care_short"][code]
                      + ("" if answer == "yes" else f" ({self.words['care_no']})"),
                      *self.icon_of(code, answer != "yes")[1:3], answer != "yes")
                     for code, answer in (item.split(":") for item in
                                          a["items"].split(";"))],
                    self.family, s["body"].fontSize * 0.92, s["body"].leading,
                    self.c["text"], self.icon, self.c["warning"])
            else:
                body = self.para(b.markup, "body", provider)
            return [Hanging(body, self.label_width, label=label, provider=provider,
                            gap=self.row_gap)]
        if k in ("service", "state", "key"):
            gap = {"service": 3, "state": 1, "key": 2}[k]
            style = {"service": "body", "state": "state", "key": "key"}[k]
            body = self.para(b.markup, style, provider)
            indent = self.label_width if k != "key" else self.icon * 2.2
            if "abbr" in a:
                indent = self.label_width * 0.6
                label = self.para(f"<b>{esc(a['abbr'])}</b>", "key")
                return [Hanging(body, indent, label=label, provider=provider,
                                gap=self.row_gap * 2)]
            return [Hanging(body, indent,
                            icon=self.icon_of(a.get("icon", "info"),
                                              bool(a.get("cross"))),
                            icon_size=self.icon, first_line=s[style].leading,
                            provider=provider, gap=self.row_gap * gap)]
        if k in ("hotline", "back_hotline"):
            number = esc(nobr(a["number"]))
            if self.links and a.get("tel"):
                # On screen the national numbers are tapped, like an entry's.
                number = f'<a href="{esc(a["tel"])}">{number}</a>'
            number = self.para(number, "back_number")
            body = self.para(b.markup, "body")
            shift = (self.s["back_number"].fontSize - body.style.fontSize) * 0.9
            return [Hanging(body, self.number_width, label=number, shift=shift,
                            gap=self.row_gap * 5)]
        if k == "gap":
            return [Spacer(1, s["body"].leading)]
        if k == "push":
            # Imprint matter sits low on the inside cover.
            return [Spacer(1, length(self.book.layout["space"]["imprint_top"]))]
        style = {"sub": "sub", "meta": "meta", "text": "text", "h2": "h2",
                 "small": "small", "warning": "warning", "item": "item",
                 "cover_kicker": "cover_kicker", "cover_title": "cover_title",
                 "cover_subtitle": "cover_subtitle",
                 "cover_edition": "cover_edition", "back_title": "back_title",
                 "back_note": "back_note"}.get(k, "body")
        return [self.para(b.markup, style, provider)]

    def blocks(self, blocks: list[Block]) -> list:
        out: list = []
        for b in blocks:
            out += self.block(b)
        return out

    def entry(self, item: EntryBlocks, first: bool) -> list:
        out: list = [] if first else [
            Spacer(1, self.entry_gap / 2),
            Anchor("", rule=self.c["rule"], rule_width=0.3, provider=item.id),
            Spacer(1, self.entry_gap / 2)]
        rows = [self.block(b, item.id) for b in item.blocks]
        # The state rows that close an entry (verification, consent) never
        # open a page on their own, where they read as if they belonged to
        # the entry that follows: they go with the row before them.
        kinds = [b.kind for b in item.blocks]
        first = kinds.index("state") if "state" in kinds else len(rows) - 1
        for row in rows[max(first - 1, 0):-1]:
            if row and isinstance(row[-1], Hanging):
                row[-1].keepWithNext = 1
        for row in rows:
            out += row
        return out

    def heading(self, h: Heading) -> list:
        s = self.s
        if h.kind == "part":
            return [Anchor(h.dest, f"{h.kicker}. {h.title}", 0, running=h.running),
                    self.para(esc(h.kicker), "part_kicker"),
                    self.para(esc(h.title), "part")]
        if h.kind == "region":
            return [Anchor(h.dest, h.title, 0, running=h.running)]
        out = [CondPageBreak(s["body"].leading * 8),
               Anchor(h.dest, h.title, h.level, running=h.running)]
        if h.kicker:
            out.append(self.para(esc(h.kicker.upper()), "kicker"))
        out.append(self.para(esc(h.title), "province"))
        return out

    def contents(self, toc: list[tuple[str, str, int]]) -> list:
        out: list = [Anchor("contents", self.words["contents"], 0,
                            running=self.words["contents"]),
                     self.para(esc(self.words["contents"]), "part")]
        t = self.book.layout["type"]
        for title, dest, level in toc:
            out.append(Leader(self.para(esc(title), f"toc{min(level, 1)}"), dest,
                              self.family, t["toc"], self.c["text"],
                              form=f"pg_{dest}", link=self.links))
        return out

    def index(self, pages: dict[str, int]) -> list:
        """The two indexes; page numbers are known because the index follows
        every entry it lists."""
        w, t = self.words, self.book.layout["type"]
        out: list = [Anchor("index-categories", w["index_categories"], 0,
                            running=w["index_categories"]),
                     self.para(esc(w["index_categories"]), "h1")]
        for icon, name, lines in self.book.index_categories:
            head = Hanging(self.para(f"<b>{esc(name)}</b>", "index_head"),
                           self.icon * 1.6, icon=self.icon_of(icon),
                           icon_size=self.icon,
                           first_line=self.s["index_head"].leading)
            head.keepWithNext = 1
            out.append(head)
            out += [self._index_line(line, pages, t) for line in lines]
        out += [Anchor("index-alpha", w["index_alpha"], 0, running=w["index_alpha"]),
                self.para(esc(w["index_alpha"]), "h1"),
                self.para(esc(w["index_alpha_note"]), "small")]
        out += [self._index_line(line, pages, t) for line in self.book.index_alpha]
        return out

    def _index_line(self, line, pages, t) -> Leader:
        return Leader(self.para(line.markup, "index"), line.dest, self.family,
                      t["index"], self.c["text"], page=str(pages.get(line.dest, "")),
                      link=self.links, number_width=t["index"] * 2.4)


def text_lines(para) -> int:
    """How many lines a wrapped paragraph (ours or ReportLab's) holds."""
    if isinstance(para, Lines):
        return para.line_count or 1
    return len(getattr(getattr(para, "blPara", None), "lines", [1]))


def esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def has_pyphen() -> bool:
    """Whether ReportLab can hyphenate: it needs the pyphen package."""
    try:
        import pyphen  # noqa: F401
    except ImportError:
        return False
    return True
