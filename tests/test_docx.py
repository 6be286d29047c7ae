"""The Word review copy: headings, styles, entries and links against the
content, the draft and final rules, and byte-identical builds."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from urllib.parse import unquote

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from booklet.build import build
from booklet.compose.text import pick, shown_number, sort_key, tel_uri
from booklet.layouts import Layouts
from booklet.products import product
from booklet.project import open_project
from booklet.render.docx import Writer
from booklet.select import Edition, select
from tests.conftest import (
    CASEWORKER_ONLY,
    LAYOUTS,
    NO_CONSENT_NAME,
    SECRET_ADDRESS,
    SECRET_NOTE,
    TODAY,
    make_content,
)

DOCX = product("docx")


def make(project, lang: str, final: bool = False):
    job = DOCX.plan(project, {"lang": lang, "final": final})[0]
    selection = select(project.content, job.edition)
    made = DOCX.make(project, job, selection)
    return made.artifacts[0], selection


@pytest.fixture(scope="module")
def copies(bundled):
    """Both languages of the bundled draft: (artifact, selection, Document)."""
    out = {}
    for lang in ("vi", "en"):
        artifact, selection = make(bundled, lang)
        out[lang] = (artifact, selection, docx.Document(io.BytesIO(artifact.data)))
    return out


@pytest.fixture(scope="module")
def fictional_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("docx-fictional")
    return open_project(make_content(root / "content"), LAYOUTS, root / "output",
                        TODAY)


def text_of(layout_key: str, lang: str) -> str:
    """A heading as the printed directory words it (its contents and
    bookmarks say "Part 1. How to use this directory")."""
    words = Layouts(LAYOUTS).get("directory")["words"][lang]
    if layout_key in ("part1", "part2"):
        return f"{words[layout_key]}. {words[layout_key + '_title']}"
    return words[layout_key]


def headings(document) -> list[tuple[int, str]]:
    return [(int(p.style.name.split()[-1]), p.text) for p in document.paragraphs
            if p.style.name.startswith("Heading ")]


def expected_part2(selection, lang: str, strings: dict) -> list[tuple[int, str]]:
    """Part 2's headings recomputed from the Selection: national services,
    then region > province > provider in the alphabetical order of `lang`."""
    content = selection.content

    def ordered(entries):
        names = [pick(e.provider.name, lang)[0] for e in entries]
        return sorted(names, key=lambda n: sort_key(n, lang))

    out = []
    national = [e for e in selection.entries if e.provider.is_national]
    if national:
        out.append((2, strings["national"]))
        out += [(3, n) for n in ordered(national)]
    for region in content.regions:
        block = []
        for code in region.provinces:
            here = [e for e in selection.entries
                    if not e.provider.is_national and e.provider.covers(code)]
            if here:
                block.append((3, pick(content.province(code).short_name, lang)[0]))
                block += [(4, n) for n in ordered(here)]
        if block:
            out += [(2, pick(region.name, lang)[0]), *block]
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_part2_headings_are_region_province_provider_in_reading_order(
        copies, bundled, lang):
    _artifact, selection, document = copies[lang]
    found = headings(document)
    part2 = found.index((1, text_of("part2", lang)))
    assert found[part2 + 1:] == expected_part2(selection, lang,
                                               bundled.layouts.strings(lang))
    providers = [t for level, t in found[part2:] if level == 4]
    assert len(providers) >= len(selection.entries) - sum(
        e.provider.is_national for e in selection.entries)
    # No level is skipped: the navigation pane and screen readers show an
    # outline, and a Heading 4 under a Heading 2 hangs from nothing.
    levels = [level for level, _ in found]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_part1_has_the_guidance_hotlines_and_legend(copies, lang):
    _artifact, selection, document = copies[lang]
    content = selection.content
    found = headings(document)
    assert found[0] == (1, text_of("part1", lang))
    for section in content.guidance.sections:
        assert (2, pick(section.title, lang)[0]) in found
    body = [p.text for p in document.paragraphs]
    for section in content.guidance.sections:
        for paragraph in section.body:
            assert pick(paragraph, lang)[0] in body
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    for hotline in content.document.hotlines:
        assert hotline.number in cells and pick(hotline.name, lang)[0] in cells
    for criterion in content.criteria:
        assert criterion.abbreviation in cells
        assert pick(criterion.label, lang)[0] in cells
    for category in content.categories:
        assert pick(category.name, lang)[0] in cells


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_body_text_uses_styles_not_direct_formatting(copies, bundled, lang):
    _artifact, _selection, document = copies[lang]
    paragraphs = list(document.paragraphs) + [
        p for t in document.tables for r in t.rows for c in r.cells
        for p in c.paragraphs]
    used = set()
    for paragraph in paragraphs:
        ppr = paragraph._p.pPr
        if ppr is not None:
            assert {child.tag for child in ppr} <= {qn("w:pStyle")}, paragraph.text
        used.add(paragraph.style.name)
        for run in paragraph._p.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is not None:
                assert [child.tag for child in rpr] == [qn("w:rStyle")]
    assert {"Heading 1", "Heading 2", "Heading 3", "Heading 4", "Table Text",
            "Entry Meta"} <= used
    font = bundled.layouts.get("docx")["font"]
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        assert normal.get(qn(slot)) == font
    assert normal.get(qn("w:asciiTheme")) is None


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_entries_carry_their_phones_and_services(copies, bundled, lang):
    _artifact, selection, document = copies[lang]
    strings = bundled.layouts.strings(lang)
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    phone_rows = {(r[0], r[2]) for t in tables for r in t[1:] if len(r) == 4}
    service_rows = [tuple(r) for t in tables for r in t[1:] if len(r) == 4]
    for entry in selection.entries:
        provider = entry.provider
        for phone in provider.phones:
            assert (shown_number(phone.number),
                    strings["cost"][phone.cost.value]) in phone_rows
        for service in provider.services:
            category = selection.content.category(service.category)
            description = pick(service.description, lang)[0]
            assert any(r[0] == pick(category.short, lang)[0]
                       and r[1].startswith(description) for r in service_rows), (
                provider.id, service.category)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_links_are_real_hyperlinks_to_web_mail_and_phone(copies, lang):
    _artifact, selection, document = copies[lang]
    part = document.part
    targets = set()
    for link in part.element.body.iter(qn("w:hyperlink")):
        rel = part.rels[link.get(qn("r:id"))]
        assert rel.reltype == RT.HYPERLINK and rel.is_external
        assert rel.target_ref.isascii()
        targets.add(unquote(rel.target_ref))
    expected = {tel_uri(h.number) for h in selection.content.document.hotlines}
    for entry in selection.entries:
        p = entry.provider
        expected |= {tel_uri(ph.number) for ph in p.phones}
        expected |= set(p.sources)
        if p.email:
            expected.add(f"mailto:{p.email}")
        if p.website:
            expected.add(p.website if "://" in p.website else f"https://{p.website}")
    # A number that could ring a stranger has no link, not an empty one.
    assert "" in expected and "" not in targets
    assert expected - {""} <= targets
    assert "tel:111" in targets


def test_draft_marks_consent_and_stamps_every_page_header(copies, bundled):
    for lang in ("vi", "en"):
        _artifact, selection, document = copies[lang]
        strings = bundled.layouts.strings(lang)
        header = [p.text for p in document.sections[0].header.paragraphs]
        assert header[0] == strings["draft_stamp"]
        marks = [p for p in document.paragraphs
                 if p.text == strings["consent_pending"]
                 and p.style.name == "Review Mark"]
        # A provider covering several provinces appears under each of them.
        appearances = [e for code in [None, *(p.code for p in
                                             selection.content.provinces)]
                       for e in selection.entries_for(code)]
        assert len(marks) == sum(e.consent_pending for e in appearances) > 0


def all_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".xml", ".rels")))


def test_final_obeys_consent_and_never_leaks(fictional_project):
    draft, _ = make(fictional_project, "vi")
    final, final_sel = make(fictional_project, "vi", final=True)
    strings = fictional_project.layouts.strings("vi")
    assert NO_CONSENT_NAME in all_text(draft.data)
    final_xml = all_text(final.data)
    assert NO_CONSENT_NAME not in final_xml
    assert strings["draft_stamp"] not in final_xml
    assert strings["consent_pending"] not in final_xml
    for data in (draft.data, final.data):
        xml = all_text(data)
        for secret in (SECRET_ADDRESS, SECRET_NOTE, CASEWORKER_ONLY):
            assert secret not in xml
        assert strings["address_withheld"] in xml
    document = docx.Document(io.BytesIO(final.data))
    found = headings(document)
    part2 = found.index((1, text_of("part2", "vi")))
    assert found[part2 + 1:] == expected_part2(final_sel, "vi", strings)


def test_same_content_gives_byte_identical_docx(fictional_project):
    first, _ = make(fictional_project, "en")
    second, _ = make(fictional_project, "en")
    assert first.data == second.data
    with zipfile.ZipFile(io.BytesIO(first.data)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        # No page or word counts from the template's one empty page.
        app = z.read("docProps/app.xml").decode()
        assert "<Application>booklet</Application>" in app
        assert "<Pages>" not in app and "Macintosh" not in app
    props = docx.Document(io.BytesIO(first.data)).core_properties
    edition = fictional_project.content.document.settings.edition_date
    assert props.created == props.modified == dt.datetime(
        edition.year, edition.month, edition.day, tzinfo=dt.UTC)
    assert props.language == "en-GB"


def test_build_lists_the_docx_in_the_manifest(fictional_project):
    result = build(fictional_project, ["docx"], {"lang": "en"})
    assert result.ok, result.failures
    import json
    manifest = json.loads(
        (fictional_project.output_dir / "manifest.json").read_text("utf-8"))
    entry = manifest["files"]["review/directory-en.docx"]
    assert entry["kind"] == "docx" and entry["pages"] is None
    path = fictional_project.output_dir / "review/directory-en.docx"
    assert docx.Document(str(path)).paragraphs[0].style.name == "Title"


def test_plan_is_one_public_print_job_per_language():
    assert [j.key for j in DOCX.plan(None, {})] == ["docx-vi", "docx-en"]
    assert [j.outputs for j in DOCX.plan(None, {"lang": "vi"})] == [
        ("review/directory-vi.docx",)]
    assert DOCX.plan(None, {})[0].edition == Edition(audience="public",
                                                     medium="print")


@pytest.mark.parametrize("text", [
    "Hà Nội", "  leading and trailing  ", "tab\tand\nline\r\nbreaks",
    "Ngô Thị Ấn Độ Ễ; Nhà, \\ tạm & <co>"])
def test_writer_writes_the_paragraphs_python_docx_would(text):
    """The writer builds body XML directly (python-docx's own calls are
    quadratic at directory scale); what it writes must be what python-docx's
    add_paragraph and add_run write."""
    writer = Writer(Layouts(LAYOUTS).get("docx"), "vi")
    ours = writer.para(text, "Entry Field")
    writer.run(ours, text, "Label")
    writer.run(ours, "")
    theirs = writer.doc.add_paragraph(text, style="Entry Field")
    theirs.add_run(text, style="Label")
    theirs.add_run("")
    plain_ours = writer.para(text)
    plain_theirs = writer.doc.add_paragraph(text, style="Normal")
    assert etree.tostring(ours) == etree.tostring(theirs._p)
    assert etree.tostring(plain_ours) == etree.tostring(plain_theirs._p)


def test_writer_tables_and_links_match_python_docx(tmp_path):
    """Table rows copied from a model and hyperlink relationships numbered by
    the writer: the same cells, styles and one relationship per target."""
    writer = Writer(Layouts(LAYOUTS).get("docx"), "en")
    table = writer.table(["Number", "For"], [120, 150], "Table Grid")
    writer.row(table, ["024 3000 0001", lambda p: writer.link(
        p, "www.example.org", "https://example.org/ĐĐ")])
    writer.row(table, [lambda p: writer.link(p, "111", "tel:111"), ""])
    again = writer.table(["Number", "For"], [120, 150], "Table Grid")
    writer.row(again, ["x", lambda p: writer.link(
        p, "same target", "https://example.org/ĐĐ")])
    data = writer.save(TODAY, "t", "s", "a")
    document = docx.Document(io.BytesIO(data))
    first, second = document.tables
    assert [[c.text for c in r.cells] for r in first.rows] == [
        ["Number", "For"], ["024 3000 0001", "www.example.org"], ["111", ""]]
    assert [[c.text for c in r.cells] for r in second.rows] == [
        ["Number", "For"], ["x", "same target"]]
    for table in (first, second):
        assert [c.paragraphs[0].style.name for c in table.rows[0].cells] == [
            "Table Heading"] * 2
        assert [c.paragraphs[0].style.name for c in table.rows[1].cells] == [
            "Table Text"] * 2
        assert [round(c.width.pt) for c in table.rows[1].cells] == [120, 150]
    links = [r for r in document.part.rels.values() if r.reltype == RT.HYPERLINK]
    assert sorted(r.target_ref for r in links) == [
        "https://example.org/%C4%90%C4%90", "tel:111"]
    ids = [el.get(qn("r:id")) for el in document.element.body.iter(
        qn("w:hyperlink"))]
    assert len(ids) == 3 and ids[0] == ids[2] != ids[1]
    assert all(document.part.rels[i].is_external for i in ids)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_entries_carry_the_short_name_and_scope_the_pdf_prints(copies, lang):
    _artifact, selection, document = copies[lang]
    words = Layouts(LAYOUTS).get("directory")["words"][lang]
    body = [p.text for p in document.paragraphs]
    content = selection.content
    for entry in selection.entries:
        p = entry.provider
        short = pick(p.short_name, lang)[0] if p.short_name else ""
        if short and short not in (pick(p.name, lang)[0],
                                   pick(p.name, "en" if lang == "vi" else "vi")[0]):
            assert any(line.startswith(short + " · ") for line in body), p.id
        if isinstance(p.coverage, list) and p.coverage:
            home = pick(content.province(p.province).short_name, lang)[0]
            assert any(f"{words['also_listed']}: " in line and home in line
                       for line in body), p.id
    assert any(words["national_scope"] in line for line in body)


def test_the_review_copy_and_the_workbook_use_the_printed_words(bundled):
    """Reviewers and consultants meet the same headings and labels as readers
    of the printed directory."""
    from booklet.load.workbook import _CARE
    layouts = bundled.layouts
    for lang in ("vi", "en"):
        printed = layouts.get("directory")["words"][lang]
        review = layouts.get("docx")["text"][lang]
        for key in ("legend_categories", "legend_eligibility", "legend_cost",
                    "legend_fees", "legend_care"):
            assert review[key] == printed[key], (lang, key)
        assert review["legend_verification"] == printed["legend_states"], lang
        care = layouts.strings(lang)["care"]
        for code, vi, en in _CARE:
            assert care[code] == (vi if lang == "vi" else en), (lang, code)
