"""Wording shared by every product: sort order, hours, dates, phones, languages."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import urllib.parse

import phonenumbers

from booklet.load.validate import parse_phone, phone_problem, written_before_2017
from booklet.model import DAYS, Hours, Text

# Vietnamese alphabetical order: đ after d, ă â after a, ê after e, ô ơ after
# o, ư after u; f j w z (foreign words) in their Latin places.
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z"
_RANK = {letter: i for i, letter in enumerate(_ALPHABET.split())}
# Letter-forming marks (breve, circumflex, horn) belong to the letter; tone
# marks are a secondary key in the traditional order: ngang, huyền, hỏi, ngã,
# sắc, nặng.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_DIGITS = re.compile(r"[0-9]+")
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


@functools.cache  # a few hundred distinct characters make every name
def _letter(ch: str) -> tuple[tuple[int, str], int] | None:
    """A lower-case character's place in the order and its tone, or None
    for spaces and punctuation, which do not order names."""
    parts = unicodedata.normalize("NFD", ch)
    base = parts[0]
    marks = parts[1:]
    letter = unicodedata.normalize(
        "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
    tone = next((_TONES[m] for m in marks if m in _TONES), 0)
    if letter in _RANK:
        return (0, chr(0x100 + _RANK[letter])), tone
    if letter.isdigit():
        return (-1, letter), tone
    if letter.isalpha():
        return (1, letter), tone
    return None


def _letters(text: str) -> tuple[list[tuple[int, str]], list[int]]:
    primary: list[tuple[int, str]] = []
    tones: list[int] = []
    digit = False  # whether the last character was a digit
    for found in map(_letter, text.lower()):
        if found is None:
            digit = False
            continue
        if found[0][0] == -1:
            # A number orders by its value, as a whole ("Bệnh viện 74" before
            # "Bệnh viện 108"), not digit by digit.
            if digit:
                primary[-1] = (-1, _padded(primary[-1][1] + found[0][1]))
                continue
            digit = True
            primary.append((-1, _padded(found[0][1])))
        else:
            digit = False
            primary.append(found[0])
        tones.append(found[1])
    return primary, tones


def _padded(digits: str) -> str:
    """Digits that order by their value when compared as text."""
    return digits.lstrip("0").rjust(24, "0")


def sort_key(text: str, lang: str) -> tuple:
    """Key that orders names as a reader of `lang` expects.

    Vietnamese: syllable by syllable, as dictionaries do ("An toàn" before
    "Anh", "Hà Tĩnh" before "Hagar"), by the letters of the Vietnamese
    alphabet, tone as a secondary key. English: by letters with diacritics
    removed, then by the original.
    """
    if lang == "vi":
        primary, tones = [], []
        for word in text.split():
            letters, marks = _letters(word)
            if letters:
                primary.append(letters)
                tones += marks
        return (primary, tones, text)
    plain = "".join(ch for ch in unicodedata.normalize("NFD", text.lower())
                    if not unicodedata.combining(ch)).replace("đ", "d")
    plain = _DIGITS.sub(lambda m: _padded(m.group()), plain)
    return ("".join(ch for ch in plain if ch.isalnum()), text)


def pick(text: Text | None, lang: str) -> tuple[str, bool]:
    """The text in `lang`, and whether it fell back to the other language."""
    if text is None:
        return "", False
    own = getattr(text, lang, None)
    if own:
        return own, False
    return text.get(lang), True


def format_count(value: int, lang: str) -> str:
    """A count with its thousands grouped as the language writes them:
    2.492 in Vietnamese, 2,492 in English."""
    return f"{value:,}".replace(",", "." if lang == "vi" else ",")


def format_date(value: dt.date, strings: dict) -> str:
    months = strings.get("months")
    month = months[value.month - 1] if months else value.month
    return strings["date_format"].format(d=value.day, m=value.month, y=value.year,
                                         month=month)


def format_hours(hours: Hours | None, strings: dict, lang: str) -> str:
    """Opening hours in words of `lang`, for example 'T2–T6 08:00–17:00'."""
    if hours is None:
        return ""
    if hours.always:
        text = strings["always_open"]
    else:
        parts: list[tuple[list, list[str]]] = []
        for span in hours.spans:
            times = f"{span.opens}–{span.closes}"
            # A day split in two reads once: 'T2–T6 07:30–11:30, 13:30–17:00'.
            if parts and parts[-1][0] == span.days:
                parts[-1][1].append(times)
            else:
                parts.append((span.days, [times]))
        text = "; ".join(f"{_days(days, strings)} {', '.join(times)}"
                         for days, times in parts)
    if hours.note:
        note, _ = pick(hours.note, lang)
        text = f"{text} ({note})" if text else note
    return text


def _days(days: list, strings: dict) -> str:
    """Compress a list of days into ranges: Mon–Fri, Sat."""
    order = [d for d in DAYS if d in days]
    names = strings["days"]
    runs: list[list] = []
    for day in order:
        if runs and DAYS.index(day) == DAYS.index(runs[-1][-1]) + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    out = []
    for run in runs:
        if len(run) >= 3:
            out.append(strings["day_range"].format(first=names[run[0].value],
                                                   last=names[run[-1].value]))
        else:
            out.extend(names[d.value] for d in run)
    return ", ".join(out)


_DOMESTIC_ONLY = {phonenumbers.PhoneNumberType.TOLL_FREE,
                  phonenumbers.PhoneNumberType.PREMIUM_RATE,
                  phonenumbers.PhoneNumberType.SHARED_COST,
                  phonenumbers.PhoneNumberType.UAN}


@functools.cache  # a pure function of the number; a build asks per entry
def dialable(number: str) -> bool:
    """Whether a phone may dial `number` from a link or a QR code: never for
    a number that check flags as invalid or written in a pre-2017 style,
    since it could ring a stranger."""
    return phone_problem(number) is None


@functools.cache
def international(number: str) -> str | None:
    """The number in international form (+84 ...), or None for a short code
    or a number that cannot be dialled with certainty."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) <= 4 or not dialable(number):
        return None
    parsed = parse_phone(number)
    if isinstance(parsed, int) or not phonenumbers.is_valid_number(parsed):
        return None
    # 1800 and 1900 service numbers only work from inside Viet Nam, dialled
    # as written; a +84 form would fail from a phone abroad anyway.
    if phonenumbers.number_type(parsed) in _DOMESTIC_ONLY:
        return None
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def dial_string(number: str) -> str:
    """What a phone dials: the international form, or the digits as written
    (short codes and toll-free numbers are dialled as they are); empty when
    the number is not safe to dial automatically."""
    if not dialable(number):
        return ""
    full = international(number)
    if full:
        return full.replace(" ", "")
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


@functools.cache
def shown_number(number: str) -> str:
    """A number as printed: as the content writes it, but a valid number
    written as bare digits ('02373989088') in its usual groups ('0237 3989
    088'), which a reader can read back and dial without losing their place."""
    if not re.fullmatch(r"\+?\d{8,}", number) or not dialable(number):
        return number
    if len(number) == 10 and number.startswith(("1800", "1900")):
        # As the services print them ("1900 96 96 80"); phonenumbers gives
        # "1900 969680", a six-digit run to lose one's place in.
        return f"{number[:4]} {number[4:6]} {number[6:8]} {number[8:]}"
    parsed = parse_phone(number)
    if isinstance(parsed, int):
        return number
    style = (phonenumbers.PhoneNumberFormat.INTERNATIONAL if number.startswith("+")
             else phonenumbers.PhoneNumberFormat.NATIONAL)
    shown = phonenumbers.format_number(parsed, style)
    # Grouping only: never a digit more or less than was written.
    same = [ch for ch in shown if ch.isdigit()] == [ch for ch in number
                                                     if ch.isdigit()]
    return shown if same else number


def caution(number: str, strings: dict) -> str:
    """What to print beside a number that is never dialled: an old-style
    number may ring a stranger; any other flagged one may simply be wrong."""
    if dialable(number):
        return ""
    return strings["old_number" if written_before_2017(number) else "bad_number"]


def tel_uri(number: str) -> str:
    """A tel: URI (RFC 3966) for `number`, or "" when it is not dialable."""
    dial = dial_string(number)
    return "tel:" + dial if dial else ""


# A scheme opens an address ("https://"); "://" further on, in a query such
# as "?to=https://...", does not make one.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def web_address(website: str) -> str:
    """A website as a phone or viewer opens it: 'www.' addresses get
    https://."""
    return website if _SCHEME.match(website) else "https://" + website


def web_link(address: str) -> str:
    """The link target of a web address as printed: 'www.' addresses get
    https://, and an address with Vietnamese letters becomes plain ASCII (host
    in IDNA, the rest percent-encoded), as PDF link actions take only ASCII
    (PDF 32000-1, 12.6.4.7) and viewers open nothing else reliably."""
    full = web_address(address)
    if full.isascii():
        return full
    parts = urllib.parse.urlsplit(full)
    # The host is taken apart by hand: urlsplit's port and hostname refuse
    # what check lets through (a port over 65535) and drop login details.
    login, at, place = parts.netloc.rpartition("@")
    host, colon, port = (place, "", "") if place.startswith("[") else (
        place.partition(":"))
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        host = urllib.parse.quote(host, safe="[]:")
    keep = "/%:@!$&'()*+,;=-._~?#"
    netloc = (urllib.parse.quote(login, safe=":%") + at + host + colon
              + urllib.parse.quote(port, safe=""))
    return urllib.parse.urlunsplit((
        parts.scheme, netloc, urllib.parse.quote(parts.path, safe=keep),
        urllib.parse.quote(parts.query, safe=keep),
        urllib.parse.quote(parts.fragment, safe=keep)))


def edition_marking(edition, strings: dict, prefix: str = "edition") -> str:
    """Who an edition is for, said on its every page and in its metadata:
    empty for the public; a caseworker edition says so, and whether it holds
    confidential addresses, so that it is never taken for the public one.
    `prefix` "page" gives the short wording for the foot of a page."""
    if edition.audience != "caseworker":
        return ""
    parts = [strings[f"{prefix}_for_caseworkers"]]
    if edition.show_confidential:
        parts.append(strings[f"{prefix}_confidential"])
    return " · ".join(parts)
