"""Checks that need the whole content tree: codes, phones, glyphs, translations."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import phonenumbers
from pydantic import BaseModel

from booklet.errors import Problem
from booklet.fonts import coverage
from booklet.load.content import Loaded
from booklet.load.yamlsource import dotted
from booklet.model import Opening, Provider, Text, VerificationStatus

# Characters that are layout, not text: never looked up in a font.
_IGNORED = {"\n", "\r", "\t"}


def walk(obj: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Every value in a model tree with its path, depth first."""
    yield path, obj
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from walk(item, (*path, i))


def strings(obj: object) -> Iterator[tuple[tuple, str]]:
    for path, value in walk(obj):
        if isinstance(value, str) and not hasattr(value, "value"):
            yield path, value


# The model's default for settings.verification_max_age_months, used when
# document.yaml itself does not validate.
DEFAULT_MAX_AGE = 12


def is_stale(verified: dt.date, max_age: int, today: dt.date) -> bool:
    """Whether a verification of `verified` is more than `max_age` months
    old on `today`: a year to the day is still within twelve months."""
    year, month = divmod(verified.month - 1 + max_age, 12)
    year += verified.year
    last = calendar.monthrange(year, month + 1)[1]
    return today > dt.date(year, month + 1, min(verified.day, last))


# Before 2017 Hà Nội landlines were written 04 and Hồ Chí Minh City ones 08,
# then 8 digits; since the 2017 renumbering the same digits dial a mobile.
# Written internationally they read "+84 4 3717 0544": the area code alone.
_OLD_LANDLINE = re.compile(r"^\(?0([48])\)?[.\s\-]")
_OLD_LANDLINE_84 = re.compile(r"^\(?\+84\)?[.\s\-]*\(?([48])\)?[.\s\-]")


_PARSE = phonenumbers.NumberParseException
# Why phonenumbers could not read a number, in the words of check's messages.
_UNREADABLE = {
    _PARSE.INVALID_COUNTRY_CODE: "the country code after + is unknown",
    _PARSE.NOT_A_NUMBER: "it has too few digits",
    _PARSE.TOO_SHORT_AFTER_IDD: "too few digits follow the international prefix",
    _PARSE.TOO_SHORT_NSN: "it has too few digits",
    _PARSE.TOO_LONG: "it has too many digits",
}


@functools.cache
def parse_phone(number: str) -> phonenumbers.PhoneNumber | int:
    """`number` read as dialled from Viet Nam, or the error type of why it
    cannot be read. Check, select and compose each ask about the same
    numbers, and reading one costs a tenth of a millisecond."""
    try:
        return phonenumbers.parse(number, "VN")
    except phonenumbers.NumberParseException as exc:
        return exc.error_type


def written_before_2017(number: str) -> bool:
    """Whether `number` is a landline in the style before the 2017 renumbering
    (04 or 08, then 8 digits): today those digits dial a mobile."""
    return _old_area(number) is not None


def _old_area(number: str) -> str | None:
    """The pre-2017 area code (04 or 08) `number` is written with, if any."""
    digits = sum(ch.isdigit() for ch in number)
    local = _OLD_LANDLINE.match(number)
    if local and digits == 10:
        return "0" + local.group(1)
    international = _OLD_LANDLINE_84.match(number)
    if international and digits == 11:
        return "0" + international.group(1)
    return None


@functools.cache  # a pure function of the number, asked by every stage
def phone_problem(number: str) -> str | None:
    """Why `number` is not a valid Vietnamese or international number, if so."""
    digits = "".join(ch for ch in number if ch.isdigit())
    area = _old_area(number)
    if area:
        return (f"'{number}' is written like a pre-2017 landline (area code "
                f"{area}, then 8 digits); today these digits dial a mobile "
                "number")
    plus = number.startswith("+")
    if len(digits) in (3, 4) and not plus:
        if digits.startswith("1") and digits not in ("1800", "1900"):
            return None  # short codes: 111, 112-115, 1022
        return (f"'{number}' is too short for a phone number, and is not a "
                "short code (those start with 1, like 111 or 115)")
    if number[:1].isdigit() and number[0] not in "01":
        # Printed as written, these cannot be dialled from a Vietnamese
        # phone, although phonenumbers reads them.
        if digits.startswith("84") and len(digits) >= 10:
            return (f"'{number}' starts with the country code 84 but not +: "
                    f"write +{number} (or 0 and the rest, without 84)")
        return (f"'{number}' has lost its leading 0 (a spreadsheet or an "
                f"unquoted YAML number drops it): write 0{number}")
    if plus and digits.startswith(("841800", "841900")):
        return (f"'{number}': {digits[2:6]} numbers are dialled only within "
                "Viet Nam, never after +84: write it without +84")
    if (not plus and digits.startswith(("1800", "1900"))
            and len(digits) not in (8, 10)):
        return (f"'{number}' has {len(digits)} digits; {digits[:4]} numbers "
                "have 8 or 10 (1800 1567, 1900 96 96 80): a digit is missing "
                "or extra")
    if digits.startswith(("01800", "01900")) and not plus:
        # phonenumbers accepts the 0 as a trunk prefix, but 1800 and 1900
        # service numbers are dialled without one.
        return (f"'{number}' has a 0 before a {digits[1:5]} service number, "
                f"which is dialled without it: write {digits[1:]}")
    parsed = parse_phone(number)
    if isinstance(parsed, int):
        why = _UNREADABLE.get(parsed, "it does not look like one")
        return f"'{number}' cannot be read as a phone number: {why}"
    if phonenumbers.is_valid_number(parsed):
        return None
    if not plus and digits.startswith(("1800", "1900")):
        return None  # toll-free and premium service numbers of 8 or 10 digits
    return (f"'{number}' is not a valid Vietnamese or international number "
            "for today's numbering plan")


def overnight(opens: str, closes: str) -> str:
    """What to say of a span that closes before it opens: meant overnight
    (a shelter's 22:00-06:00), or a closing time on the 12-hour clock."""
    said = f"{opens}-{closes} closes before it opens, so it reads as open overnight"
    if opens < "12:00" and closes < "12:00":
        return (f"{said}; if it closes in the afternoon, write "
                f"{int(closes[:2]) + 12:02d}{closes[2:]} (24-hour clock)")
    return said


def check_loaded(loaded: Loaded, fonts: list[Path], today: dt.date | None = None,
                 languages: dict[str, str] | None = None) -> list[Problem]:
    """Return the problems that loading alone cannot see; `languages` (code ->
    name) are the codes a provider may list, None to leave them unchecked."""
    content = loaded.content or loaded.partial
    if content is None:
        return []
    today = today or dt.date.today()
    problems: list[Problem] = []
    provinces = {p.code for p in content.provinces}
    categories = {c.code for c in content.categories}
    criteria = {c.code for c in content.criteria}
    max_age = (content.document.settings.verification_max_age_months
               if content.document else DEFAULT_MAX_AGE)
    glyphs = coverage(fonts) if fonts else None
    slugs = {p.code: p.slug for p in content.provinces}

    listed: dict[str, str] = {}  # province code -> the region listing it
    for i, region in enumerate(content.regions):
        for j, code in enumerate(region.provinces):
            where = ("regions", i, "provinces", j)
            if code not in provinces:
                problems.append(_at(loaded.sources["regions"], ("regions",),
                                    "error", f"unknown province code '{code}' "
                                    f"in region '{region.code}'",
                                    "use a code from provinces.yaml"))
            elif code in listed:
                # Part 2 and the inserts would print its providers twice.
                problems.append(_at(
                    loaded.sources["regions"], where, "error",
                    f"province '{code}' is listed in region '{listed[code]}' "
                    + ("already" if listed[code] == region.code else "too"),
                    "list each province in one region only"))
            else:
                listed[code] = region.code
    for i, province in enumerate(content.provinces):
        if content.regions and province.code in listed \
                and listed[province.code] != province.region:
            problems.append(_at(
                loaded.sources["provinces"], ("provinces", i, "region"), "error",
                f"province '{province.code}' says region '{province.region}' but "
                f"regions.yaml lists it in '{listed[province.code]}'",
                "make provinces.yaml and regions.yaml agree"))
        elif content.regions and province.code not in listed:
            problems.append(_at(
                loaded.sources["provinces"], ("provinces", i, "code"), "error",
                f"province '{province.code}' is in no region of regions.yaml, so "
                "its providers would have no place in Part 2",
                f"add '{province.code}' to region '{province.region}' in "
                "regions.yaml"))
    first_slug: dict[str, str] = {}
    for i, province in enumerate(content.provinces):
        if province.slug in first_slug:
            problems.append(_at(
                loaded.sources["provinces"], ("provinces", i, "slug"), "error",
                f"slug '{province.slug}' is also the slug of province "
                f"'{first_slug[province.slug]}'",
                "give each province its own slug: it names its providers folder"))
        else:
            first_slug[province.slug] = province.code
    for provider in content.providers:
        source = loaded.provider_sources[provider.id]

        def add(path: tuple, severity: str, message: str, fix: str = "",
                source=source) -> None:
            problems.append(_at(source, path, severity, message, fix))

        _check_codes(provider, add, provinces, categories, criteria)
        if languages is not None:
            for i, code in enumerate(provider.languages):
                if code not in languages:
                    add(("languages", i), "error", unknown_language(code),
                        language_fix(languages) + _NEW_LANGUAGE)
        for i, code in _repeats(provider.languages, str):
            add(("languages", i), "warning", f"'{code}' is listed twice, so it "
                "is printed twice", "remove the repeat")
        _check_folder(provider, source.file, slugs, add)
        for i, phone in enumerate(provider.phones):
            _check_phone(phone.number, ("phones", i, "number"), add)
        for i, phone in _repeats(provider.phones, lambda ph: _dialled(ph.number)):
            add(("phones", i, "number"), "warning",
                f"'{phone.number}' is listed twice, so it is printed twice",
                "remove the repeat, or put its second use in the first one's "
                "label or hours")
        v = provider.verification
        future = verified_after_today(v, today)
        if v.status is not VerificationStatus.verified:
            add(("verification", "status"), "warning",
                "not verified yet (desk research only)",
                "call the provider and record status: verified with the date")
        elif future:
            add(("verification", "date"), "warning", *future)
        elif v.date and is_stale(v.date, max_age, today):
            add(("verification", "date"), "warning",
                f"verified on {v.date.isoformat()}, more than {max_age} months ago",
                "verify the entry again")
        for path, lang, message in untranslated(provider):
            add(path, "warning", message, f"add '{lang}:' under {dotted(path)}")
        texts: list[tuple[tuple, str]] = []
        for path, value in walk(provider):
            if isinstance(value, Text):
                continue
            if isinstance(value, str) and not hasattr(value, "value"):
                texts.append((path, value))
            elif isinstance(value, Opening) and value.closes < value.opens:
                add((*path, "closes"), "warning",
                    overnight(value.opens, value.closes),
                    "check the hours with the provider")
        if glyphs is not None:
            _check_all_glyphs(texts, glyphs, add)
    for source in loaded.invalid_sources:
        _check_raw_codes(source, provinces, categories, criteria, problems)
        codes = source.data.get("languages")
        for i, code in enumerate(codes if isinstance(codes, list) else []):
            if languages is not None and isinstance(code, str) \
                    and code not in languages:
                problems.append(_at(source, ("languages", i), "error",
                                    unknown_language(code),
                                    language_fix(languages) + _NEW_LANGUAGE))
        if glyphs is not None:
            _check_all_glyphs(list(_raw_strings(source.data)), glyphs,
                              lambda p, s, m, f="", src=source: problems.append(
                                  _at(src, p, s, m, f)))
    if glyphs is not None:
        # Every file whose words print: category and criterion names reach
        # the legend and every entry, region names the headings.
        for key, path, model in (
                ("document", (), content.document),
                ("guidance", (), content.guidance),
                ("categories", ("categories",), content.categories),
                ("criteria", ("criteria",), content.criteria),
                ("provinces", ("provinces",), content.provinces),
                ("regions", ("regions",), content.regions),
                ("regions", ("areas",), content.areas)):
            source = loaded.sources.get(key)
            if model is None or source is None:
                continue  # its own errors are reported already
            texts = [(path + p, value) for p, value in strings(model)]
            _check_all_glyphs(texts, glyphs,
                              lambda p, s, m, f="", src=source: problems.append(
                                  _at(src, p, s, m, f)))
    return problems


_LANG_NAMES = {"vi": "Vietnamese", "en": "English"}


def verified_after_today(v, today: dt.date, shown=dt.date.isoformat
                         ) -> tuple[str, str] | None:
    """(message, fix) when verification `v` is dated after `today`, a date
    that a final edition refuses; `shown` writes the dates."""
    if v.status is not VerificationStatus.verified or not v.date or v.date <= today:
        return None
    return (f"verified on {shown(v.date)}, after today ({shown(today)}); a final "
            "edition refuses it", "write the date the call was made")


def untranslated(provider) -> Iterator[tuple[tuple, str, str]]:
    """(path, language, message) of each text of `provider` that lacks one of
    the printed languages."""
    for path, value in walk(provider):
        if isinstance(value, Text):
            for lang in ("vi", "en"):
                if not value.has(lang):
                    yield path, lang, (f"no {_LANG_NAMES[lang]} text; the other "
                                       "language will be printed instead")


def _check_codes(provider: Provider, add, provinces, categories, criteria) -> None:
    if provider.province and provider.province not in provinces:
        add(("province",), "error", f"unknown province code '{provider.province}'",
            "use one of the 34 codes in provinces.yaml, in quotes")
    if isinstance(provider.coverage, list):
        for i, code in enumerate(provider.coverage):
            if code not in provinces:
                add(("coverage", i), "error", f"unknown province code '{code}'",
                    "use codes from provinces.yaml, in quotes")
    for i, service in enumerate(provider.services):
        if service.category not in categories:
            add(("services", i, "category"), "error",
                f"unknown category '{service.category}'",
                _one_of(service.category, categories))
        for j, code in enumerate(service.eligibility.criteria):
            if code not in criteria:
                add(("services", i, "eligibility", "criteria", j), "error",
                    f"unknown eligibility criterion '{code}'", _one_of(code, criteria))


def unknown_language(code: str) -> str:
    return (f"'{code}' is not a language code the directory knows, so it "
            "would be printed as typed")


def language_fix(languages: dict[str, str]) -> str:
    """The codes a provider may list, named: 'en (English), vi (Vietnamese)'."""
    listed = ", ".join(code if name == code else f"{code} ({name})"
                       for code, name in languages.items())
    return f"use one of: {listed}"


# A language is added by naming it, in every language of the strings.
_NEW_LANGUAGE = "; a new language needs its name under lang_names in " \
    "layouts/strings/*.yaml"


def _one_of(value: str, accepted) -> str:
    """The fix for an unknown code: the nearest one first, when one is near."""
    near = difflib.get_close_matches(value, list(accepted), n=1, cutoff=0.7)
    listed = "use one of: " + ", ".join(sorted(accepted))
    return f"did you mean '{near[0]}'? " + listed if near else listed


def _check_folder(provider: Provider, file: str, slugs: dict[str, str],
                  add) -> None:
    """A provider file belongs in providers/national/ or in the folder of its
    province: whoever looks for a province's providers looks there."""
    parts = Path(file).parts
    if "providers" not in parts or len(parts) < parts.index("providers") + 3:
        return
    folder = parts[parts.index("providers") + 1]
    if provider.is_national:
        expected, field = "national", "coverage"
    elif provider.province in slugs:
        expected, field = slugs[provider.province], "province"
    else:
        return  # an unknown code is reported on its own
    if folder != expected:
        add((field,), "warning",
            f"the file is in providers/{folder}/ but the provider's {field} "
            f"puts it in providers/{expected}/",
            f"move the file to providers/{expected}/, or correct '{field}'")


def _check_all_glyphs(texts: list[tuple[tuple, str]], glyphs: set[int],
                      add) -> None:
    # One set test for all the texts; only a miss pays for finding where.
    chars = set("".join(value for _, value in texts))
    if all(ord(ch) in glyphs or ch in _IGNORED for ch in chars):
        return
    for path, value in texts:
        _check_glyphs(value, glyphs, path, add)


def _raw_strings(data: object, path: tuple = ()):
    """Every text in the YAML of a file that did not validate, with its path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _raw_strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _raw_strings(value, (*path, i))


def _repeats(items: list, key) -> list[tuple[int, object]]:
    """(index, item) of each item whose key an earlier item already had."""
    seen: set = set()
    out = []
    for i, item in enumerate(items):
        k = key(item)
        if k in seen:
            out.append((i, item))
        seen.add(k)
    return out


def _dialled(number: str) -> str:
    """What a phone dials: "+84 24 3..." and "024 3..." are one number."""
    try:
        parsed = phonenumbers.parse(number, "VN")
    except _PARSE:
        return "".join(ch for ch in number if ch.isdigit())
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _check_phone(number: str, path: tuple, add) -> None:
    why = phone_problem(number)
    if why:
        add(path, "warning", why,
            "check the number with the provider; write it as printed today, "
            "with its area code (0XX XXXX XXXX)")


def _check_raw_codes(source, provinces, categories, criteria, problems) -> None:
    """The code checks of _check_codes, on a provider file that did not
    validate: its other mistakes should not have to wait for a second round."""
    data = source.data

    def unknown(path, value, known, what, fix):
        if isinstance(value, str) and value not in known:
            problems.append(_at(source, path, "error",
                                f"unknown {what} '{value}'", fix))

    province_fix = "use one of the 34 codes in provinces.yaml, in quotes"
    unknown(("province",), data.get("province"), provinces, "province code",
            province_fix)
    coverage = data.get("coverage")
    if isinstance(coverage, list):
        for i, code in enumerate(coverage):
            unknown(("coverage", i), code, provinces, "province code",
                    province_fix)
    phones = data.get("phones")
    for i, phone in enumerate(phones if isinstance(phones, list) else []):
        number = phone.get("number") if isinstance(phone, dict) else None
        if isinstance(number, str):
            _check_phone(number, ("phones", i, "number"),
                         lambda path, severity, message, fix: problems.append(
                             _at(source, path, severity, message, fix)))
    services = data.get("services")
    for i, service in enumerate(services if isinstance(services, list) else []):
        if not isinstance(service, dict):
            continue
        unknown(("services", i, "category"), service.get("category"), categories,
                "category", "use one of: " + ", ".join(sorted(categories)))
        eligibility = service.get("eligibility")
        codes = eligibility.get("criteria") if isinstance(eligibility, dict) else None
        for j, code in enumerate(codes if isinstance(codes, list) else []):
            unknown(("services", i, "eligibility", "criteria", j), code, criteria,
                    "eligibility criterion",
                    "use one of: " + ", ".join(sorted(criteria)))


def missing_glyphs(value: str, glyphs: set[int]) -> list[str]:
    """What to say of each character of `value` that the fonts lack."""
    missing = sorted({ch for ch in value
                      if ord(ch) not in glyphs and ch not in _IGNORED})
    return [f"character '{ch}' (U+{ord(ch):04X} "
            f"{unicodedata.name(ch, 'unnamed character')}) is not in the fonts "
            "that print this text and would show as a blank box"
            for ch in missing]


GLYPH_FIX = "replace it with a character the fonts have, or remove it"


def _check_glyphs(value: str, glyphs: set[int], path: tuple, add) -> None:
    for message in missing_glyphs(value, glyphs):
        add(path, "error", message, GLYPH_FIX)


def _at(source, path: tuple, severity: str, message: str, fix: str = "") -> Problem:
    return Problem(severity, source.file, source.line_of(path), dotted(path),
                   message, fix)
