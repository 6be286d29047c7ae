"""Paragraphs read and broken into lines by our own code: the thousands of
rows of a directory and of leaflets, where ReportLab's general parser and
line breaker were the dearest steps of a build."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain

from reportlab.lib.colors import toColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import ps2tt, tt2ps
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import known_entities

# Breaks fall at ordinary spaces only: a no-break space (U+00A0) holds a phone
# number or a name together, as in ReportLab's own paragraphs.
_SPACES = re.compile(r"[ \t\r\n]+")

# The markup our templates write: a few tags with double-quoted attributes,
# text, and character references.
_TOKEN = re.compile(r'<(/?)([a-z]+)((?:\s+[a-z]+="[^"<>&]*")*)\s*(/?)>'
                    r"|&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|[^<&]+")
_ATTR = re.compile(r'([a-z]+)="([^"]*)"')
_TAGS = frozenset(("b", "i", "font", "br", "a"))


def tuple_tree(markup: str) -> tuple | None:
    """`markup` as the tuple tree ReportLab's paragraph parser also accepts
    (ParaParser.tt_parse), or None for anything beyond our templates' markup
    (the caller then lets ReportLab parse the text). Each text run and each
    character reference becomes its own child, as ReportLab's HTML parser
    delivers them, so the fragments come out the same."""
    root: tuple = ("para", {}, [])
    stack = [root]
    pos = 0
    for m in _TOKEN.finditer(markup):
        if m.start() != pos:
            return None
        pos = m.end()
        close, tag, attrs, empty, ref = m.group(1, 2, 3, 4, 5)
        if tag:
            if tag not in _TAGS:
                return None
            if close:
                if attrs or empty or stack[-1][0] != tag or len(stack) == 1:
                    return None
                stack.pop()
                continue
            node = (tag, dict(_ATTR.findall(attrs)), [])
            stack[-1][2].append(node)
            if not empty:
                stack.append(node)
        elif ref:
            if ref[0] == "#":
                stack[-1][2].append(chr(int(ref[2:], 16) if ref[1] == "x"
                                        else int(ref[1:])))
            elif ref in known_entities:
                stack[-1][2].append(known_entities[ref])
            else:
                return None
        else:
            stack[-1][2].append(m.group(0))
    return root if pos == len(markup) and len(stack) == 1 else None


class _Widths(dict):
    """Advance widths of one font at one size, by character, measured on
    first use from the font's own metrics."""

    def __init__(self, font_name: str, size: float):
        super().__init__()
        face = getFont(font_name).face
        self.table, self.default = face.charWidths, face.defaultWidth
        self.scale = size / 1000

    def __missing__(self, char: str) -> float:
        # A newline stands for a line break of the markup and takes no space.
        width = 0.0 if char == "\n" else self.table.get(
            ord(char), self.default) * self.scale
        self[char] = width
        return width


_widths: dict[tuple[str, float], _Widths] = {}
# How far into the spare width of a line it starts, by alignment.
_ALIGNED = {TA_LEFT: 0.0, TA_CENTER: 0.5, TA_RIGHT: 1.0}


def widths(font_name: str, size: float) -> _Widths:
    found = _widths.get((font_name, size))
    if found is None:
        found = _widths[font_name, size] = _Widths(font_name, size)
    return found


def can_set(style, frags) -> bool:
    """Whether Lines sets this paragraph as ReportLab would: unjustified,
    unhyphenated text in TrueType faces, without rises or underlines."""
    if (style.alignment not in _ALIGNED
            or getattr(style, "hyphenationLang", "")):
        return False
    for f in frags:
        if (getattr(f, "rise", 0) or getattr(f, "us_lines", None)
                or getattr(f, "cbDefn", None) is not None
                or getattr(f, "backColor", None)
                # TrueType only: its subsets encode the text, its metrics
                # give the widths.
                or not getattr(getFont(f.fontName), "_dynamicFont", False)):
            return False
    return True


class Run:
    """A stretch of text in one font, size and colour, perhaps a link: what
    Lines needs of one of ReportLab's paragraph fragments."""

    __slots__ = ("fontName", "fontSize", "lineBreak", "link", "text", "textColor")

    def __init__(self, text, font, size, colour, link=(), line_break=False):
        self.text, self.fontName, self.fontSize = text, font, size
        self.textColor, self.link, self.lineBreak = colour, link, line_break


_colours: dict[str, object] = {}


def runs(tree: tuple, style) -> list[Run] | None:
    """The runs of a markup tree (tuple_tree) of <b>, <i>, <br/>,
    <font color size> and <a href color>, set in `style`; None for any other
    tag or attribute, which ReportLab's own parser then reads."""
    family, bold, italic = ps2tt(style.fontName)
    out: list[Run] = []

    def walk(node, bold, italic, size, colour, link) -> bool:
        for child in node[2]:
            if isinstance(child, str):
                out.append(Run(child, tt2ps(family, bold, italic), size, colour,
                               link))
                continue
            tag, attrs, _ = child
            b, i, z, c, k = bold, italic, size, colour, link
            if tag == "br":
                out.append(Run("", tt2ps(family, b, i), z, c, k, True))
                continue
            keys = set(attrs)
            if tag == "b" and not keys:
                b = 1
            elif tag == "i" and not keys:
                i = 1
            elif tag == "font" and keys <= {"color", "size"}:
                if "size" in attrs:
                    try:
                        z = float(attrs["size"])
                    except ValueError:
                        return False
                if "color" in attrs:
                    c = _colour(attrs["color"])
                    if c is None:
                        return False
            elif tag == "a" and "href" in keys and keys <= {"href", "color"}:
                k = (*link, (len(link), attrs["href"].strip()))
                if "color" in attrs:
                    c = _colour(attrs["color"])
                    if c is None:
                        return False
            else:
                return False
            if not walk(child, b, i, z, c, k):
                return False
        return True

    if not walk(tree, bold, italic, style.fontSize, style.textColor, ()):
        return None
    return out


def _colour(spec: str):
    found = _colours.get(spec)
    if found is None:
        try:
            found = _colours[spec] = toColor(spec)
        except ValueError:
            return None
    return found


class Text:
    """A paragraph's text as one string, with the fragment (font, size,
    colour, link) each stretch of it is set in and the running width at
    every character. A line break of the markup is a newline."""

    __slots__ = ("cum", "frags", "starts", "text")

    def __init__(self, frags):
        parts, starts, kept = [], [], []
        last, at = "\n", 0  # the start of the text takes no space
        for f in frags:
            if getattr(f, "lineBreak", False):
                text = "\n"
            else:
                text = _SPACES.sub(" ", f.text)
                if last in " \n":
                    text = text.lstrip(" ")
            if not text:
                continue
            starts.append(at)
            parts.append(text)
            kept.append(f)
            last = text[-1]
            at += len(text)
        self.text = "".join(parts)
        self.starts, self.frags = starts, kept
        self.cum = [0.0, *accumulate(chain.from_iterable(
            map(widths(f.fontName, f.fontSize).__getitem__, part)
            for f, part in zip(kept, parts, strict=True)))]

    def breaks(self, start: int, end: int, first: float, rest: float
               ) -> list[tuple[int, int]]:
        """Greedy lines over text[start:end]: the first `first` points wide,
        the others `rest`. A word wider than a line is split where it must."""
        text, cum = self.text, self.cum
        lines = []
        a, width = start, first
        while True:
            while a < end and text[a] == " ":
                a += 1
            if a >= end:
                break
            fits = min(bisect_right(cum, cum[a] + width + 1e-6, a) - 1, end)
            forced = text.find("\n", a, fits + 1 if fits < end else end)
            if forced != -1:
                lines.append((a, forced))
                a, width = forced + 1, rest
                continue
            if fits >= end:
                lines.append((a, end))
                break
            space = text.rfind(" ", a, fits + 1)
            if space > a:
                lines.append((a, space))
                a = space + 1
            else:
                # A word wider than the line (a web address): cut before its
                # last punctuation that fits, so that a hyphen opens the next
                # line and is never read as a hyphenation, else where the
                # line ends.
                cut = _url_break(text, a, fits)
                if cut <= a:
                    cut = max(fits, a + 1)
                lines.append((a, cut))
                a = cut
            width = rest
        return lines

    def width(self, a: int, b: int) -> float:
        """The printed width of text[a:b], without trailing space."""
        b = len(self.text[a:b].rstrip(" \n")) + a
        return self.cum[b] - self.cum[a]

    def runs(self, a: int, b: int):
        """(fragment, text) stretches of text[a:b], trailing space dropped."""
        text, starts, frags = self.text, self.starts, self.frags
        b = len(text[a:b].rstrip(" \n")) + a
        i = bisect_right(starts, a) - 1
        while a < b:
            stop = starts[i + 1] if i + 1 < len(starts) else len(text)
            stop = min(stop, b)
            if stop > a:
                yield frags[i], a, stop
            a = stop
            i += 1


# Where an address may break: before these (Chicago Manual of Style 14.18),
# but never inside the // of a scheme.
_URL_BREAKS = re.compile(r"(?<![:/])[/.\-_?#%~=&]")


def _url_break(text: str, start: int, fits: int) -> int:
    """The last place in text[start:fits + 1] before a break character, or -1."""
    cut = -1
    for m in _URL_BREAKS.finditer(text, start + 1, fits + 1):
        cut = m.start()
    return cut


class Lines(Flowable):
    """A paragraph of `frags` (as ReportLab's parser makes them) in `style`,
    over text[start:end] of its Text, broken into lines at the width it is
    given. Splits between lines like a Paragraph: never leaving a single
    line at the foot of a frame."""

    def __init__(self, style, frags=None, text: Text | None = None,
                 span: tuple[int, int] | None = None, first: bool = True):
        super().__init__()
        self.style = style
        self.t = text if text is not None else Text(frags)
        self.frags = self.t.frags if frags is None else frags
        self.span = span or (0, len(self.t.text))
        self.first = first  # whether it holds the paragraph's first line
        self._at: float | None = None
        self.lines: list[tuple[int, int]] = []

    @property
    def line_count(self) -> int:
        return len(self.lines)

    def _break(self, aw: float) -> None:
        if self._at == aw:
            return
        s = self.style
        rest = aw - s.leftIndent - s.rightIndent
        first = rest - s.firstLineIndent if self.first else rest
        self.lines = self.t.breaks(*self.span, first, rest)
        self._at = aw

    def wrap(self, aw, ah):
        self._break(aw)
        self.width = aw
        self.height = len(self.lines) * self.style.leading
        return aw, self.height

    def split(self, aw, ah):
        self._break(aw)
        fit = int((ah + 1e-8) / self.style.leading)
        if fit >= len(self.lines):
            return [self]
        if fit == len(self.lines) - 1:
            # Nor may a paragraph's last line open the next frame alone (a
            # widow): one more line goes with it.
            fit -= 1
        if fit <= 1:
            # A lone first line at the foot of a frame is an orphan: the
            # whole paragraph moves on instead.
            return []
        cut = self.lines[fit][0]
        head = Lines(self.style, text=self.t, span=(self.span[0], cut),
                     first=self.first)
        tail = Lines(self.style, text=self.t, span=(cut, self.span[1]),
                     first=False)
        return [head, tail]

    def getSpaceBefore(self):
        return self.style.spaceBefore if self.first else 0

    def getSpaceAfter(self):
        return self.style.spaceAfter

    def line_widths(self) -> list[float]:
        """The printed width of each line, as wrapped."""
        return [self.t.width(a, b) for a, b in self.lines]

    def first_size(self) -> float:
        """The largest type size on the first line, which sets where the
        first baseline falls, as in ReportLab's paragraphs."""
        if not self.lines:
            return self.style.fontSize
        # A blank first line (a paragraph opening with a line break) is set
        # in the paragraph's own size.
        return max((f.fontSize for f, _, _ in self.t.runs(*self.lines[0])),
                   default=self.style.fontSize)

    def drawOn(self, canvas, x, y, _sW=0):
        # Straight into the page's text, without the saved graphics state
        # and translation a flowable is drawn in: the text operators change
        # neither, and a row's label and value were a tenth of a page's
        # stream in them.
        self.draw_at(canvas, self._hAlignAdjust(x, _sW), y)

    def draw(self):
        self.draw_at(self.canv, 0.0, 0.0)

    def draw_at(self, canv, dx: float, dy: float) -> None:
        """Draw with the lower left at (dx, dy) of the current space."""
        if not self.lines:
            return
        s, t = self.style, self.t
        doc, text, cum = canv._doc, t.text, t.cum
        leading = s.leading
        y = dy + self.height - self.first_size()
        # The text operators are written here rather than through
        # ReportLab's text object: the same operators (fonts are still
        # encoded by the font's own subsets), at a third of the cost. A line
        # below one that starts at the same place moves by T*, which packs
        # far smaller than the position of each line.
        ops = ["BT", f"{fp_str(leading)} TL"]
        face = colour = None
        links = []
        spare = _ALIGNED[s.alignment]
        measure = self.width - s.leftIndent - s.rightIndent
        previous = None
        for n, (a, b) in enumerate(self.lines):
            indent = s.firstLineIndent if n == 0 and self.first else 0
            x = dx + s.leftIndent + indent
            if spare:
                x += (measure - indent - t.width(a, b)) * spare
            if previous is None:
                ops.append(f"1 0 0 1 {fp_str(x, y)} Tm")
            elif abs(x - previous) < 1e-6:
                ops.append("T*")
            else:
                ops.append(f"{fp_str(x - previous, -leading)} Td")
            previous = x
            for f, i, j in t.runs(a, b):
                if f.textColor is not colour:
                    colour = f.textColor
                    ops.append(_fill(canv, colour))
                font = getFont(f.fontName)
                for subset, chunk in _encoded(canv, font, text[i:j]):
                    if (font, subset, f.fontSize) != face:
                        face = (font, subset, f.fontSize)
                        ops.append(f"{font.getSubsetInternalName(subset, doc)} "
                                   f"{fp_str(f.fontSize)} Tf")
                    ops.append(f"({chunk}) Tj")
                if f.link:
                    # The area to tap covers the run from below its
                    # descenders to the top of its capitals, not the line
                    # above.
                    left = x + cum[i] - cum[a]
                    right = x + cum[j] - cum[a]
                    bottom, top = y - f.fontSize * 0.2, y + f.fontSize
                    for _, href in f.link:
                        links.append((href, (left, bottom, right, top)))
            y -= leading
        # A last move to the next line, as ReportLab's paragraphs end: text
        # extraction that reads operators in order then starts the next
        # paragraph on a line of its own.
        ops.append("T* ET")
        canv.addLiteral("\n".join(ops))
        for href, rect in _merged(links):
            if href.startswith("#"):
                canv.linkRect("", href[1:], rect, relative=1, thickness=0)
            else:
                canv.linkURL(href, rect, relative=1, thickness=0)


def _encoded(canv, font, text: str) -> list[tuple[int, str]]:
    """`text` in `font`'s subsets of this canvas's document, escaped for a
    PDF string: labels and separators recur on every entry. A character
    keeps its subset code once given one, so the answer never changes."""
    made = canv.__dict__.setdefault("_booklet_encoded", {})
    key = (font.fontName, text)
    found = made.get(key)
    if found is None:
        found = made[key] = [(subset, escapePDF(chunk))
                             for subset, chunk in font.splitString(text, canv._doc)]
    return found


def _fill(canv, colour) -> str:
    """The operator that sets `colour` as the fill on `canv`, as the canvas
    itself writes it (in its enforced colour space, if any); once per colour
    and canvas."""
    made = canv.__dict__.setdefault("_booklet_fills", {})
    key = repr(colour)
    found = made.get(key)
    if found is None:
        probe = canv.beginText()
        before = len(probe._code)
        probe.setFillColor(colour)
        found = made[key] = " ".join(probe._code[before:])
    return found


def _merged(links: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    """One link area per link per line: a link set in two fonts (a bold
    number in a plain run) is still one area to tap."""
    out: list[tuple[str, tuple]] = []
    for href, rect in links:
        if out and out[-1][0] == href and abs(out[-1][1][1] - rect[1]) < 0.01 \
                and abs(out[-1][1][2] - rect[0]) < 0.01:
            prev = out[-1][1]
            out[-1] = (href, (prev[0], prev[1], rect[2], prev[3]))
        else:
            out.append((href, rect))
    return out
