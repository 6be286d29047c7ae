"""The template and the export reopen intact; import then export loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from booklet.errors import ImportProblem
from booklet.load import excel, load_content
from booklet.load.dump import dump_provider
from booklet.load.workbook import PHONES, PROVIDERS, SHEETS, services_sheet
from booklet.project import open_project
from tests.conftest import CONTENT, LAYOUTS, TODAY, make_content

# A fictional provider that fills every field of the model, several in ways a
# spreadsheet tends to damage (leading zeros, times, dates, line breaks).
FULL = """\
id: fict-full
name: {vi: "Trung tâm Đầy Đủ Hư Cấu", en: "Fictional Complete Centre"}
short_name: {vi: "Đầy Đủ", en: "Complete"}
discreet_name: {vi: "Cô Lan"}
kind: social_enterprise
province: "79"
coverage: ["79", "80", "01"]
address:
  text: {vi: "12 Đường Thử, Phường Hư Cấu", en: "12 Test Road, Fiction Ward"}
  visibility: caseworker
  note: {vi: "Tầng 2", en: "Second floor"}
geo: {lat: 10.7769, lon: 106.7009}
phones:
  - number: "028 3000 0004"
    label: {vi: "Văn phòng", en: "Office"}
    cost: standard
    hours:
      spans:
        - {days: [mon, tue, wed, thu, fri], opens: "07:30", closes: "11:30"}
        - {days: [mon, wed, fri], opens: "13:30", closes: "17:00"}
      note: {vi: "Nghỉ ngày lễ", en: "Closed on public holidays"}
  - number: "1800 0000"
    hotline: true
    cost: free
    hours: {always: true}
    visibility: caseworker
email: "info@complete.example.org"
website: "https://complete.example.org"
zalo: "0900000000"
facebook: "https://facebook.com/complete.example"
hours:
  always: true
  spans:
    - {days: [sat, sun], opens: "08:00", closes: "24:00"}
  note: {en: "Appointments only"}
how_to_reach: {vi: "Gần chợ", en: "Near the market"}
services:
  - category: accommodation
    description: {vi: "Nhà tạm lánh\\n\\nCho phụ nữ", en: "Shelter\\n\\nFor women"}
    fees: {kind: partly_free, note: {vi: "Miễn phí 3 tháng", en: "Free for 3 months"}}
    eligibility:
      criteria: [women_only, confirmed_victim, id_required, youth, children,
                 disability, minorities]
      notes: {vi: "Từ 16 tuổi"}
    documents:
      - {vi: "Căn cước công dân", en: "Citizen ID card"}
      - {en: "Referral letter"}
  - category: legal
    description: {en: "Legal advice"}
languages: [vi, en]
referral:
  process: {vi: "Gọi trước", en: "Call first"}
  requirements: {vi: "Giấy giới thiệu", en: "A referral letter"}
  constraints: {en: "Vietnamese and Khmer only"}
  template_url: "https://complete.example.org/form.pdf"
  safeguarding: {vi: "Không tiết lộ địa chỉ", en: "Never share the address"}
  contact_person:
    name: "Nguyễn Thị Hư"
    role: {vi: "Cán bộ", en: "Caseworker"}
    phone: "0900 000 001"
    email: "hu@complete.example.org"
care_standards: {trauma_informed: "yes", survivor_centred: "no",
                 gender_sensitive: "yes", child_friendly: "no"}
consent:
  print: {given: "yes", date: "2026-10-01"}
  digital: {given: "no"}
verification: {status: verified, date: "2026-10-02", method: video, by: "Tester"}
sources: ["https://a.example.org", "https://b.example.org/x?y=1#z"]
internal_notes: "Line one\\nLine two: \\"quoted\\", 0241234567, 07:30, no"
"""


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes()
            for p in sorted((root / "providers").rglob("*.yaml"))}


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """The fictional providers plus FULL, their export, and an empty tree."""
    from tests.conftest import FICTIONAL

    root = tmp_path_factory.mktemp("full")
    content = make_content(root / "content",
                           {**FICTIONAL, "ho-chi-minh-city/fict-full.yaml": FULL})
    project = open_project(content, LAYOUTS, root / "out", TODAY)
    workbook = root / "export.xlsx"
    excel.write_export(project, workbook)
    return project, workbook, root


def test_template_has_bilingual_headers_dropdowns_and_text_formats(tmp_path):
    project = open_project(make_content(tmp_path / "c"), LAYOUTS, tmp_path, TODAY)
    path = tmp_path / "template.xlsx"
    excel.write_template(project, path)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Hướng dẫn (Instructions)"
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb[PROVIDERS.title]
    assert ws["A1"].value == "Mã nhà cung cấp\nProvider id"
    assert ws.cell(1, 2).value == "Tên đầy đủ (tiếng Việt)\nFull name (Vietnamese)"
    validated, reach = {}, {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            validated[cell_range.min_col] = dv.formula1
            reach[cell_range.min_col] = cell_range.max_row
    keys = [c.key for c in PROVIDERS.columns]

    def col(key):
        return keys.index(key) + 1

    for key in ("kind", "province", "coverage", "address_visibility",
                "care_trauma_informed", "care_child_friendly", "consent_print",
                "consent_digital", "verification_status", "verification_method"):
        assert col(key) in validated, key
    lists = wb["Lists"]
    province_list = validated[col("province")]
    first = province_list.split("!")[1].split(":")[0].replace("$", "")
    assert lists[first].value == "01 — Hà Nội / Ha Noi"
    kinds = [lists.cell(r, 1 + sorted(excel.Lists(
        load_content(project.content_dir).content).items).index("kind")).value
        for r in range(2, 9)]
    assert "ngo — Tổ chức phi chính phủ / NGO" in kinds
    for key in ("provider_id", "contact_phone", "consent_print_date",
                "verification_date", "hours"):
        assert ws.cell(2, col(key)).number_format == "@", key
        assert ws.cell(150, col(key)).number_format == "@", key
        # Rows typed below the prepared ones take the column's format.
        letter = get_column_letter(col(key))
        assert ws.column_dimensions[letter].number_format == "@", key
    assert reach[col("province")] >= 5000
    phones = wb[PHONES.title]
    assert phones.cell(2, 2).number_format == "@"
    phone_dv = {r.min_col for dv in phones.data_validations.dataValidation
                for r in dv.sqref.ranges}
    assert {5, 6, 10} <= phone_dv  # hotline, cost, visibility
    services = wb[services_sheet().title]
    service_dv = {r.min_col for dv in services.data_validations.dataValidation
                  for r in dv.sqref.ranges}
    assert {3, 6, 9, 14} <= service_dv  # category, fees, eligibility 1 and 6
    assert [s.title for s in SHEETS] == wb.sheetnames[1:-1]


def test_export_reopens_with_values_dropdowns_and_text_formats(full):
    _, workbook, _ = full
    wb = load_workbook(workbook)
    ws = wb[PROVIDERS.title]
    ids = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert set(filter(None, ids)) == {"fict-shelter", "fict-noconsent",
                                      "fict-clinic", "fict-national", "fict-full"}
    row = ids.index("fict-full") + 2
    keys = [c.key for c in PROVIDERS.columns]
    values = {k: ws.cell(row, i + 1).value for i, k in enumerate(keys)}
    assert values["province"] == "79 — TP. Hồ Chí Minh / Ho Chi Minh City"
    assert values["coverage"] == ("79 — TP. Hồ Chí Minh / Ho Chi Minh City; "
                                  "80 — Tây Ninh / Tay Ninh; 01 — Hà Nội / Ha Noi")
    assert values["hours"] == "24/7; sat,sun 08:00-24:00"
    assert values["consent_print_date"] == "01/10/2026"
    assert values["care_survivor_centred"] == "no — không"
    assert values["contact_phone"] == "0900 000 001"
    assert ws.cell(row, keys.index("contact_phone") + 1).number_format == "@"
    assert values["internal_notes"].startswith("Line one\nLine two")
    phones = wb[PHONES.title]
    numbers = [phones.cell(r, 2).value for r in range(2, phones.max_row + 1)]
    assert "028 3000 0004" in numbers and "1800 0000" in numbers
    office = numbers.index("028 3000 0004") + 2
    assert phones.cell(office, 7).value == (
        "mon-fri 07:30-11:30; mon,wed,fri 13:30-17:00")
    services = wb[services_sheet().title]
    headers = [services.cell(1, c).value for c in range(1, services.max_column + 1)]
    assert "Đối tượng 7\nEligibility 7" in headers  # seven criteria: a column more
    assert services.data_validations.dataValidation


def test_import_into_an_empty_tree_rebuilds_every_field(full, tmp_path):
    project, workbook, _ = full
    empty = make_content(tmp_path / "content", {})
    target = open_project(empty, LAYOUTS, tmp_path / "out", TODAY)
    outcome = excel.import_workbook(target, workbook)
    assert not outcome.errors, outcome.lines()
    assert outcome.count("created") == 5
    before = {p.id: p for p in load_content(project.content_dir).content.providers}
    after = {p.id: p for p in load_content(empty).content.providers}
    assert after == before
    written = (empty / "providers/ho-chi-minh-city/fict-full.yaml").read_text()
    assert written == dump_provider(before["fict-full"])
    assert (empty / "providers/national/fict-national.yaml").exists()


def test_reimporting_an_unchanged_export_changes_nothing(full, tmp_path):
    project, workbook, _ = full
    copy = tmp_path / "content"
    shutil.copytree(project.content_dir, copy)
    before = _files(copy)
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    workbook)
    assert outcome.count("unchanged") == 5 and not outcome.issues
    assert _files(copy) == before
    assert outcome.lines()[-1] == ("0 created, 0 changed, 5 unchanged, 0 removed, "
                                   "0 kept, 0 skipped")


def test_a_changed_cell_changes_that_provider_only(full, tmp_path):
    project, workbook, _ = full
    copy = tmp_path / "content"
    shutil.copytree(project.content_dir, copy)
    before = _files(copy)
    wb = load_workbook(workbook)
    ws = wb[PROVIDERS.title]
    row = next(r for r in range(2, ws.max_row + 1)
               if ws.cell(r, 1).value == "fict-clinic")
    ws.cell(row, 3).value = "Mirage Health Clinic"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    edited, dry_run=True)
    assert _files(copy) == before  # a dry run writes nothing
    assert outcome.lines()[-1].endswith("; dry run: nothing was written")
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    edited)
    changed = [str(c) for c in outcome.changes if c.action == "changed"]
    assert changed == ["changed fict-clinic: name.en "
                       f"({_rel(copy / 'providers/ha-tinh/fict-clinic.yaml')})"]
    after = _files(copy)
    assert {k for k in after if after[k] != before[k]} == {
        "providers/ha-tinh/fict-clinic.yaml"}
    clinic = {p.id: p for p in load_content(copy).content.providers}["fict-clinic"]
    assert clinic.name.en == "Mirage Health Clinic"


def _rel(path: Path) -> str:
    import os

    return os.path.relpath(path)


def test_a_provider_missing_from_the_workbook_is_removed_only_when_asked(
        full, tmp_path):
    project, workbook, _ = full
    copy = tmp_path / "content"
    shutil.copytree(project.content_dir, copy)
    wb = load_workbook(workbook)
    for ws in wb.worksheets[1:-1]:
        for r in range(ws.max_row, 1, -1):
            if ws.cell(r, 1).value == "fict-noconsent":
                ws.delete_rows(r)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    gone = copy / "providers/nghe-an/fict-noconsent.yaml"
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    edited)
    assert "kept fict-noconsent (not in the workbook; --remove deletes it)" in (
        outcome.lines())
    assert gone.exists()
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    edited, remove=True, dry_run=True)
    assert gone.exists() and outcome.count("removed") == 1
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    edited, remove=True)
    assert not gone.exists() and outcome.count("removed") == 1
    assert outcome.count("unchanged") == 4


def test_template_and_export_are_the_same_bytes_for_the_same_content(tmp_path):
    import time
    project = open_project(make_content(tmp_path / "c"), LAYOUTS, tmp_path, TODAY)
    made = []
    for i in range(2):
        if i:
            time.sleep(2.1)  # past the two seconds a ZIP entry's date resolves
        template = tmp_path / f"template-{i}.xlsx"
        export = tmp_path / f"export-{i}.xlsx"
        excel.write_template(project, template)
        excel.write_export(project, export)
        made.append((template.read_bytes(), export.read_bytes()))
    assert made[0] == made[1]
    edition = project.content.document.settings.edition_date
    props = load_workbook(tmp_path / "export-0.xlsx").properties
    assert props.created.date() == props.modified.date() == edition


def test_bundled_content_exports_and_reimports_byte_for_byte(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    before = _files(copy)
    project = open_project(copy, LAYOUTS, tmp_path / "out", TODAY)
    workbook = tmp_path / "bundled.xlsx"
    excel.write_export(project, workbook)
    outcome = excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY),
                                    workbook)
    # The only remarks are the phone warnings 'booklet check' gives too.
    assert not outcome.errors, outcome.lines()
    assert {i.header for i in outcome.issues} <= {"Phone number"}
    assert outcome.count("unchanged") == len(before)
    assert _files(copy) == before
    # Imported into an empty tree, every file comes back byte for byte: the
    # bundled files are in the canonical form that import writes.
    empty = make_content(tmp_path / "empty", {})
    outcome = excel.import_workbook(open_project(empty, LAYOUTS, tmp_path, TODAY),
                                    workbook)
    assert outcome.count("created") == len(before)
    assert _files(empty) == before


def test_template_cells_say_what_they_expect(tmp_path):
    project = open_project(make_content(tmp_path / "c"), LAYOUTS, tmp_path, TODAY)
    path = tmp_path / "template.xlsx"
    excel.write_template(project, path)
    ws = load_workbook(path)[PROVIDERS.title]
    keys = [c.key for c in PROVIDERS.columns]
    prompts = {r.min_col: dv.prompt for dv in ws.data_validations.dataValidation
               for r in dv.sqref.ranges if dv.prompt}
    assert prompts[keys.index("verification_date") + 1] == (
        "Ngày/tháng/năm, ví dụ 01/10/2026.\nDay/month/year, for example 01/10/2026.")
    assert "mon-fri 07:30-17:00" in prompts[keys.index("hours") + 1]
    assert "leading 0" in prompts[keys.index("contact_phone") + 1]
    assert "semicolons" in prompts[keys.index("coverage") + 1]


# Content text that a spreadsheet would take for a formula, an error or a sign.
FORMULA_LIKE = """\
id: fict-formula
name: {vi: "+84 Trung tâm", en: "@home Centre"}
kind: ngo
province: "40"
services:
  - category: legal
    description: {vi: "-- xem ghi chú", en: '=HYPERLINK("https://x.example","go")'}
    fees: {kind: free, note: {en: "=1+1"}}
internal_notes: "#N/A"
"""


def test_text_that_looks_like_a_formula_is_written_as_text_and_round_trips(
        tmp_path):
    content = make_content(tmp_path / "content",
                           {"nghe-an/fict-formula.yaml": FORMULA_LIKE})
    project = open_project(content, LAYOUTS, tmp_path / "out", TODAY)
    before = _files(content)
    workbook = tmp_path / "export.xlsx"
    excel.write_export(project, workbook)
    wb = load_workbook(workbook)
    services = wb[services_sheet().title]
    keys = [c.key for c in services_sheet().columns]
    cells = [services.cell(2, keys.index(k) + 1) for k in (
        "description_en", "description_vi", "fees_note_en")]
    providers = wb[PROVIDERS.title]
    keys = [c.key for c in PROVIDERS.columns]
    cells += [providers.cell(2, keys.index(k) + 1) for k in (
        "name_vi", "name_en", "internal_notes")]
    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ('=HYPERLINK("https://x.example","go")', "s", True),
        ("-- xem ghi chú", "s", True), ("=1+1", "s", True),
        ("+84 Trung tâm", "s", True), ("@home Centre", "s", True),
        ("#N/A", "s", False)]
    outcome = excel.import_workbook(project, workbook)
    assert outcome.count("unchanged") == 1 and not outcome.issues, outcome.lines()
    assert _files(content) == before
    empty = make_content(tmp_path / "empty", {})
    outcome = excel.import_workbook(
        open_project(empty, LAYOUTS, tmp_path / "out", TODAY), workbook)
    assert outcome.count("created") == 1, outcome.lines()
    # A new provider's text in one language only is said, as check says it.
    assert [(i.severity, i.header, i.message) for i in outcome.issues] == [
        ("warning", "Fees note (Vietnamese)",
         "no Vietnamese text; the other language will be printed instead")]
    assert load_content(empty).content.providers == load_content(
        content).content.providers


def test_deleting_an_eligibility_column_a_provider_needs_is_refused(full, tmp_path):
    project, workbook, _ = full
    copy = tmp_path / "content"
    shutil.copytree(project.content_dir, copy)
    before = _files(copy)
    wb = load_workbook(workbook)
    keys = [c.key for c in services_sheet(7).columns]
    wb[services_sheet().title].delete_cols(keys.index("eligibility_7") + 1)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    with pytest.raises(ImportProblem) as info:
        excel.import_workbook(open_project(copy, LAYOUTS, tmp_path, TODAY), edited)
    assert str(info.value) == (
        f"{edited} was not imported, and nothing was written: its sheets and "
        "columns must be those of the template.\n"
        "Dịch vụ (Services): error: the template column(s) 'Đối tượng 7 / "
        "Eligibility 7' are missing, so what they hold would be erased from every "
        "provider. Fix: restore the columns from a workbook written by 'booklet "
        "export'; a renamed column needs its template header back")
    assert _files(copy) == before
