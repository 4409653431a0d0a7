"""E-sign consents, signature evidence (append-only) and executed copies."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import e_sign_consents, executed_copies, signature_evidence, signatures
from sharebound.domain.esign import Consent, SignatureEvidence


@dataclass(frozen=True, slots=True)
class ExecutedCopyRecord:
    agreement_id: str
    version: int
    digest: str  # the agreement document's, which every party signed
    sha256: str  # the PDF's
    blob_org: str  # the org the blob is sealed for
    size: int
    created_at: datetime


class ESignRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # -- consents ---------------------------------------------------------------------------

    def add_consent(self, consent: Consent) -> None:
        self.connection.execute(insert(e_sign_consents).values(
            id=consent.id, person_id=consent.person_id, statement_version=consent.statement_version,
            statement_sha256=consent.statement_sha256, at=consent.at, address=consent.address,
            user_agent=consent.user_agent, withdrawn_at=consent.withdrawn_at))

    def active_consent(self, person_id: str) -> Consent | None:
        t = e_sign_consents
        row = self.connection.execute(
            select(t).where(t.c.person_id == person_id, t.c.withdrawn_at.is_(None))
            .order_by(t.c.at.desc(), t.c.id.desc()).limit(1)).first()
        return _consent(row) if row is not None else None

    def latest_consent(self, person_id: str) -> Consent | None:
        t = e_sign_consents
        row = self.connection.execute(
            select(t).where(t.c.person_id == person_id)
            .order_by(t.c.at.desc(), t.c.id.desc()).limit(1)).first()
        return _consent(row) if row is not None else None

    def withdraw_consent(self, consent_id: str, at: datetime) -> None:
        t = e_sign_consents
        self.connection.execute(update(t).where(t.c.id == consent_id, t.c.withdrawn_at.is_(None))
                                .values(withdrawn_at=at))

    # -- signature evidence: written once, never updated -------------------------------------

    def add_evidence(self, evidence: SignatureEvidence) -> None:
        self.connection.execute(insert(signature_evidence).values(
            id=evidence.id, agreement_id=evidence.agreement_id, version=evidence.version,
            org=evidence.org, org_legal_name=evidence.org_legal_name, person_id=evidence.person_id,
            name=evidence.name, email=evidence.email, title=evidence.title, digest=evidence.digest,
            signed_at=evidence.signed_at, methods=" ".join(evidence.methods),
            consent_id=evidence.consent_id, consent_version=evidence.consent_version,
            consent_at=evidence.consent_at, address=evidence.address,
            user_agent=evidence.user_agent))

    # -- executed copies ---------------------------------------------------------------------

    def add_executed_copy(self, copy: ExecutedCopyRecord) -> None:
        self.connection.execute(insert(executed_copies).values(
            agreement_id=copy.agreement_id, version=copy.version, digest=copy.digest,
            sha256=copy.sha256, blob_org=copy.blob_org, size=copy.size, created_at=copy.created_at))

    def executed_copies_of(self, agreement_id: str) -> list[ExecutedCopyRecord]:
        t = executed_copies
        return [_copy(r) for r in self.connection.execute(
            select(t).where(t.c.agreement_id == agreement_id).order_by(t.c.version))]

    def versions_without_copy(self) -> list[tuple[str, int]]:
        """(agreement id, version) of every signed version without an executed copy: those
        every party signed among them are due one."""
        s, c = signatures, executed_copies
        query = (select(s.c.agreement_id, s.c.version).distinct()
                 .outerjoin(c, (c.c.agreement_id == s.c.agreement_id) & (c.c.version == s.c.version))
                 .where(c.c.sha256.is_(None)).order_by(s.c.agreement_id, s.c.version))
        return [(r.agreement_id, r.version) for r in self.connection.execute(query)]

    def executed_copy_by_sha256(self, sha256: str) -> ExecutedCopyRecord | None:
        t = executed_copies
        row = self.connection.execute(select(t).where(t.c.sha256 == sha256)).first()
        return _copy(row) if row is not None else None


def _consent(row: Any) -> Consent:
    return Consent(id=row.id, person_id=row.person_id, statement_version=row.statement_version,
                   statement_sha256=row.statement_sha256, at=row.at, address=row.address,
                   user_agent=row.user_agent, withdrawn_at=row.withdrawn_at)


def evidence_from_row(row: Mapping[Any, Any]) -> SignatureEvidence:
    """A signature's evidence from a row whose columns are named `evidence_<column>`."""
    def get(name: str) -> Any:
        return row[f"evidence_{name}"]

    return SignatureEvidence(
        id=get("id"), agreement_id=get("agreement_id"), version=get("version"), org=get("org"),
        org_legal_name=get("org_legal_name"), person_id=get("person_id"), name=get("name"),
        email=get("email"), title=get("title"), digest=get("digest"), signed_at=get("signed_at"),
        methods=tuple(get("methods").split()), consent_id=get("consent_id"),
        consent_version=get("consent_version"), consent_at=get("consent_at"),
        address=get("address"), user_agent=get("user_agent"))


def _copy(row: Any) -> ExecutedCopyRecord:
    return ExecutedCopyRecord(agreement_id=row.agreement_id, version=row.version, digest=row.digest,
                              sha256=row.sha256, blob_org=row.blob_org, size=row.size,
                              created_at=row.created_at)
