"""Disclosures: the dry run, disclose, the register, view, download, revoke."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from sharebound.services import copies, disclosures, register
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web.deps import From, Me, Uow
from sharebound.web.downloads import download_response
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import DisclosureRequest, OptionalReasonRequest
from sharebound.web.views import DOWNLOAD_RESPONSES, DecisionOut, DisclosureOut

router = APIRouter(tags=["disclosures"])


def _draft(body: DisclosureRequest, uow: Uow) -> DisclosureDraft:
    return disclosures.parse_draft(body.model_dump(), uow.clock())


@router.post("/disclosures/check", response_model=DecisionOut)
def check(body: DisclosureRequest, me: Me, uow: Uow) -> DecisionOut:
    """The decision the rules would give now, with every reason; changes nothing."""
    return DecisionOut.of(disclosures.check_disclosure(uow, me.id, _draft(body, uow)))


@router.post("/disclosures", response_model=DisclosureOut, status_code=201)
def disclose(body: DisclosureRequest, me: Me, uow: Uow) -> DisclosureOut:
    """Disclose an item under an agreement; refused with 403 and every reason otherwise.

    A refusal creates nothing, but is recorded in your organization's own audit log.
    """
    made = disclosures.disclose(uow, me.id, _draft(body, uow))
    return DisclosureOut.of(register.view_disclosure(uow, me.id, made.id))


@router.get("/disclosures", response_model=Page[DisclosureOut])
def list_disclosures(
    me: Me, uow: Uow, paging: PagingOf,
    direction: Annotated[Literal["given", "received"], Query()] = "given",
    partnership: Annotated[str | None, Query(max_length=40)] = None,
) -> Page[DisclosureOut]:
    """The register, newest first: what your organization gave, or what you received.
    Paged in SQL: `limit` (default 50, at most 200) and `after` (the `next_cursor`)."""
    found = register.list_register(uow, me.id, direction=direction, partnership_id=partnership,
                                   request=paging.request)
    return paging.out(found, DisclosureOut.of)


@router.get("/disclosures/{disclosure_id}", response_model=DisclosureOut)
def get_disclosure(disclosure_id: str, me: Me, uow: Uow) -> DisclosureOut:
    """A disclosure; a note's `body` is included for a recipient allowed to view it (recorded)."""
    return DisclosureOut.of(register.view_disclosure(uow, me.id, disclosure_id))


@router.get("/disclosures/{disclosure_id}/content", response_class=Response,
            responses=DOWNLOAD_RESPONSES)
def download(disclosure_id: str, me: Me, uow: Uow, client: From) -> Response:
    """The recipient's copy, stamped with their name and a copy id (also in the
    `X-Sharebound-Copy` header) where the terms ask; otherwise the original, streamed."""
    return download_response(copies.download_disclosure(uow, me.id, disclosure_id, client.address))


@router.post("/disclosures/{disclosure_id}/revoke", response_model=DisclosureOut)
def revoke(
    disclosure_id: str, me: Me, uow: Uow, body: OptionalReasonRequest | None = None
) -> DisclosureOut:
    """End a disclosure's access at once (the disclosing organization only)."""
    disclosures.revoke_disclosure(uow, me.id, disclosure_id, reason=body.reason if body else "")
    return DisclosureOut.of(register.view_disclosure(uow, me.id, disclosure_id))
