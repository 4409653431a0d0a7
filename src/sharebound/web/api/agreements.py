"""Agreements: read, amend, sign, terminate."""

from __future__ import annotations

from fastapi import APIRouter

from sharebound.services import agreements
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import AgreementRequest, ReasonRequest, SignRequest
from sharebound.web.views import AgreementOut

router = APIRouter(tags=["agreements"])


@router.get("/agreements/{agreement_id}", response_model=AgreementOut)
def get_agreement(agreement_id: str, me: Me, uow: Uow) -> AgreementOut:
    """Terms, version, digest, signatures, status and the rendered text. Parties only."""
    return AgreementOut.of(agreements.get_agreement(uow, me.id, agreement_id), uow.clock())


@router.put("/agreements/{agreement_id}", response_model=AgreementOut)
def amend(agreement_id: str, body: AgreementRequest, me: Me, uow: Uow) -> AgreementOut:
    """A new version: every party signs again; the signed version stays in force meanwhile."""
    agreement = agreements.amend_agreement(uow, me.id, agreement_id, body.terms.as_terms_json())
    return AgreementOut.of(agreement, uow.clock())


@router.post("/agreements/{agreement_id}/sign", response_model=AgreementOut)
def sign(agreement_id: str, body: SignRequest, me: Me, uow: Uow) -> AgreementOut:
    """Sign the current version for your organization: `digest` must be that version's (else 409).
    A signer with a second factor gives it fresh in `second_factor` (else 422)."""
    agreement = agreements.sign_agreement(
        uow, me.id, agreement_id, digest=body.digest, title=body.title,
        second_factor=body.second_factor.proof() if body.second_factor else None)
    return AgreementOut.of(agreement, uow.clock())


@router.post("/agreements/{agreement_id}/terminate", response_model=AgreementOut)
def terminate(agreement_id: str, body: ReasonRequest, me: Me, uow: Uow) -> AgreementOut:
    """Any party ends the agreement, saying why; access to its disclosures ends at once."""
    agreement = agreements.terminate_agreement(uow, me.id, agreement_id, reason=body.reason)
    return AgreementOut.of(agreement, uow.clock())
