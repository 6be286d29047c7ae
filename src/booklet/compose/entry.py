"""One provider entry as words of one language: what every product prints.

The view holds plain strings (templates escape them) and says which texts
fell back to the other language, so products can mark them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from booklet.compose.text import (
    caution,
    format_date,
    format_hours,
    pick,
    shown_number,
    tel_uri,
)
from booklet.model import Answer, Content, Text
from booklet.select import Entry

OTHER = {"vi": "en", "en": "vi"}


@dataclass
class Line:
    """A text in the edition's language; `fallback` when it is the other one."""

    text: str
    fallback: bool = False

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass
class PhoneView:
    number: str
    tel: str
    label: Line
    cost: str
    cost_code: str
    hours: str
    hotline: bool
    visibility: str = "public"  # public, caseworker or confidential
    caution: str = ""  # beside a number never dialled: why not


@dataclass
class ServiceView:
    category: str
    category_name: str
    category_short: str
    icon: str
    description: Line
    fees: str
    fees_code: str
    fees_note: Line
    criteria: list[dict]  # code, abbreviation, label
    eligibility_notes: Line
    documents: list[Line]


@dataclass
class EntryView:
    id: str
    name: Line
    other_name: str  # the name in the other language, when it differs
    short_name: Line
    discreet_name: Line
    kind: str
    national: bool
    province: str
    address: Line
    address_note: Line
    address_withheld: bool
    address_confidential: bool
    how_to_reach: Line
    phones: list[PhoneView]
    email: str
    website: str
    zalo: str
    facebook: str
    hours: str
    services: list[ServiceView]
    languages: list[str]
    referral: dict[str, Line | str]
    contact_person: dict[str, str]
    care: list[dict]  # code, label, answer, answer_label
    verified: bool
    verification: str
    consent_pending: bool
    sources: list[str]
    consent_refused: bool = False
    fallbacks: list[str] = field(default_factory=list)
    verification_method: str = ""  # how it was verified, in words

    @property
    def categories(self) -> list[str]:
        seen: list[str] = []
        for service in self.services:
            if service.category not in seen:
                seen.append(service.category)
        return seen


def view(entry: Entry, content: Content, strings: dict, lang: str) -> EntryView:
    """Everything `entry` shows, worded in `lang` with `strings` as labels."""
    p = entry.provider
    fallbacks: list[str] = []

    def line(text: Text | None, where: str) -> Line:
        value, fell = pick(text, lang)
        if fell and value:
            fallbacks.append(where)
        return Line(value, fell)

    name = line(p.name, "name")
    other, _ = pick(p.name, OTHER[lang])
    province = content.province(p.province) if p.province else None
    def phone_label(ph, i: int) -> Line:
        label = line(ph.label, f"phones[{i}].label")
        # A hotline is already said to be one: "Hotline · Hotline" says
        # nothing more.
        if ph.hotline and label.text.casefold() == strings["hotline"].casefold():
            return Line("", False)
        return label

    phones = [PhoneView(
        number=shown_number(ph.number), tel=tel_uri(ph.number),
        label=phone_label(ph, i),
        cost=strings["cost"][ph.cost.value], cost_code=ph.cost.value,
        hours=format_hours(ph.hours, strings, lang), hotline=ph.hotline,
        visibility=ph.visibility.value, caution=caution(ph.number, strings))
        for i, ph in enumerate(p.phones)]
    services = []
    for i, s in enumerate(p.services):
        category = content.category(s.category)
        criteria = []
        for code in s.eligibility.criteria:
            criterion = content.criterion(code)
            criteria.append({
                "code": code,
                "abbreviation": criterion.abbreviation if criterion else code,
                "label": pick(criterion.label, lang)[0] if criterion else code})
        services.append(ServiceView(
            category=s.category,
            category_name=pick(category.name, lang)[0] if category else s.category,
            category_short=pick(category.short, lang)[0] if category else s.category,
            icon=category.icon if category else "info",
            description=line(s.description, f"services[{i}].description"),
            # A fee of two or three words stays on one line ("Miễn phí").
            fees=strings["fees"][s.fees.kind].replace(" ", "\u00a0"),
            fees_code=s.fees.kind,
            # Printed in brackets before a full stop: its own would double it.
            fees_note=_unstopped(line(s.fees.note, f"services[{i}].fees.note")),
            criteria=criteria,
            eligibility_notes=line(s.eligibility.notes,
                                   f"services[{i}].eligibility.notes"),
            documents=[line(d, f"services[{i}].documents") for d in s.documents]))
    ref = p.referral
    referral: dict[str, Line | str] = {}
    contact: dict[str, str] = {}
    if ref is not None:
        for key in ("process", "requirements", "constraints", "safeguarding"):
            value = getattr(ref, key)
            if value is not None:
                referral[key] = line(value, f"referral.{key}")
        if ref.template_url:
            referral["template_url"] = ref.template_url
        if ref.contact_person:
            person = ref.contact_person
            contact = {"name": person.name,
                       "role": pick(person.role, lang)[0],
                       "phone": shown_number(person.phone or ""),
                       "email": person.email or ""}
    care = [{"code": code, "label": strings["care"][code],
             "answer": getattr(p.care_standards, code).value,
             "answer_label": strings["answer"][getattr(p.care_standards, code).value]}
            for code in type(p.care_standards).model_fields]
    if entry.verified and entry.verified_on:
        verification = strings["verified_on"].format(
            date=format_date(entry.verified_on, strings))
    else:
        verification = strings["not_verified"]
    address = line(p.address.text if p.address else None, "address.text")
    return EntryView(
        id=p.id, name=name, other_name=other if other != name.text else "",
        short_name=line(p.short_name or p.name, "short_name"),
        # Never a fallback to the real name: a discreet name exists only when
        # the provider chose one.
        discreet_name=line(p.discreet_name, "discreet_name"),
        kind=strings["kind"][p.kind.value], national=p.is_national,
        province=pick(province.short_name, lang)[0] if province else "",
        address=address,
        address_note=line(p.address.note if p.address else None, "address.note"),
        address_withheld=entry.address_withheld,
        address_confidential=entry.address_confidential,
        how_to_reach=line(p.how_to_reach, "how_to_reach"),
        phones=phones, email=p.email or "", website=p.website or "",
        zalo=p.zalo or "", facebook=p.facebook or "",
        hours=format_hours(p.hours, strings, lang), services=services,
        languages=[strings.get("lang_names", {}).get(code, code)
                   for code in p.languages],
        referral=referral, contact_person=contact, care=care,
        verified=entry.verified, verification=verification,
        consent_pending=entry.consent_pending, sources=list(p.sources),
        consent_refused=entry.consent_refused,
        fallbacks=fallbacks,
        verification_method=strings["method"][p.verification.method.value])


def care_known(view_: EntryView) -> list[dict]:
    """Care standards with a yes or no answer (unknown ones are not shown)."""
    return [c for c in view_.care if c["answer"] != Answer.unknown.value]


def short_shown(view_: EntryView) -> str:
    """The short name when it says something the names do not."""
    short = view_.short_name.text
    return short if short not in (view_.name.text, view_.other_name) else ""


def also_serves(provider, content, here: str | None, lang: str) -> str:
    """The other provinces a provider listed under `here` serves, by short
    name, for a provider whose coverage is a list."""
    if not isinstance(provider.coverage, list):
        return ""
    names = [pick(content.province(c).short_name, lang)[0]
             for c in [provider.province, *provider.coverage]
             if c and c != here and content.province(c)]
    return ", ".join(dict.fromkeys(names))


def _unstopped(note: Line) -> Line:
    """`note` without the full stop it may end in."""
    return Line(note.text.rstrip(" ."), note.fallback)
