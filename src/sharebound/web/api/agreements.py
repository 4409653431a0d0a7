"""Agreements: read, amend, sign, terminate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from sharebound.services import agreements, executed
from sharebound.web.deps import From, Me, Uow
from sharebound.web.schemas import AgreementRequest, ReasonRequest, SignRequest
from sharebound.web.views import AgreementOut, StandardTermsOut

router = APIRouter(tags=["agreements"])


@router.get("/agreements/{agreement_id}", response_model=AgreementOut)
def get_agreement(agreement_id: str, me: Me, uow: Uow) -> AgreementOut:
    """Terms, version, digest, signatures, status, the agreement document, the governing
    document and the date until which it keeps information confidential. Parties only."""
    agreement = agreements.get_agreement(uow, me.id, agreement_id)
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


@router.put("/agreements/{agreement_id}", response_model=AgreementOut)
def amend(agreement_id: str, body: AgreementRequest, me: Me, uow: Uow) -> AgreementOut:
    """A new version: every party signs again; the signed version stays in force meanwhile."""
    agreement = agreements.amend_agreement(uow, me.id, agreement_id, body.terms.as_terms_json())
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


@router.post("/agreements/{agreement_id}/sign", response_model=AgreementOut)
def sign(agreement_id: str, body: SignRequest, me: Me, uow: Uow, client: From) -> AgreementOut:
    """Sign the current version for your organization: `digest` must be that version's (else 409);
    you need an active e-sign consent (else 409) and your `password` (else 403), and a signer
    with a second factor gives it fresh in `second_factor` (else 422)."""
    factor = body.second_factor.proof() if body.second_factor else None
    agreement = agreements.sign_agreement(uow, me.id, agreement_id, digest=body.digest, title=body.title,
                                          password=body.password, client=client, second_factor=factor)
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


@router.get("/agreements/{agreement_id}/executed-copy", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def executed_copy(agreement_id: str, me: Me, uow: Uow,
                  version: Annotated[int | None, Query(ge=1, le=100_000)] = None) -> Response:
    """The executed copy (PDF) of the latest version every party signed (or `version`), with
    its signature certificate. Parties only, at any time (also after the agreement ended)."""
    copy = executed.executed_copy(uow, me.id, agreement_id, version)
    return Response(copy.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{copy.filename}"',
        "X-Content-SHA256": copy.record.sha256})


@router.post("/agreements/{agreement_id}/terminate", response_model=AgreementOut)
def terminate(agreement_id: str, body: ReasonRequest, me: Me, uow: Uow) -> AgreementOut:
    """Any party ends the agreement, saying why; access to its disclosures ends at once."""
    agreement = agreements.terminate_agreement(uow, me.id, agreement_id, reason=body.reason)
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


@router.get("/standard-terms", response_model=list[StandardTermsOut])
def list_standard_terms(me: Me, uow: Uow) -> list[StandardTermsOut]:
    """Every released version of Sharebound's standard terms, with its SHA-256."""
    return [StandardTermsOut.of(t) for t in agreements.list_standard_terms(uow, me.id)]


@router.get("/standard-terms/{terms_id}/{version}", response_class=PlainTextResponse)
def get_standard_terms(terms_id: str, version: str, me: Me, uow: Uow) -> PlainTextResponse:
    """One released version's text (Markdown), byte for byte as released: its SHA-256 is the one
    listed, and the one an agreement document names."""
    found = agreements.get_standard_terms(uow, me.id, terms_id, version)
    return PlainTextResponse(found.text, media_type="text/markdown; charset=utf-8",
                             headers={"X-Content-SHA256": found.sha256})
