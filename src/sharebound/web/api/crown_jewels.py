"""Crown-jewel terms: codenames an org's admins register; the content gate refuses any
disclosure that contains one. The terms are secret too: only the org's admins see them
(its other people get 403; everybody else 404, as if the org's terms did not exist)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field

from sharebound.domain.gate import MAX_TERM, CrownJewelTerm
from sharebound.services import gate
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf

router = APIRouter(tags=["crown jewels"])


class CrownJewelTermRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(max_length=MAX_TERM, examples=["Project Kestrel"],
                      description=f"A codename or short phrase (at most {MAX_TERM} characters); "
                                  "matched as whole words, in any case.")


class CrownJewelTermOut(BaseModel):
    id: str
    term: str
    added_by: str
    added_at: datetime

    @classmethod
    def of(cls, term: CrownJewelTerm) -> CrownJewelTermOut:
        return cls(id=term.id, term=term.term, added_by=term.added_by, added_at=term.added_at)


@router.get("/orgs/{handle}/crown-jewels", response_model=Page[CrownJewelTermOut])
def list_terms(handle: str, me: Me, uow: Uow, paging: PagingOf) -> Page[CrownJewelTermOut]:
    """Your organization's crown-jewel terms (admins only), in the order they were added
    (`added_at`, then `id`: their text is encrypted at rest). Paged in SQL."""
    return paging.out(gate.terms_page(uow, me.id, handle, paging.request), CrownJewelTermOut.of)


@router.post("/orgs/{handle}/crown-jewels", response_model=CrownJewelTermOut, status_code=201)
def add_term(handle: str, body: CrownJewelTermRequest, me: Me, uow: Uow) -> CrownJewelTermOut:
    """Register a crown-jewel term (admins only); 409 if it is already registered."""
    return CrownJewelTermOut.of(gate.add_term(uow, me.id, handle, body.term))


@router.delete("/orgs/{handle}/crown-jewels/{term_id}", status_code=204)
def remove_term(handle: str, term_id: str, me: Me, uow: Uow) -> Response:
    """Remove a crown-jewel term (admins only)."""
    gate.remove_term(uow, me.id, handle, term_id)
    return Response(status_code=204)
