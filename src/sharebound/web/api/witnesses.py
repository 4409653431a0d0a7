"""Witnesses of the transparency log: an org's witness key, and cosignatures of checkpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from sharebound.domain.errors import NotFound
from sharebound.services import witnesses
from sharebound.web.deps import Me, Uow
from sharebound.web.schemas import WitnessKeyRequest
from sharebound.web.views import CosignatureOut, WitnessKeyOut

router = APIRouter(tags=["transparency log"])

CosignedNote = Annotated[str, Body(media_type="text/plain", description=(
    "The checkpoint body, a blank line, and the witness's cosignature/v1 line "
    "(C2SP tlog-cosignature), as `sharebound-verify --cosign-key` posts it."))]


@router.put("/orgs/{handle}/witness-key", response_model=WitnessKeyOut)
def put_witness_key(handle: str, body: WitnessKeyRequest, me: Me, uow: Uow) -> WitnessKeyOut:
    """An admin registers the org's witness key (a vkey of type 0x04), replacing any before."""
    return WitnessKeyOut.of(witnesses.register_witness_key(uow, me.id, handle, body.vkey))


@router.get("/orgs/{handle}/witness-key", response_model=WitnessKeyOut)
def get_witness_key(handle: str, me: Me, uow: Uow) -> WitnessKeyOut:
    """Your org's registered witness key; 404 when it has none."""
    key = witnesses.witness_key(uow, me.id, handle)
    if key is None:
        raise NotFound("witness key", handle)
    return WitnessKeyOut.of(key)


@router.post("/partnerships/{partnership_id}/log/cosignatures", response_model=CosignatureOut,
             status_code=201)
def cosign_partnership_log(partnership_id: str, note: CosignedNote, me: Me, uow: Uow) -> CosignatureOut:
    """Your org's witness cosigns a checkpoint of the partnership's log that it verified."""
    return CosignatureOut.of(witnesses.cosign(uow, me.id, "partnership", partnership_id, note))


@router.post("/orgs/{handle}/log/cosignatures", response_model=CosignatureOut, status_code=201)
def cosign_org_log(handle: str, note: CosignedNote, me: Me, uow: Uow) -> CosignatureOut:
    """Your org's witness cosigns a checkpoint of your org's own log that it verified."""
    return CosignatureOut.of(witnesses.cosign(uow, me.id, "org", handle, note))
