"""Wording shared by products: sort order, hours, phone forms."""

from __future__ import annotations

import pytest

from booklet.compose.text import (
    dial_string,
    format_hours,
    international,
    shown_number,
    sort_key,
    tel_uri,
)
from booklet.layouts import Layouts
from booklet.model import Hours
from tests.conftest import LAYOUTS


def test_vietnamese_alphabet_order():
    # d < đ, a < ă < â, o < ô < ơ, u < ư: letters, not accents.
    names = ["Đà Nẵng", "Dương", "Ân", "Ăn", "An", "Ơn", "Ôn", "On", "Ưu", "Uy"]
    ordered = sorted(names, key=lambda n: sort_key(n, "vi"))
    assert ordered == ["An", "Ăn", "Ân", "Dương", "Đà Nẵng", "On", "Ôn", "Ơn",
                       "Uy", "Ưu"]


def test_vietnamese_order_goes_syllable_by_syllable():
    names = ["Hagar", "Hà Tĩnh", "Anh", "An toàn", "Hải Phòng"]
    assert sorted(names, key=lambda n: sort_key(n, "vi")) == [
        "An toàn", "Anh", "Hà Tĩnh", "Hagar", "Hải Phòng"]


def test_vietnamese_tone_is_a_secondary_key():
    # ngang, huyền, hỏi, ngã, sắc, nặng; and tone never outranks a letter.
    names = ["mạ", "má", "mã", "mả", "mà", "ma", "mai"]
    assert sorted(names, key=lambda n: sort_key(n, "vi")) == [
        "ma", "mà", "mả", "mã", "má", "mạ", "mai"]


def test_english_order_ignores_diacritics():
    names = ["Hue City", "Hà Nội", "Ha Long", "Đà Nẵng", "Can Tho"]
    assert sorted(names, key=lambda n: sort_key(n, "en")) == [
        "Can Tho", "Đà Nẵng", "Ha Long", "Hà Nội", "Hue City"]


def test_numbers_in_names_order_by_value_in_both_languages():
    # A number is one value, ended by any non-digit ("19-8" is 19 then 8).
    names = ["Bệnh viện 175", "Bệnh viện 19-8", "Bệnh viện 108",
             "Bệnh viện 74 Trung ương", "Bệnh viện Bạch Mai", "Bệnh viện 19-10"]
    expected = ["Bệnh viện 19-8", "Bệnh viện 19-10", "Bệnh viện 74 Trung ương",
                "Bệnh viện 108", "Bệnh viện 175", "Bệnh viện Bạch Mai"]
    for lang in ("vi", "en"):
        assert sorted(names, key=lambda n: sort_key(n, lang)) == expected, lang


def test_hours_in_each_language():
    hours = Hours.model_validate({"spans": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "08:00",
         "closes": "17:00"},
        {"days": ["sat"], "opens": "08:00", "closes": "11:30"}]})
    layouts = Layouts(LAYOUTS)
    assert format_hours(hours, layouts.strings("vi"), "vi") == (
        "T2–T6 08:00–17:00; T7 08:00–11:30")
    assert format_hours(hours, layouts.strings("en"), "en") == (
        "Mon–Fri 08:00–17:00; Sat 08:00–11:30")
    always = Hours(always=True)
    assert format_hours(always, layouts.strings("en"), "en") == "24/7"
    # A day split in two names its days once (they were repeated).
    split = Hours.model_validate({"spans": [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "07:30",
         "closes": "11:30"},
        {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "13:30",
         "closes": "17:00"},
        {"days": ["sat"], "opens": "07:30", "closes": "11:30"}]})
    assert format_hours(split, layouts.strings("en"), "en") == (
        "Mon–Fri 07:30–11:30, 13:30–17:00; Sat 07:30–11:30")


def test_phone_forms():
    assert international("024 3385 3227") == "+84 24 3385 3227"
    assert tel_uri("024 3385 3227") == "tel:+842433853227"
    # Short codes and service numbers are dialled as written, inside Viet Nam.
    assert tel_uri("111") == "tel:111"
    assert dial_string("1800.1233") == "18001233"
    assert international("1800.1233") is None


def test_numbers_that_could_ring_a_stranger_get_no_link():
    # Pre-2017 HCMC style: the same digits now dial a mobile number.
    assert tel_uri("08.38346080") == ""
    assert international("08.38346080") is None
    assert tel_uri("+84 4 3717 0544") == ""


@pytest.mark.parametrize("written, shown", [
    ("02373989088", "0237 3989 088"), ("18001744", "1800 1744"),
    ("1900969680", "1900 96 96 80"),
    ("+842437170544", "+84 24 3717 0544"), ("0912345678", "0912 345 678"),
    # As written: grouped already, short codes, and numbers never dialled.
    ("0237 398 9088", "0237 398 9088"), ("111", "111"),
    ("0437170544", "0437170544"), ("0239300000312", "0239300000312")])
def test_a_number_written_as_bare_digits_is_printed_in_groups(written, shown):
    assert shown_number(written) == shown
