"""The directory's own reading of paragraph markup gives ReportLab's
fragments, and the screen edition comes out compact."""

from __future__ import annotations

import io

import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from booklet.finish.pdfmeta import compact
from booklet.layouts import Layouts
from booklet.render.flowables import Typesetter, tuple_tree
from booklet.render.fonts import register
from tests import pdfcheck
from tests.conftest import LAYOUTS

MARKUP = [
    "Nhà tạm lánh Ánh Dương",
    "Giờ: 8:00 – 17:00 · Thứ Hai–Thứ Sáu",
    "<b>0912\u00a0345\u00a0678</b> · Miễn phí · <i>Đường dây nóng</i>",
    "Trẻ em &amp; phụ nữ &lt;18&gt; &#34;Ấ&#34; &#39;Ễ&#39; &quot;Ộ&quot;",
    '<b>Y tế</b> – Khám <font color="#56616d">miễn phí (một phần)</font>'
    "<br/>Đối tượng: <b>W</b> Phụ nữ; <b>CH</b> Trẻ em",
    '<a href="https://example.org/a?b=1" color="#0f5c6e">example.org/a?b=1</a>',
    '<font size="8.8" color="#56616d"><a href="tel:+842436101361" '
    'color="#0f5c6e">024 3610 1361</a> · x</font>',
    "a <b></b> b",
]


class _Book:
    layout = {"space": {"label_width": "19mm", "icon": "8pt", "row_gap": "1pt",
                        "entry_gap": "4mm"},
              "family": "sans", "type": {"hotline_number": 16}}
    words: dict = {}
    hotlines: list = []


@pytest.fixture(scope="module")
def typesetter():
    register(Layouts(LAYOUTS).fonts())
    style = ParagraphStyle("body", fontName="sans", fontSize=8.3, leading=11.8)
    return Typesetter(_Book(), {"body": style}, {}, links=True), style


def _essentials(frags) -> list[tuple]:
    """What a line of text needs of each fragment: its text (a line break as
    a newline), font, size, colour and links; empty fragments set nothing."""
    out = []
    for f in frags:
        text = "\n" if getattr(f, "lineBreak", False) else f.text
        if text:
            out.append((text, f.fontName, f.fontSize, f.textColor.rgba(),
                        [href for _, href in f.link]))
    return out


@pytest.mark.parametrize("markup", MARKUP)
def test_paragraph_runs_equal_reportlabs_own_parse(typesetter, markup):
    ts, style = typesetter
    ours = ts.para(markup, "body").frags
    theirs = Paragraph(markup, style).frags
    assert _essentials(ours) == _essentials(theirs)


@pytest.mark.parametrize(("room", "kept"), [(5, 5), (4, 3), (3, 3), (2, 2), (1, 0)])
def test_a_split_paragraph_leaves_no_line_alone(typesetter, room, kept):
    ts, style = typesetter
    para = ts.para("<br/>".join(f"line {i}" for i in range(5)), "body")
    para.wrap(200, 1000)
    assert para.line_count == 5
    parts = para.split(200, room * style.leading)
    for part in parts:
        part.wrap(200, 1000)
    counts = [part.line_count for part in parts]
    # Whole, or at least two lines on each side of the page break.
    assert counts == ([5] if kept == 5 else [] if kept == 0 else [kept, 5 - kept])


def test_reportlab_paragraphs_of_the_directory_leave_no_widow(bundled):
    from booklet.compose.directory import compose
    from booklet.render.flowables import styles
    from booklet.select import Edition, select
    register(bundled.layouts.fonts())
    selection = select(bundled.content, Edition("public"))
    made = styles(compose(selection, bundled.layouts, "print", "en"))
    body = made["body"]
    assert all(style.allowWidows == 0 for style in made.values())
    # The path hyphenated English takes: ReportLab's own Paragraph.
    words = " ".join(f"word{i}" for i in range(200))
    width = next(w for w in range(100, 2000, 5)
                 if _line_count(Paragraph(words, body), w) == 5)
    parts = Paragraph(words, body).split(width, 4 * body.leading)
    assert [_line_count(part, width) for part in parts] == [3, 2]


def _line_count(para, width: float) -> int:
    para.wrap(width, 10_000)
    return len(para.blPara.lines)


def test_lines_break_within_the_measure_and_keep_every_word(typesetter):
    ts, _ = typesetter
    markup = MARKUP[4] + " " + " ".join(MARKUP[:3])
    para = ts.para(markup, "body")
    for width in (60, 120, 200, 400):
        para.wrap(width, 1000)
        text = para.t.text
        for a, b in para.lines:
            assert para.t.cum[b] - para.t.cum[a] <= width + 1e-6 or " " not in (
                text[a:b].strip())
        words = " ".join(text[a:b] for a, b in para.lines).split()
        assert words == text.split()


@pytest.mark.parametrize("markup", [
    "<b>unclosed", "a </i> b", "<span>x</span>", "&unknownentity; x",
    '<font color=red>x</font>'])
def test_markup_beyond_the_templates_is_left_to_reportlab(markup):
    assert tuple_tree(markup) is None


def test_compact_keeps_pages_links_and_language_and_is_stable():
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out, lang="vi", initialFontName="sans")
    for i in range(30):
        c.setFont("sans", 12)
        c.drawString(72, 700, f"Trang {i + 1}")
        c.linkURL(f"tel:+8411{i}", (72, 690, 200, 715))
        c.bookmarkPage(f"p{i}")
        c.addOutlineEntry(f"Trang {i + 1}", f"p{i}")
        c.showPage()
    c.save()
    original = out.getvalue()
    small = compact(original)
    assert len(small) < len(original)
    assert compact(original) == small
    with pikepdf.open(io.BytesIO(small)) as pdf:
        assert len(pdf.pages) == 30
        assert str(pdf.Root.Lang) == "vi"
        uris = [str(a.A.URI) for page in pdf.pages for a in page.Annots]
        assert uris == [f"tel:+8411{i}" for i in range(30)]
        assert len(pdf.open_outline().root) == 30


def test_an_address_wider_than_the_line_breaks_before_its_punctuation(typesetter):
    # A hyphen at the end of a line reads as a hyphenation, and PDF viewers
    # drop it when the text is copied; it opens the next line instead.
    ts, _ = typesetter
    url = "https://example.org/dich-vu/ho-tro-nguoi-tro-ve/thong-tin-lien-he"
    para = ts.para(f'Web: <a href="{url}" color="#0f5c6e">{url}</a>', "body")
    para.wrap(90, 1000)
    lines = [para.t.text[a:b] for a, b in para.lines]
    assert len(lines) > 3
    assert lines[0] == "Web:" and "".join(lines[1:]) == url
    assert lines[1].startswith("https://")
    for line in lines[2:]:
        assert line[0] in "/.-", lines
    assert not any(line.endswith("-") for line in lines)


def _drawn(paragraphs) -> bytes:
    """A one-page PDF with `paragraphs` drawn one under another."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, initialFontName="sans")
    top = 800
    for para in paragraphs:
        _, h = para.wrap(300, 1000)
        para.drawOn(c, 72, top - h)
        top -= h + 20
    c.save()
    return out.getvalue()


def test_a_paragraph_opening_or_ending_with_a_line_break_draws(typesetter):
    ts, _ = typesetter
    pdf = _drawn([ts.para("<br/>Ấn Độ", "body"), ts.para("Hà Nội<br/><br/>", "body")])
    text = pdfcheck.text(pdf)
    assert "Ấn Độ" in text and "Hà Nội" in text


def test_text_read_in_drawing_order_keeps_paragraphs_apart(typesetter):
    # Readers that follow the operators (pypdf, screen readers) must not run
    # the end of a row into its label, drawn after it on the same baseline.
    from pypdf import PdfReader

    from booklet.render.flowables import Hanging

    ts, _ = typesetter
    row = Hanging(ts.para("Chỉ dành cho phụ nữ", "body"), 40,
                  label=ts.para("<b>W</b>", "body"))
    text = PdfReader(io.BytesIO(_drawn([row]))).pages[0].extract_text()
    assert "nữW" not in text.replace(" ", "")


def test_a_link_area_covers_its_words_and_not_the_line_above(typesetter):
    ts, _ = typesetter
    para = ts.para('Gặp ngay<br/>Gọi <a href="https://gap.example/y" '
                   'color="#0f5c6e">gặp y tế</a>', "body")
    pdf = _drawn([para])
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        (annot,) = doc.pages[0].Annots
        x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    page = pdfium.PdfDocument(pdf)[0].get_textpage()
    chars = [(page.get_text_range(i, 1), page.get_charbox(i))
             for i in range(page.count_chars())]
    text = "".join(ch for ch, _ in chars)
    start = text.index("gặp y tế")
    linked = [box for ch, box in chars[start:start + len("gặp y tế")]
              if not ch.isspace()]
    for left, bottom, right, top in linked:  # descenders of g, p, y included
        assert x0 - 0.5 <= left and right <= x1 + 0.5
        assert y0 - 0.5 <= bottom and top <= y1 + 0.5
    above = [box for ch, box in chars[:text.index("Gọi")] if not ch.isspace()]
    assert y1 <= min(box[1] for box in above)


def test_a_row_whose_label_overhangs_the_space_left_moves_to_the_next_page(
        typesetter):
    # A smaller label is lowered to the body's baseline, so a one-line row
    # can be taller than its body. With room for the body alone at a page
    # foot, the row used to split into one part too tall and stop the build.
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    from booklet.render.flowables import Hanging

    _, body = typesetter
    label = ParagraphStyle("label", fontName="sans", fontSize=6.6,
                           leading=body.leading)
    ts = Typesetter(_Book(), {"body": body, "label": label}, {}, links=True)
    row = Hanging(ts.para("Một dòng duy nhất", "body"), 40,
                  label=ts.para("Nhãn", "label"))
    _, height = row.wrap(300, 1000)
    assert height > row.body_height  # the case in question
    room = (height + row.body_height) / 2
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=(300, 200))
    doc.addPageTemplates(PageTemplate(frames=[Frame(
        0, 0, 300, 200, 0, 0, 0, 0, id="body")]))
    doc.build([Spacer(300, 200 - room), row])
    pages = pdfcheck.text_pages(out.getvalue())
    assert len(pages) == 2
    assert "Nhãn" in pages[1] and "Một dòng duy nhất" in pages[1]
