"""Read one workbook cell into a content value, saying what was repaired.

Excel changes what people type: it drops the leading 0 of 0241234567, shows
8424370000 as 8.42437E+09, turns 1/10/2026 into a serial number, and keeps
whatever legacy font the text was typed in. Each reader here returns the value
or raises CellError; repairs it is sure of are returned as notes (warnings).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

import phonenumbers
from openpyxl.utils.datetime import from_excel

from booklet.load import legacy
from booklet.load.geography import fold
from booklet.load.validate import overnight, phone_problem
from booklet.model import DAYS


class CellError(ValueError):
    """A cell value that cannot be used; the message ends with the fix."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message, self.fix = message, fix


def plain_text(value: object, notes: list[str]) -> str:
    """Any cell value as text, before the kind-specific cleaning."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        day = value.date() if isinstance(value, dt.datetime) else value
        notes.append(f"a date cell was read as the text {day:%d/%m/%Y}")
        return f"{day:%d/%m/%Y}"
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return unicodedata.normalize("NFC", str(value))


def words(text: str, notes: list[str], convert_legacy: bool = True) -> str:
    """Text in a legacy font converted; NFC."""
    if convert_legacy:
        try:
            text, encoding = legacy.convert(text)
        except legacy.LegacyTextError as exc:
            raise CellError(str(exc), "retype the text with a Unicode keyboard, "
                            "or convert it with Unikey's converter, and import "
                            "again") from None
        if encoding:
            notes.append(f"text typed in the legacy {encoding} encoding was "
                         f"converted to Unicode: '{text}'")
        elif legacy.legacy_letters(text):
            notes.append(
                f"'{text}' was kept as written, as a name in a Western language: "
                f"its letters {legacy.legacy_letters(text)} are also those of "
                "the legacy Vietnamese fonts, but it reads as Vietnamese in "
                "neither TCVN3 nor VNI; if it was typed in one of those fonts, "
                "retype it with a Unicode keyboard")
    return unicodedata.normalize("NFC", text)


def line(text: str, notes: list[str]) -> str:
    """Single-line text: runs of spaces and line breaks become one space."""
    if re.search(r"[\r\n]", text.strip()):
        notes.append("line breaks in a single-line field were replaced by spaces")
    return " ".join(text.split())


def paragraphs(text: str) -> str:
    """Text that may hold paragraphs: trailing spaces and blank edges trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(part.rstrip() for part in text.split("\n")).strip()


_SCIENTIFIC = re.compile(r"^[+-]?(\d+)(?:[.,](\d+))?[eE]\+?(\d+)$")


def _valid_vn(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, "VN"))
    except phonenumbers.NumberParseException:
        return False


def _digits_number(digits: str, shown: str, notes: list[str]) -> str:
    """A phone number Excel stored as a number: restore what was lost when sure."""
    with_zero, with_plus = "0" + digits, "+" + digits
    service = digits.startswith(("1800", "1900"))
    # 1800 and 1900 numbers have no leading 0 to lose: 0 + 1900... is never
    # how one is written, so it is no reading to restore.
    zero_ok = (len(digits) in (9, 10) and not service
               and phone_problem(with_zero) is None)
    plus_ok = digits.startswith("84") and _valid_vn(with_plus)
    as_is_ok = phone_problem(digits) is None and (len(digits) <= 8 or service)
    if zero_ok and not (plus_ok or as_is_ok):
        notes.append(f"the phone number was stored as the number {shown}, which "
                     f"drops the leading 0; restored as {with_zero}: check it")
        return with_zero
    if plus_ok and not (zero_ok or as_is_ok):
        notes.append(f"the phone number was stored as the number {shown}, which "
                     f"drops the leading +; restored as {with_plus}: check it")
        return with_plus
    if as_is_ok and not (zero_ok or plus_ok):
        return digits
    raise CellError(
        f"the phone number was stored as the number {shown}; Excel dropped what "
        "came before the digits (a 0 or a +) and it cannot be restored with "
        "certainty",
        "format the column as Text and type the number as written, for example "
        "0241234567")


# Between two numbers typed into one cell. A hyphen is also how numbers are
# grouped ("(84-024)", "024 - 3385 3227"), so a spaced one separates only
# when the cell is no number as a whole and what precedes it is one.
_BETWEEN_NUMBERS = re.compile(r"\s*(?:[;,/\n\r–—]|\s-\s)\s*")
SEVERAL_PHONES_FIX = "one number per row: add a row on the Phones sheet"


def _several_numbers(text: str, fix: str) -> None:
    flat = " ".join(text.split())
    if phone_problem(re.sub(r"\s*[–—]\s*", "-", flat)) is None:
        return  # one number, its groups joined by spaces or dashes
    parts = [p for p in _BETWEEN_NUMBERS.split(text.strip())
             if any(ch.isdigit() for ch in p)]
    if len(parts) < 2:
        parts = _two_by_spaces(flat)
        if not parts:
            return
    elif not re.search(r"[;,/\n\r–—]", text.strip()):
        whole = " ".join(text.split())
        if phone_problem(whole) is None or (
                phone_problem(parts[0]) is not None
                and min(sum(ch.isdigit() for ch in p) for p in parts) < 8):
            return
    shown = " and ".join(f"'{p}'" for p in parts)
    raise CellError(f"the cell holds {len(parts)} phone numbers ({shown})", fix)


def _two_by_spaces(flat: str) -> list[str]:
    """Two whole numbers typed one after the other with only a space between
    ('024 3385 3227 0239 3000 124'), or nothing."""
    groups = flat.split()
    for k in range(1, len(groups)):
        left, right = " ".join(groups[:k]), " ".join(groups[k:])
        if all(phone_problem(p) is None and sum(ch.isdigit() for ch in p) >= 8
               for p in (left, right)):
            return [left, right]
    return []


def phone(value: object, notes: list[str], several: str = SEVERAL_PHONES_FIX
          ) -> str:
    if isinstance(value, (bool, dt.date, dt.time)):
        raise CellError(f"{value!r} is not a phone number",
                        "type the number as written, for example 024 3385 3227")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(f"the phone number was stored as the number {value}",
                            "format the column as Text and type the number again")
        notes.append(f"the phone number was stored as the number {value!r}; "
                     "the '.0' was dropped")
        return _digits_number(str(int(value)), repr(value), notes)
    if isinstance(value, int):
        return _digits_number(str(value), str(value), notes)
    _several_numbers(str(value), several)
    text = " ".join(str(value).split())
    if re.fullmatch(r"\d+\.0+", text):
        # A number that went through a float on its way here (a CSV export,
        # a pasted cell): the '.0' is not part of the number.
        notes.append(f"the phone number was written as the number '{text}'; "
                     "the '.0' was dropped")
        return _digits_number(text.split(".")[0], text, notes)
    match = _SCIENTIFIC.match(text)
    if match:
        whole, fraction, _exponent = match.groups()
        mantissa = (whole + (fraction or "")).lstrip("0")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or number != number.to_integral_value():
            raise CellError(f"'{text}' is a number in scientific notation, not a "
                            "phone number", "type the number again as text")
        digits = str(int(number))
        # Only the digits written in the mantissa are known; the exponent
        # pads with zeros that may stand for lost digits.
        if len(mantissa) < len(digits):
            raise CellError(
                f"'{text}' is a phone number in scientific notation: Excel kept "
                f"only {len(mantissa)} significant digits of a {len(digits)}-digit "
                "number, so its last digits are lost",
                "format the column as Text and type the whole number again")
        notes.append(f"the phone number was written in scientific notation "
                     f"('{text}'); all its digits were recoverable")
        return _digits_number(digits, text, notes)
    return text


_SERIAL_2000, _SERIAL_2100 = 36526, 73051
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def date(value: object, notes: list[str]) -> dt.date:
    if isinstance(value, dt.datetime):
        notes.append(f"an Excel date was read as {value:%d/%m/%Y} (day/month/"
                     "year); check that day and month were not swapped")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Serials of 2000-01-01 to 2099-12-31: consent and verification fall
        # there. Any other number (a year alone, a phone number pasted into
        # the column) would become a date nobody meant, or none at all.
        if not _SERIAL_2000 <= value < _SERIAL_2100:
            raise CellError(f"the number {value!r} is not a date",
                            "write the date as dd/mm/yyyy, for example 01/10/2026")
        day = from_excel(value)
        day = day.date() if isinstance(day, dt.datetime) else day
        notes.append(f"the date was stored as the number {value!r}, read as the "
                     f"Excel date {day:%d/%m/%Y}")
        return day
    text = " ".join(str(value).split())
    # Midnight, as a date typed in a date-and-time column shows it.
    text = re.sub(r" 0?0:00(:00)?$", "", text)
    iso, dmy = _DATE_ISO.match(text), _DATE_DMY.match(text)
    if dmy and len(dmy[3]) != 4:
        raise CellError(f"'{text}' has a two-digit year",
                        "write the year in full: dd/mm/yyyy")
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dmy:
            # Vietnamese dates are day first: 1/10/2026 is 1 October.
            return dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    except ValueError:
        raise CellError(f"'{text}' is not a date in the calendar",
                        "write the date as dd/mm/yyyy, for example 01/10/2026"
                        ) from None
    raise CellError(f"'{text}' is not a date",
                    "write the date as dd/mm/yyyy, for example 01/10/2026")


def number(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise CellError(f"'{value}' is not a number",
                        "write a decimal number with a dot, for example 21.0285 "
                        "(a latitude) or 105.8542 (a longitude)") from None


def whole_number(value: object) -> int:
    """A count from 1, such as a service number: 1.5 or 0 would have to be
    rounded or guessed into a number nobody wrote."""
    try:
        number_ = number(value)
    except CellError:
        number_ = 0.5
    if not number_.is_integer() or number_ < 1:
        raise CellError(f"'{value}' is not a whole number from 1 up",
                        "write 1 for the provider's first service, 2 for the "
                        "next, and so on")
    return int(number_)


_YES = {"yes", "co", "true", "x", "1", "y"}
_NO = {"no", "khong", "false", "0", "n"}


def yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    key = fold(str(value).split("—")[0])
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"'{value}' is not yes or no", "choose yes or no from the list")


# Day names as people write them, folded: English, and Vietnamese "Thứ Hai",
# "Thứ 2", "T2" ... "Chủ nhật", "CN".
_DAY_WORDS = {}
for _i, _day in enumerate(DAYS):
    _DAY_WORDS[_day.value] = _day.value
    _DAY_WORDS[("monday", "tuesday", "wednesday", "thursday", "friday",
                "saturday", "sunday")[_i]] = _day.value
    if _i < 6:
        _DAY_WORDS[f"thu {_i + 2}"] = _DAY_WORDS[f"t{_i + 2}"] = _day.value
        _DAY_WORDS["thu " + ("hai", "ba", "tu", "nam", "sau", "bay")[_i]] = _day.value
_DAY_WORDS.update({"chu nhat": "sun", "cn": "sun", "tues": "tue", "thur": "thu",
                   "thurs": "thu"})
_ALWAYS = {"24 7", "24 24", "24 24h", "24h 7", "always", "ca ngay"}
_TIME = r"\d{1,2}(?:[:h.]\d{2}|h)?"
# A comma or colon may end the days: "Thứ 2 - Thứ 6, 8:00-17:00".
_SPAN = re.compile(rf"^(?P<days>.*?)[\s:,]*(?P<opens>{_TIME})\s*(?:[-–—]|đến|to)"
                   rf"\s*(?P<closes>{_TIME})$", re.IGNORECASE)
# A split day, as offices open it: "T2-T7 7h-11h30, 13h30-17h", each range
# perhaps with its part of the day: "T2-T6 sáng 7h-11h30, chiều 1h30-5h".
_RANGE = rf"{_TIME}\s*(?:[-–—]|đến|to)\s*{_TIME}"
_PART = r"(?:s[aá]ng|chi[eề]u|t[oố]i|morning|afternoon|evening)"
_PARTED = rf"(?:{_PART}\s+)?{_RANGE}"
_SPLIT = re.compile(
    rf"^(?P<days>.*?)[\s:,]*(?P<ranges>{_PARTED}(?:\s*,\s*{_PARTED})+)$",
    re.IGNORECASE)
# Words for the part of the day before the days: "Chiều T2-T6 1h30-4h30".
# After noon they turn a time written on the 12-hour clock into 13:30.
_DAY_PARTS = {"sang": False, "morning": False, "chieu": True, "afternoon": True,
              "toi": True, "evening": True}
HOURS_EXAMPLE = "mon-fri 07:30-17:00; sat 07:30-11:30 (or 24/7)"


def _time(text: str, after_noon: bool = False) -> str:
    match = re.match(r"^(\d{1,2})(?:[:h.](\d{2})|h)?$", text.lower())
    hour = int(match[1])
    if after_noon and 1 <= hour < 12:
        hour += 12
    return f"{hour:02d}:{match[2] or '00'}"


def _day_part(text: str) -> tuple[str, bool]:
    """`text` without a leading part of the day, and whether that part is
    after noon."""
    words = text.split()
    if words and fold(words[0]) in _DAY_PARTS:
        return " ".join(words[1:]), _DAY_PARTS[fold(words[0])]
    return text, False


def _days(text: str) -> list[str]:
    days: list[str] = []
    for item in re.split(r"\s*,\s*", text.strip()):
        if not item:
            raise CellError(f"'{text.strip()}' has a comma with no day beside it",
                            f"write the hours like this: {HOURS_EXAMPLE}")
        ends = [fold(end) for end in re.split(r"\s*[-–—]\s*|\s+(?:đến|to)\s+", item)]
        if not all(end in _DAY_WORDS for end in ends) or len(ends) > 2:
            raise CellError(f"'{item}' is not a day or a range of days",
                            f"write the hours like this: {HOURS_EXAMPLE}")
        first, last = (DAYS.index(_DAY_WORDS[end]) for end in (ends[0], ends[-1]))
        if last < first:
            raise CellError(f"'{item}' runs backwards",
                            "write ranges from the earlier day, such as mon-fri")
        days += [d.value for d in DAYS[first:last + 1]]
    return days


def hours(value: object, notes: list[str] | None = None) -> dict:
    """An hours cell as the `always` and `spans` of model.Hours; `notes`
    collects what a reader of the cell should check."""
    result: dict = {}
    spans = result.setdefault("spans", [])
    text = str(value)
    # "7h-11h30 và 13h30-17h": a second range of the same days.
    text = re.sub(rf"({_RANGE})\s+(?:và|and)\s+(?=\d)", r"\1, ", text,
                  flags=re.IGNORECASE)
    # "T2-T6 7h30-17h, T7 7h30-11h30": after a range of hours, a comma
    # before words (days) starts another group, as a semicolon does; not
    # before a part of the day and its hours ("..., chiều 1h30-5h").
    text = re.sub(rf"({_RANGE})\s*,\s*(?=[^\d\s,])(?!{_PART}\s+\d)", r"\1;",
                  text, flags=re.IGNORECASE)
    for part in re.split(r"[;\n]+", text):
        part = " ".join(part.split())
        if not part:
            continue
        if fold(part) in _ALWAYS:
            result["always"] = True
            continue
        split = _SPLIT.match(part)
        if split:
            text, after_noon = _day_part(split["days"])
            if not text.strip():
                raise CellError(f"'{part}' names no days",
                                "write the days before the hours, for example "
                                "T2-T6 7h30-11h30, 13h30-17h")
            days = _days(text)
            for span in re.split(r"\s*,\s*", split["ranges"]):
                # A range's own part of the day, or else the one before the
                # days.
                bare, own = _day_part(span)
                later = own if bare != span else after_noon
                opens, closes = re.split(r"\s*(?:[-–—]|đến|to)\s*", bare,
                                         flags=re.IGNORECASE)
                spans.append({"days": days, "opens": _time(opens, later),
                              "closes": _time(closes, later)})
            continue
        match = _SPAN.match(part)
        if match and not _day_part(match["days"])[0].strip():
            raise CellError(f"'{part}' names no days",
                            "write the days before the hours, for example "
                            "T2-T6 7h30-11h30")
        if not match:
            raise CellError(f"'{part}' is not a span of opening hours",
                            f"write the hours like this: {HOURS_EXAMPLE}")
        text, after_noon = _day_part(match["days"])
        spans.append({"days": _days(text),
                      "opens": _time(match["opens"], after_noon),
                      "closes": _time(match["closes"], after_noon)})
    for span in spans:
        if notes is not None and span["closes"] < span["opens"]:
            notes.append(overnight(span["opens"], span["closes"]))
    if not spans:
        del result["spans"]
    return result


def hours_text(hours_data: dict) -> str:
    """The cell text for model.Hours data (always and spans; the note has its
    own columns)."""
    parts = ["24/7"] if hours_data.get("always") else []
    for span in hours_data.get("spans", []):
        parts.append(f"{_days_text(span['days'])} {span['opens']}-{span['closes']}")
    return "; ".join(parts)


def _days_text(days: list[str]) -> str:
    # Runs of three or more consecutive days in week order become "mon-fri";
    # expanding the text gives back exactly the same list.
    order = [d.value for d in DAYS]
    out, i = [], 0
    while i < len(days):
        j = i
        while (j + 1 < len(days) and days[j] in order and days[j + 1] in order
               and order.index(days[j + 1]) == order.index(days[j]) + 1):
            j += 1
        if j - i >= 2:
            out.append(f"{days[i]}-{days[j]}")
            i = j + 1
        else:
            out.append(days[i])
            i += 1
    return ",".join(out)
