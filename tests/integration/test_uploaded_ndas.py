"""Agreement documents (bring your own NDA): upload, who may, what is refused, view only; on
SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io

import pytest

from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import InvalidInput, NotFound, PermissionDenied
from sharebound.domain.limits import MAX_AGREEMENT_DOCUMENT_BYTES
from sharebound.services import uploaded_ndas as documents
from sharebound.services.blobs import check_blobs
from tests.corpus import CASES, DOCX, PDF, Case, corpus_file
from tests.integration.world import World, changes_nothing

NOT_A_DOCUMENT = "is not a PDF or a Word (DOCX) document"


def _expected(case: Case) -> str:
    """The piece of the refusal the NDA upload gives: a PDF's or DOCX's own content problem,
    else that it is no PDF or DOCX at all (an image, text, whatever it was declared as)."""
    if case.refusal is None:  # a valid image: valid, but no NDA
        return NOT_A_DOCUMENT
    if "empty" in case.refusal:
        return "is empty"
    if case.declared in (PDF, DOCX) and "is declared as" not in case.refusal:
        return case.refusal
    return NOT_A_DOCUMENT


BAD = [c for c in CASES if c.name not in ("valid.pdf", "valid.docx")]


def _on_disk(world: World) -> list[str]:
    root = world.app.settings.blobs_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _upload(world: World, content: bytes, filename: str = "nda.pdf", by: str | None = None,
            limit: int | None = None) -> documents.UploadedNda:
    return documents.upload_document(world.uow(), by or world.alice.id, world.partnership.id,
                                     content=io.BytesIO(content), filename=filename, limit=limit)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_a_file_that_is_no_readable_unencrypted_pdf_or_docx_is_refused_naming_it_and_nothing_is_stored(
    case: Case, world: World,
) -> None:
    before = _on_disk(world)

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _upload(world, case.content, filename=case.name)

    assert list(refused.value.errors) == ["file"]
    assert refused.value.errors["file"].startswith(case.name + " ")
    assert _expected(case) in refused.value.errors["file"]
    assert _on_disk(world) == before


def test_a_password_protected_and_a_restrictions_encrypted_pdf_are_both_refused_as_encrypted(
    world: World,
) -> None:
    messages = []
    for name in ("encrypted-password.pdf", "encrypted-restrictions.pdf"):
        with pytest.raises(InvalidInput) as refused:
            _upload(world, corpus_file(name), filename=name)
        messages.append(refused.value.errors["file"])

    assert "protected by a password" in messages[0]
    assert "is an encrypted PDF" in messages[1]


def test_a_document_over_the_limit_is_refused_and_nothing_is_stored(world: World) -> None:
    too_big = corpus_file("valid.pdf") + b" " * MAX_AGREEMENT_DOCUMENT_BYTES

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _upload(world, too_big, filename="huge.pdf")

    assert refused.value.errors == {
        "file": f"huge.pdf is over the limit of {MAX_AGREEMENT_DOCUMENT_BYTES} bytes"}
    assert _on_disk(world) == []


def test_the_lower_upload_limit_of_the_server_applies_too(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        _upload(world, corpus_file("valid.pdf"), limit=100)

    assert refused.value.errors == {"file": "nda.pdf is over the limit of 100 bytes"}


def test_an_uploaded_nda_is_stored_as_uploaded_with_its_digest_and_an_audit_event(world: World) -> None:
    content = corpus_file("valid.pdf")

    document = _upload(world, content, filename="Acme-Globex NDA (signed).pdf")

    assert (document.media_type, document.size) == (PDF, len(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.id.startswith("doc_") and document.org == "acme"
    with world.uow() as uow:
        assert uow.blobs.get(document.sha256, org="acme") == content
        events = [e for e in uow.events.read(partnership_log(world.partnership.id), document.id)]
    assert [(e.kind, e.actor, e.data["sha256"]) for e in events] == [
        ("nda_uploaded", world.alice.id, document.sha256)]


def test_both_parties_people_read_the_metadata_and_an_outsider_finds_nothing(world: World) -> None:
    document = _upload(world, corpus_file("valid.pdf"))

    seen = [documents.get_document(world.uow(), who.id, document.id) for who in (world.gina, world.mia)]

    assert seen == [document, document]
    with pytest.raises(NotFound):
        documents.get_document(world.uow(), world.ian.id, document.id)
    with pytest.raises(NotFound):
        documents.view_document(world.uow(), world.ian.id, document.id)


def test_a_member_without_admin_or_signer_role_may_not_upload_and_an_outsider_finds_no_partnership(
    world: World,
) -> None:
    with changes_nothing(world):
        with pytest.raises(PermissionDenied):
            _upload(world, corpus_file("valid.pdf"), by=world.gina.id)
        with pytest.raises(NotFound):
            _upload(world, corpus_file("valid.pdf"), by=world.ian.id)


def test_the_other_party_views_a_pdf_as_page_images_of_the_uploaded_pages(world: World) -> None:
    document = _upload(world, corpus_file("valid.pdf"))

    view = documents.view_document(world.uow(), world.grace.id, document.id)
    first = documents.page_image(world.uow(), world.grace.id, document.id, 1)

    assert (view.pages, view.all_pages, view.problem) == (3, 3, None)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(NotFound):
        documents.page_image(world.uow(), world.grace.id, document.id, 4)


def test_the_other_party_views_a_word_document_as_its_paragraphs(world: World) -> None:
    document = _upload(world, corpus_file("valid.docx"), filename="nda.docx")

    view = documents.view_document(world.uow(), world.grace.id, document.id)

    assert document.media_type == DOCX
    assert view.pages == 0 and view.lines and view.problem is None


def test_the_blob_check_counts_an_uploaded_nda_as_referenced_not_as_an_orphan(world: World) -> None:
    _upload(world, corpus_file("valid.pdf"))

    report = check_blobs(world.uow())

    assert report.healthy and report.orphans == [] and report.checked == 1
