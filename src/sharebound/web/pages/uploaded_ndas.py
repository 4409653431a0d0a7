"""Bring your own NDA: upload the executed NDA, then read it view only (page images or text)
and map it to a sharing schedule and dates (the draft form, with the document preset)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from sharebound.domain.errors import InvalidInput, PermissionDenied, Refused
from sharebound.services import uploaded_ndas as documents
from sharebound.services.pages.uploaded_nda import document_page as read_document_page
from sharebound.services.pages.uploaded_nda import upload_page
from sharebound.web.deps import core
from sharebound.web.pages.common import CheckedForm, Session, Uow, claim_form, finish_form, render
from sharebound.web.uploads import safe_filename

router = APIRouter(include_in_schema=False)


@router.get("/partnerships/{partnership_id}/agreement-documents/new", response_class=HTMLResponse)
def upload_form(request: Request, partnership_id: str, me: Session, uow: Uow) -> Response:
    partnership = upload_page(uow, me.person.id, partnership_id)
    return render(request, "uploaded_nda_new.html", me.person, me.csrf, partnership=partnership,
                  errors={})


@router.post("/partnerships/{partnership_id}/agreement-documents/new")
async def upload(request: Request, partnership_id: str, form: CheckedForm, me: Session,
                 uow: Uow) -> Response:
    """Not one held transaction (`FormUow`): the file's checks would then run under the write lock."""
    partnership = await run_in_threadpool(upload_page, uow, me.person.id, partnership_id)
    claimed = await run_in_threadpool(claim_form, uow, form, me.person,
                                      f"/partnerships/{partnership_id}")
    if claimed is not None:
        return claimed
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.size:
            raise InvalidInput({"file": "choose the executed NDA to upload, as a PDF or DOCX"})
        document = await run_in_threadpool(
            documents.upload_document, uow, me.person.id, partnership_id, content=upload.file,
            filename=safe_filename(upload.filename or "document"),
            limit=core(request).settings.max_upload_bytes)
    except (InvalidInput, PermissionDenied, Refused) as bad:
        errors = bad.errors if isinstance(bad, InvalidInput) else {"form": bad.why()}
        status = 422 if isinstance(bad, InvalidInput) else 403
        return render(request, "uploaded_nda_new.html", me.person, me.csrf,
                      partnership=partnership, errors=errors, status_code=status)
    return await run_in_threadpool(finish_form, uow, form, f"/agreement-documents/{document.id}")


@router.get("/agreement-documents/{document_id}", response_class=HTMLResponse)
def document_page(request: Request, document_id: str, me: Session, uow: Uow) -> Response:
    page = read_document_page(uow, me.person.id, document_id)
    shown = render(request, "uploaded_nda.html", me.person, me.csrf, page=page)
    shown.headers["Cache-Control"] = "no-store"  # why: the page carries the document's text
    return shown


@router.get("/agreement-documents/{document_id}/pages/{number}.png")
def page_image(document_id: str, number: int, me: Session, uow: Uow) -> Response:
    """One page of the document as uploaded, rendered on the server: never the file, never cached."""
    png = documents.page_image(uow, me.person.id, document_id, number)
    return Response(png, media_type="image/png", headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
