"""The typed content model: providers, services, geography and the document."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

LANGS = ("vi", "en")

# Visibility of a field, read by the select stage; "public" is the default.
PUBLIC, CASEWORKER, INTERNAL = "public", "caseworker", "internal"


def visible_to(level: str) -> dict:
    """Field metadata saying which audience may receive the field."""
    return {"json_schema_extra": {"visibility": level}}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Text(Strict):
    """A human-readable text in Vietnamese and English; one may be missing."""

    vi: str | None = None
    en: str | None = None

    @model_validator(mode="after")
    def _one_language(self) -> Text:
        if not (self.vi or self.en):
            raise ValueError("give the text in at least one language (vi or en)")
        return self

    def get(self, lang: str) -> str:
        """The text in `lang`, or in the other language when it is missing."""
        own = getattr(self, lang)
        return own if own else (self.vi or self.en or "")

    def has(self, lang: str) -> bool:
        return bool(getattr(self, lang))


class ProviderKind(StrEnum):
    government_central = "government_central"
    government_provincial = "government_provincial"
    government_communal = "government_communal"
    mass_organisation = "mass_organisation"
    ngo = "ngo"
    international = "international"
    social_enterprise = "social_enterprise"


class Visibility(StrEnum):
    public = "public"
    caseworker = "caseworker"
    confidential = "confidential"


class Cost(StrEnum):
    free = "free"
    standard = "standard"
    premium = "premium"
    unknown = "unknown"


class Answer(StrEnum):
    yes = "yes"
    no = "no"
    unknown = "unknown"


class VerificationStatus(StrEnum):
    desk_research = "desk_research"
    verified = "verified"


class VerificationMethod(StrEnum):
    desk = "desk"
    phone = "phone"
    video = "video"
    in_person = "in_person"


class Day(StrEnum):
    mon = "mon"
    tue = "tue"
    wed = "wed"
    thu = "thu"
    fri = "fri"
    sat = "sat"
    sun = "sun"


DAYS = tuple(Day)

# 24:00 closes a day that runs to midnight; no later time exists.
_TIME = re.compile(r"^(([01]?\d|2[0-3]):[0-5]\d|24:00)$")
# A bracket may open the number: "(024) 3385 3227", "(84-024) 6273 8965".
_PHONE_CHARS = re.compile(r"^\+?\(?[0-9][0-9 .()\-]*[0-9]$|^[0-9]{3}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class MissingField(ValueError):
    """A field that a check across fields finds empty. Pydantic reports the
    error on the whole model; `field` lets an import name the empty cell."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def _time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError(
            f"'{value}' is not a time; write it as HH:MM, for example 07:30")
    return value


# Spaces and hyphens that word processors put in numbers: they look like the
# plain ones, so the number is read as the reader sees it.
_PHONE_LOOKALIKES = str.maketrans(
    "\u00a0\u2007\u2009\u202f\u3000\u2010\u2011\u2012\u2013\u2212",
    "     -----", "\u200b\u200c\u200d\u2060\ufeff")


def _phone_chars(value: str) -> str:
    value = value.translate(_PHONE_LOOKALIKES)
    if not _PHONE_CHARS.match(value) and re.search(
            r"(?i)(ext|máy lẻ|nhánh|x)\W*\d+\W*$", value):
        raise ValueError(
            f"'{value}' is not a phone number: an extension goes in the "
            "number's label, for example 'Máy lẻ 12' / 'Extension 12'")
    if value[:1] in "'\u2018\u2019" and _PHONE_CHARS.match(value[1:]):
        raise ValueError(
            f"{value} starts with an apostrophe, which a spreadsheet keeps "
            f"a number as text with: remove it and write {value[1:]}")
    if not _PHONE_CHARS.match(value):
        raise ValueError(
            f"'{value}' is not a phone number; use digits, spaces, dots, "
            "brackets and a leading +, for example 0XX XXXX XXXX"
        )
    return value


def _code(value: str) -> str:
    if not _CODE.match(value):
        raise ValueError(
            f"'{value}' is not a code; use lower-case letters, digits, - and _"
        )
    return value


Time = Annotated[str, AfterValidator(_time)]
PhoneNumber = Annotated[str, AfterValidator(_phone_chars)]
Code = Annotated[str, AfterValidator(_code)]
Url = Annotated[str, Field(pattern=r"^(https?://|www\.)\S+$")]
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]


class Opening(Strict):
    """One span of opening hours on a set of days."""

    days: list[Day]
    opens: Time
    closes: Time

    @model_validator(mode="after")
    def _sensible(self) -> Opening:
        # Both printed fine and meant nothing: "08:00-09:00" with no day,
        # "Thu 7:30-7:30".
        if not self.days:
            raise ValueError("a span of hours names no day; list its days, for "
                             "example days: [mon, tue, wed, thu, fri]")
        if self.opens == "24:00":
            raise ValueError("a span of hours cannot open at 24:00; write 00:00")
        if self.opens == self.closes:
            raise ValueError(
                f"opens and closes at the same time ({self.opens}); for a whole "
                "day write opens: '00:00' and closes: '24:00'")
        return self


class Hours(Strict):
    """Structured working hours; `always` means 24 hours, 7 days."""

    always: bool = False
    spans: list[Opening] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _something(self) -> Hours:
        if not self.always and not self.spans and not self.note:
            raise ValueError("give 'always: true', some 'spans' or a 'note'")
        return self


class Phone(Strict):
    number: PhoneNumber
    label: Text | None = None
    hotline: bool = False
    cost: Cost = Cost.unknown
    hours: Hours | None = None
    visibility: Visibility = Visibility.public


class Address(Strict):
    text: Text
    visibility: Visibility = Visibility.public
    note: Text | None = None


class Geo(Strict):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class Eligibility(Strict):
    criteria: list[Code] = []
    notes: Text | None = None


class Fees(Strict):
    kind: Literal["free", "paid", "partly_free", "unknown"] = "unknown"
    note: Text | None = None


class Service(Strict):
    category: Code
    description: Text
    fees: Fees = Fees()
    eligibility: Eligibility = Eligibility()
    documents: list[Text] = []


class ContactPerson(Strict):
    name: str
    role: Text | None = None
    phone: PhoneNumber | None = None
    email: Email | None = None


class Referral(Strict):
    process: Text | None = None
    requirements: Text | None = Field(None, **visible_to(CASEWORKER))
    constraints: Text | None = Field(None, **visible_to(CASEWORKER))
    template_url: Url | None = Field(None, **visible_to(CASEWORKER))
    safeguarding: Text | None = Field(None, **visible_to(CASEWORKER))
    contact_person: ContactPerson | None = Field(None, **visible_to(CASEWORKER))


class CareStandards(Strict):
    trauma_informed: Answer = Answer.unknown
    survivor_centred: Answer = Answer.unknown
    gender_sensitive: Answer = Answer.unknown
    culturally_appropriate: Answer = Answer.unknown
    child_friendly: Answer = Answer.unknown


class ConsentItem(Strict):
    given: Answer = Answer.unknown
    date: dt.date | None = None


class Consent(Strict):
    print: ConsentItem = ConsentItem()
    digital: ConsentItem = ConsentItem()


class Verification(Strict):
    status: VerificationStatus = VerificationStatus.desk_research
    date: dt.date | None = None
    method: VerificationMethod = VerificationMethod.desk
    by: str | None = None

    @model_validator(mode="after")
    def _verified_has_date(self) -> Verification:
        if self.status is VerificationStatus.verified and self.date is None:
            raise MissingField("a verified entry needs the date it was verified",
                               "date")
        return self


class Provider(Strict):
    """One service provider, as one file under content/providers/."""

    id: Code
    name: Text
    short_name: Text | None = None
    discreet_name: Text | None = None
    kind: ProviderKind
    province: str | None = None
    coverage: Literal["national", "province"] | list[str] = "province"
    address: Address | None = None
    geo: Geo | None = Field(None, **visible_to(CASEWORKER))
    phones: list[Phone] = []
    email: Email | None = None
    website: Url | None = None
    zalo: str | None = None
    facebook: Url | None = None
    hours: Hours | None = None
    how_to_reach: Text | None = None
    services: list[Service] = Field(min_length=1)
    languages: list[Code] = []
    referral: Referral | None = None
    care_standards: CareStandards = CareStandards()
    consent: Consent = Field(Consent(), **visible_to(INTERNAL))
    verification: Verification = Verification()
    sources: list[Url] = []
    internal_notes: str | None = Field(None, **visible_to(INTERNAL))

    @field_validator("province")
    @classmethod
    def _province_code(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{2}", value):
            raise ValueError(
                f"'{value}' is not a province code; use the two-digit code "
                "from content/provinces.yaml, in quotes, for example '01'"
            )
        return value

    @model_validator(mode="after")
    def _province_for_local(self) -> Provider:
        if self.coverage != "national" and self.province is None:
            raise MissingField(
                "a provider that is not national needs a 'province' code",
                "province")
        return self

    @property
    def is_national(self) -> bool:
        return self.coverage == "national"

    def covers(self, code: str) -> bool:
        """Whether the provider serves people in province `code`."""
        if self.coverage == "national":
            return True
        if self.coverage == "province":
            return self.province == code
        return code in self.coverage or self.province == code

    def display_name(self, lang: str) -> str:
        return (self.short_name or self.name).get(lang)

    def categories(self) -> list[str]:
        seen: list[str] = []
        for service in self.services:
            if service.category not in seen:
                seen.append(service.category)
        return seen


class Category(Strict):
    code: Code
    name: Text
    short: Text
    icon: str = Field(description="name of an icon drawn by the layouts")


class Criterion(Strict):
    code: Code
    label: Text
    abbreviation: str = Field(max_length=4)
    restricts: Literal["gender", "status", "age", "other"] = "other"


class Region(Strict):
    code: Code
    name: Text
    provinces: list[str]


class Area(Strict):
    """A named group of provinces that gets one leaflet."""

    code: Code
    name: Text
    provinces: list[str] = Field(min_length=1)


class Province(Strict):
    code: str = Field(pattern=r"^\d{2}$")
    slug: Code
    name: Text
    short_name: Text
    kind: Literal["city", "province"]
    area_code: str = Field(pattern=r"^0\d{2,3}$")
    macro_region: Literal["north", "central", "south"]
    region: Code
    formed_from: list[str] = []


class Hotline(Strict):
    number: PhoneNumber
    name: Text
    cost: Cost = Cost.unknown
    hours: Hours | None = None
    note: Text | None = None
    source: Url | None = None


class Section(Strict):
    """One section of the Part 1 guidance text."""

    id: Code
    title: Text
    body: list[Text]


class Settings(Strict):
    verification_max_age_months: int = Field(12, ge=1, le=120)
    qr_base_url: Url | None = None
    edition_date: dt.date


class Document(Strict):
    title: Text
    subtitle: Text | None = None
    publisher: Text
    disclaimer: Text
    leaflet_cover: Text = Field(description="neutral wording for leaflet covers")
    leaflet_tagline: Text | None = None
    settings: Settings
    hotlines: list[Hotline] = []


class Guidance(Strict):
    sections: list[Section]


class Content(BaseModel):
    """Everything loaded from one content tree."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    document: Document
    guidance: Guidance
    categories: list[Category]
    criteria: list[Criterion]
    provinces: list[Province]
    regions: list[Region]
    areas: list[Area] = []
    providers: list[Provider] = []
    # Where each provider came from, for messages: id -> relative path.
    provider_files: dict[str, str] = {}

    def province(self, code: str) -> Province | None:
        return next((p for p in self.provinces if p.code == code), None)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)

    def region_of(self, province_code: str) -> Region | None:
        return next(
            (r for r in self.regions if province_code in r.provinces), None
        )
