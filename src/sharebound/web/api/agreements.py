"""Agreements: read, amend, sign, terminate."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from sharebound.services import agreements
from sharebound.web.deps import Me, Uow
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
def sign(agreement_id: str, body: SignRequest, me: Me, uow: Uow) -> AgreementOut:
    """Sign the current version for your organization: `digest` must be that version's (else 409)."""
    agreement = agreements.sign_agreement(uow, me.id, agreement_id, digest=body.digest, title=body.title)
    return AgreementOut.of(agreement, uow.clock(), uow.standard_terms)


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
