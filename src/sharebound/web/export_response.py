"""The answer an export gets, for the API and the pages: the file, streamed as it is read."""

from __future__ import annotations

from fastapi.responses import StreamingResponse

from sharebound.domain.exports import ExportKind, parse_ask
from sharebound.services import exports
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.uploads import content_disposition


def stream(uow: UnitOfWork, me_id: str | None, kind: ExportKind, fields: dict[str, str | None], *,
           agreement_id: str | None = None, partnership_id: str | None = None) -> StreamingResponse:
    """Record the export and send it as it is read (the API and the pages)."""
    ask = parse_ask(kind, fields, agreement_id=agreement_id, partnership_id=partnership_id)
    export = exports.start_export(uow, me_id, ask)
    return StreamingResponse(export.chunks(), media_type=export.media_type, headers={
        "Content-Disposition": content_disposition(export.file_name),
        "Cache-Control": "no-store", "X-Sharebound-Rows": str(export.rows)})
