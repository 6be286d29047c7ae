"""The select stage: audience, consent, confidential addresses, draft and final."""

from __future__ import annotations

import datetime as dt

import pytest

from booklet.errors import EditionError
from booklet.model import Answer
from booklet.select import Edition, select
from tests.conftest import (
    CASEWORKER_ONLY,
    SECRET_ADDRESS,
    SECRET_NOTE,
)


def dump(selection) -> str:
    return "\n".join(e.provider.model_dump_json() for e in selection.entries)


def test_public_edition_receives_no_caseworker_or_internal_field(fictional):
    selection = select(fictional.content, Edition("public"))
    shown = dump(selection)
    for secret in (SECRET_ADDRESS, SECRET_NOTE, CASEWORKER_ONLY):
        assert secret not in shown
    shelter = next(e for e in selection.entries if e.provider.id == "fict-shelter")
    assert shelter.address_withheld and shelter.provider.address is None
    assert shelter.provider.referral.process.en == "Call the intake line"
    assert shelter.provider.referral.safeguarding is None


def test_caseworker_edition_keeps_caseworker_fields_not_confidential(fictional):
    selection = select(fictional.content, Edition("caseworker"))
    shown = dump(selection)
    assert CASEWORKER_ONLY in shown
    assert SECRET_ADDRESS not in shown and SECRET_NOTE not in shown


def test_confidential_address_only_with_explicit_option(fictional):
    selection = select(fictional.content,
                       Edition("caseworker", show_confidential=True))
    shelter = next(e for e in selection.entries if e.provider.id == "fict-shelter")
    assert shelter.address_confidential
    assert shelter.provider.address.text.vi == SECRET_ADDRESS
    assert SECRET_NOTE not in dump(selection)


def test_confidential_option_refused_for_public():
    with pytest.raises(EditionError, match="caseworker audience"):
        Edition("public", show_confidential=True)


def test_final_public_leaves_out_provider_without_consent(fictional):
    selection = select(fictional.content, Edition("public", final=True))
    assert "fict-noconsent" not in selection.ids
    (excluded,) = [d for d in selection.decisions if d.action == "excluded"]
    assert (excluded.provider, excluded.reason) == (
        "fict-noconsent", "print consent to publish refused")


def test_draft_shows_everyone_and_marks_pending_consent(fictional):
    selection = select(fictional.content, Edition("public"))
    assert "fict-noconsent" in selection.ids
    pending = {e.provider.id for e in selection.entries if e.consent_pending}
    assert pending == {"fict-noconsent"}


def test_draft_tells_a_refusal_from_an_answer_still_awaited(fictional):
    selection = select(fictional.content, Edition("public"))
    refused = {e.provider.id for e in selection.entries if e.consent_refused}
    assert refused == {"fict-noconsent"}


def test_final_caseworker_edition_leaves_out_only_a_refusal(fictional):
    content = fictional.content.model_copy(deep=True)
    clinic = next(p for p in content.providers if p.id == "fict-clinic")
    clinic.consent.print.given = Answer.unknown
    selection = select(content, Edition("caseworker", final=True,
                                        skip_unverified=True))
    assert "fict-clinic" in selection.ids
    assert "fict-noconsent" not in selection.ids
    reasons = {d.provider: d.reason for d in selection.decisions
               if d.action == "excluded"}
    assert reasons["fict-noconsent"] == "print consent to publish refused"
    screen = select(fictional.content, Edition("public", medium="screen", final=True))
    assert {d.provider: d.reason for d in screen.decisions}["fict-noconsent"] == (
        "digital consent to publish refused")


def test_final_refuses_stale_verification_naming_each(fictional):
    late = dt.date(2027, 11, 1)  # fict-clinic's check is then 13 months old
    with pytest.raises(EditionError) as caught:
        select(fictional.content, Edition("public", final=True, today=late))
    message = str(caught.value)
    assert "fict-clinic" in message and "more than 12 months ago" in message
    assert "--skip-unverified" in message


def test_final_refuses_a_verification_dated_after_today(fictional):
    early = dt.date(2026, 9, 1)  # fict-clinic says it was verified on 2026-09-15
    with pytest.raises(EditionError) as caught:
        select(fictional.content, Edition("public", final=True, today=early))
    assert "fict-clinic" in str(caught.value)
    assert "verified on 2026-09-15, which is after today" in str(caught.value)


def test_final_skip_unverified_lists_what_it_left_out(fictional):
    late = dt.date(2027, 11, 1)
    selection = select(fictional.content, Edition(
        "public", final=True, skip_unverified=True, today=late))
    assert "fict-clinic" not in selection.ids
    reasons = {d.provider: d.reason for d in selection.decisions
               if d.action == "excluded"}
    assert reasons["fict-clinic"].startswith("verified on 2026-09-15")


def test_bundled_final_is_refused_because_nothing_is_verified(bundled):
    # Caseworker products need no consent yet given (only a refusal counts),
    # so every entry is included and none is verified yet.
    with pytest.raises(EditionError, match="hotline-111"):
        select(bundled.content, Edition("caseworker", final=True))


def test_bundled_final_public_leaves_out_everyone_without_consent(bundled):
    selection = select(bundled.content, Edition("public", final=True))
    assert selection.entries == []
    assert len(selection.decisions) == len(bundled.content.providers)


def test_scope_by_province_keeps_national_services(fictional):
    selection = select(fictional.content, Edition("public", provinces=("42",)))
    assert set(selection.ids) == {"fict-clinic", "fict-national"}
    assert [e.provider.id for e in selection.entries_for(None)] == ["fict-national"]


def test_scope_by_category(fictional):
    selection = select(fictional.content, Edition("caseworker",
                                                  categories=("psychological",)))
    assert selection.ids == ["fict-clinic"]


def test_final_refuses_a_number_that_could_ring_a_stranger(fictional):
    path = fictional.content_dir / "providers" / "ha-tinh" / "fict-clinic.yaml"
    path.write_text(path.read_text().replace(
        '"0239 3000 003"', '"08.38346080"\n    cost: standard\n'
        '  - number: "04 3823 4567"'))
    fictional.loaded = None
    with pytest.raises(EditionError) as caught:
        select(fictional.content, Edition("public", final=True))
    assert ("fict-clinic" in str(caught.value)
            and "pre-2017 landline" in str(caught.value))
    # A lapsed verification and the numbers are said together.
    with pytest.raises(EditionError) as both:
        select(fictional.content, Edition("public", final=True,
                                          today=dt.date(2027, 11, 1)))
    assert "more than 12 months ago, and phone '08.38346080'" in str(both.value)
    # Every such number is named, not the first alone.
    assert "'08.38346080'" in str(caught.value)
    assert "'04 3823 4567'" in str(caught.value)
    # The entry is verified: the refusal says what else it is for.
    assert str(caught.value).startswith(
        "a final edition cannot include entries that are unverified or have a "
        "number that could ring a stranger:")
    draft = select(fictional.content, Edition("public"))
    assert "fict-clinic" in draft.ids
