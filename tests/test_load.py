"""Loading content: values arrive byte-exact, and every bad input is named."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from pathlib import Path

import pytest

from booklet.cli import main
from booklet.layouts import Layouts
from booklet.load import check_loaded, load_content
from booklet.load.validate import phone_problem
from booklet.load.yamlsource import read_yaml
from tests.conftest import FICTIONAL, LAYOUTS, TODAY, make_content

FONTS = sorted((LAYOUTS.parent / "fonts").glob("*.ttf"))

MINIMAL = """\
id: test-org
name: {vi: "Tổ chức Thử", en: "Test Organisation"}
kind: ngo
province: "40"
services:
  - category: legal
    description: {vi: "Tư vấn", en: "Advice"}
"""


def provider_tree(tmp_path: Path, **files: str) -> Path:
    """A content tree whose providers are `files` (name -> YAML text)."""
    return make_content(tmp_path / "content",
                        {f"nghe-an/{name}.yaml": text for name, text in files.items()})


def problems_of(root: Path) -> list:
    loaded = load_content(root)
    return loaded.problems + check_loaded(loaded, FONTS, TODAY)


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_yaml_11_traps_arrive_as_written(tmp_path):
    # Unquoted, YAML 1.1 would read a number, a sexagesimal, a boolean and a date.
    text = MINIMAL + """\
phones:
  - number: 0241234567
    hours:
      spans:
        - {days: [mon], opens: 7:30, closes: 17:00}
internal_notes: 2025-09-01
zalo: NO
"""
    root = provider_tree(tmp_path, org=text)
    loaded = load_content(root)
    assert loaded.errors == []
    provider = loaded.content.providers[0]
    assert provider.phones[0].number == "0241234567"
    assert provider.phones[0].hours.spans[0].opens == "7:30"
    assert provider.internal_notes == "2025-09-01"
    assert provider.zalo == "NO"


def test_reader_keeps_scalars_as_strings_with_lines(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 010\nb:\n  - yes\n  - ~\n", encoding="utf-8")
    source, problems = read_yaml(path, tmp_path)
    assert problems == []
    assert source.data == {"a": "010", "b": ["yes", None]}
    assert source.line_of(("b", 0)) == 3


def test_wrong_type_is_named_with_file_line_and_field(tmp_path):
    text = MINIMAL + "phones:\n  - number: [\"024\", \"3385\"]\n"
    root = provider_tree(tmp_path, org=text)
    found = messages(load_content(root).problems)
    assert found == [
        f"{root}/providers/nghe-an/org.yaml:9: error: phones[0].number: expected "
        "text, found a list. Fix: write a single text value"]


def test_malformed_address_and_empty_list_are_said_in_plain_words(tmp_path):
    text = MINIMAL.replace("services:\n  - category: legal\n"
                           "    description: {vi: \"Tư vấn\", en: \"Advice\"}\n",
                           "services: []\n") + "email: not an address\n"
    root = provider_tree(tmp_path, org=text)
    found = messages(load_content(root).problems)
    org = f"{root}/providers/nghe-an/org.yaml"
    assert found == [
        f"{org}:6: error: email: 'not an address' is not an e-mail address. "
        "Fix: write it like name@example.org",
        f"{org}:5: error: services: 'services' needs at least one item, and has "
        "none. Fix: add each under 'services:' on its own line starting with '- '"]


def test_an_unclosed_bracket_points_to_where_it_was_opened(tmp_path):
    text = MINIMAL.replace('en: "Test Organisation"}', 'en: "Test Organisation"')
    root = provider_tree(tmp_path, org=text)
    found = messages(load_content(root).problems)
    assert found == [
        f"{root}/providers/nghe-an/org.yaml:3: error: YAML syntax error: did not "
        "find expected ',' or '}'. Fix: check the '{' opened on line 2, column 7: "
        "is its closing '}' missing?"]


def test_a_key_indented_unlike_its_neighbours_is_named_as_such(tmp_path):
    # Three spaces among twos: PyYAML's words sent a tester looking for a
    # closing bracket that was never missing.
    text = MINIMAL.replace('name: {vi: "Tổ chức Thử", en: "Test Organisation"}',
                           'name:\n  vi: "Tổ chức Thử"\n'
                           '   en: "Test Organisation"')
    root = provider_tree(tmp_path, org=text)
    (problem,) = load_content(root).problems
    assert problem.line == 4
    assert problem.fix == (
        "line 4 is indented 3 space(s), like no key above it: indent it as the "
        "key it goes beside, 2 (like 'vi' on line 3), or 0 (like 'name' on line 2)")
    # A key of the top level, indented: told to line up with 'vi', a tester
    # got two more errors; 0 is offered as well.
    text = MINIMAL.replace("kind: ngo", "   kind: ngo").replace(
        'name: {vi: "Tổ chức Thử", en: "Test Organisation"}',
        'name:\n  vi: "Tổ chức Thử"\n  en: "Test Organisation"')
    (problem,) = load_content(provider_tree(tmp_path / "b", org=text)).problems
    assert problem.fix.endswith("2 (like 'en' on line 4), or 0 (like 'name' on "
                                "line 2)")


def test_a_missing_field_of_fixed_values_lists_them(tmp_path):
    root = provider_tree(tmp_path, org=MINIMAL.replace("kind: ngo\n", ""))
    (problem,) = load_content(root).problems
    assert problem.field == "kind"
    assert problem.fix.startswith("add 'kind:' with a value: one of ")
    assert "government_provincial" in problem.fix and "ngo" in problem.fix


def test_unknown_field_suggests_the_right_one(tmp_path):
    root = provider_tree(tmp_path, org=MINIMAL + "webiste: https://a.example\n")
    found = messages(load_content(root).problems)
    assert found == [
        f"{root}/providers/nghe-an/org.yaml:8: error: webiste: unknown field "
        "'webiste'. Fix: did you mean 'website'?"]


def test_bad_enum_value_lists_accepted_values(tmp_path):
    text = MINIMAL.replace("kind: ngo", "kind: charity")
    root = provider_tree(tmp_path, org=text)
    (problem,) = load_content(root).problems
    assert (problem.line, problem.field) == (3, "kind")
    assert problem.message == (
        "'charity' is not accepted here; use one of: government_central, "
        "government_provincial, government_communal, mass_organisation, ngo, "
        "international, social_enterprise")
    assert problem.fix == "pick one of the values listed"


def test_bad_enum_value_in_capitals_suggests_the_code(tmp_path):
    root = provider_tree(tmp_path, org=MINIMAL.replace("kind: ngo", "kind: NGO"))
    (problem,) = load_content(root).problems
    assert problem.fix == "write 'ngo'"


def test_decomposed_text_is_normalised_to_nfc(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Nghệ An Ấn Độ")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    text = MINIMAL.replace('"Tổ chức Thử"', f'"{decomposed}"')
    loaded = load_content(provider_tree(tmp_path, org=text))
    assert loaded.content.providers[0].name.vi == "Nghệ An Ấn Độ"


def test_missing_glyph_is_an_error_naming_the_character(tmp_path):
    text = MINIMAL.replace('"Advice"', '"Advice ☎ now"')
    root = provider_tree(tmp_path, org=text)
    errors = [p for p in problems_of(root) if p.is_error]
    assert messages(errors) == [
        f"{root}/providers/nghe-an/org.yaml:7: error: "
        "services[0].description.en: character '☎' (U+260E BLACK TELEPHONE) is "
        "not in the fonts that print this text and would show as a blank box. "
        "Fix: replace it with a character the fonts have, or remove it"]


def test_missing_glyph_in_the_shared_files_is_an_error(tmp_path):
    root = provider_tree(tmp_path, org=MINIMAL)
    for name, old in (("categories.yaml", '"Chỗ ở và nhà tạm lánh"'),
                      ("eligibility.yaml", '"Trẻ em"'),
                      ("regions.yaml", '"Đồng bằng sông Hồng"')):
        path = root / name
        path.write_text(path.read_text().replace(old, old[0] + "☃" + old[1:], 1))
    errors = [p for p in problems_of(root) if p.is_error]
    assert [(e.file.rsplit("/", 1)[-1], e.field) for e in errors] == [
        ("categories.yaml", "categories[1].name.vi"),
        ("eligibility.yaml", "criteria[1].label.vi"),
        ("regions.yaml", "regions[0].name.vi")]
    assert all("character '☃' (U+2603 SNOWMAN) is not in the fonts" in e.message
               for e in errors)


def test_vietnamese_text_passes_the_glyph_check(tmp_path):
    text = MINIMAL.replace('"Tư vấn"', '"Ấ Ễ Ộ ỹ đ Ư ơ – “trích dẫn”"')
    assert [p for p in problems_of(provider_tree(tmp_path, org=text))
            if p.is_error] == []


def test_codes_and_duplicates_are_errors(tmp_path):
    bad = MINIMAL.replace('province: "40"', 'province: "99"').replace(
        "category: legal", "category: astrology")
    root = provider_tree(tmp_path, a=MINIMAL, b=MINIMAL, c=bad.replace(
        "id: test-org", "id: other-org"))
    found = [p for p in problems_of(root) if p.is_error]
    assert [(Path(p.file).name, p.field) for p in found] == [
        ("b.yaml", "id"), ("c.yaml", "province"), ("c.yaml", "services[0].category")]
    assert "also used by" in found[0].message


def test_a_province_code_given_twice_is_an_error_on_the_second(tmp_path):
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL})
    provinces = root / "provinces.yaml"
    lines = provinces.read_text(encoding="utf-8").splitlines(keepends=True)
    where = [n for n, line in enumerate(lines) if line.startswith("  - code: ")]
    lines[where[1]] = lines[where[0]]  # the second province takes the first's code
    provinces.write_text("".join(lines), encoding="utf-8")
    code = lines[where[0]].split(": ")[1].strip().strip('"')
    found = [p for p in load_content(root).problems if p.is_error]
    assert [(Path(p.file).name, p.line, p.field, p.message) for p in found] == [
        ("provinces.yaml", where[1] + 1, "code",
         f"code '{code}' is also given on line {where[0] + 1}")]


def _errors_after(tmp_path, name: str, old: str, new: str) -> list:
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL})
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    loaded = load_content(root)
    return [(Path(p.file).name, p.field, p.message)
            for p in check_loaded(loaded, []) if p.is_error]


def test_a_province_in_two_regions_is_an_error(tmp_path):
    # Nghệ An (40) listed in the Central Highlands as well.
    found = _errors_after(tmp_path, "regions.yaml", 'provinces: ["52", "66", "68"]',
                          'provinces: ["52", "66", "68", "40"]')
    assert found == [("regions.yaml", "regions[3].provinces[3]",
                      "province '40' is listed in region 'north-central-coast' too")]


def test_a_province_in_no_region_or_another_is_an_error(tmp_path):
    found = _errors_after(tmp_path, "regions.yaml", 'provinces: ["52", "66", "68"]',
                          'provinces: ["52", "66"]')
    assert [(f, m.split(",")[0]) for f, _, m in found] == [
        ("provinces.yaml", "province '68' is in no region of regions.yaml")]
    found = _errors_after(tmp_path / "b", "provinces.yaml", "region: red-river-delta",
                          "region: southeast")
    assert [f for f, _, _ in found] == ["provinces.yaml"]
    assert "says region 'southeast' but regions.yaml lists it in" in found[0][2]


def test_two_provinces_with_one_slug_is_an_error(tmp_path):
    found = _errors_after(tmp_path, "provinces.yaml", "slug: ha-tinh",
                          "slug: nghe-an")
    name, field, message = found[0]
    assert (name, field.split("]")[1]) == ("provinces.yaml", ".slug")
    assert message == "slug 'nghe-an' is also the slug of province '40'"


def test_a_misspelt_category_is_answered_with_the_nearest(tmp_path):
    root = provider_tree(tmp_path, a=MINIMAL.replace("category: legal",
                                                     "category: psychology"))
    (problem,) = [p for p in problems_of(root) if p.is_error]
    assert problem.fix.startswith("did you mean 'psychological'? use one of: ")


def test_warnings_for_translation_phone_and_verification(tmp_path):
    text = MINIMAL.replace('{vi: "Tư vấn", en: "Advice"}', '{vi: "Tư vấn"}') + (
        'phones:\n  - number: "12345"\n'
        'verification: {status: verified, date: "2024-01-15", method: phone}\n')
    found = [p for p in problems_of(provider_tree(tmp_path, org=text))]
    assert all(not p.is_error for p in found)
    assert [p.field for p in found] == [
        "phones[0].number", "verification.date", "services[0].description"]
    assert "more than 12 months ago" in found[1].message
    assert found[2].message.startswith("no English text")


def test_a_verification_dated_after_today_is_a_warning(tmp_path):
    root = make_content(tmp_path / "content")
    loaded = load_content(root)
    # One fixture was verified on 2026-11-01, the others earlier.
    found = [p for p in check_loaded(loaded, [], today=dt.date(2026, 10, 31))
             if p.field == "verification.date"]
    assert [(Path(p.file).name, p.severity, p.message) for p in found] == [
        ("fict-national.yaml", "warning", "verified on 2026-11-01, after today "
         "(2026-10-31); a final edition refuses it")]


def test_old_landline_style_is_flagged(tmp_path):
    text = MINIMAL + 'phones:\n  - number: "08.38346080"\n'
    (problem,) = [p for p in problems_of(provider_tree(tmp_path, org=text))
                  if p.field.startswith("phones")]
    assert "pre-2017 landline" in problem.message


def test_a_zero_before_a_service_number_is_flagged(tmp_path):
    text = MINIMAL + 'phones:\n  - number: "01900969680"\n'
    (problem,) = [p for p in problems_of(provider_tree(tmp_path, org=text))
                  if p.field.startswith("phones")]
    assert problem.message.startswith(
        "'01900969680' has a 0 before a 1900 service number, which is dialled "
        "without it: write 1900969680")


def test_an_unreadable_phone_number_says_why_in_plain_words():
    assert phone_problem("1.5") == (
        "'1.5' cannot be read as a phone number: it has too few digits")
    assert phone_problem("+999 123 456") == (
        "'+999 123 456' cannot be read as a phone number: the country code "
        "after + is unknown")


@pytest.mark.parametrize("number, why", [
    # A digit short or long: printed and dialled, it rings nobody or a stranger.
    ("1800 156", "has 7 digits; 1800 numbers have 8 or 10"),
    ("19001", "has 5 digits; 1900 numbers have 8 or 10"),
    ("000", "too short for a phone number"),
    ("024", "too short for a phone number"),
    # Leading zero lost on its way through a spreadsheet or unquoted YAML.
    ("912345678", "lost its leading 0"),
    ("2383844555", "lost its leading 0"),
    ("84912345678", "starts with the country code 84 but not +"),
    ("+84 1800 1567", "never after +84"),
    ("+1 800", "not a valid"),
])
def test_numbers_nobody_can_dial_as_printed_are_flagged(number, why):
    assert why in (phone_problem(number) or ""), phone_problem(number)


@pytest.mark.parametrize("number", [
    "111", "115", "1022", "1800 1567", "1900 969680", "1800 1234 56",
    "(84-024) 6273 8965", "0912 345 678", "+44 20 7946 0000"])
def test_short_codes_service_numbers_and_written_country_codes_pass(number):
    assert phone_problem(number) is None


def test_one_bad_file_does_not_hide_the_others(tmp_path):
    broken = "id: broken\nname: [unclosed\n"
    root = provider_tree(tmp_path, good=MINIMAL, broken=broken)
    loaded = load_content(root)
    assert [p.id for p in loaded.content.providers] == ["test-org"]
    (problem,) = loaded.problems
    assert problem.file.endswith("broken.yaml") and problem.line == 3
    assert problem.message.startswith("YAML syntax error")


@pytest.fixture
def bad_tree(tmp_path) -> Path:
    return provider_tree(
        tmp_path, a=MINIMAL.replace("kind: ngo", "kind: charity"),
        b=MINIMAL.replace("test-org", "b-org") + 'phones:\n  - number: "x1"\n',
        c=MINIMAL.replace("test-org", "c-org").replace("legal", "astrology"))


def test_check_reports_every_problem_and_exits_non_zero(bad_tree, capsys):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest()
              for p in bad_tree.rglob("*.yaml")}
    code = main(["check", "--content", str(bad_tree), "--layouts", str(LAYOUTS)])
    err = capsys.readouterr().err
    assert code == 1
    for name, field in (("a.yaml", "kind"), ("b.yaml", "phones[0].number"),
                        ("c.yaml", "services[0].category")):
        assert f"{name}:" in err and f" {field}:" in err
    # Files with errors count among those checked.
    files = len(list((bad_tree / "providers").rglob("*.yaml")))
    assert f"{files} provider file(s) checked: 3 error(s)" in err
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in bad_tree.rglob("*.yaml")}
    assert before == after


def test_check_bundled_content_passes_with_warnings(capsys):
    code = main(["check", "--content", str(LAYOUTS.parent / "content"),
                 "--layouts", str(LAYOUTS)])
    err = capsys.readouterr().err
    assert code == 0
    assert " 0 error(s)" in err and "not verified yet" in err


def test_strict_turns_warnings_into_failure(tmp_path, capsys):
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL})
    args = ["check", "--content", str(root), "--layouts", str(LAYOUTS)]
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1


def test_check_refuses_a_language_code_the_strings_do_not_name(tmp_path, capsys):
    # Valid or misspelt, a code without a name in lang_names prints as typed.
    good = MINIMAL + "languages: [vi, en]\n"
    bad = MINIMAL.replace("test-org", "fictional-harbour-clinic") + (
        "languages: [vn, en]\n")
    broken = bad.replace("fictional-harbour-clinic", "fictional-quay-house") \
        .replace("kind: ngo", "kind: charity").replace("[vn, en]", "[en, khmer]")
    root = provider_tree(tmp_path, good=good, bad=bad, broken=broken)
    code = main(["check", "--content", str(root), "--layouts", str(LAYOUTS)])
    err = capsys.readouterr().err
    assert code == 1
    known = ", ".join(f"{code} ({name})" for code, name in
                      Layouts(LAYOUTS).languages().items())
    assert "en (English)" in known and "vi (Vietnamese)" in known
    fix = (f"use one of: {known}; a new language needs its "
           "name under lang_names in layouts/strings/*.yaml")
    assert (f"bad.yaml:8: error: languages[0]: 'vn' is not a language code the "
            f"directory knows, so it would be printed as typed. Fix: {fix}") in err
    assert ("broken.yaml:8: error: languages[1]: 'khmer' is not a language code "
            "the directory knows, so it would be printed as typed") in err
    assert "good.yaml:8" not in err and "3 error(s)" in err


def test_fictional_fixture_is_clean(tmp_path):
    root = make_content(tmp_path / "content")
    errors = [p for p in problems_of(root) if p.is_error]
    assert errors == []
    assert len(load_content(root).content.providers) == len(FICTIONAL)


def test_provider_file_with_another_ending_is_an_error(tmp_path):
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL,
                                               "x/b.yaml.txt": MINIMAL})
    (problem,) = load_content(root).problems
    assert str(problem) == (
        f"{root}/providers/x/b.yaml.txt: error: this file is not read: provider "
        "files must end in .yaml. Fix: rename it to b.yaml, or move it out of "
        "providers/")


def test_system_files_readmes_and_backups_beside_their_file_are_passed_over(
        tmp_path):
    litter = {"x/Thumbs.db": "", "x/desktop.ini": "", "README.md": "# notes",
              "x/~$list.xlsx": "", "x/a.yaml~": MINIMAL, "x/a.yaml.bak": MINIMAL}
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL, **litter})
    loaded = load_content(root)
    assert loaded.problems == []
    assert [p.id for p in loaded.content.providers] == ["test-org"]


def test_a_yaml_file_is_never_passed_over_whatever_its_name(tmp_path):
    root = make_content(tmp_path / "content", {
        "x/README-house.yaml": MINIMAL, "x/.hidden.yaml": MINIMAL.replace(
            "id: test-org", "id: hidden-org")})
    loaded = load_content(root)
    assert [p.id for p in loaded.content.providers] == ["test-org"]
    (problem,) = loaded.problems
    assert problem.is_error and problem.file.endswith("providers/x/.hidden.yaml")
    assert problem.fix == "rename it to hidden.yaml, or delete it"


def test_a_backup_whose_provider_file_is_gone_is_an_error(tmp_path):
    root = make_content(tmp_path / "content", {"x/a.yaml": MINIMAL,
                                               "x/b.yaml~": MINIMAL})
    (problem,) = load_content(root).problems
    assert problem.is_error and problem.file.endswith("providers/x/b.yaml~")


def test_yml_ending_is_read(tmp_path):
    root = make_content(tmp_path / "content", {"x/a.yml": MINIMAL})
    assert [p.id for p in load_content(root).content.providers] == ["test-org"]


def test_no_providers_is_a_warning(tmp_path):
    root = make_content(tmp_path / "content", {})
    (problem,) = load_content(root).problems
    assert problem.severity == "warning"
    assert "no provider will be printed" in problem.message


def test_every_problem_of_a_file_in_one_round(tmp_path):
    text = MINIMAL.replace("kind: ngo", "kind: NGO").replace(
        "category: legal", "category: education") + (
        "phones:\n  - number: 0241234567\n")
    root = provider_tree(tmp_path, org=text)
    found = [(p.field, p.message) for p in problems_of(root)]
    assert [f for f, _ in found] == ["kind", "phones[0].number",
                                     "services[0].category"]
    assert found[1][1] == ("'0241234567' is not a valid Vietnamese or "
                           "international number for today's numbering plan")
    assert found[2][1] == "unknown category 'education'"


def test_file_in_another_province_folder_is_a_warning(tmp_path):
    root = make_content(tmp_path / "content", {"ha-tinh/a.yaml": MINIMAL,
                                               "nghe-an/b.yaml": MINIMAL.replace(
                                                   "test-org", "other-org")})
    (problem,) = [p for p in problems_of(root) if p.field == "province"]
    assert str(problem) == (
        f"{root}/providers/ha-tinh/a.yaml:4: warning: province: the file is in "
        "providers/ha-tinh/ but the provider's province puts it in "
        "providers/nghe-an/. Fix: move the file to providers/nghe-an/, or "
        "correct 'province'")


@pytest.mark.parametrize("number, ok", [
    ("(024) 3385 3227", True), ("(84-024) 6273 8965", True),
    ("+84 (24) 6273 8965", True), ("024 3385 3227 (ext)", False),
    ("call 111", False)])
def test_phone_numbers_may_open_with_a_bracket(tmp_path, number, ok):
    text = MINIMAL.replace('services:', f'phones:\n  - number: "{number}"\n'
                           '    cost: standard\nservices:')
    loaded = load_content(provider_tree(tmp_path, org=text))
    errors = [p for p in loaded.problems if p.is_error]
    assert (errors == []) == ok, errors
    if ok:
        assert loaded.content.providers[0].phones[0].number == number


@pytest.mark.parametrize("verified, today, stale", [
    ("2025-12-04", "2026-12-04", False), ("2025-12-04", "2026-12-05", True),
    ("2024-02-29", "2025-02-28", False), ("2024-02-29", "2025-03-01", True),
    ("2025-08-31", "2026-08-31", False)])
def test_a_verification_is_stale_only_past_its_age(verified, today, stale):
    from booklet.load.validate import is_stale
    assert is_stale(dt.date.fromisoformat(verified), 12,
                    dt.date.fromisoformat(today)) == stale


@pytest.mark.parametrize("time, ok", [("24:00", True), ("23:59", True),
                                      ("24:30", False), ("24:59", False)])
def test_times_stop_at_midnight(tmp_path, time, ok):
    text = MINIMAL.replace('services:', 'hours:\n  spans:\n    - {days: [mon], '
                           f'opens: "08:00", closes: "{time}"}}\nservices:')
    loaded = load_content(provider_tree(tmp_path, org=text))
    assert ([p for p in loaded.problems if p.is_error] == []) == ok


def test_a_bad_document_file_hides_no_provider_problem(tmp_path):
    root = provider_tree(tmp_path, org=MINIMAL.replace('"Advice"', '"Advice ☎"'))
    document = root / "document.yaml"
    document.write_text(document.read_text().replace(
        'verification_max_age_months: "12"', 'verification_max_age_months: "twelve"'))
    assert 'verification_max_age_months: "twelve"' in document.read_text()
    loaded = load_content(root)
    assert loaded.content is None
    errors = [p for p in loaded.problems + check_loaded(loaded, FONTS, TODAY)
              if p.is_error]
    assert [(p.file.rsplit("/", 1)[-1], p.field) for p in errors] == [
        ("document.yaml", "settings.verification_max_age_months"),
        ("org.yaml", "services[0].description.en")]


def test_a_provider_file_that_does_not_validate_still_gets_its_glyph_check(
        tmp_path):
    text = MINIMAL.replace("kind: ngo", "kind: charity").replace(
        '"Advice"', '"Advice ☎"')
    errors = [p for p in problems_of(provider_tree(tmp_path, org=text))
              if p.is_error]
    assert [p.field for p in errors] == ["kind", "services[0].description.en"]


def test_pasted_invisible_characters_do_not_print(tmp_path):
    # A soft hyphen printed as a hyphen in mid-line ("Chăm-sóc"); a line
    # separator as a wide gap.
    text = MINIMAL.replace('"Tư vấn"', '"Chăm\\u00adsóc\\u2028sức khỏe\\ufeff"')
    text = text.replace('"Test Organisation"', '"Test\\u200b Organisation"')
    loaded = load_content(provider_tree(tmp_path, org=text))
    description = loaded.content.providers[0].services[0].description.vi
    assert description == "Chămsóc\nsức khỏe"
    assert loaded.content.providers[0].name.en == "Test Organisation"
    assert not loaded.problems


def test_a_phone_typed_with_no_break_spaces_reads_as_printed(tmp_path):
    # Invisible and look-alike characters: a zero-width space, a no-break
    # space, a narrow one.
    text = MINIMAL + ('phones:\n  - {number: "0238\\u200b\\u00a03000\\u202f001", '
                      'cost: standard}\n')
    loaded = load_content(provider_tree(tmp_path, org=text))
    assert not messages(loaded.problems)
    assert loaded.content.providers[0].phones[0].number == "0238 3000 001"


@pytest.mark.parametrize("span, words", [
    ("{days: [], opens: '08:00', closes: '09:00'}", "names no day"),
    ("{days: [thu], opens: '7:30', closes: '7:30'}", "at the same time"),
    ("{days: [sat], opens: '24:00', closes: '08:00'}", "cannot open at 24:00"),
])
def test_hours_that_mean_nothing_are_errors(tmp_path, span, words):
    text = MINIMAL + f"hours:\n  spans:\n    - {span}\n"
    found = messages(problems_of(provider_tree(tmp_path, org=text)))
    assert any(words in m and "org.yaml:10:" in m for m in found), found


@pytest.mark.parametrize("number, area", [
    ("04 3717 0544", "04"), ("08.38346080", "08"), ("+84 4 3717 0544", "04"),
    ("(+84-8) 3834 6080", "08"), ("+84 4-3717-0544", "04")])
def test_a_pre_2017_landline_is_named_as_one_in_either_form(number, area):
    assert f"pre-2017 landline (area code {area}," in phone_problem(number)


@pytest.mark.parametrize("number", ["081 234 5678", "+84 81 234 5678",
                                    "+84 24 3717 0544", "024 3717 0544"])
def test_todays_numbers_with_the_same_digits_are_not_old(number):
    assert phone_problem(number) is None


def test_languages_returnees_speak_are_known_with_their_names(tmp_path, capsys):
    # Returnees come back from China, Korea, Japan, Cambodia, Laos, Thailand,
    # Malaysia, Russia and Europe; Hmong is spoken in the northern provinces.
    text = MINIMAL + "languages: [vi, zh, ko, ja, km, lo, th, ms, ru, hmn]\n"
    root = provider_tree(tmp_path, org=text)
    code = main(["check", "--content", str(root), "--layouts", str(LAYOUTS)])
    err = capsys.readouterr().err
    assert code == 0 and "languages[" not in err, err
    for lang in ("vi", "en"):
        names = Layouts(LAYOUTS).strings(lang)["lang_names"]
        assert {"zh", "km", "hmn"} <= set(names)


def test_a_phone_with_an_extension_says_where_the_extension_goes(tmp_path):
    text = MINIMAL + ('phones:\n  - {number: "0238 3000 001 (máy lẻ 12)", '
                      'cost: standard}\n')
    found = messages(problems_of(provider_tree(tmp_path, org=text)))
    assert any("an extension goes in the number's label" in m for m in found), found


def test_a_phone_after_a_spreadsheet_apostrophe_says_to_remove_it(tmp_path):
    # Copied out of a spreadsheet, the apostrophe that kept the 0 came along.
    text = MINIMAL + ('phones:\n  - {number: "\u20180238 3000 001", '
                      'cost: standard}\n')
    found = messages(problems_of(provider_tree(tmp_path, org=text)))
    assert any("apostrophe" in m and "write 0238 3000 001" in m
               for m in found), found


def test_a_language_or_phone_listed_twice_is_a_warning(tmp_path):
    twice = MINIMAL + """\
phones:
  - {number: "0238 3000 111", cost: standard}
  - {number: "+84 238 3000 111", cost: standard}
  - {number: "0238 3000 112", cost: standard}
languages: [vi, en, vi]
"""
    root = provider_tree(tmp_path, a=twice)
    found = {p.field: p for p in problems_of(root)}
    assert "'vi' is listed twice" in found["languages[2]"].message
    assert not found["languages[2]"].is_error
    assert "'+84 238 3000 111' is listed twice" in found["phones[1].number"].message
    assert not {"phones[0].number", "phones[2].number", "languages[0]"} & set(found)


def test_hours_that_close_before_they_open_are_a_warning(tmp_path):
    text = MINIMAL + ("hours:\n  spans:\n    - {days: [mon], opens: '08:00', "
                      "closes: '05:00'}\n")
    found = [p for p in problems_of(provider_tree(tmp_path, org=text))
             if p.field == "hours.spans[0].closes"]
    assert [p.severity for p in found] == ["warning"]
    assert "write 17:00 (24-hour clock)" in found[0].message


def test_a_tab_in_the_indentation_is_named(tmp_path):
    text = MINIMAL.replace("  - category: legal", "\t- category: legal")
    found = [p for p in problems_of(provider_tree(tmp_path, org=text))
             if p.is_error]
    assert [(p.line, p.fix) for p in found] == [
        (6, "replace the tab on that line with spaces: YAML indents with spaces "
            "only")]
