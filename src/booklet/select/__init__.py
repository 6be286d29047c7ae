"""Select stage: what an edition may show, decided once before typesetting.

Products receive a Selection, never the raw content: fields their audience may
not see are removed here, so no layout or template can print them.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from pydantic import BaseModel

from booklet.errors import EditionError
from booklet.load.validate import is_stale, phone_problem
from booklet.model import (
    CASEWORKER,
    INTERNAL,
    PUBLIC,
    Answer,
    Content,
    Provider,
    VerificationStatus,
    Visibility,
)

AUDIENCES = ("public", "caseworker")
# Which field visibilities each audience may receive.
_ALLOWED = {"public": {PUBLIC}, "caseworker": {PUBLIC, CASEWORKER}}


@dataclass(frozen=True)
class Edition:
    """The rules one product is built under."""

    audience: str = "public"
    medium: str = "print"  # print or screen: decides which consent counts
    final: bool = False
    skip_unverified: bool = False
    show_confidential: bool = False
    today: dt.date | None = None
    provinces: tuple[str, ...] | None = None
    categories: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise EditionError(
                f"unknown audience '{self.audience}'; use one of: "
                + ", ".join(AUDIENCES))
        if self.show_confidential and self.audience != "caseworker":
            raise EditionError(
                "confidential addresses can only be shown to the caseworker "
                "audience; drop --show-confidential, or build a caseworker "
                "product: inserts, or the directory with --audience caseworker")

    @property
    def draft(self) -> bool:
        return not self.final


@dataclass
class Entry:
    """A provider as one edition may show it, with what the reader must be told."""

    provider: Provider
    consent_pending: bool = False
    consent_refused: bool = False  # the provider said no, not "not yet"
    verified: bool = False
    verified_on: dt.date | None = None
    address_withheld: bool = False
    address_confidential: bool = False  # shown, marked confidential
    phones_withheld: int = 0


@dataclass
class Decision:
    provider: str
    action: str  # included, excluded or redacted
    reason: str


@dataclass
class Selection:
    content: Content
    edition: Edition
    entries: list[Entry] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def entries_for(self, province: str | None) -> list[Entry]:
        """National entries (province None) or those based in a province."""
        if province is None:
            return [e for e in self.entries if e.provider.is_national]
        return [e for e in self.entries if not e.provider.is_national
                and e.provider.covers(province)]

    @property
    def ids(self) -> list[str]:
        return [e.provider.id for e in self.entries]


def redact(model: BaseModel, allowed: set[str]) -> BaseModel:
    """A copy of `model` with every field its audience may not see reset.
    Parts with nothing to reset are shared with `model`, not copied."""
    update = _redacted_fields(model, allowed)
    return model.model_copy(update=update)


def _redacted_fields(model: BaseModel, allowed: set[str]) -> dict:
    update = {}
    for name, level, default in _levels(type(model)):
        value = getattr(model, name)
        if level not in allowed:
            update[name] = default()
        elif isinstance(value, BaseModel):
            inner = _redacted_fields(value, allowed)
            if inner:
                update[name] = value.model_copy(update=inner)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            items = [(item, _redacted_fields(item, allowed)) for item in value]
            if any(inner for _, inner in items):
                update[name] = [item.model_copy(update=inner) if inner else item
                                for item, inner in items]
    return update


@functools.cache
def _levels(model: type[BaseModel]) -> tuple[tuple[str, str, object], ...]:
    """Each field of a model class: its name, visibility and default maker."""
    out = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra or {}
        level = extra.get("visibility", PUBLIC) if isinstance(extra, dict) else PUBLIC
        out.append((name, level,
                    functools.partial(info.get_default, call_default_factory=True)))
    return tuple(out)


def _consent(provider: Provider, medium: str) -> Answer:
    item = provider.consent.digital if medium == "screen" else provider.consent.print
    return item.given


def _verification(provider: Provider, max_age: int, today: dt.date) -> str | None:
    """Why the entry is not verified well enough for a final edition, if so."""
    v = provider.verification
    if v.status is not VerificationStatus.verified:
        return "not verified (desk research only)"
    if v.date and v.date > today:
        # Most likely a typing slip; taken as written, it would keep the
        # entry fresh for longer than it was checked.
        return f"verified on {v.date.isoformat()}, which is after today"
    if v.date and is_stale(v.date, max_age, today):
        return f"verified on {v.date.isoformat()}, more than {max_age} months ago"
    return None


def select(content: Content, edition: Edition) -> Selection:
    """Choose and redact the entries `edition` may show.

    Raises EditionError for a final edition with unverified entries unless the
    edition skips them; every decision is recorded for the build report.
    """
    today = edition.today or content.document.settings.edition_date
    max_age = content.document.settings.verification_max_age_months
    allowed = _ALLOWED[edition.audience]
    selection = Selection(content=content, edition=edition)
    stale = []
    for provider in content.providers:
        if not _in_scope(provider, edition):
            continue
        answer = _consent(provider, edition.medium)
        # Public products need a yes. Caseworker products list services for
        # referral whatever the answer so far, but they are printed and
        # handed over too, so a provider that said no is left out of them.
        needed = edition.audience == "public" or answer is Answer.no
        if edition.final and needed and answer is not Answer.yes:
            # Named as the provider file names it (consent.print, .digital).
            kind = "digital" if edition.medium == "screen" else "print"
            selection.decisions.append(Decision(
                provider.id, "excluded",
                f"{kind} consent to publish refused" if answer is Answer.no
                else f"no {kind} consent to publish"))
            continue
        why = ", and ".join(filter(None, (_verification(provider, max_age, today),
                                          _undialable(provider, edition))))
        if edition.final and why:
            if edition.skip_unverified:
                selection.decisions.append(Decision(provider.id, "excluded", why))
                continue
            where = content.provider_files.get(provider.id, "?")
            stale.append(f"{provider.id} ({where}): {why}")
            continue
        selection.entries.append(_entry(provider, edition, allowed, answer,
                                        selection.decisions))
    if stale:
        raise EditionError(
            "a final edition cannot include entries that are unverified or "
            "have a number that could ring a stranger:\n  "
            + "\n  ".join(stale)
            + "\nVerify them and correct their numbers, build a draft, or add "
            "--skip-unverified to leave them out.")
    return selection


def _undialable(provider: Provider, edition: Edition) -> str | None:
    """Why a phone of `provider` may not appear in a final edition, if so: a
    number that check flags could ring a stranger once printed."""
    found = []
    for phone in provider.phones:
        shown = phone.visibility is Visibility.public or (
            edition.audience == "caseworker")
        problem = phone_problem(phone.number) if shown else None
        if problem:
            found.append(f"phone {problem}")
    return ", and ".join(found) or None


def _in_scope(provider: Provider, edition: Edition) -> bool:
    if (edition.provinces is not None and not provider.is_national
            and not any(provider.covers(code) for code in edition.provinces)):
        return False
    return edition.categories is None or bool(
        set(provider.categories()) & set(edition.categories))


@dataclass(frozen=True)
class _Redaction:
    shown: Provider
    address_withheld: bool
    address_confidential: bool
    phones_withheld: int
    what: tuple[str, ...]


# Redacted copies depend only on the provider and on who may see what, so
# the many products of one build share them instead of copying every
# provider again. Values keep their provider alive, so an id is never reused.
_redactions: dict[tuple, tuple[Provider, _Redaction]] = {}


def _redaction(provider: Provider, edition: Edition, allowed: set[str]
               ) -> _Redaction:
    key = (id(provider), edition.audience, edition.show_confidential)
    cached = _redactions.get(key)
    if cached is not None and cached[0] is provider:
        return cached[1]
    shown = redact(provider, allowed)
    withheld = confidential = False
    what = []
    if shown.address is not None:
        level = shown.address.visibility
        hide = (edition.audience == "public" and level is not Visibility.public) or (
            level is Visibility.confidential and not edition.show_confidential)
        if hide:
            withheld = True
            shown.address = None
            shown.geo = None  # a position gives the address away
            what.append(f"{level.value} address")
        elif level is Visibility.confidential:
            confidential = True
    keep = [p for p in shown.phones if p.visibility is Visibility.public
            or (edition.audience == "caseworker"
                and (p.visibility is Visibility.caseworker
                     or edition.show_confidential))]
    dropped = len(shown.phones) - len(keep)
    if dropped:
        what.append(f"{dropped} non-public phone(s)")
        shown.phones = keep
    if INTERNAL not in allowed and provider.internal_notes:
        what.append("internal notes")
    if edition.audience == "public" and _has_caseworker_fields(provider):
        what.append("caseworker-only fields")
    result = _Redaction(shown, withheld, confidential, dropped, tuple(what))
    _redactions[key] = (provider, result)
    return result


def _entry(provider: Provider, edition: Edition, allowed: set[str],
           consent: Answer, decisions: list[Decision]) -> Entry:
    r = _redaction(provider, edition, allowed)
    decisions.append(Decision(
        provider.id, "redacted" if r.what else "included",
        ", ".join(r.what) if r.what else "all fields allowed"))
    shown = r.shown
    if edition.categories is not None:
        # An edition for some needs lists only the services that meet them;
        # the shared redacted copy is left whole for other editions.
        shown = shown.model_copy(update={"services": [
            s for s in shown.services if s.category in edition.categories]})
    return Entry(
        provider=shown, consent_pending=consent is not Answer.yes,
        consent_refused=consent is Answer.no,
        verified=provider.verification.status is VerificationStatus.verified,
        verified_on=provider.verification.date,
        address_withheld=r.address_withheld,
        address_confidential=r.address_confidential,
        phones_withheld=r.phones_withheld)


def _has_caseworker_fields(provider: Provider) -> bool:
    ref = provider.referral
    return bool(provider.geo or (ref and (ref.requirements or ref.constraints
                                          or ref.template_url or ref.safeguarding
                                          or ref.contact_person)))
