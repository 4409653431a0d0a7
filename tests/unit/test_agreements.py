"""The agreement lifecycle: versions, signatures over a digest, status computed from time."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sharebound.domain.agreements import Agreement, AgreementStatus, new_agreement
from sharebound.domain.errors import Conflict, DigestMismatch, InvalidInput
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.domain.values import sha256_hex
from tests.factories import MUTUAL_TERMS, NOW, legacy_terms_json, make_terms, signed_agreement

EFFECTIVE = datetime(2026, 12, 1, tzinfo=UTC)  # the factory terms' effective date, 00:00 UTC
TERM_END = datetime(2027, 12, 1, tzinfo=UTC)  # the factory terms' term_end, 00:00 UTC
BEFORE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def draft(terms: AgreementTerms | None = None) -> Agreement:
    return new_agreement("agr_1", "prt_1", terms or make_terms(), by="per_acme_alice", at=BEFORE,
        standard=MUTUAL_TERMS)


def sign(agreement: Agreement, org: str, at: datetime = BEFORE, digest: str | None = None) -> Agreement:
    signed, _ = agreement.sign(org=org, person_id=f"per_{org}_signer", name="Sam Signer",
                               title="General Counsel", digest=digest or agreement.current.digest, at=at)
    return signed


def amended(agreement: Agreement, at: datetime = NOW, **overrides: object) -> Agreement:
    return agreement.amend(make_terms(**overrides), by="per_acme_alice", at=at, standard=MUTUAL_TERMS)


# -- status ---------------------------------------------------------------------------


def test_a_new_agreement_is_a_draft_with_one_version() -> None:
    agreement = draft()

    assert agreement.status(NOW) is AgreementStatus.DRAFT
    assert agreement.current.number == 1
    assert agreement.current.digest == sha256_hex(agreement.current.document or b"")
    assert agreement.signed_version is None
    assert agreement.pending_amendment is None
    assert agreement.governing_version(NOW) is agreement.current


def test_one_signature_of_two_leaves_it_awaiting_signatures() -> None:
    agreement = sign(draft(), "acme")

    assert agreement.status(NOW) is AgreementStatus.AWAITING_SIGNATURES
    assert not agreement.is_in_force(NOW)
    assert agreement.in_force_version(NOW) is None


def test_fully_signed_before_the_effective_date_is_signed_but_not_in_force() -> None:
    agreement = sign(sign(draft(), "acme"), "globex")

    assert agreement.status(BEFORE) is AgreementStatus.SIGNED
    assert agreement.status(EFFECTIVE - MICROSECOND) is AgreementStatus.SIGNED
    assert agreement.signed_version is agreement.current


def test_it_enters_into_force_at_the_effective_date_midnight_utc() -> None:
    agreement = sign(sign(draft(), "acme"), "globex")

    assert agreement.status(EFFECTIVE) is AgreementStatus.IN_FORCE
    assert agreement.is_in_force(NOW)
    assert agreement.in_force_version(NOW) is agreement.current


def test_it_expires_at_the_term_end_midnight_utc_exactly() -> None:
    agreement = signed_agreement()

    assert agreement.status(TERM_END - MICROSECOND) is AgreementStatus.IN_FORCE
    assert agreement.status(TERM_END) is AgreementStatus.EXPIRED
    assert agreement.status(TERM_END + timedelta(days=400)) is AgreementStatus.EXPIRED


def test_term_end_is_compared_as_an_instant_whatever_the_time_zone() -> None:
    agreement = signed_agreement()
    new_york = timezone(timedelta(hours=-5))

    assert agreement.status(datetime(2027, 11, 30, 18, 59, 59, tzinfo=new_york)) is AgreementStatus.IN_FORCE
    assert agreement.status(datetime(2027, 11, 30, 19, 0, tzinfo=new_york)) is AgreementStatus.EXPIRED


def test_an_agreement_until_terminated_never_expires() -> None:
    agreement = signed_agreement(make_terms(term_end=None))

    assert agreement.status(datetime(2090, 1, 1, tzinfo=UTC)) is AgreementStatus.IN_FORCE


def test_a_terminated_agreement_is_terminated_from_the_moment_of_termination() -> None:
    at = NOW + timedelta(days=1)
    agreement = signed_agreement().terminate(org="globex", person_id="per_globex_signer",
                                             reason="  Project cancelled  ", at=at)

    assert agreement.status(at - MICROSECOND) is AgreementStatus.IN_FORCE
    assert agreement.status(at) is AgreementStatus.TERMINATED
    assert agreement.status(TERM_END + timedelta(days=1)) is AgreementStatus.TERMINATED
    assert agreement.termination is not None
    assert agreement.termination.org == "globex"
    assert agreement.termination.reason == "Project cancelled"


def test_a_draft_can_be_terminated() -> None:
    agreement = draft().terminate(org="acme", person_id="per_acme_signer", reason="Abandoned", at=NOW)

    assert agreement.status(NOW) is AgreementStatus.TERMINATED


def test_status_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        signed_agreement().status(datetime(2027, 3, 1, 12, 0))


# -- signing ----------------------------------------------------------------------------


def test_a_signature_records_the_version_digest_and_signer() -> None:
    drafted = draft()
    agreement, signature = drafted.sign(org="acme", person_id="per_acme_sam", name=" Sam Signer ",
                                        title=" CEO ", digest=drafted.current.digest, at=BEFORE)

    assert signature.version == 1
    assert signature.digest == agreement.current.digest
    assert signature.org == "acme"
    assert signature.person_id == "per_acme_sam"
    assert (signature.name, signature.title) == ("Sam Signer", "CEO")
    assert signature.signed_at == BEFORE
    assert agreement.signatures == (signature,)


def test_signing_with_a_stale_digest_is_a_digest_mismatch() -> None:
    agreement = draft()

    with pytest.raises(DigestMismatch):
        sign(agreement, "acme", digest="0" * 64)


def test_signing_the_previous_version_after_an_amendment_is_a_digest_mismatch() -> None:
    agreement = sign(draft(), "acme")
    old_digest = agreement.current.digest
    agreement = amended(agreement, at=BEFORE, purpose="Evaluate and price a joint product")

    with pytest.raises(DigestMismatch):
        sign(agreement, "globex", digest=old_digest)


def test_signing_twice_is_a_conflict() -> None:
    agreement = sign(draft(), "acme")

    with pytest.raises(Conflict, match="already signed"):
        sign(agreement, "acme")


def test_a_non_party_cannot_sign() -> None:
    with pytest.raises(Conflict, match="not a party"):
        sign(draft(), "initech")


def test_a_signature_needs_a_name_and_a_title() -> None:
    with pytest.raises(InvalidInput) as caught:
        drafted = draft()
        drafted.sign(org="acme", person_id="per_acme_sam", name=" ", title="",
                     digest=drafted.current.digest, at=BEFORE)

    assert set(caught.value.errors) == {"name", "title"}


def test_an_expired_agreement_cannot_be_signed() -> None:
    agreement = sign(draft(), "acme")
    agreement = sign(agreement, "globex")

    with pytest.raises(Conflict):
        sign(agreement, "acme", at=TERM_END)


# -- amendments -------------------------------------------------------------------------


def test_an_amendment_leaves_the_signed_version_in_force_until_signed() -> None:
    agreement = signed_agreement(at=BEFORE)

    agreement = amended(agreement, schedule={"max_access_days": 30})

    assert agreement.current.number == 2
    assert agreement.current.created_at == NOW
    assert agreement.status(NOW) is AgreementStatus.IN_FORCE
    assert agreement.signed_version is agreement.version(1)
    assert agreement.pending_amendment is agreement.version(2)
    assert agreement.in_force_version(NOW) is agreement.version(1)
    assert agreement.governing_version(NOW) is agreement.version(1)
    assert agreement.terms.schedule.max_access_days == 30  # the current draft's terms


def test_signatures_of_the_old_version_do_not_count_for_the_amendment() -> None:
    agreement = amended(signed_agreement(at=BEFORE), schedule={"max_access_days": 30})

    assert agreement.signatures_of(agreement.version(2)) == ()
    assert not agreement.is_fully_signed(agreement.version(2))
    assert agreement.is_fully_signed(agreement.version(1))


def test_the_amendment_is_in_force_once_every_party_signs_it() -> None:
    agreement = amended(signed_agreement(at=BEFORE), schedule={"max_access_days": 30})

    agreement = sign(sign(agreement, "acme", at=NOW), "globex", at=NOW)

    assert agreement.signed_version is agreement.version(2)
    assert agreement.pending_amendment is None
    assert agreement.in_force_version(NOW) is agreement.version(2)


def test_a_partly_signed_amendment_keeps_the_old_version_in_force() -> None:
    agreement = amended(signed_agreement(at=BEFORE), schedule={"max_access_days": 30})

    agreement = sign(agreement, "acme", at=NOW)

    assert agreement.signed_version is agreement.version(1)
    assert agreement.pending_amendment is agreement.version(2)
    assert agreement.status(NOW) is AgreementStatus.IN_FORCE


def test_an_amendment_of_an_unsigned_draft_voids_its_signatures() -> None:
    agreement = sign(draft(), "acme")

    agreement = amended(agreement, at=BEFORE, schedule={"ceiling": "internal"})

    assert agreement.status(BEFORE) is AgreementStatus.DRAFT
    assert agreement.signatures_of(agreement.current) == ()


def test_amending_with_identical_terms_is_a_conflict() -> None:
    agreement = signed_agreement()

    with pytest.raises(Conflict, match="nothing to amend"):
        agreement.amend(make_terms(parties=["globex", "acme"]), by="per_acme_alice", at=NOW,
            standard=MUTUAL_TERMS)


def test_an_amendment_cannot_change_the_parties() -> None:
    agreement = signed_agreement()
    terms = make_terms(parties=["acme", "initech"],
                       notice={"acme": "legal@acme.example", "initech": "legal@initech.example"})

    with pytest.raises(InvalidInput) as caught:
        agreement.amend(terms, by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)

    assert set(caught.value.errors) == {"parties"}


def test_an_amendment_cannot_add_a_party() -> None:
    terms = make_terms(parties=["acme", "globex", "initech"],
                       notice={"acme": "a@acme.example", "globex": "g@globex.example",
                               "initech": "i@initech.example"})

    with pytest.raises(InvalidInput):
        signed_agreement().amend(terms, by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)


def test_an_expired_agreement_cannot_be_amended() -> None:
    with pytest.raises(Conflict, match="expired"):
        amended(signed_agreement(), at=TERM_END, purpose="Later")


# -- termination ------------------------------------------------------------------------


def test_termination_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as caught:
        signed_agreement().terminate(org="acme", person_id="per_acme_signer", reason="  ", at=NOW)

    assert set(caught.value.errors) == {"reason"}


def test_termination_reason_has_a_length_limit() -> None:
    with pytest.raises(InvalidInput) as caught:
        signed_agreement().terminate(org="acme", person_id="per_acme_signer", reason="x" * 2001, at=NOW)

    assert set(caught.value.errors) == {"reason"}


def test_only_a_party_can_terminate() -> None:
    with pytest.raises(Conflict, match="not a party"):
        signed_agreement().terminate(org="initech", person_id="per_initech_x", reason="No", at=NOW)


def test_nothing_happens_after_termination() -> None:
    agreement = signed_agreement().terminate(org="acme", person_id="per_acme_signer",
                                             reason="Deal off", at=NOW)
    later = NOW + timedelta(days=1)

    with pytest.raises(Conflict, match="already terminated"):
        agreement.terminate(org="globex", person_id="per_globex_signer", reason="Again", at=later)
    with pytest.raises(Conflict, match="terminated"):
        amended(agreement, at=later, purpose="Revive")


def test_a_terminated_agreements_pending_amendment_cannot_be_signed() -> None:
    agreement = amended(signed_agreement(at=BEFORE), schedule={"max_access_days": 30})
    agreement = agreement.terminate(org="acme", person_id="per_acme_signer", reason="Off", at=NOW)

    with pytest.raises(Conflict, match="terminated"):
        sign(agreement, "acme", at=NOW + timedelta(days=1))


def test_an_expired_agreement_cannot_be_terminated() -> None:
    with pytest.raises(Conflict, match="already expired"):
        signed_agreement().terminate(org="acme", person_id="per_acme_signer", reason="Late",
                                     at=TERM_END)


# -- confidentiality --------------------------------------------------------------------


def test_confidentiality_ends_the_given_years_after_the_end_of_the_nda_term() -> None:
    assert make_terms().confidential_until() == date(2030, 12, 1)


def test_confidentiality_counts_from_an_earlier_termination() -> None:
    assert make_terms().confidential_until(ended_on=date(2027, 3, 1)) == date(2030, 3, 1)


def test_confidentiality_of_an_open_ended_nda_has_no_date_until_it_ends() -> None:
    terms = make_terms(term_end=None)

    assert terms.confidential_until() is None
    assert not terms.is_confidential_forever
    assert terms.confidential_until(ended_on=date(2027, 3, 1)) == date(2030, 3, 1)


def test_confidentiality_of_first_format_terms_still_counts_from_the_effective_date() -> None:
    terms = parse_terms(legacy_terms_json())

    assert terms.confidential_until() == date(2029, 12, 1)


def test_perpetual_confidentiality_has_no_end() -> None:
    terms = make_terms(confidentiality_years=None)

    assert terms.confidential_until(ended_on=date(2027, 3, 1)) is None
    assert terms.is_confidential_forever


def test_confidentiality_from_29_february_ends_on_28_february_in_a_common_year() -> None:
    terms = make_terms(effective_date="2027-01-01", term_end="2028-02-29", confidentiality_years=1)

    assert terms.confidential_until() == date(2029, 2, 28)


def test_confidentiality_from_29_february_ends_on_29_february_in_a_leap_year() -> None:
    terms = make_terms(effective_date="2027-01-01", term_end="2028-02-29", confidentiality_years=4)

    assert terms.confidential_until() == date(2032, 2, 29)


def test_a_signed_amendment_that_takes_effect_later_leaves_the_earlier_version_in_force_until_then() -> None:
    from datetime import timedelta

    from sharebound.domain.agreements import AgreementStatus
    from tests.factories import NOW, make_terms, signed_agreement

    agreement = signed_agreement()  # in force at NOW, effective 2026-12-01
    later = make_terms(effective_date="2027-06-01", purpose="A wider purpose")
    agreement = agreement.amend(later, by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)
    for party in later.parties:
        agreement, _ = agreement.sign(org=party, person_id=f"per_{party}_signer", name="Sam Signer",
                                      title="GC", digest=agreement.current.digest, at=NOW)

    before, after = NOW, NOW.replace(month=6) + timedelta(days=1)

    assert agreement.status(before) is AgreementStatus.IN_FORCE
    assert agreement.in_force_version(before).number == 1  # type: ignore[union-attr]
    assert agreement.in_force_version(after).number == 2  # type: ignore[union-attr]
    assert agreement.governing_version(after).terms.purpose == "A wider purpose"
