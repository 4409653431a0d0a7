"""The export form's target on the agreement and partnership pages: a GET that answers the
file (docs/exports.md); a bad option answers an error page naming it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sharebound.domain.errors import InvalidInput
from sharebound.domain.exports import ExportKind
from sharebound.web.export_response import stream
from sharebound.web.pages.common import Session, Uow

router = APIRouter(include_in_schema=False)

FIELDS = ("format", "from", "to", "direction", "classification", "topic")


def _asked(request: Request) -> tuple[ExportKind, dict[str, str | None]]:
    query = request.query_params
    report = query.get("report") or ExportKind.REGISTER.value
    if report not in {k.value for k in ExportKind}:
        raise InvalidInput({"report": "must be register or access"})
    kind = ExportKind(report)
    fields: dict[str, str | None] = {name: query.get(name) for name in FIELDS}
    if kind is ExportKind.ACCESS:  # why: the form's direction is the register's; the report is all given
        fields["direction"] = None
    return kind, fields


@router.get("/agreements/{agreement_id}/export")
def agreement_export(request: Request, agreement_id: str, me: Session, uow: Uow) -> Response:
    kind, fields = _asked(request)
    return stream(uow, me.person.id, kind, fields, agreement_id=agreement_id)


@router.get("/partnerships/{partnership_id}/export")
def partnership_export(request: Request, partnership_id: str, me: Session, uow: Uow) -> Response:
    kind, fields = _asked(request)
    return stream(uow, me.person.id, kind, fields, partnership_id=partnership_id)
