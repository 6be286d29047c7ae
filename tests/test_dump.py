"""The canonical YAML writer: what it writes loads back as the same provider."""

from __future__ import annotations

import yaml

from booklet.load import load_content
from booklet.load.dump import dump_provider, quote
from booklet.model import Provider
from tests.conftest import CONTENT, make_content

TRICKY = {
    "id": "tricky",
    "name": {"vi": "no", "en": "0241234567"},
    "short_name": {"vi": "07:30", "en": "2025-09-01"},
    "discreet_name": {"vi": "two  spaces", "en": 'say "hi" \\ # not a comment'},
    "kind": "ngo",
    "province": "01",
    "phones": [{"number": "024 3385 3227", "hotline": True, "cost": "free",
                "hours": {"spans": [{"days": ["mon", "fri"], "opens": "07:30",
                                     "closes": "17:00"}]}}],
    "services": [{"category": "legal", "description": {
        "vi": "Dòng một\n\nDòng hai", "en": "a newline\nwithin"}}],
    "care_standards": {"trauma_informed": "yes", "child_friendly": "no"},
    "consent": {"print": {"given": "yes", "date": "2026-10-01"}},
    "verification": {"status": "verified", "date": "2026-10-02",
                     "method": "phone", "by": "null"},
    "geo": {"lat": 21.0285, "lon": 105.8542},
    "internal_notes": "tab\there, bell \x07, next\x85line: {not: flow}",
}


def _reload(tmp_path, text: str) -> Provider:
    root = make_content(tmp_path / "c", {"ha-noi/x.yaml": text})
    loaded = load_content(root)
    assert not loaded.errors, loaded.errors
    return loaded.content.providers[0]


def test_tricky_values_load_back_identically(tmp_path):
    provider = Provider.model_validate(TRICKY)
    text = dump_provider(provider)
    assert _reload(tmp_path, text) == provider
    # Other YAML readers (YAML 1.1) see strings too, not numbers, times,
    # dates or booleans.
    plain = yaml.safe_load(text)
    assert plain["name"] == {"vi": "no", "en": "0241234567"}
    assert plain["short_name"] == {"vi": "07:30", "en": "2025-09-01"}
    assert plain["consent"]["print"] == {"given": "yes", "date": "2026-10-01"}
    assert plain["verification"]["by"] == "null"
    assert plain["province"] == "01"


def test_text_is_written_as_it_is_read(tmp_path):
    # The canonical form drops what loading drops, so that writing a file
    # from a workbook and reading it back gives the same provider.
    provider = Provider.model_validate({**TRICKY, "internal_notes":
                                        "Chăm\u00adsóc\u2028hai dòng"})
    reloaded = _reload(tmp_path, dump_provider(provider))
    assert reloaded.internal_notes == "Chămsóc\nhai dòng"
    # Spaces and line breaks at either end are dropped: a description that
    # ended in a space printed "hỗ trợ. . Miễn phí".
    provider = Provider.model_validate({**TRICKY, "internal_notes": " x \n"})
    reloaded = _reload(tmp_path / "ends", dump_provider(provider))
    assert reloaded.internal_notes == "x"
    assert dump_provider(reloaded) == dump_provider(provider)


def test_key_order_block_style_and_quoting(tmp_path):
    text = dump_provider(Provider.model_validate(TRICKY))
    keys = [line.split(":")[0] for line in text.splitlines()
            if line and not line.startswith(" ")]
    assert keys == ["id", "name", "short_name", "discreet_name", "kind", "province",
                    "geo", "phones", "services", "languages", "care_standards",
                    "consent", "verification", "internal_notes"]
    assert "{" not in text.replace("{not: flow}", "")
    assert 'id: "tricky"\n' in text
    assert '  - number: "024 3385 3227"\n    hotline: true\n    cost: free\n' in text
    assert '        - "mon"\n' not in text and "        - mon\n" in text
    assert '  trauma_informed: "yes"\n' in text
    assert "  culturally_appropriate: unknown\n" in text
    assert '      vi: |-\n        Dòng một\n\n        Dòng hai\n' in text
    assert '      en: |-\n        a newline\n        within\n' in text
    assert "lat: 21.0285\n" in text
    assert quote('a"b\\c\x07') == '"a\\"b\\\\c\\u0007"'


def test_decomposed_text_is_written_composed(tmp_path):
    data = dict(TRICKY, name={"vi": "Nha\u0300 Ho\u0302\u0323i"})
    text = dump_provider(Provider.model_validate(data))
    assert 'vi: "Nhà Hội"' in text


def test_every_bundled_provider_dumps_and_loads_back_the_same(tmp_path):
    loaded = load_content(CONTENT)
    providers = loaded.content.providers
    files = {f"{p.province or 'national'}/{p.id}.yaml": dump_provider(p)
             for p in providers}
    again = load_content(make_content(tmp_path / "c", files)).content.providers
    assert sorted(again, key=lambda p: p.id) == sorted(providers, key=lambda p: p.id)
