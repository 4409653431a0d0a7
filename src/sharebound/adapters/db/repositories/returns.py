"""Copies to return or destroy: the downloads an org's people made under an agreement, and
the org's certification."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from sharebound.adapters.db.tables import access_records, copies, disclosures, people, return_certifications
from sharebound.domain.returns import Certification, DownloadedCopy


class ReturnRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def downloads(self, agreement_id: str, org: str, person_id: str | None = None) -> list[DownloadedCopy]:
        """Every download by the org's people (or one person) of disclosures under the agreement."""
        query = (
            select(access_records.c.id, access_records.c.disclosure_id, access_records.c.person_id,
                   access_records.c.at, disclosures.c.item_title, disclosures.c.item_version,
                   people.c.name, copies.c.copy_id, copies.c.sha256)
            .join(disclosures, disclosures.c.id == access_records.c.disclosure_id)
            .join(people, people.c.id == access_records.c.person_id)
            .outerjoin(copies, copies.c.access_id == access_records.c.id)
            .where(disclosures.c.agreement_id == agreement_id, people.c.org == org,
                   access_records.c.action == "download")
            .order_by(access_records.c.at, access_records.c.id))
        if person_id is not None:
            query = query.where(access_records.c.person_id == person_id)
        return [DownloadedCopy(access_id=r.id, disclosure_id=r.disclosure_id, item_title=r.item_title,
                               item_version=r.item_version, person_id=r.person_id, person_name=r.name,
                               at=r.at, copy_id=r.copy_id, sha256=r.sha256)
                for r in self.connection.execute(query)]

    def certification(self, agreement_id: str, org: str) -> Certification | None:
        t = return_certifications
        row = self.connection.execute(
            select(t).where(t.c.agreement_id == agreement_id, t.c.org == org)).first()
        if row is None:
            return None
        return Certification(org=row.org, person_id=row.certified_by, statement=row.statement,
                             copies=row.copies, at=row.certified_at)

    def certify(self, agreement_id: str, certification: Certification) -> None:
        self.connection.execute(insert(return_certifications).values(
            agreement_id=agreement_id, org=certification.org, certified_by=certification.person_id,
            statement=certification.statement, copies=certification.copies,
            certified_at=certification.at))
