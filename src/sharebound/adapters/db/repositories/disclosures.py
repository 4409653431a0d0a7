"""Disclosures (the register), their recipients, and access records."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Select, func, insert, select, update

from sharebound.adapters.db.tables import access_records, copies, disclosure_recipients, disclosures, people
from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import AccessRecord, Disclosure, Revocation
from sharebound.domain.terms import Action


class DisclosureRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, disclosure: Disclosure) -> None:
        d = disclosure
        self.connection.execute(insert(disclosures).values(
            id=d.id, partnership_id=d.partnership_id, item_id=d.item_id,
            item_version=d.item_version, item_sha256=d.item_sha256, discloser=d.discloser,
            disclosed_by=d.disclosed_by, agreement_id=d.agreement_id,
            agreement_version=d.agreement_version, agreement_digest=d.agreement_digest,
            actions=",".join(sorted(d.actions)), note=d.note, created_at=d.created_at,
            expires_at=d.expires_at, item_title=d.item_title, item_classification=d.classification.value,
            item_topics=json.dumps(sorted(d.topics)), package_id=d.package_id))
        self.connection.execute(insert(disclosure_recipients), [
            {"disclosure_id": d.id, "person_id": p} for p in sorted(d.recipients)])

    def save_revocation(self, disclosure: Disclosure) -> None:
        revocation = disclosure.revocation
        assert revocation is not None
        self.connection.execute(
            update(disclosures).where(disclosures.c.id == disclosure.id).values(
                revoked_at=revocation.at, revoked_by=revocation.person_id,
                revoke_reason=revocation.reason))

    def get(self, disclosure_id: str, *, lock: bool = False) -> Disclosure | None:
        query = select(disclosures).where(disclosures.c.id == disclosure_id)
        found = self._query(query.with_for_update() if lock else query)
        return found[0] if found else None

    def given_by(self, org: str, partnership_id: str | None = None) -> list[Disclosure]:
        query = select(disclosures).where(disclosures.c.discloser == org)
        if partnership_id is not None:
            query = query.where(disclosures.c.partnership_id == partnership_id)
        return self._query(query)

    def received_by(self, person_id: str, partnership_id: str | None = None) -> list[Disclosure]:
        query = (select(disclosures)
                 .join(disclosure_recipients,
                       disclosure_recipients.c.disclosure_id == disclosures.c.id)
                 .where(disclosure_recipients.c.person_id == person_id))
        if partnership_id is not None:
            query = query.where(disclosures.c.partnership_id == partnership_id)
        return self._query(query)

    def received_by_org(self, org: str, partnership_id: str | None = None) -> list[Disclosure]:
        """Disclosures with at least one recipient in `org`."""
        ids = (select(disclosure_recipients.c.disclosure_id)
               .join(people, people.c.id == disclosure_recipients.c.person_id)
               .where(people.c.org == org))
        query = select(disclosures).where(disclosures.c.id.in_(ids))
        if partnership_id is not None:
            query = query.where(disclosures.c.partnership_id == partnership_id)
        return self._query(query)

    def copy_counts(self, disclosure_ids: list[str]) -> dict[str, int]:
        """How many stamped copies were made of each disclosure (one query for a whole list)."""
        if not disclosure_ids:
            return {}
        rows = self.connection.execute(
            select(copies.c.disclosure_id, func.count()).where(copies.c.disclosure_id.in_(disclosure_ids))
            .group_by(copies.c.disclosure_id))
        return {r[0]: int(r[1]) for r in rows}

    def access_report(self, *, disclosure_id: str | None = None, agreement_id: str | None = None,
                      discloser: str | None = None, disclosed_by: str | None = None) -> list[Any]:
        """Who viewed and downloaded what and when, newest first, with the person, the item's
        title and the copy id, in one query (rows with the report's fields)."""
        query = (
            select(access_records.c.id, access_records.c.disclosure_id, access_records.c.action,
                   access_records.c.at, access_records.c.person_id, people.c.name, people.c.org,
                   disclosures.c.item_title, copies.c.copy_id)
            .join(disclosures, disclosures.c.id == access_records.c.disclosure_id)
            .join(people, people.c.id == access_records.c.person_id)
            .outerjoin(copies, copies.c.access_id == access_records.c.id)
            .order_by(access_records.c.at.desc(), access_records.c.id.desc()))
        if disclosure_id is not None:
            query = query.where(access_records.c.disclosure_id == disclosure_id)
        if agreement_id is not None:
            query = query.where(disclosures.c.agreement_id == agreement_id)
        if discloser is not None:
            query = query.where(disclosures.c.discloser == discloser)
        if disclosed_by is not None:
            query = query.where(disclosures.c.disclosed_by == disclosed_by)
        return list(self.connection.execute(query))

    def in_partnership(self, partnership_id: str) -> list[Disclosure]:
        return self._query(select(disclosures).where(disclosures.c.partnership_id == partnership_id))

    def _query(self, query: Select[Any]) -> list[Disclosure]:
        rows = self.connection.execute(
            query.order_by(disclosures.c.created_at, disclosures.c.id)).all()
        if not rows:
            return []
        recipients: dict[str, set[str]] = {r.id: set() for r in rows}
        for link in self.connection.execute(
            select(disclosure_recipients)
            .where(disclosure_recipients.c.disclosure_id.in_(list(recipients)))
        ):
            recipients[link.disclosure_id].add(link.person_id)
        return [_disclosure(r, frozenset(recipients[r.id])) for r in rows]

    def add_access(self, record: AccessRecord) -> None:
        self.connection.execute(insert(access_records).values(
            id=record.id, disclosure_id=record.disclosure_id, person_id=record.person_id,
            action=record.action.value, at=record.at))

    def accesses(self, disclosure_id: str) -> list[AccessRecord]:
        rows = self.connection.execute(
            select(access_records).where(access_records.c.disclosure_id == disclosure_id)
            .order_by(access_records.c.at, access_records.c.id))
        return [AccessRecord(id=r.id, disclosure_id=r.disclosure_id, person_id=r.person_id,
                             action=Action(r.action), at=r.at) for r in rows]


def _disclosure(row: Any, recipients: frozenset[str]) -> Disclosure:
    revocation = None
    if row.revoked_at is not None:
        revocation = Revocation(person_id=row.revoked_by, reason=row.revoke_reason or "",
                                at=row.revoked_at)
    return Disclosure(
        id=row.id, partnership_id=row.partnership_id, item_id=row.item_id,
        item_version=row.item_version, item_sha256=row.item_sha256, discloser=row.discloser,
        disclosed_by=row.disclosed_by, agreement_id=row.agreement_id,
        agreement_version=row.agreement_version, agreement_digest=row.agreement_digest,
        recipients=recipients, actions=frozenset(Action(a) for a in row.actions.split(",")),
        created_at=row.created_at, expires_at=row.expires_at, note=row.note,
        revocation=revocation, item_title=row.item_title,
        classification=Classification(row.item_classification), topics=frozenset(json.loads(row.item_topics)),
        package_id=row.package_id)
