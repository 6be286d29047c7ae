"""Importing what real workbooks hold: numbers for phones, serial dates, merges,
formulas, stray spaces, decomposed and legacy-encoded Vietnamese, old provinces."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from booklet.errors import ImportProblem
from booklet.layouts import Layouts
from booklet.load import cells, excel, load_content
from booklet.load.workbook import DOCUMENTS, PHONES, PROVIDERS, SOURCES, services_sheet
from booklet.project import open_project
from tests.conftest import LAYOUTS, TODAY, make_content

SERVICES = services_sheet()
SHEET_OF = {"providers": PROVIDERS, "phones": PHONES, "services": SERVICES,
            "documents": DOCUMENTS, "sources": SOURCES}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("template")
    project = open_project(make_content(root / "content", {}), LAYOUTS, root, TODAY)
    path = root / "template.xlsx"
    excel.write_template(project, path)
    return path


def provider(pid: str, **values) -> dict:
    return {"provider_id": pid, "name_vi": "Trung tâm Thử", "name_en": "Test Centre",
            "kind": "ngo — Tổ chức phi chính phủ / NGO",
            "province": "40 — Nghệ An / Nghe An", **values}


def service(pid: str, **values) -> dict:
    return {"provider_id": pid, "category": "legal", "description_vi": "Tư vấn",
            "description_en": "Advice", **values}


def build(template: Path, path: Path, edit=None, **sheets) -> Path:
    """A copy of the template with rows written into its sheets, by column key."""
    wb = load_workbook(template)
    for key, rows in sheets.items():
        sheet = SHEET_OF[key]
        ws = wb[sheet.title]
        keys = [c.key for c in sheet.columns]
        for r, row in enumerate(rows, start=2):
            for name, value in row.items():
                ws.cell(r, keys.index(name) + 1, value)
    if edit:
        edit(wb)
    wb.save(path)
    return path


def run(tmp_path: Path, workbook: Path, providers: dict | None = None, **kw):
    content = tmp_path / "content"
    if not content.exists():
        make_content(content, providers or {})
    project = open_project(content, LAYOUTS, tmp_path / "out", TODAY)
    outcome = excel.import_workbook(project, workbook, **kw)
    loaded = {p.id: p for p in load_content(content).content.providers}
    return outcome, loaded


def messages(outcome, severity: str) -> list[str]:
    return [str(i) for i in outcome.issues if i.severity == severity]


def col(sheet, key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([c.key for c in sheet.columns].index(key) + 1)


def test_phone_numbers_stored_as_numbers(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("p-int"), provider("p-float"),
                          provider("p-sci"), provider("p-exact"), provider("p-short")],
               phones=[{"provider_id": "p-int", "number": 2433853227},
                       {"provider_id": "p-float", "number": "912345678.0"},
                       {"provider_id": "p-sci", "number": "8.42437E+09"},
                       {"provider_id": "p-exact", "number": "2.433853227E+09"},
                       {"provider_id": "p-short", "number": 111}],
               services=[service(p) for p in ("p-int", "p-float", "p-sci",
                                              "p-exact", "p-short")])
    outcome, loaded = run(tmp_path, wb)
    assert loaded["p-int"].phones[0].number == "02433853227"
    assert loaded["p-float"].phones[0].number == "0912345678"
    assert loaded["p-exact"].phones[0].number == "02433853227"
    assert loaded["p-short"].phones[0].number == "111"
    assert "p-sci" not in loaded
    number = col(PHONES, "number")
    assert (f"Điện thoại (Phones), row 2, column {number} (Phone number): warning: "
            "the phone number was stored as the number 2433853227, which drops the "
            "leading 0; restored as 02433853227: check it.") in messages(outcome,
                                                                        "warning")
    assert any("'912345678.0'; the '.0' was dropped" in m
               for m in messages(outcome, "warning"))
    # A float cell (as other spreadsheet programs save them) is read the same.
    notes = []
    assert cells.phone(912345678.0, notes) == "0912345678"
    assert notes[0] == ("the phone number was stored as the number 912345678.0; "
                        "the '.0' was dropped")
    assert messages(outcome, "error") == [
        f"Điện thoại (Phones), row 4, column {number} (Phone number): error: "
        "'8.42437E+09' is a phone number in scientific notation: Excel kept only 6 "
        "significant digits of a 10-digit number, so its last digits are lost. "
        "Fix: format the column as Text and type the whole number again"]
    # The summary names the row that was refused, on its own sheet.
    assert "skipped p-sci (Điện thoại (Phones) row 4: see the errors)" in (
        outcome.lines())
    assert outcome.errors


def test_a_service_number_stored_as_a_number_gets_no_leading_zero():
    # 1800 and 1900 numbers are dialled without a 0; Excel lost nothing.
    for number in (1900969680, 18001567, 1800599920.0):
        notes: list[str] = []
        assert cells.phone(number, notes) == str(int(number))
        assert not any("restored" in note for note in notes)


def test_a_number_that_cannot_be_restored_is_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider("p")],
               phones=[{"provider_id": "p", "number": 12345}],
               services=[service("p")])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert "it cannot be restored with certainty" in messages(outcome, "error")[0]


def test_dates_as_serials_datetimes_and_day_first_text(template, tmp_path):
    rows = [provider("d-serial", verification_status="verified",
                     verification_date=46296, verification_method="phone"),
            provider("d-cell", consent_print="yes", consent_print_date=dt.datetime(
                2026, 10, 2)),
            provider("d-text", consent_digital="có",
                     consent_digital_date=" 1/10/2026 "),
            provider("d-short", consent_print_date="01/10/26"),
            provider("d-bad", consent_print_date="31/02/2026")]
    wb = build(template, tmp_path / "w.xlsx", providers=rows,
               services=[service(r["provider_id"]) for r in rows])
    outcome, loaded = run(tmp_path, wb)
    assert loaded["d-serial"].verification.date == dt.date(2026, 10, 1)
    assert loaded["d-cell"].consent.print.date == dt.date(2026, 10, 2)
    assert loaded["d-text"].consent.digital.date == dt.date(2026, 10, 1)
    assert loaded["d-text"].consent.digital.given == "yes"
    assert set(loaded) == {"d-serial", "d-cell", "d-text"}
    errors = messages(outcome, "error")
    date_col = col(PROVIDERS, "consent_print_date")
    assert errors == [
        f"Nhà cung cấp (Providers), row 5, column {date_col} (Date of print "
        "consent): error: '01/10/26' has a two-digit year. Fix: write the year "
        "in full: dd/mm/yyyy",
        f"Nhà cung cấp (Providers), row 6, column {date_col} (Date of print "
        "consent): error: '31/02/2026' is not a date in the calendar. Fix: write "
        "the date as dd/mm/yyyy, for example 01/10/2026"]
    assert any("stored as the number 46296, read as the Excel date 01/10/2026" in m
               for m in messages(outcome, "warning"))


def test_merged_cells_spanning_rows_apply_to_every_row(template, tmp_path):
    def merge(wb):
        wb[SERVICES.title].merge_cells("A2:A3")
        ws = wb[PROVIDERS.title]
        by = col(PROVIDERS, "verification_by")
        ws.merge_cells(f"{by}2:{by}3")
        # Across columns a merge is layout: the English cell stays empty.
        ws.merge_cells(f"{col(PROVIDERS, 'short_name_vi')}3:"
                       f"{col(PROVIDERS, 'short_name_en')}3")

    wb = build(template, tmp_path / "w.xlsx", edit=merge,
               providers=[provider("m-1", verification_by="Lan"),
                          provider("m-2", short_name_vi="Thử")],
               services=[service("m-1"), {"category": "medical",
                                          "description_en": "Check-ups"},
                         service("m-2")])
    outcome, loaded = run(tmp_path, wb)
    assert [s.category for s in loaded["m-1"].services] == ["legal", "medical"]
    assert loaded["m-2"].verification.by == "Lan"
    assert (loaded["m-2"].short_name.vi, loaded["m-2"].short_name.en) == ("Thử", None)
    by = col(PROVIDERS, "verification_by")
    assert (f"Nhà cung cấp (Providers), row 2, column {by} (Verified by): warning: "
            f"cells {by}2:{by}3 are merged; the value 'Lan' was used for every row "
            "from 2 to 3. Fix: unmerge the cells and fill in each row"
            ) in messages(outcome, "warning")
    assert not outcome.errors


def _with_cached_value(path: Path, sheet_index: int, cell: str, value: str) -> None:
    """Give a formula cell a saved result, as Excel does when it saves."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    xml = items[name].decode()
    xml, count = re.subn(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                         rf'<c r="{cell}"\1 t="str"><f>\2</f><v>{value}</v>', xml)
    assert count == 1
    items[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for n, data in items.items():
            zout.writestr(n, data)


def test_formulas_use_the_saved_result_or_are_refused(template, tmp_path):
    short = col(PROVIDERS, "short_name_en")
    path = build(template, tmp_path / "w.xlsx",
                 providers=[provider("f-cached", short_name_en='=UPPER("x")'),
                            provider("f-none", short_name_en='=UPPER("y")')],
                 services=[service("f-cached"), service("f-none")])
    # The Providers sheet is the second sheet of the workbook.
    _with_cached_value(path, 2, f"{short}2", "Cached Name")
    outcome, loaded = run(tmp_path, path)
    assert loaded["f-cached"].short_name.en == "Cached Name"
    assert "f-none" not in loaded
    assert (f"Nhà cung cấp (Providers), row 2, column {short} (Short name "
            "(English)): warning: the cell holds the formula =UPPER(\"x\"); its "
            "last computed result 'Cached Name' was used. Fix: replace the formula "
            "by its value (copy, then paste as values)") in messages(outcome,
                                                                      "warning")
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 3, column {short} (Short name (English)): "
        "error: the cell holds the formula =UPPER(\"y\") and no saved result. "
        "Fix: replace the formula by the value it should give (copy, then paste "
        "as values)"]


def test_spaces_line_breaks_and_decomposed_text_are_cleaned(template, tmp_path):
    nfd = unicodedata.normalize("NFD", "Nhà Ánh Sáng")
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("s-1", name_vi=f"  {nfd}\n  Nghệ An ",
                                   provider_id=" s-1 ")],
               services=[service("s-1", description_vi="Dòng một  \r\n\r\nDòng hai ",
                                 provider_id="s-1")])
    outcome, loaded = run(tmp_path, wb)
    p = loaded["s-1"]
    assert p.name.vi == "Nhà Ánh Sáng Nghệ An"
    assert unicodedata.is_normalized("NFC", p.name.vi)
    assert p.services[0].description.vi == "Dòng một\n\nDòng hai"
    assert any("line breaks in a single-line field were replaced by spaces" in m
               for m in messages(outcome, "warning"))


def test_legacy_encodings_are_converted_or_the_row_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("l-tcvn", name_vi="Trung t©m C«ng t¸c x· héi"),
                          provider("l-vni", name_vi="Ngöôøi bò mua baùn"),
                          provider("l-bad", name_vi="Nhµ ñø")],
               services=[service("l-tcvn"), service("l-vni"), service("l-bad")])
    outcome, loaded = run(tmp_path, wb)
    assert loaded["l-tcvn"].name.vi == "Trung tâm Công tác xã hội"
    assert loaded["l-vni"].name.vi == "Người bị mua bán"
    assert "l-bad" not in loaded
    name = col(PROVIDERS, "name_vi")
    assert (f"Nhà cung cấp (Providers), row 2, column {name} (Full name "
            "(Vietnamese)): warning: text typed in the legacy TCVN3 encoding was "
            "converted to Unicode: 'Trung tâm Công tác xã hội'.") in messages(
                outcome, "warning")
    assert messages(outcome, "error")[0].startswith(
        f"Nhà cung cấp (Providers), row 4, column {name} (Full name (Vietnamese)): "
        "error: 'Nhµ ñø' has characters of the legacy Vietnamese fonts")


def test_province_names_old_and_new(template, tmp_path):
    rows = [provider("g-1", province="Ha Noi"),
            provider("g-2", province="Tỉnh Hà Giang"),
            provider("g-3", province="TP. Hồ Chí Minh", coverage="Bình Dương; 80"),
            provider("g-4", province="Quận Ba Đình"),
            provider("g-5", province="NghÖ An")]  # typed in a TCVN3 font
    wb = build(template, tmp_path / "w.xlsx", providers=rows,
               services=[service(r["provider_id"]) for r in rows])
    outcome, loaded = run(tmp_path, wb)
    assert loaded["g-1"].province == "01"
    assert loaded["g-2"].province == "08"
    assert loaded["g-3"].province == "79"
    assert loaded["g-3"].coverage == ["79", "80"]
    assert loaded["g-5"].province == "40"
    assert "g-4" not in loaded
    province = col(PROVIDERS, "province")
    assert (f"Nhà cung cấp (Providers), row 3, column {province} (Province): "
            "warning: 'Hà Giang' is a former province; since 1 July 2025 it is "
            "part of 08 — Tuyên Quang / Tuyen Quang.") in messages(outcome, "warning")
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 5, column {province} (Province): error: "
        "'Quận Ba Đình' is not one of the 34 provinces in force since 1 July 2025 "
        "(a district, commune or city name is not enough); choose the province "
        "from the drop-down list, for example '01 — Hà Nội / Ha Noi'. Fix: choose "
        "the province from the drop-down list"]
    # The new files sit in the folder of their province.
    assert (tmp_path / "content/providers/tuyen-quang/g-2.yaml").exists()


def test_a_bad_row_leaves_the_existing_file_untouched(template, tmp_path):
    existing = {"nghe-an/keep.yaml": """\
id: keep
name: {vi: "Giữ nguyên", en: "Kept as is"}
kind: ngo
province: "40"
services:
  - category: legal
    description: {en: "Advice"}
"""}
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("keep", name_en="Changed"), provider("fresh")],
               phones=[{"provider_id": "keep", "number": "0238 3000 009",
                        "cost": "expensive"}],
               services=[service("keep"), service("fresh"),
                         service("ghost", category="medical")])
    make_content(tmp_path / "content", existing)
    before = (tmp_path / "content/providers/nghe-an/keep.yaml").read_bytes()
    outcome, loaded = run(tmp_path, wb)
    assert (tmp_path / "content/providers/nghe-an/keep.yaml").read_bytes() == before
    assert loaded["keep"].name.en == "Kept as is"
    assert "fresh" in loaded
    cost = col(PHONES, "cost")
    errors = messages(outcome, "error")
    assert errors[0] == (
        f"Điện thoại (Phones), row 2, column {cost} (Call cost): error: 'expensive' "
        "is not in the list (free, standard, premium, unknown). Fix: choose a "
        "value from the drop-down list")
    assert errors[1] == (
        "Dịch vụ (Services), row 4, column A (Provider id): error: the provider id "
        "'ghost' is not on the Providers sheet. Fix: write the id of a provider "
        "listed on the Providers sheet")
    assert [str(c) for c in outcome.changes] == [
        "skipped keep (Điện thoại (Phones) row 2: see the errors)",
        f"created fresh ({_rel(tmp_path / 'content/providers/nghe-an/fresh.yaml')})"]


def _rel(path: Path) -> str:
    import os

    return os.path.relpath(path)


def test_a_provider_without_services_is_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider("lonely")])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        "Nhà cung cấp (Providers), row 2: error: the provider has no service. "
        "Fix: add at least one row for it on the Services sheet"]
    assert outcome.lines()[-1] == ("0 created, 0 changed, 0 unchanged, 0 removed, "
                                   "0 kept, 1 skipped")


def test_model_errors_name_the_cell_and_documents_and_sources_import(template,
                                                                     tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("v-1", website="not a url"),
                          provider("v-2", hours="T2-T6 7h30-17h; CN 8:00-11:30")],
               services=[service("v-1"), service("v-2", service_no=1,
                                                 eligibility_1="women_only",
                                                 eligibility_2="Trẻ em")],
               documents=[{"provider_id": "v-2", "service_no": 1,
                           "document_vi": "CCCD", "document_en": "ID card"}],
               sources=[{"provider_id": "v-2", "url": "https://example.org/a"}])
    outcome, loaded = run(tmp_path, wb)
    site = col(PROVIDERS, "website")
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {site} (Website): error: "
        "'not a url' is not a web address. Fix: write the whole address, starting "
        "with https://"]
    v2 = loaded["v-2"]
    assert [(s.days, s.opens, s.closes) for s in v2.hours.spans] == [
        (["mon", "tue", "wed", "thu", "fri"], "07:30", "17:00"),
        (["sun"], "08:00", "11:30")]
    assert v2.services[0].eligibility.criteria == ["women_only", "children"]
    assert v2.services[0].documents[0].en == "ID card"
    assert v2.sources == ["https://example.org/a"]


def test_a_file_that_is_not_a_workbook_is_named(tmp_path):
    bad = tmp_path / "notes.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ImportProblem) as info:
        run(tmp_path, bad)
    assert str(info.value) == (
        f"cannot open {bad} as an .xlsx workbook (File is not a zip file); save it "
        "from Excel as 'Excel Workbook (.xlsx)'")


# ------------------------------------------------ nothing is lost or half-written

# Existing providers whose phones a damaged workbook could silently erase.
EXISTING = {
    "nghe-an/alpha-house-1.yaml": """\
id: alpha-house-1
name: {vi: "Nhà Alpha Một", en: "Alpha House One"}
kind: ngo
province: "40"
phones:
  - number: "0238 3000 011"
services:
  - category: legal
    description: {en: "Advice"}
""",
    "nghe-an/beta-centre.yaml": """\
id: beta-centre
name: {vi: "Trung tâm Beta", en: "Beta Centre"}
kind: ngo
province: "40"
phones:
  - number: "0238 3000 021"
  - number: "0238 3000 022"
services:
  - category: medical
    description: {en: "Check-ups"}
""",
    "nghe-an/gamma-hall.yaml": """\
id: gamma-hall
name: {vi: "Hội trường Gamma", en: "Gamma Hall"}
kind: ngo
province: "40"
phones:
  - number: "0238 3000 031"
services:
  - category: legal
    description: {en: "Advice"}
"""}


@pytest.fixture
def exported(tmp_path):
    """EXISTING as content, and its export."""
    content = make_content(tmp_path / "content", EXISTING)
    path = tmp_path / "export.xlsx"
    excel.write_export(_project(content), path)
    return content, path


def _project(content: Path):
    return open_project(content, LAYOUTS, content.parent / "out", TODAY)


def _files(content: Path) -> dict[str, bytes]:
    return {str(p.relative_to(content)): p.read_bytes()
            for p in sorted((content / "providers").rglob("*.yaml"))}


def _edit(path: Path, change) -> Path:
    wb = load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def _main(*argv: str) -> int:
    from booklet.cli import main

    return main([*argv[:1], *argv[1:]])


def _refusal(path: Path, *lines: str) -> str:
    return (f"{path} was not imported, and nothing was written: its sheets and "
            "columns must be those of the template.\n" + "\n".join(lines))


def test_a_missing_sheet_refuses_the_whole_workbook(exported, capsys):
    content, path = exported
    before = _files(content)
    _edit(path, lambda wb: wb.remove(wb[PHONES.title]))
    with pytest.raises(ImportProblem) as info:
        excel.import_workbook(_project(content), path)
    assert str(info.value) == _refusal(
        path, "Điện thoại (Phones): error: the sheet is missing, so the phone "
        "numbers would be erased from every provider. Fix: copy the sheet from a "
        "workbook written by 'booklet export' (a renamed sheet needs its name "
        "back)")
    assert _files(content) == before
    code = _main("import", str(path), "--content", str(content),
                 "--layouts", str(LAYOUTS))
    assert code == 1
    assert "Điện thoại (Phones): error: the sheet is missing" in (
        capsys.readouterr().err)
    assert _files(content) == before


def test_renamed_missing_or_extra_columns_refuse_the_whole_workbook(exported):
    content, path = exported
    before = _files(content)

    def damage(wb):
        phones = wb[PHONES.title]
        phones.cell(1, 2).value = "Số máy\nPhone numbr"          # renamed
        phones.cell(1, 12).value = "Ghi chú riêng"               # added
        phones.cell(3, 13).value = "a value under no header"
        wb[SOURCES.title].delete_cols(2)                          # deleted

    _edit(path, damage)
    with pytest.raises(ImportProblem) as info:
        excel.import_workbook(_project(content), path)
    assert str(info.value) == _refusal(
        path,
        "Điện thoại (Phones), row 1, column B: error: the column 'Số máy / Phone "
        "numbr' is not a column of the template, so its cells would not be "
        "imported (did you mean 'Số điện thoại / Phone number'?). Fix: give the "
        "column its template header; information that has no template column "
        "goes into 'Internal notes'",
        "Điện thoại (Phones), row 1, column L: error: the column 'Ghi chú riêng' "
        "is not a column of the template, so its cells would not be imported. "
        "Fix: give the column its template header; information that has no "
        "template column goes into 'Internal notes'",
        "Điện thoại (Phones), row 1, column M: error: the column has no header "
        "but holds values (row 3 is the first). Fix: give it back its template "
        "header, or delete the column",
        "Điện thoại (Phones): error: the template column(s) 'Số điện thoại / "
        "Phone number' are missing, so what they hold would be erased from every "
        "provider. Fix: restore the columns from a workbook written by 'booklet "
        "export'; a renamed column needs its template header back",
        "Nguồn (Sources): error: the template column(s) 'Đường dẫn nguồn / Source "
        "URL' are missing, so what they hold would be erased from every provider. "
        "Fix: restore the columns from a workbook written by 'booklet export'; a "
        "renamed column needs its template header back")
    assert _files(content) == before


def _phone_rows(wb) -> dict[str, int]:
    ws = wb[PHONES.title]
    return {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)
            if ws.cell(r, 2).value}


def test_a_mistyped_id_in_a_child_sheet_leaves_its_provider_as_it_was(exported):
    content, path = exported
    before = _files(content)

    def mistype(wb):
        row = _phone_rows(wb)["0238 3000 011"]
        wb[PHONES.title].cell(row, 1).value = "alpha-house1"
        wb[PROVIDERS.title]["C4"] = "Gamma Hall, renamed"  # a change that imports

    _edit(path, mistype)
    outcome = excel.import_workbook(_project(content), path)
    row = _phone_rows(load_workbook(path))["0238 3000 011"]
    assert messages(outcome, "error") == [
        f"Điện thoại (Phones), row {row}, column A (Provider id): error: the "
        "provider id 'alpha-house1' is not on the Providers sheet (did you mean "
        "'alpha-house-1'?). Fix: write the id of a provider listed on the "
        "Providers sheet"]
    assert [str(c) for c in outcome.changes][:2] == [
        f"skipped alpha-house-1 (left as it was, because the refused Điện thoại "
        f"(Phones) row {row} may belong to it: see the errors)",
        "unchanged beta-centre"]
    after = _files(content)
    assert after["providers/nghe-an/alpha-house-1.yaml"] == before[
        "providers/nghe-an/alpha-house-1.yaml"]
    assert {k for k in after if after[k] != before[k]} == {
        "providers/nghe-an/gamma-hall.yaml"}  # the other rows still import
    assert outcome.errors


def test_a_child_row_without_a_usable_id_holds_back_every_likely_owner(exported):
    content, path = exported
    before = _files(content)

    def damage(wb):
        rows, ws = _phone_rows(wb), wb[PHONES.title]
        ws.cell(rows["0238 3000 022"], 1).value = None        # blanked
        ws.cell(rows["0238 3000 031"], 1).value = "zz-other"  # nothing like it

    _edit(path, damage)
    outcome = excel.import_workbook(_project(content), path)
    rows = _phone_rows(load_workbook(path))
    blank, other = rows["0238 3000 022"], rows["0238 3000 031"]
    assert messages(outcome, "error") == [
        f"Điện thoại (Phones), row {blank}, column A (Provider id): error: the "
        "row has no provider id (it sits next to rows of 'beta-centre'). Fix: "
        "write the id of a provider listed on the Providers sheet",
        f"Điện thoại (Phones), row {other}, column A (Provider id): error: the "
        "provider id 'zz-other' is not on the Providers sheet. Fix: write the id "
        "of a provider listed on the Providers sheet"]
    # gamma-hall has the number of the 'zz-other' row: it is held back too.
    assert [c.action for c in outcome.changes] == ["unchanged", "skipped",
                                                   "skipped"]
    assert str(outcome.changes[2]) == (
        f"skipped gamma-hall (left as it was, because the refused Điện thoại "
        f"(Phones) row {other} may belong to it: see the errors)")
    assert _files(content) == before


def test_every_mistake_around_a_held_back_provider_comes_in_one_round(exported):
    # A tester fixed a mistyped id, then a document's service number, then an
    # empty phone, one import at a time: each hid the next.
    content, path = exported
    before = _files(content)
    added = {}

    def damage(wb):
        for sheet, values in (
                (PHONES, {"provider_id": "alpha-house1", "number": "0238 3000 099"}),
                (DOCUMENTS, {"provider_id": "alpha-house-1", "service_no": 9,
                             "document_vi": "Giấy tờ", "document_en": "Paper"}),
                (PHONES, {"provider_id": "alpha-house-1", "label_en": "Office"})):
            ws, keys = wb[sheet.title], [c.key for c in sheet.columns]
            row = ws.max_row + 1
            for key, value in values.items():
                ws.cell(row, keys.index(key) + 1, value)
            added.setdefault(sheet.title, []).append(row)

    _edit(path, damage)
    outcome = excel.import_workbook(_project(content), path)
    errors = messages(outcome, "error")
    mistyped, empty = added[PHONES.title]
    assert len(errors) == 3, errors
    assert any(f"row {mistyped}, column A" in e and "alpha-house1" in e
               for e in errors)
    assert any(f"row {added[DOCUMENTS.title][0]}" in e and "no service number 9"
               in e for e in errors)
    assert any(f"row {empty}" in e and "the Phone number is empty" in e
               for e in errors)
    assert _files(content) == before


def test_remove_with_a_workbook_listing_no_provider_is_refused(exported, template,
                                                              capsys):
    content, _ = exported
    before = _files(content)
    with pytest.raises(ImportProblem) as info:
        excel.import_workbook(_project(content), template, remove=True)
    assert str(info.value) == (
        f"{template} lists no providers on the sheet 'Nhà cung cấp (Providers)', "
        "so --remove would delete all 3 provider files; nothing was written. "
        "Fix: import a filled workbook (start from 'booklet export'), or leave "
        "out --remove")
    assert _main("import", str(template), "--remove", "--content", str(content),
                 "--layouts", str(LAYOUTS)) == 1
    assert _files(content) == before
    capsys.readouterr()


def test_remove_names_each_file_and_waits_while_the_workbook_has_errors(
        exported):
    content, path = exported

    def drop_gamma_and_break_beta(wb):
        for ws in wb.worksheets[1:-1]:
            for r in range(ws.max_row, 1, -1):
                if ws.cell(r, 1).value == "gamma-hall":
                    ws.delete_rows(r)
        ws = wb[PHONES.title]
        ws.cell(_phone_rows(wb)["0238 3000 021"], col_number(PHONES, "cost"),
                "expensive")

    _edit(path, drop_gamma_and_break_beta)
    gamma = content / "providers/nghe-an/gamma-hall.yaml"
    outcome = excel.import_workbook(_project(content), path, remove=True)
    assert gamma.exists()
    assert str(outcome.changes[-1]) == (
        "kept gamma-hall (not in the workbook; not removed, because the workbook "
        "has errors: fix them and import again)")

    def mend_beta(wb):
        wb[PHONES.title].cell(_phone_rows(wb)["0238 3000 021"],
                              col_number(PHONES, "cost")).value = None

    _edit(path, mend_beta)
    outcome = excel.import_workbook(_project(content), path, remove=True)
    assert not outcome.errors and not gamma.exists()
    assert f"removed gamma-hall ({_rel(gamma)})" in outcome.lines()


def col_number(sheet, key: str) -> int:
    return [c.key for c in sheet.columns].index(key) + 1


def test_a_formula_whose_saved_result_is_an_error_is_refused(template, tmp_path):
    short = col(PROVIDERS, "short_name_en")
    path = build(template, tmp_path / "w.xlsx",
                 providers=[provider("e-1", short_name_en="=1/0")],
                 services=[service("e-1")])
    name = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    xml, count = re.subn(rf'<c r="{short}2"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
                         rf'<c r="{short}2"\1 t="e"><f>\2</f><v>#DIV/0!</v>',
                         items[name].decode())
    assert count == 1
    items[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for n, data in items.items():
            zout.writestr(n, data)
    outcome, loaded = run(tmp_path, path)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {short} (Short name (English)): "
        "error: the cell holds the Excel error #DIV/0! (from the formula =1/0), "
        "not a value. Fix: type the value the cell should hold"]


def test_numbers_that_are_no_date_in_a_date_column_are_refused(template, tmp_path):
    rows = [provider("d-year", consent_print_date=2026),
            provider("d-huge", consent_print_date=3000000),
            provider("d-good", consent_print_date=46296)]
    wb = build(template, tmp_path / "w.xlsx", providers=rows,
               services=[service(r["provider_id"]) for r in rows])
    outcome, loaded = run(tmp_path, wb)
    assert set(loaded) == {"d-good"}
    date_col = col(PROVIDERS, "consent_print_date")
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row {r}, column {date_col} (Date of print "
        f"consent): error: the number {value} is not a date. Fix: write the "
        "date as dd/mm/yyyy, for example 01/10/2026"
        for r, value in ((2, 2026), (3, 3000000))]


def test_phone_cell_in_scientific_format_is_refused(template, tmp_path):
    def scientific(wb):
        ws = wb[PHONES.title]
        number = [c.key for c in PHONES.columns].index("number") + 1
        ws.cell(2, number).number_format = "0.00E+00"

    wb = build(template, tmp_path / "w.xlsx", edit=scientific,
               providers=[provider("p"), provider("q")],
               phones=[{"provider_id": "p", "number": 2433850000},
                       {"provider_id": "q", "number": "024 3385 3227"}],
               services=[service("p"), service("q")])
    outcome, loaded = run(tmp_path, wb)
    assert set(loaded) == {"q"}
    (error,) = messages(outcome, "error")
    assert error.endswith(
        "error: the phone number 2433850000 is shown in scientific notation, so "
        "Excel may have rounded its last digits. Fix: format the column as Text "
        "and type the whole number again")


def test_a_character_the_fonts_lack_refuses_its_row(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("tick", name_vi="Trung tâm ✓ Hỗ trợ"),
                          provider("plain")],
               services=[service("tick"), service("plain")])
    outcome, loaded = run(tmp_path, wb)
    assert set(loaded) == {"plain"}
    name = col(PROVIDERS, "name_vi")
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {name} (Full name "
        "(Vietnamese)): error: character '✓' (U+2713 CHECK MARK) is not in the "
        "fonts that print this text and would show as a blank box. Fix: replace "
        "it with a character the fonts have, or remove it"]


def test_a_western_name_is_kept_with_a_warning(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("dk", name_en="Søren Nielsen Foundation")],
               services=[service("dk")])
    outcome, loaded = run(tmp_path, wb)
    assert loaded["dk"].name.en == "Søren Nielsen Foundation"
    assert any("'Søren Nielsen Foundation' was kept as written" in m
               for m in messages(outcome, "warning"))


@pytest.mark.parametrize("typed, spans", [
    ("T2-T7 7h-11h30, 13h30-17h",
     [("mon-sat", "07:00", "11:30"), ("mon-sat", "13:30", "17:00")]),
    ("Sáng T2-T6 7h30-11h30", [("mon-fri", "07:30", "11:30")]),
    ("T2, T4 8h-11h, 14h-16h30",
     [("mon,wed", "08:00", "11:00"), ("mon,wed", "14:00", "16:30")]),
    # A comma between two groups of days, as offices write it.
    ("T2-T6 7h30-17h, T7 7h30-11h30",
     [("mon-fri", "07:30", "17:00"), ("sat", "07:30", "11:30")]),
    ("T2-T6 7h30-11h30 và 13h30 - 17h",
     [("mon-fri", "07:30", "11:30"), ("mon-fri", "13:30", "17:00")]),
    # Each range with its part of the day, after the days.
    ("T2-T6 sáng 7h-11h30, chiều 1h30-5h",
     [("mon-fri", "07:00", "11:30"), ("mon-fri", "13:30", "17:00")])])
def test_split_days_and_part_of_day_words_in_hours(typed, spans):
    read = cells.hours(typed)
    assert [(cells.hours_text({"spans": [s]}).split()[0], s["opens"], s["closes"])
            for s in read["spans"]] == spans


def test_hours_with_no_days_say_so_and_24_24h_is_always_open():
    # It was refused as "not a day or a range of days", pointing nowhere.
    with pytest.raises(cells.CellError) as err:
        cells.hours("Sáng 7h30-11h30, chiều 13h30-17h")
    assert "names no days" in str(err.value)
    with pytest.raises(cells.CellError) as err:
        cells.hours("7h-11h30 và 13h30-17h")
    assert "names no days" in str(err.value)
    assert cells.hours("24/24h") == {"always": True}


# ------------------------------------------------ service numbers link documents

HARBOUR = "fictional-harbour-clinic"
CARD = {"provider_id": HARBOUR, "service_no": 1, "document_vi": "Thẻ bảo hiểm y tế",
        "document_en": "Health insurance card"}


def test_a_service_number_used_twice_refuses_the_provider(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR), provider("fictional-quay-house")],
               services=[service(HARBOUR, service_no=1),
                         service(HARBOUR, service_no=1, description_en="Shelter"),
                         service("fictional-quay-house")],
               documents=[CARD])
    outcome, loaded = run(tmp_path, wb)
    assert HARBOUR not in loaded and "fictional-quay-house" in loaded
    number = col(SERVICES, "service_no")
    assert messages(outcome, "error") == [
        f"Dịch vụ (Services), row 3, column {number} (Service no.): error: service "
        "no. 1 is used twice for this provider (also on row 2). Fix: give each "
        "service of the provider its own number, and check the Service no. of its "
        "documents on the Documents sheet"]


def test_a_blank_service_number_beside_numbered_ones_is_refused(template,
                                                                tmp_path):
    # Numbered by position, the inserted row would take number 2 from the row
    # below it.
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               services=[service(HARBOUR, service_no=1),
                         service(HARBOUR, description_en="Shelter"),
                         service(HARBOUR, service_no=2, description_en="Meals")],
               documents=[CARD, {**CARD, "service_no": 2}])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    number = col(SERVICES, "service_no")
    assert messages(outcome, "error") == [
        f"Dịch vụ (Services), row 3, column {number} (Service no.): error: the "
        "service has no Service no., and other services of this provider have "
        "one. Fix: fill in the Service no.: a number no other service of the "
        "provider uses; the Documents sheet names services by it"]


def test_a_service_number_that_is_not_whole_is_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               services=[service(HARBOUR, service_no=1.5)], documents=[CARD])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    number = col(SERVICES, "service_no")
    assert messages(outcome, "error") == [
        f"Dịch vụ (Services), row 2, column {number} (Service no.): error: '1.5' "
        "is not a whole number from 1 up. Fix: write 1 for the provider's first "
        "service, 2 for the next, and so on"]


def test_a_document_without_a_service_number_is_named(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               services=[service(HARBOUR, service_no=1)],
               documents=[{**CARD, "service_no": None}])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    number = col(DOCUMENTS, "service_no")
    assert messages(outcome, "error") == [
        f"Giấy tờ (Documents), row 2, column {number} (Service no.): error: the "
        "document has no service number. Fix: write the 'Service no.' of a row on "
        "the Services sheet"]


def test_an_error_in_a_document_names_its_row_when_services_are_reordered(
        template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               services=[service(HARBOUR, service_no=2, description_en="Shelter"),
                         service(HARBOUR, service_no=1)],
               documents=[CARD, {"provider_id": HARBOUR, "service_no": 2}])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert [(i.sheet, i.row) for i in outcome.errors] == [
        ("Giấy tờ (Documents)", 3)]


# ------------------------------------------------ one phone number per cell


@pytest.mark.parametrize(("typed", "parts"), [
    ("0239 3000 123\n0912 000 123", "'0239 3000 123' and '0912 000 123'"),
    ("0239 3000 123 - 0239 3000 124", "'0239 3000 123' and '0239 3000 124'"),
    ("0239 3000 123; 0239 3000 124", "'0239 3000 123' and '0239 3000 124'"),
    ("0239 3000 123, 0912 000 123", "'0239 3000 123' and '0912 000 123'"),
    ("0239 3000 123 / 124", "'0239 3000 123' and '124'"),
    ("0239 3000 123 – 0239 3000 124", "'0239 3000 123' and '0239 3000 124'"),
    ("024 3385 3227 0239 3000 124", "'024 3385 3227' and '0239 3000 124'"),
    ("0912 345 678 0912 345 679", "'0912 345 678' and '0912 345 679'"),
])
def test_two_phone_numbers_in_one_cell_are_refused(template, tmp_path, typed,
                                                   parts):
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               phones=[{"provider_id": HARBOUR, "number": typed}],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Điện thoại (Phones), row 2, column {col(PHONES, 'number')} (Phone "
        f"number): error: the cell holds 2 phone numbers ({parts}). Fix: one "
        "number per row: add a row on the Phones sheet"]


@pytest.mark.parametrize("typed", ["024 - 3385 3227", "(84-024) 6273 8965",
                                   "0239 3000 123", "0239–3000–123", "1800 1567"])
def test_a_hyphen_inside_one_phone_number_is_kept(typed):
    assert cells.phone(typed, []) == typed


def test_a_number_typed_with_en_dashes_reads_as_one(template, tmp_path):
    # Word and Excel turn "0239-3000-124" into en dashes as you type.
    wb = build(template, tmp_path / "w.xlsx", providers=[provider(HARBOUR)],
               phones=[{"provider_id": HARBOUR, "number": "0239–3000–124"}],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    assert not messages(outcome, "error")
    assert loaded[HARBOUR].phones[0].number == "0239-3000-124"


def test_two_numbers_for_the_contact_person_are_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, contact_phone="0239 3000 123\n"
                                                          "0912 000 123")],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {col(PROVIDERS, 'contact_phone')} "
        "(Contact person's phone): error: the cell holds 2 phone numbers ('0239 "
        "3000 123' and '0912 000 123'). Fix: keep the contact person's own number "
        "here, and add the others on the Phones sheet"]


# ------------------------------------------------ language codes

KNOWN_LANGUAGES = ", ".join(f"{code} ({name})" for code, name in
                            Layouts(LAYOUTS).languages().items())


def test_language_codes_the_strings_do_not_name_are_refused(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, languages="vn, english, khmer"),
                          provider("fictional-quay-house", languages="VI, EN")],
               services=[service(HARBOUR), service("fictional-quay-house")])
    outcome, loaded = run(tmp_path, wb)
    languages = col(PROVIDERS, "languages")
    where = f"column {languages} (Languages (codes, comma-separated))"
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, {where}: error: 'vn', 'english' and "
        "'khmer' are not language codes the directory knows, so they would be "
        f"printed as typed. Fix: use one of: {KNOWN_LANGUAGES}"]
    assert HARBOUR not in loaded
    assert loaded["fictional-quay-house"].languages == ["vi", "en"]
    assert messages(outcome, "warning") == [
        f"Nhà cung cấp (Providers), row 3, {where}: warning: the languages 'VI, "
        "EN' were read as the codes vi, en."]


# ------------------------------------------------ errors point at the cell to fill


def test_an_empty_province_names_the_province_column(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, province=None)],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {col(PROVIDERS, 'province')} "
        "(Province): error: the Province is empty, and the provider is not "
        "national. Fix: choose the province, or set Coverage to national"]


def test_verified_without_a_date_names_the_date_column(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, verification_status="verified")],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column "
        f"{col(PROVIDERS, 'verification_date')} (Date verified): error: the Date "
        "verified is empty, and the Verification status is verified. Fix: fill in "
        "the date of the verification call, or set the Verification status to "
        "desk research"]


def test_an_emptied_required_cell_is_named_by_its_column(template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, name_vi=None, name_en=None)],
               phones=[{"provider_id": HARBOUR, "label_en": "Hotline"}],
               services=[service(HARBOUR),
                         {"provider_id": HARBOUR, "description_en": "Shelter"},
                         {"provider_id": HARBOUR, "category": "legal"}])
    outcome, loaded = run(tmp_path, wb)
    assert loaded == {}
    assert messages(outcome, "error") == [
        f"Nhà cung cấp (Providers), row 2, column {col(PROVIDERS, 'name_vi')} "
        "(Full name (Vietnamese)): error: the Full name is empty. Fix: fill in the "
        "Full name in Vietnamese or English",
        f"Điện thoại (Phones), row 2, column {col(PHONES, 'number')} (Phone "
        "number): error: the Phone number is empty. Fix: fill in the Phone "
        "number, or delete the row",
        f"Dịch vụ (Services), row 3, column {col(SERVICES, 'category')} "
        "(Category): error: the Category is empty. Fix: fill in the Category, or "
        "delete the row",
        f"Dịch vụ (Services), row 4, column {col(SERVICES, 'description_vi')} "
        "(Description (Vietnamese)): error: the Description is empty. Fix: fill in "
        "the Description in Vietnamese or English, or delete the row"]


def test_a_comma_between_days_and_hours_is_read():
    assert cells.hours("Thứ 2 - Thứ 6, 8:00-17:00") == {"spans": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00",
         "closes": "17:00"}]}
    with pytest.raises(cells.CellError) as info:
        cells.hours("mon,,tue 8:00-17:00")
    assert info.value.message == "'mon,,tue' has a comma with no day beside it"


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


@pytest.mark.parametrize("typed, spans", [
    # "Chiều" (afternoon) and "Tối" (evening) put a 12-hour time after noon:
    # 1h30-4h30 was imported as 01:30-04:30 and printed so.
    ("Sáng T2-T6 7h30-11h30; Chiều T2-T6 1h30-4h30",
     [("07:30", "11:30"), ("13:30", "16:30")]),
    ("Chiều T2-T6 2h-5h", [("14:00", "17:00")]),
    ("Tối T2-T6 7h-9h", [("19:00", "21:00")]),
    ("chieu T2-T6 13h-17h", [("13:00", "17:00")]),
    ("Chiều T2-T6 1h-4h, 5h-6h", [("13:00", "16:00"), ("17:00", "18:00")]),
])
def test_the_part_of_the_day_sets_the_clock(typed, spans):
    notes: list[str] = []
    read = cells.hours(typed, notes)
    assert [(s["opens"], s["closes"]) for s in read["spans"]] == spans
    assert all(s["days"] == WEEKDAYS for s in read["spans"])
    assert notes == []


def test_hours_that_close_before_they_open_are_said():
    notes: list[str] = []
    assert cells.hours("T2-T6 8h-5h", notes)["spans"][0]["closes"] == "05:00"
    assert notes == ["08:00-05:00 closes before it opens, so it reads as open "
                     "overnight; if it closes in the afternoon, write 17:00 "
                     "(24-hour clock)"]
    notes = []
    cells.hours("T2-CN 22h-6h", notes)  # a night shelter: no advice to add 12
    assert notes == ["22:00-06:00 closes before it opens, so it reads as open "
                     "overnight"]


def test_every_mistake_of_a_provider_is_reported_in_one_import(template, tmp_path):
    # A refused drop-down cell used to hide the provider's other mistakes
    # until the next import; the refused cell is not reported twice.
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider(HARBOUR, website="example org",
                                   email="info at example.org")],
               phones=[{"provider_id": HARBOUR, "number": "0239 3000 123",
                        "visibility": "secret"}],
               services=[service(HARBOUR)])
    outcome, loaded = run(tmp_path, wb)
    errors = messages(outcome, "error")
    assert HARBOUR not in loaded
    assert [e for e in errors if "'secret'" in e]
    assert [e for e in errors if f"column {col(PROVIDERS, 'email')} " in e
            and "info at example.org" in e]
    assert [e for e in errors if f"column {col(PROVIDERS, 'website')} " in e
            and "example org" in e]
    visibility = f"column {col(PHONES, 'visibility')} "
    assert len([e for e in errors if visibility in e]) == 1, errors


@pytest.mark.parametrize("typed", ["2026-10-01 00:00", "01/10/2026 00:00:00",
                                   "2026-10-01"])
def test_a_date_typed_with_midnight_reads_as_the_day(typed):
    assert cells.date(typed, []) == dt.date(2026, 10, 1)


def test_a_date_with_another_time_is_still_refused():
    with pytest.raises(cells.CellError):
        cells.date("2026-10-01 14:30", [])


def test_an_hours_cell_that_closes_before_it_opens_is_a_warning_on_the_cell(
        template, tmp_path):
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("v-1", hours="T2-T6 8h-5h")],
               services=[service("v-1")])
    outcome, loaded = run(tmp_path, wb)
    hours = col(PROVIDERS, "hours")
    assert any(m.startswith(f"Nhà cung cấp (Providers), row 2, column {hours} ")
               and "write 17:00 (24-hour clock)" in m
               for m in messages(outcome, "warning")), messages(outcome, "warning")
    assert loaded["v-1"].hours.spans[0].closes == "05:00"  # kept as typed


def test_a_shelter_address_with_no_visibility_is_a_warning_on_the_cell(
        template, tmp_path):
    # Empty reads as public: the shelter's address would print in leaflets.
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("v-1", address_vi="1 Đường Hư Cấu",
                                   address_en="1 Fictional Street"),
                          provider("v-2", address_vi="2 Đường Hư Cấu",
                                   address_en="2 Fictional Street",
                                   address_visibility="confidential"),
                          provider("v-3", address_vi="3 Đường Hư Cấu",
                                   address_en="3 Fictional Street")],
               services=[service("v-1", category="accommodation"),
                         service("v-2", category="accommodation"),
                         service("v-3")])
    outcome, loaded = run(tmp_path, wb)
    where = col(PROVIDERS, "address_visibility")
    warned = [m for m in messages(outcome, "warning") if "accommodation" in m]
    assert warned == [
        f"Nhà cung cấp (Providers), row 2, column {where} (Address visibility): "
        "warning: the Address visibility is empty, so the address of a provider "
        "with accommodation is printed in public products. Fix: choose "
        "confidential if the address is a shelter's, or public to confirm that "
        "it may be printed"]
    assert {"v-1", "v-2", "v-3"} <= set(loaded)


def test_a_shelter_address_warning_comes_with_the_errors_of_its_provider(
        template, tmp_path):
    # Held back by an empty Kind, the provider got no word about its
    # address until the next import, which then printed it as public.
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("v-1", address_vi="1 Đường Hư Cấu",
                                   address_en="1 Fictional Street", kind=None)],
               services=[service("v-1", category="accommodation")])
    outcome, loaded = run(tmp_path, wb)
    assert "v-1" not in loaded
    assert any("Address visibility is empty" in m
               for m in messages(outcome, "warning"))
    assert any("Kind" in m for m in messages(outcome, "error"))


def test_import_says_what_check_would_of_a_new_or_changed_provider(
        template, tmp_path):
    # A year typed wrong and a name left in one language reached the
    # consultant only through a later 'booklet check'.
    wb = build(template, tmp_path / "w.xlsx",
               providers=[provider("v-1", name_vi=None,
                                   verification_status="verified",
                                   verification_date="04/12/2027")],
               services=[service("v-1")])
    outcome, loaded = run(tmp_path, wb)
    assert "v-1" in loaded
    found = messages(outcome, "warning")
    assert any(f"column {col(PROVIDERS, 'verification_date')} " in m
               and "verified on 04/12/2027, after today" in m for m in found), found
    assert any(f"column {col(PROVIDERS, 'name_vi')} " in m
               and "no Vietnamese text" in m for m in found), found
