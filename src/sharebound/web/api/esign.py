"""Consent to electronic records and signatures: read the statement, consent, withdraw."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from sharebound.domain.esign import Consent
from sharebound.services import esign
from sharebound.web.deps import From, Me, Uow
from sharebound.web.schemas import ConsentRequest

router = APIRouter(tags=["e-sign consent"])


class ConsentOut(BaseModel):
    id: str
    statement_version: str
    statement_sha256: str
    at: datetime
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, c: Consent) -> ConsentOut:
        return cls(id=c.id, statement_version=c.statement_version, statement_sha256=c.statement_sha256,
                   at=c.at, withdrawn_at=c.withdrawn_at)


class ConsentStateOut(BaseModel):
    statement_version: str
    statement_sha256: str
    statement: str  # the text to read before consenting
    consent: ConsentOut | None  # your active consent; signing needs one
    last: ConsentOut | None  # your latest consent, active or withdrawn


def _state(state: esign.ConsentState) -> ConsentStateOut:
    return ConsentStateOut(
        statement_version=state.statement.version, statement_sha256=state.statement.sha256,
        statement=state.statement.text, consent=ConsentOut.of(state.consent) if state.consent else None,
        last=ConsentOut.of(state.last) if state.last else None)


@router.get("/me/e-sign-consent", response_model=ConsentStateOut)
def get_consent(me: Me, uow: Uow) -> ConsentStateOut:
    """The statement to consent to (its version, SHA-256 and text) and your consent, if any."""
    return _state(esign.consent_state(uow, me.id))


@router.post("/me/e-sign-consent", response_model=ConsentOut, status_code=201)
def give_consent(body: ConsentRequest, me: Me, uow: Uow, client: From) -> ConsentOut:
    """Consent to do business electronically: `statement_sha256` names the text you read (else 422);
    a second consent while one is active: 409."""
    return ConsentOut.of(esign.give_consent(uow, me.id, statement_sha256=body.statement_sha256,
                                            client=client))


@router.post("/me/e-sign-consent/withdraw", response_model=ConsentOut)
def withdraw_consent(me: Me, uow: Uow) -> ConsentOut:
    """Withdraw your consent: signatures you gave stay; you sign again after consenting again."""
    return ConsentOut.of(esign.withdraw_consent(uow, me.id))
