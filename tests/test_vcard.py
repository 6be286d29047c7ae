"""QR payloads: vCard 3.0 escaping (RFC 2426), tel: and URL payloads."""

from __future__ import annotations

from dataclasses import replace

import pytest

from booklet.compose.vcard import Contact, escape, payload, tel, url, vcard
from booklet.errors import LayoutError

NAME = "Ngô Thị Ấn Độ Ễ; Nhà, \\ tạm\nlánh"
CONTACT = Contact(
    id="fict-x", name=NAME, discreet_name="Chị Ấn",
    phones=("0238 3000 001", "111", "1800.1233"),
    address="1 Đường Thử, phường Ễ; Hà Tĩnh",
    website="www.example.org/ngo", hours="T2–T6 07:30–17:00\nnghỉ trưa")


def test_escape_follows_rfc_2426():
    assert escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_vcard_bytes_are_utf8_with_crlf_and_escaped_values():
    expected = (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "N:Ngô Thị Ấn Độ Ễ\\; Nhà\\, \\\\ tạm\\nlánh;;;;\r\n"
        "FN:Ngô Thị Ấn Độ Ễ\\; Nhà\\, \\\\ tạm\\nlánh\r\n"
        "TEL;TYPE=VOICE:+842383000001\r\n"
        "TEL;TYPE=VOICE:111\r\n"
        "TEL;TYPE=VOICE:18001233\r\n"
        "ADR;TYPE=WORK:;;1 Đường Thử\\, phường Ễ\\; Hà Tĩnh;;;;\r\n"
        "URL:https://www.example.org/ngo\r\n"
        "NOTE:T2–T6 07:30–17:00\\nnghỉ trưa\r\n"
        "END:VCARD\r\n").encode()
    assert vcard(CONTACT) == expected


def test_discreet_vcard_has_the_neutral_name_and_nothing_that_names_the_service():
    card = vcard(CONTACT, discreet=True).decode("utf-8")
    assert "FN:Chị Ấn\r\n" in card
    assert "Ngô" not in card
    assert "URL:" not in card and "ADR" not in card
    assert "TEL;TYPE=VOICE:+842383000001" in card


def test_vcard_without_address_has_no_adr_line():
    card = vcard(Contact(id="a", name="A", phones=("111",))).decode()
    assert "ADR" not in card


def test_old_style_number_is_left_out_of_the_code():
    # +84 4 ... is Ha Noi's pre-2017 area code: dialling it could ring a stranger.
    card = vcard(Contact(id="a", name="A", phones=("+84 4 3717 0544", "111"))
                 ).decode()
    assert card.count("TEL") == 1 and "TEL;TYPE=VOICE:111\r\n" in card
    assert payload("vcard", Contact(id="a", name="A",
                                    phones=("+84 4 3717 0544",))) is None


def test_tel_and_url_payloads():
    assert tel(CONTACT) == b"tel:+842383000001"
    assert url(CONTACT, "https://example.org/s/") == b"https://example.org/s/fict-x"
    assert payload("tel", Contact(id="w", name="W", website="www.x.org")) == (
        b"https://www.x.org")


def test_no_phone_and_no_website_gives_no_payload():
    assert payload("vcard", Contact(id="n", name="N")) is None


def test_a_website_only_opens_it_and_a_discreet_one_gives_no_payload():
    # A card with no number would only offer to save a name, under a caption
    # that says "Scan to open the website".
    web_only = Contact(id="w", name="W", discreet_name="Hỗ trợ 1",
                       website="www.x.org")
    assert payload("vcard", web_only, discreet=True) is None
    assert payload("vcard", web_only) == b"https://www.x.org"


def test_url_payload_without_base_says_what_to_add():
    with pytest.raises(LayoutError) as info:
        payload("url", CONTACT, base_url=None)
    assert str(info.value) == (
        "the layout asks for URL QR codes (qr.payload: url) but "
        "content/document.yaml has no settings.qr_base_url; add one, for "
        "example qr_base_url: https://example.org/s/, or use qr.payload: vcard")


def test_unknown_payload_kind_lists_the_known_ones():
    with pytest.raises(LayoutError) as info:
        payload("mecard", CONTACT)
    assert str(info.value) == (
        "qr.payload 'mecard' is not known; use one of: vcard, tel, url")


def test_a_code_is_sized_by_its_own_symbol_not_by_its_length():
    # Digits pack tighter than letters: a number of 17 characters takes a
    # smaller symbol than 17 letters, and its modules must be sized from it.
    from booklet.render import qr

    payload = b"tel:+842373989088"
    assert qr.encode(payload, "M").size < qr.symbol_size(len(payload), "M")
    fitted = qr.fit(payload, 60, 120, 1.4, 1.6, ["Q", "M"])
    assert fitted.code.size == qr.encode(payload, fitted.code.ec_level).size
    assert abs(fitted.span - min(max((fitted.code.size + 8) * 1.6, 60), 120)) < 1e-9


def test_symbol_path_paints_exactly_the_dark_modules():
    import numpy as np

    from booklet.render import qr

    code = qr.encode("BEGIN:VCARD\nFN:Quỹ Hư Cấu\nEND:VCARD".encode(), "M")
    painted = np.zeros_like(code.modules)
    n = code.size
    for op in code.path.splitlines()[:-1]:
        c, y, w, h, name = op.split()
        assert name == "re" and h == "1"
        row = n - 1 - int(y)
        assert not painted[row, int(c):int(c) + int(w)].any()  # no overlaps
        painted[row, int(c):int(c) + int(w)] = True
    assert code.path.endswith("\nf")
    assert (painted == code.modules).all()


def test_a_website_with_vietnamese_letters_is_coded_as_plain_ascii():
    # Raw UTF-8 in a code with no ECI read as 'phÃ²ng...' in a strict scanner.
    site = Contact(id="w", name="W",
                   website="https://phònghưcấu.example/dịch-vụ")
    data = payload("vcard", site)
    assert data.isascii()
    assert data.startswith(b"https://xn--")
    assert data.endswith(b"/d%E1%BB%8Bch-v%E1%BB%A5")
    card = payload("vcard", replace(site, phones=("0239 3000 101",)))
    assert b"URL:https://xn--" in card
