"""The directory's own reading of paragraph markup gives ReportLab's
fragments, and the screen edition comes out compact."""

from __future__ import annotations

import io

import pikepdf
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from booklet.finish.pdfmeta import compact
from booklet.layouts import Layouts
from booklet.render.flowables import Typesetter, tuple_tree
from booklet.render.fonts import register
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


def test_an_address_wider_than_the_line_breaks_after_a_slash_or_hyphen(typesetter):
    ts, _ = typesetter
    url = "https://example.org/dich-vu/ho-tro-nguoi-tro-ve/thong-tin-lien-he"
    para = ts.para(f'Web: <a href="{url}" color="#0f5c6e">{url}</a>', "body")
    para.wrap(90, 1000)
    lines = [para.t.text[a:b] for a, b in para.lines]
    assert "".join(lines).replace("Web:", "Web: ") == f"Web: {url}"
    for line in lines[1:-1]:
        assert line.endswith(("/", "-")), lines
    assert len(lines) > 2
