"""Consent to electronic records and signatures: read the statement, consent, withdraw.

A person consents to the current statement (domain/esign.py) once, naming the SHA-256 of the
text they read; a second consent while one is active is a conflict. Withdrawing ends it; a
signature needs an active consent (services/signing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput
from sharebound.domain.esign import CURRENT_STATEMENT, NO_CLIENT, Client, Consent, ConsentStatement
from sharebound.domain.events import ESignConsentGiven, ESignConsentWithdrawn
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.services.common import actor, record
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ConsentState:
    statement: ConsentStatement  # what a person consents to now
    consent: Consent | None  # the person's active consent, if any
    last: Consent | None  # the person's latest consent, active or withdrawn


def consent_state(uow: UnitOfWork, actor_id: str) -> ConsentState:
    with uow.reading():
        person = actor(uow, actor_id)
        return ConsentState(CURRENT_STATEMENT, uow.esign.active_consent(person.id),
                            uow.esign.latest_consent(person.id))


def give_consent(uow: UnitOfWork, actor_id: str, *, statement_sha256: object,
                 client: Client = NO_CLIENT) -> Consent:
    """Consent to the current statement; `statement_sha256` proves which text was read."""
    statement = CURRENT_STATEMENT
    if not isinstance(statement_sha256, str) or statement_sha256 != statement.sha256:
        raise InvalidInput({"statement_sha256": (
            f"is not the SHA-256 of the current statement (version {statement.version}, "
            f"{statement.sha256}): read it again (GET /me/e-sign-consent)")})
    client = client.clipped()
    with uow:
        person = actor(uow, actor_id)
        if uow.esign.active_consent(person.id) is not None:
            raise Conflict("you have already consented to electronic records and signatures; "
                           "withdraw that consent first to consent again")
        consent = Consent(id=new_id("esc"), person_id=person.id,
                          statement_version=statement.version, statement_sha256=statement.sha256,
                          at=uow.clock(), address=client.address, user_agent=client.user_agent)
        uow.esign.add_consent(consent)
        record(uow, org_log(person.org), person.id, consent.id,
               ESignConsentGiven(statement_version=statement.version,
                                 statement_sha256=statement.sha256))
        uow.commit()
    return consent


def withdraw_consent(uow: UnitOfWork, actor_id: str) -> Consent:
    """End the person's active consent: signatures given stay; new ones need a new consent."""
    with uow:
        person = actor(uow, actor_id)
        active = uow.esign.active_consent(person.id)
        if active is None:
            raise Conflict("you have no consent to withdraw")
        now = uow.clock()
        uow.esign.withdraw_consent(active.id, now)
        record(uow, org_log(person.org), person.id, active.id,
               ESignConsentWithdrawn(statement_version=active.statement_version))
        uow.commit()
    return replace(active, withdrawn_at=now)


def required_consent(uow: UnitOfWork, person: Person) -> Consent:
    """The person's active consent, inside the caller's transaction; none is a conflict."""
    consent = uow.esign.active_consent(person.id)
    if consent is None:
        raise Conflict("consent to electronic records and signatures first (GET and POST "
                       "/me/e-sign-consent, or the form on the agreement page), then sign")
    return consent

