"""The rows of an export, read in keyset batches (`WHERE (created_at, id) > last ORDER BY
created_at, id LIMIT n`): each batch is one short query on an index (0022_exports), so an
export of any size holds one batch at a time and no transaction stays open while it is sent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Subquery, and_, func, or_, select, true

from sharebound.adapters.db.repositories.accesses import every_access
from sharebound.adapters.db.tables import copies, disclosure_recipients, disclosures, people


@dataclass(frozen=True)
class ExportQuery:
    """Which rows: the scope, who reads them (`org` None: the operator, every row), and the
    filters. `until` is the export's moment: rows after it are left out, so that the count
    recorded in the audit event is the count written."""

    until: datetime
    agreement_id: str | None = None
    partnership_id: str | None = None
    org: str | None = None  # the reader's org
    person_id: str | None = None  # received: what was disclosed to this person (None: the whole org)
    given: bool = True
    received: bool = True
    disclosed_by: str | None = None  # the access report of a member: their own disclosures
    starts: datetime | None = None
    ends: datetime | None = None  # exclusive
    classification: str | None = None
    topic: str | None = None


Cursor = tuple[datetime, str]  # the last row's time and id


@dataclass(frozen=True, slots=True)
class RegisterRow:
    id: str
    created_at: datetime
    discloser: str
    by_email: str  # the person who disclosed
    recipients: tuple[tuple[str, str], ...]  # (email, org), sorted
    item_id: str
    item_version: int
    item_title: str
    item_sha256: str
    classification: str
    topics: tuple[str, ...]
    actions: tuple[str, ...]
    expires_at: datetime
    revoked_at: datetime | None
    partnership_id: str
    agreement_id: str
    agreement_version: int
    agreement_digest: str


@dataclass(frozen=True, slots=True)
class AccessRow:
    id: str
    at: datetime
    action: str
    name: str
    email: str
    org: str
    copy_id: str | None
    disclosure_id: str
    item_title: str
    classification: str
    agreement_id: str
    agreement_version: int


class ExportQueries:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def count_register(self, query: ExportQuery) -> int:
        return int(self.connection.execute(
            select(func.count()).select_from(disclosures).where(*_register_where(query))).scalar_one())

    def register_batch(self, query: ExportQuery, after: Cursor | None, size: int) -> list[RegisterRow]:
        """The next `size` register rows after `after`, oldest first, with the email of the
        person who disclosed and the recipients' emails and orgs."""
        by = people.alias("by")
        where = _register_where(query)
        if after is not None:
            where.append(_after(disclosures.c.created_at, disclosures.c.id, after))
        rows = self.connection.execute(
            select(disclosures, by.c.email.label("by_email"))
            .join(by, by.c.id == disclosures.c.disclosed_by)
            .where(*where).order_by(disclosures.c.created_at, disclosures.c.id).limit(size)).all()
        recipients: dict[str, list[tuple[str, str]]] = {r.id: [] for r in rows}
        if rows:
            for link in self.connection.execute(
                select(disclosure_recipients.c.disclosure_id, people.c.email, people.c.org)
                .join(people, people.c.id == disclosure_recipients.c.person_id)
                .where(disclosure_recipients.c.disclosure_id.in_(list(recipients)))
            ):
                recipients[link.disclosure_id].append((link.email, link.org))
        return [RegisterRow(
            id=r.id, created_at=r.created_at, discloser=r.discloser, by_email=r.by_email,
            recipients=tuple(sorted(recipients[r.id])), item_id=r.item_id,
            item_version=r.item_version, item_title=r.item_title, item_sha256=r.item_sha256,
            classification=r.item_classification, topics=tuple(json.loads(r.item_topics)),
            actions=tuple(r.actions.split(",")), expires_at=r.expires_at, revoked_at=r.revoked_at,
            partnership_id=r.partnership_id, agreement_id=r.agreement_id,
            agreement_version=r.agreement_version, agreement_digest=r.agreement_digest) for r in rows]

    def count_accesses(self, query: ExportQuery) -> int:
        accesses = every_access()
        return int(self.connection.execute(
            select(func.count()).select_from(accesses)
            .join(disclosures, disclosures.c.id == accesses.c.disclosure_id)
            .where(*_access_where(query, accesses))).scalar_one())

    def access_batch(self, query: ExportQuery, after: Cursor | None, size: int) -> list[AccessRow]:
        """The next `size` accesses after `after`, oldest first, with the person, the
        disclosure's title, classification and agreement, and the stamped copy's id."""
        accesses = every_access()  # why: a view still in the queue is in the report too
        where = _access_where(query, accesses)
        if after is not None:
            where.append(_after(accesses.c.at, accesses.c.id, after))
        rows = self.connection.execute(
            select(accesses.c.id, accesses.c.at, accesses.c.action,
                   accesses.c.disclosure_id, people.c.name, people.c.email, people.c.org,
                   copies.c.copy_id, disclosures.c.item_title, disclosures.c.item_classification,
                   disclosures.c.agreement_id, disclosures.c.agreement_version)
            .join(disclosures, disclosures.c.id == accesses.c.disclosure_id)
            .join(people, people.c.id == accesses.c.person_id)
            .outerjoin(copies, copies.c.access_id == accesses.c.id)
            .where(*where).order_by(accesses.c.at, accesses.c.id).limit(size)).all()
        return [AccessRow(id=r.id, at=r.at, action=r.action, name=r.name, email=r.email, org=r.org,
                          copy_id=r.copy_id, disclosure_id=r.disclosure_id, item_title=r.item_title,
                          classification=r.item_classification, agreement_id=r.agreement_id,
                          agreement_version=r.agreement_version) for r in rows]


def _after(at: Any, key: Any, after: Cursor) -> ColumnElement[bool]:
    return or_(at > after[0], and_(at == after[0], key > after[1]))


def _scope(query: ExportQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.agreement_id is not None:
        where.append(disclosures.c.agreement_id == query.agreement_id)
    if query.partnership_id is not None:
        where.append(disclosures.c.partnership_id == query.partnership_id)
    if query.classification is not None:
        where.append(disclosures.c.item_classification == query.classification)
    if query.topic is not None:  # the topics are a sorted JSON list of strings
        pattern = json.dumps(query.topic).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(disclosures.c.item_topics.like(f"%{pattern}%", escape="\\"))
    return where


def _register_where(query: ExportQuery) -> list[ColumnElement[bool]]:
    where = _scope(query)
    where.append(disclosures.c.created_at <= query.until)
    if query.starts is not None:
        where.append(disclosures.c.created_at >= query.starts)
    if query.ends is not None:
        where.append(disclosures.c.created_at < query.ends)
    if query.org is None:
        return where
    sides: list[ColumnElement[bool]] = []
    if query.given:
        sides.append(disclosures.c.discloser == query.org)
    if query.received:
        to: Select[Any] = select(disclosure_recipients.c.disclosure_id)
        if query.person_id is not None:
            to = to.where(disclosure_recipients.c.person_id == query.person_id)
        else:
            to = (to.join(people, people.c.id == disclosure_recipients.c.person_id)
                  .where(people.c.org == query.org))
        sides.append(and_(disclosures.c.discloser != query.org, disclosures.c.id.in_(to)))
    where.append(or_(*sides) if sides else ~true())
    return where


def _access_where(query: ExportQuery, accesses: Subquery) -> list[ColumnElement[bool]]:
    where = _scope(query)
    where.append(accesses.c.at <= query.until)
    if query.starts is not None:
        where.append(accesses.c.at >= query.starts)
    if query.ends is not None:
        where.append(accesses.c.at < query.ends)
    if query.org is not None:
        where.append(disclosures.c.discloser == query.org)
    if query.disclosed_by is not None:
        where.append(disclosures.c.disclosed_by == query.disclosed_by)
    return where
