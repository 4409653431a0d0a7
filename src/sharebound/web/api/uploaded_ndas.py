"""Agreement documents: upload an executed NDA (multipart), read its metadata, view it.

The document is never sent as a file: `content` answers what view only shows (PDF pages as
images at `pages/{n}`, a Word document's paragraphs as text)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sharebound.domain.errors import InvalidInput
from sharebound.domain.uploaded_ndas import UploadedNda
from sharebound.services import uploaded_ndas as documents
from sharebound.services.uploaded_ndas import DocumentView
from sharebound.web.deps import Me, Uow
from sharebound.web.uploads import safe_filename

router = APIRouter(tags=["agreement documents"])

_FILE_SCHEMA = {"type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}


class UploadedNdaOut(BaseModel):
    id: str
    partnership_id: str
    org: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    governing_document: dict[str, str]  # what agreement terms name it by

    @classmethod
    def of(cls, d: UploadedNda) -> UploadedNdaOut:
        return cls(id=d.id, partnership_id=d.partnership_id, org=d.org, filename=d.filename,
                   media_type=d.media_type, size=d.size, sha256=d.sha256, uploaded_by=d.uploaded_by,
                   uploaded_at=d.uploaded_at, governing_document=d.governing_json())


class DocumentViewOut(BaseModel):
    document: UploadedNdaOut
    pages: list[str]  # the page images' paths (PDF), in order
    all_pages: int
    text: list[str]  # a Word document's paragraphs
    problem: str | None

    @classmethod
    def of(cls, view: DocumentView) -> DocumentViewOut:
        base = f"/api/v1/agreement-documents/{view.document.id}/pages"
        return cls(document=UploadedNdaOut.of(view.document),
                   pages=[f"{base}/{n}" for n in range(1, view.pages + 1)],
                   all_pages=view.all_pages, text=list(view.lines), problem=view.problem)


@router.post("/partnerships/{partnership_id}/agreement-documents", response_model=UploadedNdaOut,
             status_code=201, openapi_extra={"requestBody": {
                 "required": True, "content": {"multipart/form-data": {"schema": _FILE_SCHEMA}}}})
async def upload(partnership_id: str, request: Request, me: Me, uow: Uow) -> UploadedNdaOut:
    """Upload an executed NDA (PDF or DOCX, multipart `file`) for the partnership's agreements."""
    await run_in_threadpool(documents.check_uploader, uow, me.id, partnership_id)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput({"content-type": "send multipart/form-data with the document as `file`"})
    limit = request.app.state.core.settings.max_upload_bytes
    async with request.form() as form:  # why: closes the upload's temporary file
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.size:
            raise InvalidInput({"file": "is required: the executed NDA, as a PDF or DOCX"})
        document = await run_in_threadpool(
            documents.upload_document, uow, me.id, partnership_id, content=upload.file,
            filename=safe_filename(upload.filename or "document"), limit=limit)
    return UploadedNdaOut.of(document)


@router.get("/partnerships/{partnership_id}/agreement-documents",
            response_model=list[UploadedNdaOut])
def list_documents(partnership_id: str, me: Me, uow: Uow) -> list[UploadedNdaOut]:
    """The executed NDAs uploaded to the partnership."""
    return [UploadedNdaOut.of(d) for d in documents.list_documents(uow, me.id, partnership_id)]


@router.get("/agreement-documents/{document_id}", response_model=UploadedNdaOut)
def get_document(document_id: str, me: Me, uow: Uow) -> UploadedNdaOut:
    """An uploaded NDA's metadata, to the people of the partnership's orgs."""
    return UploadedNdaOut.of(documents.get_document(uow, me.id, document_id))


@router.get("/agreement-documents/{document_id}/content", response_model=DocumentViewOut)
def view_document(document_id: str, me: Me, uow: Uow) -> DocumentViewOut:
    """View only: the page images to fetch (PDF) or the text (DOCX); never the file itself."""
    return DocumentViewOut.of(documents.view_document(uow, me.id, document_id))


@router.get("/agreement-documents/{document_id}/pages/{number}", response_class=Response,
            responses={200: {"content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}})
def page_image(document_id: str, number: str, me: Me, uow: Uow) -> Response:
    """Page `number` (from 1) of a PDF document as PNG, exactly as uploaded; never cached."""
    # why text: a page that is no number is a page that does not exist (404, as an unseen document)
    page = int(number) if number.isdigit() and len(number) < 7 else 0
    png = documents.page_image(uow, me.id, document_id, page)
    return Response(png, media_type="image/png", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
