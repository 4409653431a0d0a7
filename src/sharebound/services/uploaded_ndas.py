"""Uploaded NDAs (bring your own NDA): upload an executed NDA to a partnership, read it, view it.

The document is stored as uploaded (sealed under the uploading org's key) and never altered,
never handed out as a file: both parties read it view only, PDF pages rendered to images on
the server, a Word document's paragraphs as text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import BinaryIO

from sharebound.adapters.blobs import TooLarge
from sharebound.adapters.filetypes import detect, problem_with
from sharebound.adapters.stamping import StampError
from sharebound.adapters.stamping.docx import paragraphs
from sharebound.adapters.stamping.pdf import page_count
from sharebound.adapters.stamping.render import render_pdf_page_as_is
from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import InvalidInput, InvalidTerms, NotFound
from sharebound.domain.events import NdaUploaded
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_AGREEMENT_DOCUMENT_BYTES
from sharebound.domain.media_types import DOCX, OTHER, PDF
from sharebound.domain.orgs import Person, Role
from sharebound.domain.uploaded_ndas import UploadedNda, type_problem
from sharebound.services import channels
from sharebound.services.common import actor, record, require_role, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork

VIEW_DPI = 110  # why: as a disclosure's view only: sharp on a laptop, about 150 KB a page
MAX_VIEW_PAGES = 200  # why: an NDA with its exhibits; longer shows its first pages


@dataclass(frozen=True)
class DocumentView:
    """What view only shows of an uploaded NDA: page images (PDF) or text (DOCX)."""

    document: UploadedNda
    pages: int = 0  # page images at /agreement-documents/{id}/pages/{n}.png
    all_pages: int = 0
    lines: tuple[str, ...] = field(default=())  # escaped by the template, never raw HTML
    problem: str | None = None  # why it cannot be shown (it passed the upload checks: rare)


def upload_document(
    uow: UnitOfWork, actor_id: str, partnership_id: str, *, content: bytes | BinaryIO,
    filename: str, limit: int | None = None,
) -> UploadedNda:
    """An executed NDA (PDF or DOCX by its content, not encrypted, readable, within the size
    limit) stored for the partnership by an admin or signer of one of its accepted orgs."""
    check_uploader(uow, actor_id, partnership_id)  # who may upload: before the file is opened
    file = io.BytesIO(content) if isinstance(content, bytes) else content
    media_type = _media_type(file, filename)
    largest = min(limit or MAX_AGREEMENT_DOCUMENT_BYTES, MAX_AGREEMENT_DOCUMENT_BYTES)
    # why this order: empty or too big says so whatever it is; then the type; then the content
    problem = (problem_with(file, OTHER, uow.limits, largest) or type_problem(media_type)
               or problem_with(file, media_type, uow.limits, largest))
    if problem is not None:
        raise InvalidInput({"file": f"{filename} {problem}"})
    with uow:
        person, partnership_id = _uploader(uow, actor_id, partnership_id)
        channels.clear_public(uow, org=person.org, label="the document's file name", text=filename)
        try:
            stored = uow.blobs.put(file, largest, org=person.org)
        except TooLarge as over:
            raise InvalidInput({"file": f"{filename} is over the limit of {over.limit} bytes"}) from None
        document = UploadedNda(
            id=new_id("doc"), partnership_id=partnership_id, org=person.org, filename=filename,
            media_type=media_type, size=stored.size, sha256=stored.sha256,
            uploaded_by=person.id, uploaded_at=uow.clock())
        uow.uploaded_ndas.add(document)
        record(uow, partnership_log(partnership_id), person.id, document.id,
               NdaUploaded(org=person.org, sha256=document.sha256,
                                         media_type=media_type, size=document.size))
        uow.commit()
    return document


def _media_type(file: BinaryIO, filename: str) -> str:
    """The type the content shows; a zip named .docx that is no readable DOCX stays a DOCX, so
    that the check says what is wrong with it rather than that it is some other type."""
    found = detect(file, filename)
    if found == OTHER and filename.lower().endswith(".docx") and file.read(4) == b"PK\x03\x04":
        found = DOCX
    file.seek(0)
    return found


def check_uploader(uow: UnitOfWork, actor_id: str, partnership_id: str) -> None:
    """Whether the actor may upload an NDA to the partnership: 404 outside it, 403 without the
    admin or signer role; an entry point asks before it reads the upload."""
    with uow.reading():
        _uploader(uow, actor_id, partnership_id)


def _uploader(uow: UnitOfWork, actor_id: str, partnership_id: str) -> tuple[Person, str]:
    person = actor(uow, actor_id)
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    require_role(person, Role.ADMIN, Role.SIGNER)
    return person, partnership.id


def get_document(uow: UnitOfWork, actor_id: str, document_id: str) -> UploadedNda:
    with uow.reading():
        return visible_document(uow, actor(uow, actor_id), document_id)


def list_documents(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[UploadedNda]:
    with uow.reading():
        return documents_in(uow, actor(uow, actor_id), partnership_id)


def documents_in(uow: UnitOfWork, person: Person, partnership_id: str) -> list[UploadedNda]:
    """`list_documents` inside a transaction the caller owns."""
    partnership = visible_partnership(uow, person, partnership_id, accepted=True)
    return uow.uploaded_ndas.list_for_partnership(partnership.id)


def visible_document(uow: UnitOfWork, person: Person, document_id: str) -> UploadedNda:
    """The document if the person's org has accepted its partnership: nobody else may see it."""
    document = uow.uploaded_ndas.get(document_id)
    if document is None:
        raise NotFound("agreement document", document_id)
    try:
        visible_partnership(uow, person, document.partnership_id, accepted=True)
    except NotFound:
        raise NotFound("agreement document", document_id) from None
    return document


def view_document(uow: UnitOfWork, actor_id: str, document_id: str) -> DocumentView:
    """View only: how many pages to show as images (PDF), or the text (DOCX)."""
    with uow.reading():
        return view_in(uow, visible_document(uow, actor(uow, actor_id), document_id))


def view_in(uow: UnitOfWork, document: UploadedNda) -> DocumentView:
    """`view_document` of a document the caller may see."""
    try:
        with uow.blobs.open(document.sha256, org=document.org) as source:
            if document.media_type == PDF:
                count = page_count(source)
                return DocumentView(document, pages=min(count, MAX_VIEW_PAGES), all_pages=count)
            if document.media_type == DOCX:
                return DocumentView(document, lines=tuple(paragraphs(source)))
    except StampError as error:
        return DocumentView(document, problem=str(error))
    return DocumentView(document, problem=f"a file of type {document.media_type} cannot be shown")


def page_image(uow: UnitOfWork, actor_id: str, document_id: str, number: int) -> bytes:
    """Page `number` (from 1) of an uploaded PDF NDA as PNG, exactly as uploaded."""
    document = get_document(uow, actor_id, document_id)
    if document.media_type != PDF or not 1 <= number <= MAX_VIEW_PAGES:
        raise NotFound("page", str(number))
    try:
        with uow.blobs.open(document.sha256, org=document.org) as source:
            if number > page_count(source):
                raise NotFound("page", str(number))
            source.seek(0)
            return render_pdf_page_as_is(source, number - 1, VIEW_DPI)
    except StampError as error:
        raise NotFound("page", str(number)) from error


def governing_nda_in(uow: UnitOfWork, partnership_id: str, *, document_id: str, sha256: str,
                     filename: str, media_type: str) -> UploadedNda:
    """The uploaded NDA that terms name as their governing document, checked against what was
    stored: it was uploaded to this partnership, and its SHA-256, file name and type are the
    stored ones (else `InvalidTerms` naming the field). Inside the caller's transaction."""
    document = uow.uploaded_ndas.get(document_id)
    field = "governing_document"
    if document is None or document.partnership_id != partnership_id:
        raise InvalidTerms({f"{field}.document_id": "is not an NDA uploaded to this partnership"})
    errors = {}
    if sha256 != document.sha256:
        errors[f"{field}.sha256"] = (f"does not match the uploaded document: {document.filename} "
                                     f"has SHA-256 {document.sha256}")
    if filename != document.filename:
        errors[f"{field}.filename"] = f"must be the uploaded document's name, {document.filename}"
    if media_type != document.media_type:
        errors[f"{field}.media_type"] = f"must be the uploaded document's type, {document.media_type}"
    if errors:
        raise InvalidTerms(errors)
    return document
