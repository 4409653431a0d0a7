"""Bring your own NDA: an agreement governed by an uploaded NDA, drafted, confirmed by each
party's signer and enforced; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pypdfium2 as pdfium
import pytest

from sharebound.domain.agreements import Agreement, AgreementStatus
from sharebound.domain.errors import DigestMismatch, InvalidTerms, Refused
from sharebound.domain.uploaded_ndas import UploadedNda
from sharebound.services import agreements, disclosures, executed, items, partnerships
from sharebound.services import uploaded_ndas as documents
from sharebound.services.disclosures import DisclosureDraft
from tests.corpus import corpus_file
from tests.factories import ready_to_sign, sign_as, terms_json
from tests.integration.world import World, changes_nothing


def _upload(world: World, partnership_id: str | None = None) -> UploadedNda:
    return documents.upload_document(world.uow(), world.alice.id, partnership_id or world.partnership.id,
                                     content=io.BytesIO(corpus_file("valid.pdf")),
                                     filename="acme-globex-nda-2025.pdf")


def _paired(world: World, document: UploadedNda, **overrides: Any) -> dict[str, Any]:
    """Terms pairing the uploaded NDA with a schedule: effective two years ago (when it was
    signed on paper), for three more years; no purpose, law or courts (the NDA has them)."""
    today = world.app.clock().date()
    overrides.setdefault("effective_date", (today - timedelta(days=730)).isoformat())
    overrides.setdefault("term_end", (today + timedelta(days=1095)).isoformat())
    overrides.setdefault("schedule", {"topics_excluded": ["pricing"], "ceiling": "confidential"})
    return terms_json(governing_document=document.governing_json(), purpose="", governing_law="",
                      courts="", **overrides)


def _draft(world: World, terms: dict[str, Any]) -> Agreement:
    return agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id, terms)


def _confirm(world: World, agreement: Agreement, digest: str | None = None) -> Agreement:
    digest = digest or agreement.current.digest
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="General Counsel")
    return sign_as(world.uow(), world.grace.id, agreement.id, digest=digest, title="CEO")


def _give(world: World, agreement: Agreement, *, topic: str, classification: str = "confidential") -> Any:
    item = items.add_item(world.uow(), world.mia.id, title=f"About {topic}", classification=classification,
                          topics=[topic], content=b"Drift under 0.2 K")
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"], actions=["view"]))


def test_a_draft_naming_the_uploaded_nda_says_that_nda_governs_and_sharebound_enforces_the_schedule(
    world: World,
) -> None:
    document = _upload(world)

    agreement = _draft(world, _paired(world, document))

    text = agreement.current.text
    assert (f"The Parties confirm that the executed NDA uploaded as acme-globex-nda-2025.pdf, SHA-256 "
            f"{document.sha256}") in text
    assert "governs, and that Sharebound enforces the sharing schedule below" in text
    assert "Purpose: as set out in the uploaded NDA." in text
    assert "3. Topics excluded: pricing." in text
    assert agreement.terms.label == "Uploaded NDA acme-globex-nda-2025.pdf"


def test_a_draft_naming_the_uploaded_nda_with_a_wrong_sha256_is_refused_and_changes_nothing(
    world: World,
) -> None:
    document = _upload(world)
    terms = _paired(world, document)
    terms["governing_document"]["sha256"] = "0" * 64

    with changes_nothing(world), pytest.raises(InvalidTerms) as refused:
        _draft(world, terms)

    assert refused.value.status == 422
    assert refused.value.errors == {"governing_document.sha256": (
        f"does not match the uploaded document: acme-globex-nda-2025.pdf has SHA-256 {document.sha256}")}


def test_an_nda_uploaded_to_another_partnership_cannot_govern_this_one(world: World) -> None:
    other = partnerships.propose_partnership(world.uow(), world.alice.id, name="Market entry",
                                             purpose="market_access", invite=["initech"])
    partnerships.accept_partnership(world.uow(), world.ian.id, other.id)
    elsewhere = _upload(world, other.id)

    with changes_nothing(world), pytest.raises(InvalidTerms) as refused:
        _draft(world, _paired(world, elsewhere))

    assert refused.value.errors == {
        "governing_document.document_id": "is not an NDA uploaded to this partnership"}


def test_the_dates_are_still_required_with_an_uploaded_nda(world: World) -> None:
    document = _upload(world)
    terms = _paired(world, document, term_end=None)
    del terms["confidentiality_years"]

    with changes_nothing(world), pytest.raises(InvalidTerms) as refused:
        _draft(world, terms)

    assert set(refused.value.errors) == {"term_end", "confidentiality_years"}


def test_purpose_law_and_courts_stay_required_with_our_standard_terms(world: World) -> None:
    with pytest.raises(InvalidTerms) as refused:
        _draft(world, terms_json(purpose="", governing_law="", courts=""))

    assert set(refused.value.errors) == {"purpose", "governing_law", "courts"}


def test_once_both_signers_confirm_the_pairing_with_a_past_effective_date_it_is_in_force_at_once(
    world: World,
) -> None:
    agreement = _draft(world, _paired(world, _upload(world)))

    confirmed = _confirm(world, agreement)

    assert confirmed.status(world.app.clock()) is AgreementStatus.IN_FORCE
    assert {s.org for s in confirmed.signatures_of(confirmed.current)} == {"acme", "globex"}


def test_the_executed_copy_of_a_confirmed_pairing_begins_with_the_uploaded_nda_as_uploaded(
    world: World,
) -> None:
    document = _upload(world)
    uploaded = pdfium.PdfDocument(corpus_file("valid.pdf"))
    first_page_text = uploaded[0].get_textpage().get_text_range()
    pages = len(uploaded)
    uploaded.close()
    agreement = _confirm(world, _draft(world, _paired(world, document)))

    copy = executed.executed_copy(world.uow(), world.grace.id, agreement.id)

    made = pdfium.PdfDocument(copy.pdf)
    try:
        assert len(made) > pages
        assert made[0].get_textpage().get_text_range() == first_page_text
    finally:
        made.close()


def test_a_confirmation_with_a_stale_digest_is_a_conflict(world: World) -> None:
    document = _upload(world)
    agreement = _draft(world, _paired(world, document))
    stale = agreement.current.digest
    agreements.amend_agreement(world.uow(), world.alice.id, agreement.id,
                               _paired(world, document, schedule={"topics_excluded": ["pricing", "roadmap"]}))

    ready_to_sign(world.uow(), world.grace.id)
    with changes_nothing(world), pytest.raises(DigestMismatch) as conflict:
        sign_as(world.uow(), world.grace.id, agreement.id, digest=stale, title="CEO")

    assert conflict.value.status == 409


def test_disclosures_are_allowed_within_the_confirmed_schedule_and_refused_outside_it(world: World) -> None:
    agreement = _confirm(world, _draft(world, _paired(world, _upload(world))))

    within = _give(world, agreement, topic="thermal")
    with pytest.raises(Refused) as outside:
        _give(world, agreement, topic="pricing")
    with pytest.raises(Refused) as crown_jewel:
        _give(world, agreement, topic="thermal", classification="restricted")

    assert within.agreement_digest == agreement.current.digest
    assert [r.code for r in outside.value.decision.reasons] == ["topics"]
    assert "ceiling" in [r.code for r in crown_jewel.value.decision.reasons]
