"""Data collection in Excel: write the template and the export, import a workbook.

The workbook's design lives in workbook.py, the reading of single cells in
cells.py. A workbook whose sheets or columns are not the template's is refused
whole. An import validates each provider whole through the model before its
file is written (atomically); a provider with any bad row, or that a refused
row of another sheet may belong to, is reported and left as it was, and the
other providers still import.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.writer.excel import ExcelWriter
from pydantic import ValidationError

from booklet.errors import ImportProblem
from booklet.finish.output import write_atomic
from booklet.fonts import coverage
from booklet.load import cells
from booklet.load.content import load_content
from booklet.load.dump import dump_bytes
from booklet.load.geography import Geography, GeographyError, fold
from booklet.load.validate import (
    GLYPH_FIX,
    language_fix,
    missing_glyphs,
    phone_problem,
    unknown_language,
    untranslated,
    verified_after_today,
)
from booklet.load.workbook import (
    BOOL,
    CHOICE,
    CODES,
    COVERAGE,
    CRITERIA_COLUMNS,
    DATE,
    DOCUMENTS,
    HINTS,
    HOURS,
    INSTRUCTIONS_TITLE,
    LABELS,
    LINE,
    LISTS_TITLE,
    MAX_CRITERIA_COLUMNS,
    NUMBER,
    PHONE,
    PHONES,
    PROVIDERS,
    PROVINCE,
    SHEETS,
    SOURCES,
    TEXT,
    Column,
    Sheet,
    choice_label,
    services_sheet,
)
from booklet.model import Content, MissingField, Provider
from booklet.ooxml import restamp

log = logging.getLogger(__name__)

# Rows of an empty template (and beyond the data of an export) whose cells
# carry the text format; the columns carry it too, for rows typed further down.
BLANK_ROWS = 200
# Rows the drop-downs and input hints reach (a range costs nothing per row).
VALIDATED_ROWS = 5000


# ---------------------------------------------------------------- outcome


@dataclass(frozen=True)
class Issue:
    """One thing wrong or repaired in the workbook, located to the cell."""

    severity: str
    sheet: str
    row: int | None
    column: str | None
    header: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
            if self.header:
                where += f" ({self.header})"
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}: {self.severity}: {self.message}.{fix}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class Change:
    """What an import did to one provider file."""

    provider: str
    action: str          # created, changed, unchanged, removed, kept, skipped
    path: str = ""
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.action} {self.provider}"
        if self.fields:
            text += ": " + ", ".join(self.fields)
        if self.path:
            text += f" ({self.path})"
        return text


@dataclass
class Outcome:
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)

    def lines(self) -> list[str]:
        out = [str(issue) for issue in self.issues]
        out += [str(change) for change in self.changes]
        summary = ", ".join(f"{self.count(a)} {a}" for a in (
            "created", "changed", "unchanged", "removed", "kept", "skipped"))
        out.append(f"{summary}" + ("; dry run: nothing was written"
                                   if self.dry_run else ""))
        return out


# ---------------------------------------------------------------- lists


class Lists:
    """The drop-down lists: name -> [(code, label)], from the content codes."""

    def __init__(self, content: Content, glyphs: set[int] | None = None,
                 languages: dict[str, str] | None = None):
        self.geography = Geography(content.provinces)
        # The characters the fonts print and the language codes the strings
        # name; None skips the check (template).
        self.glyphs, self.languages = glyphs, languages
        self.items: dict[str, list[tuple[str, str]]] = {
            name: [(str(code), choice_label(str(code), vi, en))
                   for code, (vi, en) in labels.items()]
            for name, labels in LABELS.items()}
        self.items["province"] = [(c, self.geography.label(c))
                                  for c in self.geography.provinces]
        self.items["category"] = [(c.code, choice_label(c.code, c.name.vi or "",
                                                        c.name.en or ""))
                                  for c in content.categories]
        self.items["criterion"] = [(c.code, choice_label(c.code, c.label.vi or "",
                                                         c.label.en or ""))
                                   for c in content.criteria]

    def label(self, name: str, code: str) -> str:
        return next((label for c, label in self.items[name] if c == code), code)

    def language_codes(self, text: str, notes: list[str]) -> list[str]:
        """The codes of a Languages cell, checked as 'booklet check' does."""
        typed = [part for part in re.split(r"[;,\s]+", text) if part]
        if self.languages is None:
            return typed
        # Codes are lower-case: 'VI' can mean nothing but vi.
        codes = [p.lower() if p.lower() in self.languages else p for p in typed]
        unknown = [c for c in codes if c not in self.languages]
        if len(unknown) == 1:
            raise cells.CellError(unknown_language(unknown[0]),
                                  language_fix(self.languages))
        if unknown:
            names = ", ".join(f"'{c}'" for c in unknown[:-1])
            raise cells.CellError(
                f"{names} and '{unknown[-1]}' are not language codes the "
                "directory knows, so they would be printed as typed",
                language_fix(self.languages))
        if codes != typed:
            notes.append(f"the languages '{text}' were read as the codes "
                         f"{', '.join(codes)}")
        return codes

    def code(self, name: str, value: str) -> str:
        """The code a drop-down value (or a code or label typed by hand) means."""
        head = value.split("—")[0].strip()
        wanted = {fold(value), fold(head)}
        for code, label in self.items[name]:
            parts = label.split("—", 1)[-1].split(" / ")
            forms = {fold(code), fold(label), *(fold(p) for p in parts)}
            if wanted & forms:
                return code
        codes = ", ".join(code for code, _ in self.items[name])
        raise cells.CellError(f"'{value}' is not in the list ({codes})",
                              "choose a value from the drop-down list")


# ---------------------------------------------------------------- writing


def _content_for_template(project) -> Content:
    loaded = load_content(project.content_dir)
    if loaded.content is None:
        raise ImportProblem(
            f"cannot read the codes in {project.content_dir}: run 'booklet check'")
    return loaded.content


def write_template(project, path: Path) -> None:
    """The empty data-collection workbook."""
    content = _content_for_template(project)
    _save(_workbook(content, []), Path(path), content.document.settings.edition_date)


def write_export(project, path: Path) -> None:
    """The current content as a filled workbook in the template's format."""
    content = project.content  # raises when the content has errors
    providers = sorted(content.providers, key=lambda p: (
        content.provider_files.get(p.id, ""), p.id))
    _save(_workbook(content, providers), Path(path),
          content.document.settings.edition_date)


def _save(wb: Workbook, path: Path, when: dt.date) -> None:
    """Write `wb` dated `when`, so that the same content gives the same bytes:
    openpyxl's own save dates the file and its ZIP entries with the time of
    saving."""
    stamp = dt.datetime.combine(when, dt.time())
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "booklet"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    write_atomic(path, restamp(buffer.getvalue()))
    log.info("wrote %s", path)


_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _workbook(content: Content, providers: list[Provider]) -> Workbook:
    lists = Lists(content)
    wb = Workbook()
    _instructions(wb.active, lists)
    rows = {sheet.key: [] for sheet in SHEETS}
    for provider in providers:
        for key, sheet_rows in provider_rows(provider, lists).items():
            rows[key] += sheet_rows
    list_ws = wb.create_sheet(LISTS_TITLE)
    ranges = _write_lists(list_ws, lists)
    most = max((len(s.eligibility.criteria) for p in providers for s in p.services),
               default=0)
    for sheet in _sheets(most):
        ws = wb.create_sheet(sheet.title, index=len(wb.sheetnames) - 1)
        _write_sheet(ws, sheet, rows[sheet.key], ranges)
    list_ws.sheet_state = "hidden"
    return wb


def _sheets(criteria: int) -> tuple[Sheet, ...]:
    """The data sheets, with enough eligibility columns for `criteria`."""
    services = services_sheet(max(CRITERIA_COLUMNS, criteria))
    return tuple(services if s.key == "services" else s for s in SHEETS)


def _write_lists(ws, lists: Lists) -> dict[str, str]:
    ranges = {}
    for i, (name, items) in enumerate(sorted(lists.items.items()), start=1):
        letter = get_column_letter(i)
        ws.cell(1, i, name)
        for j, (_, label) in enumerate(items, start=2):
            _write_value(ws.cell(j, i), label)
        ranges[name] = f"{LISTS_TITLE}!${letter}$2:${letter}${len(items) + 1}"
        ws.column_dimensions[letter].width = 40
    return ranges


def _write_sheet(ws, sheet: Sheet, rows: list[dict], ranges: dict[str, str]) -> None:
    last = len(rows) + 1 + BLANK_ROWS
    validated = max(last, VALIDATED_ROWS)
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        head = ws.cell(1, i, column.header)
        head.font, head.fill, head.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        ws.column_dimensions[letter].width = column.width
        if column.kind != NUMBER:
            ws.column_dimensions[letter].number_format = "@"
        # Text format ("@") on every data cell, so that Excel keeps the
        # leading zeros of phones, codes and ids and does not turn dates and
        # times into numbers.
        text_format = column.kind != NUMBER
        for r in range(2, last + 1):
            cell = ws.cell(r, i)
            if text_format:
                cell.number_format = "@"
            if column.kind == TEXT:
                cell.alignment = _WRAP
        hint = HINTS.get(column.kind)
        if hint and not column.choices:
            dv = DataValidation(allow_blank=True, showInputMessage=True,
                                promptTitle=hint[0], prompt=hint[1])
            dv.add(f"{letter}2:{letter}{validated}")
            ws.add_data_validation(dv)
        if column.choices:
            dv = DataValidation(type="list", formula1=ranges[column.choices],
                                allow_blank=True)
            if hint:
                dv.showInputMessage = True
                dv.promptTitle, dv.prompt = hint
            # Coverage also takes a typed list of provinces.
            dv.showErrorMessage = column.kind != COVERAGE
            dv.errorTitle = "Giá trị không có trong danh sách / Not in the list"
            dv.error = ("Chọn một giá trị trong danh sách. / "
                        "Choose a value from the list.")
            dv.add(f"{letter}2:{letter}{validated}")
            ws.add_data_validation(dv)
    for r, row in enumerate(rows, start=2):
        for i, column in enumerate(sheet.columns, start=1):
            value = row.get(column.key)
            if value not in (None, ""):
                _write_value(ws.cell(r, i), value)
    ws.row_dimensions[1].height = 62  # four lines of bilingual header
    ws.freeze_panes = "B2"


_FORMULA_STARTS = ("=", "+", "-", "@")


def _write_value(cell, value: object) -> None:
    """A value into a cell; text always as text, never as a formula."""
    cell.value = value
    if isinstance(value, str):
        # openpyxl stores text that starts with "=" as a formula and "#N/A"
        # as an error value; content text is neither. The quote prefix (the
        # leading apostrophe of Excel) keeps Excel from reading "=", "+", "-"
        # or "@" as the start of a formula when someone edits the cell.
        cell.data_type = "s"
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True


def _get(data: object, path: tuple) -> object:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _cell_value(column: Column, data: dict, lists: Lists) -> object:
    value = _get(data, column.path)
    if value is None or value == []:
        return None
    kind = column.kind
    if kind == HOURS:
        return cells.hours_text(value) or None
    if kind == BOOL:
        return lists.label("yesno", "yes" if value else "no")
    if kind == CHOICE:
        return lists.label(column.choices, str(value))
    if kind == PROVINCE:
        return lists.geography.label(value)
    if kind == COVERAGE:
        return lists.geography.coverage_text(value)
    if kind == DATE:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if kind == CODES:
        return ", ".join(value)
    return value


def provider_rows(provider: Provider, lists: Lists) -> dict[str, list[dict]]:
    """The workbook rows of one provider, per sheet: column key -> cell value."""
    data = provider.model_dump(mode="json")

    services = services_sheet(max(CRITERIA_COLUMNS, max(
        (len(s.eligibility.criteria) for s in provider.services), default=0)))

    def row(sheet: Sheet, part: dict, **extra) -> dict:
        values = {c.key: _cell_value(c, part, lists) for c in sheet.columns
                  if c.path}
        values["provider_id"] = provider.id
        return {**values, **extra}

    rows = {"providers": [row(PROVIDERS, data)],
            "phones": [row(PHONES, p) for p in data["phones"]],
            "services": [], "documents": [],
            "sources": [{"provider_id": provider.id, "url": url}
                        for url in data["sources"]]}
    for n, service in enumerate(data["services"], start=1):
        rows["services"].append(row(services, service, service_no=n))
        for document in service["documents"]:
            rows["documents"].append({"provider_id": provider.id, "service_no": n,
                                      "document_vi": document.get("vi"),
                                      "document_en": document.get("en")})
    return rows


_INSTRUCTIONS = (
    ("Bảng tính thu thập thông tin nhà cung cấp dịch vụ",
     "Workbook for collecting information about service providers"),
    ("Mỗi nhà cung cấp là một dòng trong trang 'Nhà cung cấp'. Điện thoại, dịch "
     "vụ, giấy tờ và nguồn nằm ở các trang riêng, mỗi dòng ghi mã nhà cung cấp.",
     "Each provider is one row on the 'Providers' sheet. Phones, services, "
     "documents and sources have their own sheets; each row there starts with "
     "the provider id."),
    ("Mã nhà cung cấp: chữ thường không dấu, số và dấu gạch ngang, ví dụ "
     "'blue-dragon'. Không đổi mã của nhà cung cấp đã có.",
     "Provider id: lower-case letters without accents, digits and hyphens, for "
     "example 'blue-dragon'. Never change the id of an existing provider."),
    ("Cột có danh sách: chọn một giá trị trong danh sách thả xuống.",
     "Columns with a list: choose a value from the drop-down."),
    ("Số điện thoại: gõ đúng như khi gọi, giữ số 0 ở đầu, ví dụ 024 3385 3227. "
     "Các cột này được định dạng Văn bản (Text); đừng đổi định dạng.",
     "Phone numbers: type them as dialled, with the leading 0, for example "
     "024 3385 3227. These columns are formatted as Text; keep that format."),
    ("Ngày: ngày/tháng/năm, ví dụ 01/10/2026.",
     "Dates: day/month/year, for example 01/10/2026."),
    ("Giờ làm việc: ngày và giờ, cách nhau bằng dấu chấm phẩy, ví dụ "
     "'T2-T6 07:30-17:00; T7 07:30-11:30', hoặc '24/7'.",
     f"Working hours: days and times separated by semicolons, for example "
     f"'{cells.HOURS_EXAMPLE}'."),
    ("Tỉnh/thành phố: một trong 34 đơn vị từ 1/7/2025. Tên tỉnh cũ được chuyển "
     "sang tỉnh mới; tên huyện, xã không được chấp nhận.",
     "Province: one of the 34 units in force since 1 July 2025. Former province "
     "names are mapped to the new province; district or commune names are not "
     "accepted."),
    ("Phạm vi: 'national' (toàn quốc), 'province' (chỉ tỉnh này) hoặc danh sách "
     "tỉnh cách nhau bằng dấu chấm phẩy.",
     "Coverage: 'national', 'province' (this province only) or a list of "
     "provinces separated by semicolons."),
    ("Cuộc gọi xác minh: hỏi nhà cung cấp có đồng ý đăng thông tin trên bản in và "
     "bản điện tử không, ghi ngày đồng ý; hỏi về năm tiêu chuẩn chăm sóc; ghi "
     "tình trạng, ngày, cách xác minh và tên người xác minh.",
     "The verification call: ask whether the provider agrees to be published in "
     "print and digitally and note the date; ask about the five care standards; "
     "record the verification status, date, method and who verified."),
    ("Ghi chú nội bộ không bao giờ được in. Địa chỉ 'bí mật' (nhà tạm lánh) "
     "không được in cho công chúng.",
     "Internal notes are never printed. A 'confidential' address (shelters) is "
     "never printed for the public."),
    ("Nhập lại: booklet import TỆP.xlsx --dry-run để xem thay đổi trước.",
     "Import: booklet import FILE.xlsx --dry-run shows the changes first."),
)


def _instructions(ws, lists: Lists) -> None:
    ws.title = INSTRUCTIONS_TITLE
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70
    for r, (vi, en) in enumerate(_INSTRUCTIONS, start=1):
        for c, text in enumerate((vi, en), start=1):
            cell = ws.cell(r, c, text)
            cell.alignment = _WRAP
            if r == 1:
                cell.font = Font(bold=True, size=14)


# ---------------------------------------------------------------- reading


@dataclass
class _Row:
    """One data row read from a sheet: column key -> value, and where each is."""

    sheet: Sheet
    number: int
    values: dict = field(default_factory=dict)
    letters: dict = field(default_factory=dict)
    bad: bool = False
    reader: _SheetReader | None = None
    # Columns whose cells were refused: their values are missing from
    # `values`, and the model would only say so again.
    bad_cols: set = field(default_factory=set)

    def issue(self, col: int | None, message: str, fix: str) -> None:
        """An error in this row, unless its cell was refused already."""
        if col is None or col not in self.bad_cols:
            self.reader.issue("error", self.number, col, message, fix)


def _criterion(column: Column) -> int:
    """The number of an eligibility column (0 for any other column)."""
    head, _, number = column.key.rpartition("_")
    return int(number) if head == "eligibility" and number.isdigit() else 0


def _one_line(header: str) -> str:
    return " / ".join(part.strip() for part in header.split("\n") if part.strip())


class _SheetReader:
    """Cells of one sheet, with merges spread and formulas resolved."""

    def __init__(self, sheet: Sheet, values_ws, formulas_ws, outcome: Outcome,
                 lists: Lists):
        self.sheet, self.ws, self.fws = sheet, values_ws, formulas_ws
        self.outcome, self.lists = outcome, lists
        self.title = values_ws.title
        self.columns: dict[int, Column] = {}
        self.merged: dict[tuple[int, int], object] = {}
        # What is wrong with the sheet's header row: any of it refuses the
        # whole workbook, since a column read wrongly or not at all would
        # erase a field of every provider.
        self.structure: list[Issue] = []
        self._headers()

    def issue(self, severity: str, row: int | None, col: int | None,
              message: str, fix: str = "") -> None:
        column = self.columns.get(col) if col else None
        self.outcome.issues.append(Issue(
            severity, self.title, row, get_column_letter(col) if col else None,
            column.en if column else "", message, fix))

    def _problem(self, col: int | None, message: str, fix: str) -> None:
        column = self.columns.get(col) if col else None
        self.structure.append(Issue(
            "error", self.title, 1 if col else None,
            get_column_letter(col) if col else None,
            column.en if column else "", message, fix))

    def _headers(self) -> None:
        known = {}
        for column in self.sheet.columns:
            for form in (column.header, column.vi, column.en, column.key):
                known.setdefault(fold(form), column)
        for col in range(1, self.ws.max_column + 1):
            text = self.ws.cell(1, col).value
            if text is None or str(text).strip() == "":
                self._unlabelled(col)
                continue
            lines = [fold(part) for part in str(text).split("\n")]
            column = next((known[k] for k in [fold(str(text)), *lines]
                           if k in known), None)
            if column is None:
                self._unknown(col, str(text), known)
            elif column in self.columns.values():
                self._problem(col, f"the column '{column.en}' appears twice",
                              "delete one of the two columns")
            else:
                self.columns[col] = column
        if not self.columns:
            # No header at all is one problem, not one per column.
            self.structure = []
            self._problem(None, "the first row does not hold the template's "
                          "column headers", "copy the header row from a "
                          "workbook written by 'booklet export'; the headers "
                          "must be in row 1")
            return
        self.require(CRITERIA_COLUMNS)

    def require(self, criteria: int) -> None:
        """A problem for each template column missing from the header row,
        counting `criteria` eligibility columns or as many as are there."""
        most = max([criteria, *map(_criterion, self.columns.values())])
        missing = [c for c in self.sheet.columns if _criterion(c) <= most
                   and c not in self.columns.values()]
        if missing:
            names = ", ".join(f"'{_one_line(c.header)}'" for c in missing)
            self._problem(None, f"the template column(s) {names} are missing, so "
                          "what they hold would be erased from every provider",
                          "restore the columns from a workbook written by "
                          "'booklet export'; a renamed column needs its template "
                          "header back")

    def _unlabelled(self, col: int) -> None:
        """A column without a header is refused when it holds values."""
        for r in range(2, self.ws.max_row + 1):
            if self.ws.cell(r, col).value not in (None, ""):
                self._problem(col, f"the column has no header but holds values "
                              f"(row {r} is the first)", "give it back its "
                              "template header, or delete the column")
                return

    def _unknown(self, col: int, text: str, known: dict[str, Column]) -> None:
        forms = [fold(text), *(fold(part) for part in text.split("\n"))]
        score, form = max((difflib.SequenceMatcher(None, f, k).ratio(), k)
                          for f in forms for k in known)
        hint = (f" (did you mean '{_one_line(known[form].header)}'?)"
                if score >= 0.8 else "")
        self._problem(col, f"the column '{_one_line(text)}' is not a column of the "
                      f"template, so its cells would not be imported{hint}",
                      "give the column its template header; information that "
                      "has no template column goes into 'Internal notes'")

    def _merges(self) -> None:
        for merged in self.ws.merged_cells.ranges:
            if merged.max_row < 2:
                continue
            value = self._raw(merged.min_row, merged.min_col)
            # Excel keeps the value in the first cell only. Down a column, a
            # merge means "the same for every row"; across columns it is
            # layout, so the other columns stay empty.
            for row in range(max(2, merged.min_row), merged.max_row + 1):
                for col in range(merged.min_col, merged.max_col + 1):
                    self.merged[(row, col)] = (
                        value if col == merged.min_col else None)
            if value in (None, ""):
                continue
            if merged.max_row > merged.min_row:
                self.issue("warning", merged.min_row, merged.min_col,
                           f"cells {merged.coord} are merged; the value '{value}' "
                           f"was used for every row from {merged.min_row} to "
                           f"{merged.max_row}",
                           "unmerge the cells and fill in each row")
            if merged.max_col > merged.min_col:
                self.issue("warning", merged.min_row, merged.min_col,
                           f"cells {merged.coord} are merged across columns; only "
                           f"column {get_column_letter(merged.min_col)} holds the "
                           "value", "unmerge the cells")

    def _raw(self, row: int, col: int) -> object:
        """The value of a cell; a formula gives way to its saved result."""
        formula_cell, cell = self.fws.cell(row, col), self.ws.cell(row, col)
        formula, value = formula_cell.value, cell.value
        # The cell type, not a leading "=", says what a formula is: text that
        # starts with "=" (written by 'booklet export') is text.
        is_formula = formula_cell.data_type == "f"
        text = formula.text if isinstance(formula, ArrayFormula) else formula
        if cell.data_type == "e":
            source = f"the formula {text}" if is_formula else "a pasted value"
            self.issue("error", row, col, f"the cell holds the Excel error "
                       f"{value} (from {source}), not a value",
                       "type the value the cell should hold")
            return _FORMULA_WITHOUT_VALUE
        if not is_formula:
            return value
        if value is None:
            self.issue("error", row, col, f"the cell holds the formula {text} "
                       "and no saved result",
                       "replace the formula by the value it should give "
                       "(copy, then paste as values)")
            return _FORMULA_WITHOUT_VALUE
        self.issue("warning", row, col, f"the cell holds the formula {text}; its "
                   f"last computed result '{value}' was used",
                   "replace the formula by its value (copy, then paste as values)")
        return value

    def rows(self) -> list[_Row]:
        self._merges()
        out = []
        for r in range(2, self.ws.max_row + 1):
            row = _Row(self.sheet, r, reader=self)
            for col, column in self.columns.items():
                raw = self.merged[(r, col)] if (r, col) in self.merged else (
                    self._raw(r, col))
                if raw is _FORMULA_WITHOUT_VALUE:
                    row.bad = True
                    row.bad_cols.add(col)
                    row.letters[column.key] = col
                    continue
                if raw is None or (isinstance(raw, str) and raw.strip() == ""):
                    continue
                row.letters[column.key] = col
                if self._rounded_phone(r, col, column, raw):
                    row.bad = True
                    row.bad_cols.add(col)
                    continue
                try:
                    row.values[column.key] = self._parse(r, col, column, raw)
                except (cells.CellError, GeographyError) as exc:
                    message = getattr(exc, "message", str(exc))
                    fix = getattr(exc, "fix", "choose the province from the "
                                  "drop-down list")
                    self.issue("error", r, col, message, fix)
                    row.bad = True
                    row.bad_cols.add(col)
            if row.values or row.bad:
                out.append(row)
        return out

    def _rounded_phone(self, r: int, col: int, column: Column, raw: object) -> bool:
        """A phone number stored as a number in a scientific format (what
        Excel gives 8424370000 typed in a General column): Excel keeps the
        digits it showed, so the last ones may be lost, and a number that
        looks whole could ring a stranger. Refused, never restored."""
        if column.kind != PHONE or isinstance(raw, bool) or not isinstance(
                raw, (int, float)):
            return False
        if not re.search(r"E[+-]", self.ws.cell(r, col).number_format or "",
                         re.IGNORECASE):
            return False
        self.issue("error", r, col, f"the phone number {raw!r} is shown in "
                   "scientific notation, so Excel may have rounded its last "
                   "digits", "format the column as Text and type the whole "
                   "number again")
        return True

    def _parse(self, r: int, col: int, column: Column, raw: object) -> object:
        notes: list[str] = []
        value = self._convert(column, raw, notes)
        glyphs = self.lists.glyphs
        if isinstance(value, str) and glyphs is not None:
            # Refused here, with its cell, rather than written into a file
            # that would then stop every build.
            missing = missing_glyphs(value, glyphs)
            if missing:
                raise cells.CellError("; ".join(missing), GLYPH_FIX)
        for note in notes:
            self.issue("warning", r, col, note)
        return value

    def _convert(self, column: Column, raw: object, notes: list[str]) -> object:
        kind = column.kind
        if kind == PHONE and column.key == "contact_phone":
            return cells.phone(raw, notes, "keep the contact person's own number "
                               "here, and add the others on the Phones sheet")
        if kind == PHONE:
            return cells.phone(raw, notes)
        if kind == DATE:
            return cells.date(raw, notes)
        if kind == NUMBER and column.key == "service_no":
            return cells.whole_number(raw)
        if kind == NUMBER:
            return cells.number(raw)
        if kind == BOOL:
            return cells.yes_no(raw)
        text = cells.plain_text(raw, notes)
        if kind == TEXT:
            return cells.paragraphs(cells.words(text, notes))
        text = cells.line(cells.words(text, notes, kind in (LINE, PROVINCE,
                                                             COVERAGE)), notes)
        if kind == CHOICE:
            return self.lists.code(column.choices, text)
        if kind == HOURS:
            return cells.hours(text, notes)
        if kind == PROVINCE:
            place = self.lists.geography.resolve(text)
            if place.note:
                notes.append(place.note)
            return place.code
        if kind == COVERAGE:
            coverage, mapped = self.lists.geography.coverage(text)
            notes.extend(mapped)
            return coverage
        if kind == CODES:
            return self.lists.language_codes(text, notes)
        return text


_FORMULA_WITHOUT_VALUE = object()


def _put(tree: dict, path: tuple, value: object) -> None:
    """Set `value` at `path`; an int at the end appends to a list."""
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    last = path[-1]
    if isinstance(value, dict) and isinstance(node.get(last), dict):
        node[last].update(value)
    else:
        node[last] = value


def _tree(row: _Row) -> dict:
    tree: dict = {}
    for column in row.sheet.columns:
        if column.key not in row.values or not column.path:
            continue
        if column.key == "provider_id" and row.sheet is not PROVIDERS:
            continue  # the key that links the row to its provider
        value = row.values[column.key]
        if isinstance(column.path[-1], int):
            parent = tree
            for part in column.path[:-2]:
                parent = parent.setdefault(part, {})
            parent.setdefault(column.path[-2], []).append(value)
        else:
            _put(tree, column.path, value)
    return tree


@dataclass
class _Draft:
    """A provider assembled from its rows on every sheet."""

    id: str
    row: _Row
    phones: list[_Row] = field(default_factory=list)
    services: list[_Row] = field(default_factory=list)
    documents: list[_Row] = field(default_factory=list)
    sources: list[_Row] = field(default_factory=list)
    # Refused rows of other sheets that may have been meant for this provider:
    # writing it without them could erase a phone or a service.
    doubts: list[_Row] = field(default_factory=list)

    @property
    def bad(self) -> bool:
        return any(r.bad for r in (self.row, *self.phones, *self.services,
                                   *self.documents, *self.sources))


def _read(path: Path, lists: Lists, outcome: Outcome, old: dict[str, Provider]
          ) -> tuple[dict[str, _Draft], list[_Row]]:
    """The providers of the workbook, and the rows that name none of them;
    ImportProblem when its sheets or columns are not the template's."""
    try:
        # The workbook is read twice: once for the results Excel saved and
        # once for the formulas themselves, so that a formula never reaches
        # the content unseen.
        values_wb = load_workbook(path, data_only=True)
        formulas_wb = load_workbook(path, data_only=False)
    except FileNotFoundError as exc:
        raise ImportProblem(f"{path} does not exist") from exc
    except (OSError, ValueError, KeyError, zipfile.BadZipFile,
            InvalidFileException) as exc:
        raise ImportProblem(f"cannot open {path} as an .xlsx workbook ({exc}); "
                            "save it from Excel as 'Excel Workbook (.xlsx)'"
                            ) from exc
    readers, problems = {}, []
    for sheet in _sheets(MAX_CRITERIA_COLUMNS):
        title = _find_sheet(values_wb.sheetnames, sheet)
        if title is None:
            problems.append(Issue(
                "error", sheet.title, None, None, "",
                f"the sheet is missing, so {_LOST[sheet.key]}",
                "copy the sheet from a workbook written by 'booklet export' (a "
                "renamed sheet needs its name back)"))
            continue
        reader = _SheetReader(sheet, values_wb[title], formulas_wb[title], outcome,
                              lists)
        problems += reader.structure
        readers[sheet.key] = reader
    _refuse(path, problems)
    drafts, orphans = _assemble({key: (reader, reader.rows())
                                 for key, reader in readers.items()}, outcome)
    # A provider of the workbook with more eligibility criteria now than the
    # Services sheet has columns would lose the last ones.
    readers["services"].require(max((len(s.eligibility.criteria) for pid in drafts
                                     if pid in old for s in old[pid].services),
                                    default=0))
    _refuse(path, readers["services"].structure)
    return drafts, orphans


def _refuse(path: Path, problems: list[Issue]) -> None:
    if problems:
        raise ImportProblem(
            f"{path} was not imported, and nothing was written: its sheets and "
            "columns must be those of the template.\n"
            + "\n".join(str(p) for p in problems))


# What each sheet holds, for the message when it is missing.
_ERASED = "would be erased from every provider"
_LOST = {"providers": "no provider can be read",
         "phones": f"the phone numbers {_ERASED}",
         "services": f"the services {_ERASED}",
         "documents": f"the documents services ask for {_ERASED}",
         "sources": f"the sources {_ERASED}"}


def _find_sheet(names: list[str], sheet: Sheet) -> str | None:
    wanted = fold(sheet.title)
    english = fold(sheet.title.split("(")[-1])
    for name in names:
        if fold(name) in (wanted, english, sheet.key):
            return name
    return None


def _assemble(found: dict, outcome: Outcome
              ) -> tuple[dict[str, _Draft], list[_Row]]:
    drafts: dict[str, _Draft] = {}
    orphans: list[_Row] = []
    reader, rows = found["providers"]
    for row in rows:
        pid = row.values.get("provider_id")
        if not pid:
            reader.issue("error", row.number, row.letters.get("provider_id", 1),
                         "the row has no provider id", _id_fix(row))
            continue
        if pid in drafts:
            reader.issue("error", row.number, row.letters["provider_id"],
                         f"the id '{pid}' is also used on row {drafts[pid].row.number}",
                         "give each provider its own id")
            drafts[pid].row.bad = True
            continue
        drafts[pid] = _Draft(pid, row)
    for key in ("phones", "services", "documents", "sources"):
        reader, rows = found[key]
        for i, row in enumerate(rows):
            pid = row.values.get("provider_id")
            draft = drafts.get(pid) if pid else None
            if draft is not None:
                getattr(draft, key).append(row)
                continue
            orphans.append(row)
            owners = _owners(pid, rows, i, drafts)
            for owner in owners:
                drafts[owner].doubts.append(row)
            if pid:
                message = f"the provider id '{pid}' is not on the Providers sheet"
                if owners:
                    message += " (did you mean " + " or ".join(
                        f"'{o}'" for o in owners) + "?)"
            elif "provider_id" in row.letters:
                continue  # the id cell itself was refused, and reported
            else:
                message = "the row has no provider id"
                if owners:
                    message += " (it sits next to rows of " + " and ".join(
                        f"'{o}'" for o in owners) + ")"
            reader.issue("error", row.number, row.letters.get("provider_id", 1),
                         message,
                         "write the id of a provider listed on the Providers sheet")
    return drafts, orphans


def _owners(pid: str | None, rows: list[_Row], i: int,
            drafts: dict[str, _Draft]) -> list[str]:
    """The providers a row with an unknown or missing id was probably meant for:
    the id it most resembles (a typing slip), or, when it has no id, the
    providers of the rows above and below it."""
    if pid:
        wanted = pid.lower()
        score = {d: difflib.SequenceMatcher(None, wanted, d.lower()).ratio()
                 for d in drafts}
        best = max(score.values(), default=0)
        # Near ties are all suspects ('hospital' for 'hospital-1' and
        # 'hospital-2'); so is an id cut short or run on ('hagar' for
        # 'hagar-viet-nam').
        return sorted((d for d in drafts if score[d] >= max(0.8, best - 0.02)
                       or _extends(d.lower(), wanted)),
                      key=lambda d: -score[d])
    owners: list[str] = []
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(rows) and not rows[j].values.get("provider_id"):
            j += step
        near = rows[j].values.get("provider_id") if 0 <= j < len(rows) else None
        if near in drafts and near not in owners:
            owners.append(near)
    return owners


def _extends(a: str, b: str) -> bool:
    """Whether one id is the other cut short, by a word or more."""
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short + "-")


def _id_fix(row: _Row) -> str:
    name = row.values.get("name_en") or row.values.get("name_vi") or ""
    slug = "-".join(fold(name).split())[:40]
    return (f"give the provider an id, for example '{slug}'" if slug
            else "give the provider an id")


def _locate(draft: _Draft, loc: tuple) -> tuple[_Row, str | None]:
    """The row and column key a pydantic error location points at."""
    loc = tuple(p for p in loc if isinstance(p, int) or "[" not in str(p))
    row, sheet, rest = draft.row, PROVIDERS, loc
    if loc[:1] in (("phones",), ("services",)) and len(loc) > 1:
        rows = draft.phones if loc[0] == "phones" else draft.services
        row = rows[loc[1]] if loc[1] < len(rows) else row
        sheet, rest = row.sheet, loc[2:]
        if rest[:1] == ("documents",) and len(rest) > 1:
            number = row.values.get("service_no")
            docs = [d for d in draft.documents
                    if d.values.get("service_no") == number]
            row = docs[rest[1]] if rest[1] < len(docs) else row
            sheet, rest = DOCUMENTS, rest[2:]
    elif loc[:1] == ("sources",) and len(loc) > 1:
        row = draft.sources[loc[1]] if loc[1] < len(draft.sources) else row
        sheet, rest = SOURCES, ()
    best = None
    for column in sheet.columns:
        path = column.path or ("url",)
        n = 0
        while n < min(len(path), len(rest)) and path[n] == rest[n]:
            n += 1
        if n and (best is None or n > best[0]):
            best = (n, column.key)
    return row, (best[1] if best else None)


def _column_of(row: _Row, key: str) -> int | None:
    """The column of `key` on the sheet of `row`, even when its cell is empty."""
    return row.letters.get(key) or next(
        (c for c, column in row.reader.columns.items() if column.key == key), None)


def _number_services(draft: _Draft) -> bool:
    """Give each service row its number; False, with errors, when the numbers
    cannot say which service a document belongs to. Rows left all blank are
    numbered by position; a blank beside written numbers, or a number used
    twice, would give a document to a service nobody meant."""
    rows = draft.services
    if all(r.values.get("service_no") is None for r in rows):
        for n, row in enumerate(rows, start=1):
            row.values["service_no"] = n
        return True
    seen: dict[int, _Row] = {}
    ok = True
    for row in rows:
        number = row.values.get("service_no")
        col = _column_of(row, "service_no")
        if number is None:
            row.issue(
                col, "the service has no Service no., and "
                "other services of this provider have one",
                "fill in the Service no.: a number no other service of the "
                "provider uses; the Documents sheet names services by it")
            ok = False
        elif number in seen:
            row.issue(
                col, f"service no. {number} is used twice "
                f"for this provider (also on row {seen[number].number})",
                "give each service of the provider its own number, and check "
                "the Service no. of its documents on the Documents sheet")
            ok = False
        else:
            seen[number] = row
    return ok


def _validate(draft: _Draft) -> Provider | None:
    if not _number_services(draft):
        return None
    tree = _tree(draft.row)
    tree["phones"] = [_tree(r) for r in draft.phones]
    services = []
    for row in draft.services:
        service = _tree(row)
        docs = [d for d in draft.documents
                if d.values.get("service_no") == row.values["service_no"]]
        service["documents"] = [_tree(d) for d in docs]
        services.append(service)
    tree["services"] = services
    numbers = {row.values["service_no"] for row in draft.services}
    orphans = [d for d in draft.documents if d.values.get("service_no") not in numbers]
    for d in orphans:
        number = d.values.get("service_no")
        if number is None:
            message = "the document has no service number"
        else:
            message = f"provider '{draft.id}' has no service number {number}"
        d.issue(_column_of(d, "service_no"), message,
                "write the 'Service no.' of a row on the Services sheet")
    tree["sources"] = [r.values["url"] for r in draft.sources if "url" in r.values]
    try:
        provider = Provider.model_validate(tree)
        # Validated all the same, so that the rest is reported in this round.
        return None if orphans else provider
    except ValidationError as exc:
        for err in exc.errors():
            missing = err.get("ctx", {}).get("error")
            if isinstance(missing, MissingField):
                err = {**err, "loc": (*err["loc"], missing.field)}
            row, key = _locate(draft, err["loc"])
            row.issue(_column_of(row, key) if key else None,
                      *_explain(err, key, row))
        return None


# Cells that a check across fields finds empty (model.MissingField): what
# makes them needed, and the two ways out.
_NEEDED = {
    "province": ("the Province is empty, and the provider is not national",
                 "choose the province, or set Coverage to national"),
    "verification_date": (
        "the Date verified is empty, and the Verification status is verified",
        "fill in the date of the verification call, or set the Verification "
        "status to desk research"),
}


def _explain(err: dict, key: str | None, row: _Row) -> tuple[str, str]:
    """Plain words and a fix for one model error about a cell."""
    value = err.get("input")
    if isinstance(err.get("ctx", {}).get("error"), MissingField) and key in _NEEDED:
        return _NEEDED[key]
    if err["type"] == "missing" and key:
        header = row.sheet.column(key).en
        if key.endswith(("_vi", "_en")):
            # Either language of a Text field will do.
            name = header.rpartition(" (")[0]
            fill = f"fill in the {name} in Vietnamese or English"
        else:
            name = header
            fill = f"fill in the {name}"
        if row.sheet is not PROVIDERS:
            fill += ", or delete the row"
        return f"the {name} is empty", fill
    if err["type"] == "too_short" and err["loc"] == ("services",):
        return ("the provider has no service",
                "add at least one row for it on the Services sheet")
    if err["type"] == "string_pattern_mismatch" and "email" in (key or ""):
        return (f"'{value}' is not an email address",
                "write it as name@example.org")
    if err["type"] == "string_pattern_mismatch":
        return (f"'{value}' is not a web address",
                "write the whole address, starting with https://")
    return err["msg"].removeprefix("Value error, "), "correct the cell"


def _check_phones(provider: Provider, draft: _Draft) -> None:
    """Warn, as 'booklet check' does, about numbers no one could dial."""
    for phone, row in zip(provider.phones, draft.phones, strict=True):
        why = phone_problem(phone.number)
        if why:
            row.reader.issue("warning", row.number, row.letters.get("number"), why,
                             "check the number with the provider")


def _check_shelter(draft: _Draft) -> None:
    """Warn when a provider that houses people has an address whose
    visibility cell was left empty: empty reads as public, and a shelter's
    address in a public leaflet can bring its residents' traffickers. Read
    from the cells, so that the warning comes in the same round as any error
    in the provider's other cells."""
    row = draft.row
    visibility = _column_of(row, "address_visibility")
    if (not {"address_vi", "address_en"} & set(row.values)
            or "address_visibility" in row.values or visibility in row.bad_cols
            or not any(r.values.get("category") == "accommodation"
                       for r in draft.services)):
        return
    row.reader.issue(
        "warning", row.number, _column_of(row, "address_visibility"),
        "the Address visibility is empty, so the address of a provider with "
        "accommodation is printed in public products",
        "choose confidential if the address is a shelter's, or public to "
        "confirm that it may be printed")


def _check_like_check(provider: Provider, draft: _Draft, today: dt.date) -> None:
    """Warn, as 'booklet check' does, of a verification dated after today and
    of a text given in one language only, on the cell to fill in: found by
    check later, they reached someone other than the consultant who typed
    them."""
    future = verified_after_today(provider.verification, today,
                                  lambda day: f"{day:%d/%m/%Y}")
    if future:
        row, key = _locate(draft, ("verification", "date"))
        row.reader.issue("warning", row.number,
                         _column_of(row, key) if key else None, *future)
    for path, lang, message in untranslated(provider):
        row, key = _locate(draft, (*path, lang))
        if key is not None and key.endswith(f"_{lang}"):
            row.reader.issue("warning", row.number, _column_of(row, key), message,
                             f"fill in the {row.sheet.column(key).en} cell")


def _diff(old: dict, new: dict, prefix: str = "", depth: int = 0) -> list[str]:
    fields = []
    for key in list(dict.fromkeys([*old, *new])):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict) and depth < 1:
            fields += _diff(a, b, name + ".", depth + 1)
        else:
            fields.append(name)
    return fields


def _file_of(content: Content, pid: str) -> Path | None:
    rel = content.provider_files.get(pid)
    # Resolved, like the target paths, so that one file never looks like two.
    return Path(os.path.abspath(rel)).resolve() if rel else None


def _target(content_dir: Path, provider: Provider, lists: Lists,
            current: Path | None) -> Path:
    folder = "national" if provider.is_national else (
        lists.geography.provinces[provider.province].slug)
    base = (content_dir / "providers").resolve()
    if current is not None and current.parent == base / folder:
        return current
    return base / folder / f"{provider.id}.yaml"


def import_workbook(project, path: Path, dry_run: bool = False,
                    remove: bool = False) -> Outcome:
    """Update the provider files of `project` from the workbook at `path`."""
    outcome = Outcome(dry_run=dry_run)
    loaded = load_content(project.content_dir)
    content = loaded.content
    if content is None:
        raise ImportProblem(f"cannot read {project.content_dir}; run 'booklet "
                            "check' and fix the errors it names first")
    if loaded.errors:
        outcome.issues.append(Issue(
            "warning", "content", None, None, "",
            f"{len(loaded.errors)} error(s) in {project.content_dir}; providers "
            "whose files have errors are treated as new",
            "run 'booklet check'"))
    lists = Lists(content, coverage(project.layouts.font_files()),
                  project.layouts.languages())
    old = {p.id: p for p in content.providers}
    drafts, orphans = _read(Path(path), lists, outcome, old)
    for row in orphans:
        # A refused row that repeats what a provider has now is that
        # provider's, whatever id it was given.
        for pid, draft in drafts.items():
            if pid in old and row not in draft.doubts and _holds(old[pid], row):
                draft.doubts.append(row)
    if remove and old and not drafts:
        # An empty template, or a Providers sheet whose rows were deleted,
        # is almost never a request to delete the whole directory.
        raise ImportProblem(
            f"{path} lists no providers on the sheet '{PROVIDERS.title}', so "
            f"--remove would delete all {len(old)} provider files; nothing was "
            "written. Fix: import a filled workbook (start from 'booklet "
            "export'), or leave out --remove")
    content_dir = Path(project.content_dir)
    for pid, draft in drafts.items():
        # A provider with refused cells, or with refused rows that may be
        # its own, is validated all the same, so that its other mistakes
        # are reported now and not after the next import; it is not written.
        provider = _validate(draft)
        _check_shelter(draft)
        if draft.bad or draft.doubts:
            provider = None
        if provider is not None and provider != old.get(pid):
            # Said of what this import writes: of a provider it leaves as it
            # was, 'booklet check' says it, and every import would repeat it.
            _check_phones(provider, draft)
            _check_like_check(provider, draft, project.today or dt.date.today())
        if provider is None:
            outcome.changes.append(Change(pid, "skipped", _why_skipped(draft)))
            continue
        _apply(provider, old.get(pid), content, content_dir, lists, outcome)
    # A provider whose row was refused (an id cleared by mistake, a row with
    # errors) is not in `drafts` either; while the workbook has errors,
    # nothing is removed.
    refuse_removal = remove and bool(outcome.errors)
    for pid in old:
        if pid in drafts:
            continue
        current = _file_of(content, pid)
        if refuse_removal:
            outcome.changes.append(Change(
                pid, "kept", "not in the workbook; not removed, because the "
                "workbook has errors: fix them and import again"))
        elif remove:
            if not dry_run and current is not None:
                current.unlink()
            outcome.changes.append(Change(pid, "removed", _shown(current)))
        else:
            outcome.changes.append(Change(
                pid, "kept", "not in the workbook; --remove deletes it"))
    return outcome


def _holds(provider: Provider, row: _Row) -> bool:
    """Whether `provider` has the phone, service, document or source of `row`."""
    values, key = row.values, row.sheet.key
    if key == "phones":
        return values.get("number") in {p.number for p in provider.phones}
    if key == "sources":
        return values.get("url") in provider.sources
    name = "description" if key == "services" else "document"
    texts = {values.get(f"{name}_{lang}") for lang in ("vi", "en")} - {None}
    known = ([s.description for s in provider.services] if key == "services"
             else [d for s in provider.services for d in s.documents])
    return any(text in (t.vi, t.en) for t in known for text in texts)


def _why_skipped(draft: _Draft) -> str:
    if draft.bad or not draft.doubts:
        # The rows that were refused, on whichever sheet: the provider's own
        # row may be fine and the mistake on its Phones row.
        bad = [r for r in (draft.row, *draft.phones, *draft.services,
                           *draft.documents, *draft.sources) if r.bad]
        rows = ", ".join(f"{r.sheet.title} row {r.number}"
                         for r in bad or [draft.row])
        return f"{rows}: see the errors"
    rows = ", ".join(f"{r.reader.title} row {r.number}" for r in draft.doubts)
    return (f"left as it was, because the refused {rows} may belong to it: "
            "see the errors")


def _shown(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _apply(provider: Provider, before: Provider | None, content: Content,
           content_dir: Path, lists: Lists, outcome: Outcome) -> None:
    current = _file_of(content, provider.id) if before else None
    target = _target(content_dir, provider, lists, current)
    if before is not None and before == provider and target == current:
        outcome.changes.append(Change(provider.id, "unchanged"))
        return
    data = dump_bytes(provider)
    if before is None:
        change = Change(provider.id, "created", _shown(target))
    else:
        change = Change(provider.id, "changed", _shown(target), _diff(
            before.model_dump(mode="json"), provider.model_dump(mode="json")))
        if target != current:
            change.fields.append(f"moved from {_shown(current)}")
    if not outcome.dry_run:
        write_atomic(target, data)
        if current is not None and target != current:
            current.unlink()
    outcome.changes.append(change)
