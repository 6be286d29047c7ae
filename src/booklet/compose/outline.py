"""The order of Part 2: national services, then region, province and provider."""

from __future__ import annotations

from dataclasses import dataclass, field

from booklet.compose.text import pick, sort_key
from booklet.model import Province, Region
from booklet.select import Entry, Selection


@dataclass
class ProvinceGroup:
    province: Province
    name: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class RegionGroup:
    region: Region
    name: str
    provinces: list[ProvinceGroup] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [e for p in self.provinces for e in p.entries]


@dataclass
class Outline:
    national: list[Entry]
    regions: list[RegionGroup]

    def groups(self):
        """(region, province) pairs in reading order."""
        for region in self.regions:
            for province in region.provinces:
                yield region, province


def sort_entries(entries: list[Entry], lang: str) -> list[Entry]:
    """Providers in the alphabetical order of `lang` (by their full name)."""
    return sorted(entries, key=lambda e: sort_key(pick(e.provider.name, lang)[0],
                                                  lang))


def outline(selection: Selection, lang: str, empty_provinces: bool = False,
            provinces: list[str] | None = None) -> Outline:
    """Group the selected entries for reading.

    A provider appears under every province it covers (a list coverage puts it
    under each); national providers come first, on their own. Provinces with
    no entry are left out unless `empty_provinces`; `provinces` limits which
    provinces appear.
    """
    content = selection.content
    national = sort_entries(selection.entries_for(None), lang)
    regions: list[RegionGroup] = []
    for region in content.regions:
        group = RegionGroup(region, pick(region.name, lang)[0])
        for code in region.provinces:
            if provinces is not None and code not in provinces:
                continue
            province = content.province(code)
            if province is None:
                continue
            entries = sort_entries(selection.entries_for(code), lang)
            if entries or empty_provinces:
                group.provinces.append(ProvinceGroup(
                    province, pick(province.short_name, lang)[0], entries))
        if group.provinces:
            regions.append(group)
    return Outline(national, regions)
