"""Many files at once: a multi-file upload, and a ZIP import that recreates its folders.

Both answer with a report: one line per file, stored (its item id) or refused or skipped (why).
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from sharebound.domain.archives import FileOutcome
from sharebound.domain.errors import InvalidInput
from sharebound.services import items, uploads
from sharebound.services.uploads import IncomingFile, Metadata, UploadReport
from sharebound.web.deps import Me, Uow
from sharebound.web.uploads import media_type_of, per_file_fields, safe_filename

router = APIRouter(tags=["items"])

_COMMON = {
    "classification": {"type": "string", "enum": ["public", "internal", "confidential", "restricted"],
                       "description": "For every file, unless per_file says otherwise."},
    "topics": {"type": "string", "description": "Topics separated by commas, for every file."},
    "folder_id": {"type": "string", "description": "The folder to put them in; omit: the root."},
    "per_file": {"type": "string", "description": 'JSON: {"path": {"classification": ..., '
                                                  '"topics": [...]}} for files that differ.'},
}
# why: the same per-file changes as plain form fields, one pair per file (what the page sends)
_PER_FILE_FIELDS = {"^per_file\\..+\\.(classification|topics)$": {
    "type": "string", "description": "per_file.<file name>.classification (a level) or "
                                     ".topics (separated by commas): this file's own; empty: the "
                                     "whole upload's"}}
_BULK_SCHEMA = {"type": "object", "required": ["files", "classification"], "properties": {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}, **_COMMON},
    "patternProperties": _PER_FILE_FIELDS}
_ZIP_SCHEMA = {"type": "object", "required": ["file", "classification"], "properties": {
    "file": {"type": "string", "format": "binary", "description": "A ZIP archive."}, **_COMMON}}


class FileOutcomeOut(BaseModel):
    path: str
    outcome: str  # stored, refused, skipped
    reason: str = ""
    item_id: str | None = None
    media_type: str | None = None

    @classmethod
    def of(cls, line: FileOutcome) -> FileOutcomeOut:
        return cls(path=line.path, outcome=line.outcome.value, reason=line.reason,
                   item_id=line.item_id, media_type=line.media_type)


class UploadReportOut(BaseModel):
    stored: int
    refused: int
    files: list[FileOutcomeOut]

    @classmethod
    def of(cls, report: UploadReport) -> UploadReportOut:
        return cls(stored=report.stored, refused=report.refused,
                   files=[FileOutcomeOut.of(f) for f in report.files])


def _multipart(request: Request) -> None:
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput({"content-type": "send multipart/form-data"})


def metadata_of(form: FormData) -> tuple[Metadata, str | None]:
    """The whole upload's classification, topics and per-file changes (the `per_file` JSON,
    and the `per_file.<name>.classification|topics` fields, which win), and its folder."""
    raw = form.get("per_file")
    per_file: object = None
    if isinstance(raw, str) and raw.strip():
        try:
            per_file = json.loads(raw)
        except ValueError:
            raise InvalidInput({"per_file": "is not valid JSON"}) from None
    fields = per_file_fields(form)
    if fields and (per_file is None or isinstance(per_file, dict)):
        merged = dict(per_file or {})
        for name, wanted in fields.items():
            before = merged.get(name)
            merged[name] = (before if isinstance(before, dict) else {}) | wanted
        per_file = merged
    topics = items.topics_of_text(str(form.get("topics") or ""))
    meta = uploads.parse_metadata(form.get("classification"), topics, per_file)
    folder = form.get("folder_id")
    return meta, (folder.strip() or None) if isinstance(folder, str) else None


def incoming(upload: UploadFile) -> IncomingFile:
    """A part of the form, typed as a single upload is (declared type against content)."""
    name = safe_filename(upload.filename or "file")
    try:
        return IncomingFile(name, upload.file, media_type_of(upload))
    except InvalidInput as refused:
        return IncomingFile(name, upload.file, None, refused.why())


@router.post("/items/bulk", response_model=UploadReportOut, openapi_extra={"requestBody": {
    "required": True, "content": {"multipart/form-data": {"schema": _BULK_SCHEMA}}}})
async def upload_many(request: Request, me: Me, uow: Uow) -> UploadReportOut:
    """Several files at once (`files`, repeated): each stored or refused on its own."""
    _multipart(request)
    limit = request.app.state.core.settings.max_upload_bytes
    async with request.form() as form:  # why: closes the uploads' temporary files
        meta, folder = metadata_of(form)
        parts = [p for p in form.getlist("files") if isinstance(p, UploadFile)]
        files = [incoming(p) for p in parts]
        report = await run_in_threadpool(uploads.upload_files, uow, me.id, files, meta,
                                         folder_id=folder, limit=limit)
    return UploadReportOut.of(report)


@router.post("/items/import", response_model=UploadReportOut, openapi_extra={"requestBody": {
    "required": True, "content": {"multipart/form-data": {"schema": _ZIP_SCHEMA}}}})
async def import_zip(request: Request, me: Me, uow: Uow) -> UploadReportOut:
    """A ZIP archive: its folders recreated (under `folder_id`), each file stored or refused."""
    _multipart(request)
    limit = request.app.state.core.settings.max_upload_bytes
    async with request.form() as form:
        meta, folder = metadata_of(form)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput({"file": "is required: a ZIP archive"})
        report = await run_in_threadpool(uploads.import_zip, uow, me.id, upload.file, meta,
                                         folder_id=folder, limit=limit)
    return UploadReportOut.of(report)
