"""Web addresses as the content writes them ('www.' or with Vietnamese
letters) become links that a PDF viewer or Word opens."""

from __future__ import annotations

import zipfile

import pytest

from booklet.build import build
from booklet.compose.text import web_link
from booklet.project import open_project
from tests import pdfcheck
from tests.conftest import FICTIONAL, LAYOUTS, TODAY, make_content

SITE = "https://phòng-khám.example.vn/dịch-vụ?cho=nữ"
SITE_LINK = ("https://xn--phng-khm-fza8n.example.vn"
             "/d%E1%BB%8Bch-v%E1%BB%A5?cho=n%E1%BB%AF")
FACEBOOK = "www.facebook.com/fictional.mirage"
FORM = "www.mirage.example.org/mẫu.docx"
SOURCE = "www.mirage.example.org/nguon"


@pytest.mark.parametrize("address, link", [
    ("www.x.example/go?to=https://y.example/z",
     "https://www.x.example/go?to=https://y.example/z"),
    ("HTTP://Ví-dụ.vn/a", "http://xn--v-d-rma6749a.vn/a"),
    # A port check accepts but no URL parser does, and login details: kept.
    ("https://hưcấu.vn:99999/trang", "https://xn--hcu-18a0818a.vn:99999/trang"),
    ("https://tôi:mật@hưcấu.vn/", "https://t%C3%B4i:m%E1%BA%ADt@xn--hcu-18a0818a.vn/"),
    ("http://[2001:db8::1]/liên-hệ", "http://[2001:db8::1]/li%C3%AAn-h%E1%BB%87"),
])
def test_odd_addresses_become_links_without_losing_anything(address, link):
    assert web_link(address) == link


def test_a_web_address_gets_its_scheme_and_becomes_ascii():
    assert web_link(FACEBOOK) == "https://" + FACEBOOK
    assert web_link("https://clinic.example.org/a?b=1&c=2#d") == (
        "https://clinic.example.org/a?b=1&c=2#d")
    assert web_link(SITE) == SITE_LINK


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("links")
    clinic = FICTIONAL["ha-tinh/fict-clinic.yaml"].replace(
        'website: "https://clinic.example.org"',
        f'website: "{SITE}"\nfacebook: "{FACEBOOK}"\nsources: ["{SOURCE}"]\n'
        f'referral: {{template_url: "{FORM}"}}')
    content = make_content(root / "content",
                           {**FICTIONAL, "ha-tinh/fict-clinic.yaml": clinic})
    project = open_project(content, LAYOUTS, root / "output", TODAY)
    for products, request in ((["directory"], {"layout": "screen", "lang": "vi"}),
                              (["directory"], {"layout": "screen", "lang": "vi",
                                               "audience": "caseworker"}),
                              (["inserts", "leaflets", "docx"], {"lang": "vi"})):
        result = build(project, products, request)
        assert result.ok, result.failures
    return project.output_dir


def test_every_pdf_link_is_ascii_with_a_scheme(built):
    pdfs = sorted(built.rglob("*.pdf"))
    assert pdfs
    for pdf in pdfs:
        for uri in pdfcheck.links(pdf):
            assert uri.isascii() and ":" in uri, (pdf.name, uri)


def test_the_directory_links_each_address_to_where_it_says(built):
    public, = built.glob("directory/directory-vi-screen.pdf")
    caseworker, = built.glob("directory/directory-vi-screen-caseworker*.pdf")
    assert {SITE_LINK, "https://" + FACEBOOK, "https://" + SOURCE} <= set(
        pdfcheck.links(public))
    assert web_link(FORM) in pdfcheck.links(caseworker)
    assert web_link(FORM) == "https://www.mirage.example.org/m%E1%BA%ABu.docx"


def test_the_word_copy_links_with_a_scheme(built):
    (docx,) = built.glob("**/*.docx")
    with zipfile.ZipFile(docx) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert f'Target="https://{FACEBOOK}"' in rels
    assert f'Target="https://{SOURCE}"' in rels


def test_a_hotline_written_as_bare_digits_is_printed_in_groups(tmp_path):
    content = make_content(tmp_path / "content")
    document = content / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        'number: "1800.1233"', 'number: "18001233"'), encoding="utf-8")
    project = open_project(content, LAYOUTS, tmp_path / "output", TODAY)
    for products, request in ((["directory"], {"lang": "vi", "layout": "screen"}),
                              (["inserts", "leaflets"], {"province": ["42"]}),
                              (["docx"], {"lang": "vi"})):
        result = build(project, products, request)
        assert result.ok, result.failures
    pdfs = sorted(project.output_dir.rglob("*.pdf"))
    assert len(pdfs) >= 4
    for pdf in pdfs:
        text = pdfcheck.text(pdf)
        assert "18001233" not in text, pdf.name
        assert "1800 1233" in text, pdf.name
    (docx,) = project.output_dir.rglob("*.docx")
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
    assert "1800 1233" in body and ">18001233<" not in body
