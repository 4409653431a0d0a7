"""Exports of the register and the access report, as CSV or PDF, streamed (docs/exports.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from sharebound.domain.exports import ExportKind
from sharebound.domain.limits import DATE_LENGTH, MAX_TOPIC
from sharebound.web.deps import Me, Uow
from sharebound.web.export_response import stream

router = APIRouter(tags=["exports"])

From = Annotated[str | None, Query(alias="from", max_length=DATE_LENGTH,
                                   description="The first UTC day, YYYY-MM-DD (included).")]
To = Annotated[str | None, Query(alias="to", max_length=DATE_LENGTH,
                                 description="The last UTC day, YYYY-MM-DD (included).")]
Word = Annotated[str | None, Query(max_length=MAX_TOPIC)]
FILES = {"description": "The file, streamed: text/csv (UTF-8, CRLF, a header row) or application/pdf.",
         "content": {"text/csv": {}, "application/pdf": {}}}


def _fields(fmt: str | None, date_from: str | None, date_to: str | None, direction: str | None,
            classification: str | None, topic: str | None) -> dict[str, str | None]:
    return {"format": fmt, "from": date_from, "to": date_to, "direction": direction,
            "classification": classification, "topic": topic}


@router.get("/agreements/{agreement_id}/register.{fmt}", responses={200: FILES},
            response_class=StreamingResponse)
def agreement_register_file(agreement_id: str, fmt: str, me: Me, uow: Uow, date_from: From = None,
                            date_to: To = None, direction: Word = None, classification: Word = None,
                            topic: Word = None) -> StreamingResponse:
    """The agreement's disclosure register as CSV or PDF (`.csv`, `.pdf`), with the filters:
    `from`, `to` (UTC days, included), `direction` (given, received, both), `classification`,
    `topic`. Recorded in the partnership's audit log (`export_made`)."""
    return stream(uow, me.id, ExportKind.REGISTER,
                  _fields(fmt, date_from, date_to, direction, classification, topic),
                  agreement_id=agreement_id)


@router.get("/agreements/{agreement_id}/register", responses={200: FILES},
            response_class=StreamingResponse)
def agreement_register(agreement_id: str, me: Me, uow: Uow,
                       format: Annotated[str | None, Query(max_length=MAX_TOPIC)] = None,
                       date_from: From = None, date_to: To = None, direction: Word = None,
                       classification: Word = None, topic: Word = None) -> StreamingResponse:
    """The same, the format as `?format=csv|pdf` (csv when left out)."""
    return stream(uow, me.id, ExportKind.REGISTER,
                  _fields(format, date_from, date_to, direction, classification, topic),
                  agreement_id=agreement_id)


@router.get("/partnerships/{partnership_id}/register.{fmt}", responses={200: FILES},
            response_class=StreamingResponse)
def partnership_register_file(partnership_id: str, fmt: str, me: Me, uow: Uow, date_from: From = None,
                              date_to: To = None, direction: Word = None, classification: Word = None,
                              topic: Word = None) -> StreamingResponse:
    """The partnership's disclosure register (every agreement of it) as CSV or PDF."""
    return stream(uow, me.id, ExportKind.REGISTER,
                  _fields(fmt, date_from, date_to, direction, classification, topic),
                  partnership_id=partnership_id)


@router.get("/partnerships/{partnership_id}/register", responses={200: FILES},
            response_class=StreamingResponse)
def partnership_register(partnership_id: str, me: Me, uow: Uow,
                         format: Annotated[str | None, Query(max_length=MAX_TOPIC)] = None,
                         date_from: From = None, date_to: To = None, direction: Word = None,
                         classification: Word = None, topic: Word = None) -> StreamingResponse:
    """The same, the format as `?format=csv|pdf` (csv when left out)."""
    return stream(uow, me.id, ExportKind.REGISTER,
                  _fields(format, date_from, date_to, direction, classification, topic),
                  partnership_id=partnership_id)


@router.get("/agreements/{agreement_id}/access-report.{fmt}", responses={200: FILES},
            response_class=StreamingResponse)
def agreement_access_file(agreement_id: str, fmt: str, me: Me, uow: Uow, date_from: From = None,
                          date_to: To = None, direction: Word = None,
                          classification: Word = None, topic: Word = None) -> StreamingResponse:
    """The access report of what your org disclosed under the agreement, as CSV or PDF (a
    member: the accesses to what they disclosed); `from` and `to` select when the access was."""
    return stream(uow, me.id, ExportKind.ACCESS,
                  _fields(fmt, date_from, date_to, direction, classification, topic),
                  agreement_id=agreement_id)


@router.get("/partnerships/{partnership_id}/access-report.{fmt}", responses={200: FILES},
            response_class=StreamingResponse)
def partnership_access_file(partnership_id: str, fmt: str, me: Me, uow: Uow, date_from: From = None,
                            date_to: To = None, direction: Word = None,
                            classification: Word = None, topic: Word = None) -> StreamingResponse:
    """The access report of what your org disclosed in the partnership, as CSV or PDF."""
    return stream(uow, me.id, ExportKind.ACCESS,
                  _fields(fmt, date_from, date_to, direction, classification, topic),
                  partnership_id=partnership_id)


@router.get("/partnerships/{partnership_id}/access-report", responses={200: FILES},
            response_class=StreamingResponse)
def partnership_access(partnership_id: str, me: Me, uow: Uow,
                       format: Annotated[str | None, Query(max_length=MAX_TOPIC)] = None,
                       date_from: From = None, date_to: To = None, direction: Word = None,
                       classification: Word = None, topic: Word = None) -> StreamingResponse:
    """The same, the format as `?format=csv|pdf` (csv when left out)."""
    return stream(uow, me.id, ExportKind.ACCESS,
                  _fields(format, date_from, date_to, direction, classification, topic),
                  partnership_id=partnership_id)
