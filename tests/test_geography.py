"""Province names as people write them, mapped to the 2025 codes or refused."""

from __future__ import annotations

import pytest

from booklet.load import load_content
from booklet.load.geography import Geography, GeographyError
from booklet.model import Province, Text
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def geo() -> Geography:
    return Geography(load_content(CONTENT).content.provinces)


@pytest.mark.parametrize("text, code", [
    ("Hà Nội", "01"), ("Thành phố Hà Nội", "01"), ("ha noi", "01"),
    ("Ha Noi City", "01"), ("HANOI".replace("HANOI", "Hà  Nội"), "01"),
    ("Tỉnh Nghệ An", "40"), ("nghe an", "40"), ("Nghe An Province", "40"),
    ("TP. Hồ Chí Minh", "79"), ("TP HCM", "79"), ("Ho Chi Minh City", "79"),
    ("Huế", "46"), ("40", "40"), ("1", "01"), ("01 — Hà Nội / Ha Noi", "01"),
    ("Huế (46)", "46"), ("Đắk Lắk", "66"), ("dak lak", "66"),
    ("Hanoi", "01"), ("HANOI", "01"), ("Danang", "48"), ("Haiphong", "31"),
    ("Cantho", "92"), ("Saigon", "79"), ("Sài Gòn", "79"),
])
def test_current_names_with_or_without_prefix_and_diacritics(geo, text, code):
    place = geo.resolve(text)
    assert (place.code, place.note) == (code, None)


@pytest.mark.parametrize("text, code", [
    ("Hà Giang", "08"), ("Tỉnh Quảng Bình", "44"), ("hai duong", "31"),
    ("Bà Rịa - Vũng Tàu", "79"), ("Bình Dương", "79"), ("Thừa Thiên Huế", "46"),
    ("Hà Tây", "01"), ("Đắk Nông", "68"), ("Kon Tum", "51"),
])
def test_former_provinces_map_to_the_unit_they_joined(geo, text, code):
    place = geo.resolve(text)
    assert place.code == code
    assert place.note.endswith(f"since 1 July 2025 it is part of {geo.label(code)}")


def test_former_name_message(geo):
    assert geo.resolve("Hà Giang").note == (
        "'Hà Giang' is a former province; since 1 July 2025 it is part of "
        "08 — Tuyên Quang / Tuyen Quang")


@pytest.mark.parametrize("text", ["Quận Ba Đình", "Đồng Hới", "Vinh", "Sa Pa"])
def test_districts_and_towns_ask_for_the_province(geo, text):
    with pytest.raises(GeographyError) as info:
        geo.resolve(text)
    assert str(info.value) == (
        f"'{text}' is not one of the 34 provinces in force since 1 July 2025 (a "
        "district, commune or city name is not enough); choose the province from "
        "the drop-down list, for example '01 — Hà Nội / Ha Noi'")


def test_code_and_name_that_disagree_are_refused(geo):
    with pytest.raises(GeographyError, match=r"names code 01 .* but 'Huế' is 46"):
        geo.resolve("01 — Huế")
    with pytest.raises(GeographyError, match="'99' is not a province code"):
        geo.resolve("99")


def test_a_name_two_provinces_could_mean_is_asked_about():
    def province(code, name, formed_from):
        return Province(code=code, slug=f"p{code}", name=Text(vi=name, en=name),
                        short_name=Text(vi=name, en=name), kind="province",
                        area_code="0200", macro_region="north", region="r",
                        formed_from=formed_from)

    geo = Geography([province("10", "Alpha", ["Bắc Nam"]),
                     province("20", "Beta", ["Bac Nam"])])
    with pytest.raises(GeographyError, match="could mean more than one province"):
        geo.resolve("Bắc Nam")


def test_coverage_cells(geo):
    assert geo.coverage("national — toàn quốc / nationwide") == ("national", [])
    assert geo.coverage("Toàn quốc") == ("national", [])
    assert geo.coverage("province — chỉ tỉnh này / this province only") == (
        "province", [])
    codes, notes = geo.coverage("44 — Quảng Trị / Quang Tri; Hải Dương, 40")
    assert codes == ["44", "31", "40"] and len(notes) == 1
    assert geo.coverage(geo.coverage_text(["79", "01"])) == (["79", "01"], [])
