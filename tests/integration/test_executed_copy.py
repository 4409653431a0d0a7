"""The executed copy: the PDF every party keeps, its certificate, its record and who may get it."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from sharebound.adapters.executed_pdf import DOCUMENT_ATTACHMENT, attachments
from sharebound.domain.agreements import Signature
from sharebound.domain.cover import StandardDocument
from sharebound.domain.errors import Conflict, NotFound
from sharebound.domain.esign import Client
from sharebound.domain.values import sha256_hex
from sharebound.services import agreements, executed
from tests.factories import sign_as
from tests.integration.world import World

SAM_AT = Client(address="203.0.113.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")
GRACE_AT = Client(address="2001:db8::42", user_agent="Mozilla/5.0 (Macintosh) Safari/605.1.15")


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = page.get_textpage()
            pages.append(text.get_text_range())
            text.close()
            page.close()
        return "\n".join(pages)
    finally:
        document.close()


def _squeezed(text: str) -> str:
    """The text without its whitespace: a wrapped line reads as the line it was."""
    return re.sub(r"\s+", "", text)


def _every_line_in_order(source: str, pdf: bytes) -> None:
    """Every line of `source` is in the PDF's text, in order (a page's footer may fall inside
    a long line, which continues on the next page)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = len(document)
    document.close()
    footers = rf"Agreementagr_[0-9a-f]+·version\d+·digest[0-9a-f]{{16}}·page\d+of{pages}"
    text, position = re.sub(footers, "", _squeezed(pdf_text(pdf))), 0
    for line in (line for line in source.splitlines() if line.strip()):
        found = text.find(_squeezed(line), position)
        assert found >= 0, f"missing from the PDF: {line!r}"
        position = found + len(_squeezed(line))


def _signed(world: World) -> str:
    agreement = world.draft()
    digest = agreement.current.digest
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="General Counsel", client=SAM_AT)
    sign_as(world.uow(), world.grace.id, agreement.id, digest=digest, title="CEO", client=GRACE_AT)
    return agreement.id


def test_the_worker_makes_the_executed_copy_once_every_party_signed_and_records_its_sha256(
    world: World,
) -> None:
    agreement_id = _signed(world)

    made = executed.make_pending_executed_copies(world.uow())
    again = executed.make_pending_executed_copies(world.uow())
    copy = executed.executed_copy(world.uow(), world.alice.id, agreement_id)
    theirs = executed.executed_copy(world.uow(), world.gina.id, agreement_id)

    assert (made, again) == (1, 0)
    assert copy.pdf == theirs.pdf and copy.pdf.startswith(b"%PDF-")
    assert copy.record.sha256 == sha256_hex(copy.pdf)
    signed = agreements.get_agreement(world.uow(), world.alice.id, agreement_id)
    assert copy.record.digest == signed.current.digest
    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read(f"partnership:{world.partnership.id}")]
    assert kinds.count("executed_copy_made") == 1


def test_the_executed_copy_holds_every_line_of_the_document_and_its_exact_bytes(world: World) -> None:
    agreement_id = _signed(world)
    agreement = agreements.get_agreement(world.uow(), world.alice.id, agreement_id)
    version = agreement.current

    copy = executed.executed_copy(world.uow(), world.alice.id, agreement_id)

    _every_line_in_order(version.text, copy.pdf)
    attached = attachments(copy.pdf)[DOCUMENT_ATTACHMENT]
    assert sha256_hex(attached) == version.digest
    assert attached == version.document


def test_the_executed_copy_holds_the_full_standard_terms_the_agreement_names(world: World) -> None:
    agreement_id = _signed(world)
    governing = agreements.get_agreement(world.uow(), world.alice.id, agreement_id).terms.governing_document
    assert isinstance(governing, StandardDocument)
    with world.uow() as uow:
        standard = uow.standard_terms.get(governing.id, governing.version)
    assert standard is not None

    pdf = executed.executed_copy(world.uow(), world.alice.id, agreement_id).pdf

    _every_line_in_order(standard.text, pdf)
    assert standard.sha256 in _squeezed(pdf_text(pdf))


def test_the_certificate_lists_consent_authentication_address_and_user_agent_of_each_signer(
    world: World,
) -> None:
    agreement_id = _signed(world)

    text = pdf_text(executed.executed_copy(world.uow(), world.gina.id, agreement_id).pdf)

    certificate = _squeezed(text[text.index("Signature certificate"):])
    for expected in ("Sam", "sam@acme.example", "General Counsel", "Acme Corporation (acme)", SAM_AT.address,
                     SAM_AT.user_agent, "Grace", "grace@globex.example", "CEO", "Globex Corporation (globex)",
                     GRACE_AT.address, GRACE_AT.user_agent, "e-signconsentstatementversion1.0",
                     "2027-03-0112:00:00UTC"):
        assert _squeezed(expected) in certificate, expected
    assert certificate.count("Authenticationpassword") == 2
    digest = agreements.get_agreement(world.uow(), world.alice.id, agreement_id).current.digest
    assert certificate.count(digest) >= 3  # the document's, and each signature's


def test_a_signature_given_before_evidence_was_kept_says_so_in_the_certificate(world: World) -> None:
    agreement = world.draft()
    digest = agreement.current.digest
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="GC", client=SAM_AT)
    with world.uow() as uow:  # as one stored before this change: no evidence row
        uow.agreements.add_signature(agreement.id, Signature(
            version=1, digest=digest, org="globex", person_id=world.grace.id, name="Grace", title="CEO",
            signed_at=world.app.clock()))
        uow.commit()

    signed = agreements.get_agreement(world.uow(), world.alice.id, agreement.id)
    text = _squeezed(pdf_text(executed.executed_copy(world.uow(), world.alice.id, agreement.id).pdf))

    assert [s.evidence is None for s in signed.signatures] == [False, True]
    assert _squeezed(executed.NO_EVIDENCE) in text


def test_no_executed_copy_before_every_party_signed_and_none_for_an_outsider(world: World) -> None:
    agreement = world.draft()
    sign_as(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest, title="GC")

    with pytest.raises(Conflict):
        executed.executed_copy(world.uow(), world.alice.id, agreement.id)
    agreement_id = _signed(world)
    with pytest.raises(NotFound):
        executed.executed_copy(world.uow(), world.ian.id, agreement_id)


def test_every_party_downloads_the_executed_copy_also_after_the_agreement_ended(world: World) -> None:
    agreement_id = _signed(world)
    before = executed.executed_copy(world.uow(), world.alice.id, agreement_id)

    agreements.terminate_agreement(world.uow(), world.grace.id, agreement_id, reason="Project over")
    after = executed.executed_copy(world.uow(), world.gina.id, agreement_id)

    assert after.pdf == before.pdf
