"""Items: a note (JSON) or a file (multipart), versions, reclassification, content."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from sharebound.domain.errors import InvalidInput
from sharebound.services import items
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.deps import Me, Uow
from sharebound.web.downloads import download_response
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import ApproveRequest, ItemPatch, NoteRequest
from sharebound.web.uploads import media_type_of, safe_filename
from sharebound.web.views import DOWNLOAD_RESPONSES, ItemOut

router = APIRouter(tags=["items"])

_NOTE_SCHEMA = NoteRequest.model_json_schema(ref_template="#/components/schemas/{model}")
_FILE_SCHEMA = {
    "type": "object",
    "required": ["file", "title", "classification"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "title": {"type": "string", "maxLength": 300},
        "classification": {"type": "string", "enum": ["public", "internal", "confidential", "restricted"]},
        "topics": {"type": "string", "description": "Topics separated by commas."},
        "trade_secret": {"type": "string", "description": "true: a trade secret"},
    },
}


@router.post("/items", response_model=ItemOut, status_code=201, openapi_extra={"requestBody": {
    "required": True,
    "content": {"application/json": {"schema": _NOTE_SCHEMA},
                "multipart/form-data": {"schema": _FILE_SCHEMA}}}})
async def add_item(request: Request, me: Me, uow: Uow) -> ItemOut:
    """Add a note (JSON `{title, body, classification, topics}`) or a file (multipart)."""
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        return await _add_file(request, me.id, uow)
    if not kind.startswith("application/json"):
        raise InvalidInput({"content-type": "send application/json (a note) or multipart/form-data (a file)"})
    note = _parse(NoteRequest, await request.body())
    # why: the content gate fingerprints a restricted note: CPU work for a worker thread
    item = await run_in_threadpool(items.add_item, uow, me.id, title=note.title,
                                   classification=note.classification, topics=note.topics,
                                   content=note.body.encode("utf-8"), trade_secret=note.trade_secret)
    return ItemOut.of(item)


async def _add_file(request: Request, actor_id: str, uow: UnitOfWork) -> ItemOut:
    limit = request.app.state.core.settings.max_upload_bytes
    async with request.form() as form:  # why: closes the upload's temporary file
        return await _add_form_file(form, actor_id, uow, limit)


async def _add_form_file(form: FormData, actor_id: str, uow: UnitOfWork, limit: int) -> ItemOut:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput({"file": "is required"})
    errors = {f: "is required" for f in ("title", "classification") if not isinstance(form.get(f), str)}
    if errors:
        raise InvalidInput(errors)
    if not upload.size:
        raise InvalidInput({"file": "is empty"})
    media_type = media_type_of(upload)
    topics_text = form.get("topics")
    topics = [t for t in str(topics_text or "").split(",") if t.strip()]
    filename = safe_filename(upload.filename or "file")
    # The upload was spooled to disk by the form parser; the store copies it in chunks, in a
    # worker thread so that the disk never blocks the event loop.
    item = await run_in_threadpool(
        items.add_item, uow, actor_id, title=str(form["title"]),
        classification=str(form["classification"]), topics=topics, content=upload.file,
        kind="file", media_type=media_type, filename=filename, limit=limit,
        trade_secret=str(form.get("trade_secret", "")).lower() in {"true", "on", "1", "yes"})
    return ItemOut.of(item)


def _parse(model: type[NoteRequest], raw: bytes) -> NoteRequest:
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]) from None


@router.get("/items", response_model=Page[ItemOut])
def list_items(me: Me, uow: Uow, paging: PagingOf) -> Page[ItemOut]:
    """Your organization's library, oldest first. Paged in SQL: `limit` and `after`."""
    return paging.out(items.items_page(uow, me.id, paging.request), ItemOut.of)


@router.get("/items/{item_id}", response_model=ItemOut)
def get_item(item_id: str, me: Me, uow: Uow) -> ItemOut:
    item = items.get_item(uow, me.id, item_id)
    return ItemOut.of(item, items.pending_reclassification(uow, me.id, item_id))


@router.patch("/items/{item_id}", response_model=ItemOut)
def update_item(item_id: str, body: ItemPatch, me: Me, uow: Uow) -> ItemOut:
    """Change title, topics, classification, or a note's body (a new version), in one step.

    Lowering an item out of `restricted` is only requested here: a second signer approves
    it with POST /reclassifications/{id}/approve.
    """
    done = items.update_item(uow, me.id, item_id, title=body.title, topics=body.topics,
                             classification=body.classification, trade_secret=body.trade_secret,
                             folder_id=body.folder_id if "folder_id" in body.model_fields_set else "keep",
                             content=body.body.encode("utf-8") if body.body is not None else None)
    return ItemOut.of(done.item, done.pending)


@router.post("/reclassifications/{request_id}/approve", response_model=ItemOut)
def approve_reclassification(request_id: str, me: Me, uow: Uow,
                             body: ApproveRequest | None = None) -> ItemOut:
    """A second signer (not the one who asked) approves lowering a crown jewel; one who has a
    second factor gives it fresh in `second_factor` (else 422)."""
    factor = body.second_factor.proof() if body and body.second_factor else None
    return ItemOut.of(items.approve_reclassification(uow, me.id, request_id, factor))


@router.get("/items/{item_id}/content", response_class=Response, responses=DOWNLOAD_RESPONSES)
def item_content(item_id: str, me: Me, uow: Uow) -> Response:
    """The current version's bytes, for your own organization's people (streamed, never cached)."""
    return download_response(items.item_download(uow, me.id, item_id))
