"""The command line: exit codes and messages a user meets."""

from __future__ import annotations

import subprocess
import sys

import pytest

from booklet.cli import main
from tests.conftest import LAYOUTS, TODAY, make_content


def test_option_for_another_product_is_refused(capsys):
    assert main(["build", "--layout", "print"]) == 2
    assert capsys.readouterr().err == (
        "booklet: --layout applies to directory and leaflets only; name the "
        "product, for example: booklet build directory --layout ...\n")


def test_province_for_products_without_provinces_is_refused(capsys):
    # The Word copy and the slides always hold every province.
    assert main(["build", "docx", "slides", "--province", "40"]) == 2
    assert capsys.readouterr().err == (
        "booklet: --province applies to directory, leaflets and inserts only; "
        "name the product, for example: booklet build directory --province ...\n")


def test_a_product_named_twice_is_built_once(tmp_path, capsys):
    content = make_content(tmp_path / "content")
    code = main(["build", "docx", "docx", "--lang", "en", "--content", str(content),
                 "--layouts", str(LAYOUTS), "--output", str(tmp_path / "out"),
                 "--today", TODAY.isoformat()])
    assert code == 0
    err = capsys.readouterr().err
    assert err.count("docx-en: built") == 1
    assert "1 file(s) written" in err
    # Forced, it is made again; its bytes come out the same and are kept.
    assert main(["build", "docx", "--lang", "en", "--force", "--content",
                 str(content), "--layouts", str(LAYOUTS), "--output",
                 str(tmp_path / "out"), "--today", TODAY.isoformat()]) == 0
    err = capsys.readouterr().err
    assert "docx-en: built, same bytes;" in err and "0 file(s) written" in err


@pytest.mark.parametrize("product", ["docx", "slides"])
def test_an_unknown_language_is_refused_not_ignored(tmp_path, capsys, product):
    content = make_content(tmp_path / "content")
    code = main(["build", product, "--lang", "fr", "--content", str(content),
                 "--layouts", str(LAYOUTS), "--output", str(tmp_path / "out")])
    assert code != 0
    assert "'fr' is not a language of the Word copy and slides; use vi, en or " \
        "vi+en" in capsys.readouterr().err
    assert not any((tmp_path / "out" / d).exists() for d in ("review", "slides"))


def test_an_export_into_the_shared_output_folder_is_warned_of(tmp_path, capsys):
    content = make_content(tmp_path / "content")
    out = tmp_path / "out"
    args = ["--content", str(content), "--layouts", str(LAYOUTS), "--output", str(out)]
    assert main(["export", str(tmp_path / "filled.xlsx"), *args]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main(["export", str(out / "filled.xlsx"), *args]) == 0
    assert "holds internal notes and consent records" in capsys.readouterr().err


def test_skip_unverified_without_final_is_refused(capsys):
    assert main(["build", "docx", "--skip-unverified"]) == 2
    assert capsys.readouterr().err == (
        "booklet: --skip-unverified works only with --final; add --final, or drop "
        "it: a draft shows every entry with its verification state\n")


def test_zero_jobs_is_refused(capsys):
    with pytest.raises(SystemExit) as info:
        main(["build", "-j", "0"])
    assert info.value.code == 2
    assert "argument -j/--jobs: '0' is not a number of processes; give 1 or more" \
        in capsys.readouterr().err


def test_unknown_product_is_refused(tmp_path, capsys):
    content = make_content(tmp_path / "content")
    code = main(["build", "posters", "--content", str(content), "--layouts",
                 str(LAYOUTS), "--output", str(tmp_path / "out")])
    assert code == 2
    assert "unknown product posters; choose from directory, leaflets, inserts, " \
           "docx, slides" in capsys.readouterr().err


def test_build_with_missing_content_says_the_problem_once(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    code = main(["build", "docx", "--content", str(missing), "--layouts",
                 str(LAYOUTS), "--output", str(tmp_path / "out")])
    assert code == 1
    assert capsys.readouterr().err == (
        f"{missing}: error: the content folder does not exist. Fix: pass the "
        "folder that holds document.yaml with --content\n"
        "booklet: the content has errors; run 'booklet check' and fix them\n")


def test_build_reports_per_product_and_exits_zero(tmp_path, capsys):
    content = make_content(tmp_path / "content")
    code = main(["build", "leaflets", "--province", "42", "--content",
                 str(content), "--layouts", str(LAYOUTS), "--output",
                 str(tmp_path / "out"), "--today", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 0
    assert "leaflet-42-ha-tinh-vi+en-print: built; 2 included" in err
    assert (tmp_path / "out" / "report.json").exists()


def test_final_with_unverified_content_fails_naming_entries(tmp_path, capsys):
    content = make_content(tmp_path / "content")
    code = main(["build", "inserts", "--province", "42", "--final", "--content",
                 str(content), "--layouts", str(LAYOUTS), "--output",
                 str(tmp_path / "out"), "--today", "2027-12-01"])
    err = capsys.readouterr().err
    assert code == 1
    assert "fict-clinic" in err and "more than 12 months ago" in err


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "booklet", "--version"],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0.1.0"


def test_narrowed_directory_does_not_overwrite_the_full_one(tmp_path):
    content = make_content(tmp_path / "content")
    args = ["build", "directory", "--lang", "en", "--layout", "screen",
            "--content", str(content), "--layouts", str(LAYOUTS),
            "--output", str(tmp_path / "out"), "--today", TODAY.isoformat(), "-q"]
    assert main(args) == 0
    assert main([*args, "--province", "42"]) == 0
    names = sorted(p.name for p in (tmp_path / "out" / "directory").iterdir())
    assert names == ["directory-en-screen-provinces-42.pdf",
                     "directory-en-screen.pdf"]


def test_a_final_build_stopped_by_content_errors_withdraws_the_old_final(
        tmp_path, capsys):
    # Consent withdrawn, but written in a way the content refuses: the old
    # final leaflet, which lists the provider, must not stay to be handed out.
    content = make_content(tmp_path / "content")
    out = tmp_path / "out"
    common = ["--content", str(content), "--layouts", str(LAYOUTS), "--output",
              str(out), "--today", TODAY.isoformat(), "-q"]
    assert main(["build", "leaflets", "--province", "42", "--final", *common]) == 0
    assert main(["build", "inserts", "--province", "42", *common]) == 0  # a draft
    finals = sorted((out / "leaflets").glob("*.pdf"))
    drafts = sorted((out / "inserts").glob("*.pdf"))
    assert finals and drafts
    clinic = content / "providers" / "ha-tinh" / "fict-clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace(
        'print: {given: "yes"}', 'print: {given: "withdrawn"}'), encoding="utf-8")
    capsys.readouterr()
    code = main(["build", "leaflets", "--province", "42", "--final", *common])
    err = capsys.readouterr().err
    assert code == 1
    assert not [p for p in finals if p.exists()]
    assert all(p.exists() for p in drafts)
    assert "the previous final edition" in err and finals[0].name in err


def _break_consent(content):
    clinic = content / "providers" / "ha-tinh" / "fict-clinic.yaml"
    clinic.write_text(clinic.read_text(encoding="utf-8").replace(
        'print: {given: "yes"}', 'print: {given: "withdrawn"}'), encoding="utf-8")


BILINGUAL = ["leaflet-40-nghe-an-vi+en", "leaflet-42-ha-tinh-vi+en"]
ENGLISH = ["leaflet-40-nghe-an-en", "leaflet-42-ha-tinh-en"]


def _finals(tmp_path):
    content = make_content(tmp_path / "content")
    out = tmp_path / "out"
    common = ["--content", str(content), "--layouts", str(LAYOUTS), "--output",
              str(out), "--today", TODAY.isoformat(), "-q"]
    assert main(["build", "leaflets", "--final", *common]) == 0
    assert main(["build", "leaflets", "--final", "--lang", "en", *common]) == 0
    leaflets = {p.name for p in (out / "leaflets").glob("*.pdf")}
    assert {f"{n}.pdf" for n in BILINGUAL + ENGLISH} <= leaflets
    _break_consent(content)
    return out, common


def test_a_stopped_final_build_withdraws_only_the_places_asked_for(tmp_path):
    # Asked for Nghe An's leaflet, it removed Ha Tinh's as well.
    out, common = _finals(tmp_path)
    assert main(["build", "leaflets", "--province", "40", "--final", *common]) == 1
    left = {p.stem for p in (out / "leaflets").glob("*.pdf")}
    assert not {n for n in left if n.startswith(BILINGUAL[0])}
    assert {BILINGUAL[1], f"{BILINGUAL[1]}-phone", *ENGLISH} <= left


def test_a_stopped_final_build_of_every_place_withdraws_one_it_cannot_plan(
        tmp_path):
    # Ha Tinh's only provider cannot be read, so a plan made from what can
    # be read has no Ha Tinh leaflet; the old one lists the provider.
    out, common = _finals(tmp_path)
    assert main(["build", "leaflets", "--final", *common]) == 1
    left = {p.stem for p in (out / "leaflets").glob("*.pdf")}
    assert not {n for n in left if "-vi+en" in n}
    assert {*ENGLISH, *(f"{n}-phone" for n in ENGLISH)} <= left


def test_the_empty_workbook_goes_into_the_output_folder_asked_for(tmp_path):
    # It went into ./output whatever --output said.
    content = make_content(tmp_path / "content")
    out = tmp_path / "elsewhere"
    assert main(["template", "--content", str(content), "--layouts", str(LAYOUTS),
                 "--output", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["data-collection.xlsx"]
    # A folder given as the file: the workbook goes into it (a traceback).
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(["template", str(folder), "--content", str(content),
                 "--layouts", str(LAYOUTS)]) == 0
    assert [p.name for p in folder.iterdir()] == ["data-collection.xlsx"]
    # A folder not made yet, written with its slash (a file 'new' came out).
    assert main(["template", f"{tmp_path / 'new'}/", "--content", str(content),
                 "--layouts", str(LAYOUTS)]) == 0
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["data-collection.xlsx"]


def test_finals_listed_by_an_older_manifest_are_withdrawn_too(tmp_path):
    # Entries written before they named their product and language.
    import json

    out, common = _finals(tmp_path)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["products"].values():
        entry.pop("product", None)
        entry.pop("lang", None)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["build", "leaflets", "--final", *common]) == 1
    assert not list((out / "leaflets").glob("*.pdf"))
