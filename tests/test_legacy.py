"""Text typed in the TCVN3 or VNI fonts is converted, or refused, never guessed."""

from __future__ import annotations

import unicodedata

import pytest

from booklet.load import legacy
from booklet.load.legacy import LegacyTextError, convert


def to_tcvn3(text: str) -> str:
    inverse = {v: k for k, v in legacy.TCVN3.items()}
    return "".join(inverse.get(ch, ch) for ch in text)


def to_vni(text: str) -> str:
    """Unicode to VNI by the same tables, for round trips."""
    marks = {v: k for k, v in legacy.VNI.items() if k.islower() or not k.isalpha()}
    letters = {v: k for k, v in legacy.VNI_LETTERS.items()}
    out = []
    for ch in text:
        if ch in letters:
            out.append(letters[ch])
            continue
        if ch in "đĐơƠưƯ":
            out.append({"đ": "\xf1", "Đ": "\xd1", "ơ": "\xf4", "Ơ": "\xd4",
                        "ư": "\xf6", "Ư": "\xd6"}[ch])
            continue
        base, *rest = unicodedata.normalize("NFD", ch)
        if base in "oOuU" and "\u031b" in rest:  # ơ ư with a tone
            out.append({"o": "\xf4", "O": "\xd4", "u": "\xf6", "U": "\xd6"}[base])
            rest.remove("\u031b")
        else:
            out.append(base)
        # The shape mark (circumflex, breve) comes before the tone in VNI.
        rest.sort(key=lambda mark: mark not in "\u0302\u0306")
        combined = "".join(rest)
        if combined:
            mark = marks[combined]
            out.append(mark.upper() if base.isupper() else mark)
    return "".join(out)


SENTENCES = [
    "Trung tâm Công tác xã hội tỉnh Nghệ An",
    "Người bị mua bán được hỗ trợ pháp lý miễn phí",
    "Đường dây nóng: gọi ngay khi cần giúp đỡ",
    "Nhà tạm lánh cho phụ nữ và trẻ em",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_tcvn3_round_trip(sentence):
    typed = to_tcvn3(sentence)
    assert typed != sentence
    assert convert(typed) == (sentence, "TCVN3")


@pytest.mark.parametrize("sentence", SENTENCES)
def test_vni_round_trip(sentence):
    typed = to_vni(sentence)
    assert typed != sentence
    assert convert(typed) == (sentence, "VNI")


def test_known_samples():
    assert convert("Hµ Néi") == ("Hà Nội", "TCVN3")
    assert convert("Tr\xadêng häc") == ("Trường học", "TCVN3")
    assert convert("Haø Noäi") == ("Hà Nội", "VNI")
    assert convert("ÑÖÔØNG") == ("ĐƯỜNG", "VNI")


@pytest.mark.parametrize("text", [
    "Nhà tạm lánh", "Hagar © 2020", "Café « phố »", "3 × 4", "plain ASCII",
    "Hòa Bình",
])
def test_unicode_and_symbols_are_left_alone(text):
    assert convert(text) == (text, None)


def test_text_that_converts_in_neither_encoding_is_refused():
    with pytest.raises(LegacyTextError) as info:
        convert("Nhµ ñø")
    assert str(info.value) == (
        "'Nhµ ñø' has characters of the legacy Vietnamese fonts (TCVN3 or VNI) "
        "but does not convert into Vietnamese words in either")


@pytest.mark.parametrize("name", ["Señora", "Søren Nielsen", "Zoë", "Björk"])
def test_western_names_that_read_as_vietnamese_in_neither_are_kept(name):
    assert convert(name) == (name, None)
    assert legacy.legacy_letters(name)


@pytest.mark.parametrize("typed, meant", [
    ("C«ng an x· Qu¶ng B×nh", "Công an xã Quảng Bình"),
    ("Trung t©m", "Trung tâm"),
    ("TRUNG T¢M", "TRUNG TÂM"),
])
def test_tcvn3_letters_that_double_as_symbols_are_converted(typed, meant):
    assert convert(typed) == (meant, "TCVN3")


def test_text_that_reads_as_vietnamese_in_both_is_refused():
    # 'û' is the VNI hook and the TCVN3 ỷ: "Thuû" is Thủ in VNI, Thuỷ in TCVN3.
    with pytest.raises(LegacyTextError) as info:
        convert("Thuû")
    assert str(info.value) == (
        "'Thuû' looks typed in a legacy Vietnamese font but reads as Vietnamese "
        "both as TCVN3 ('Thuỷ') and as VNI ('Thủ')")


def test_a_longer_text_settles_what_one_word_cannot():
    assert convert("Thuû tuïc") == ("Thủ tục", "VNI")
    assert convert("Thuû lîi") == ("Thuỷ lợi", "TCVN3")


@pytest.mark.parametrize("word, ok", [
    ("người", True), ("khuỷu", True), ("hoà", True), ("hòa", True),
    ("thaọ", False), ("maù", False), ("thaọn", False), ("gì", True),
    ("quý", True), ("xyz", False),
])
def test_syllable_shapes(word, ok):
    assert legacy._is_syllable(word) is ok
