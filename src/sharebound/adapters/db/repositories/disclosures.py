"""Disclosures (the register), their recipients, and access records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Select,
    String,
    Text,
    bindparam,
    func,
    insert,
    literal,
    select,
    true,
    union,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.repositories.accesses import every_access
from sharebound.adapters.db.tables import (
    access_records,
    copies,
    disclosure_days,
    disclosure_recipients,
    disclosures,
    people,
)
from sharebound.adapters.db.types import UTCDateTime
from sharebound.adapters.db.where import in_list
from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import EVERYTHING, AccessRecord, Disclosure, RegisterFilter, Revocation
from sharebound.domain.paging import Key, Page, PageRequest, cut
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
        r = disclosure_recipients
        self.connection.execute(insert(r).from_select(
            [r.c.disclosure_id, r.c.person_id, r.c.org, r.c.partnership_id, r.c.created_at, r.c.expires_at],
            select(literal(d.id), people.c.id, people.c.org, literal(d.partnership_id),
                   literal(d.created_at, UTCDateTime()), literal(d.expires_at, UTCDateTime()))
            .where(people.c.id.in_(sorted(d.recipients)))))
        self._count_day(d)

    def _count_day(self, d: Disclosure) -> None:
        """Count the disclosure into `disclosure_days` (tables/disclosures.py), in one statement:
        given by its discloser, reached each recipient's org, reached each recipient."""
        ids = sorted(d.recipients)
        audiences = union(
            select(literal("", String()).label("audience")),
            select(literal("org:", String()) + people.c.org).where(people.c.id.in_(ids)),
            select(literal("person:", String()) + people.c.id).where(people.c.id.in_(ids))).subquery()
        t = disclosure_days
        rows = select(audiences.c.audience, literal(d.partnership_id, String()),
                      literal(d.created_at.astimezone(UTC).date(), Date()), literal(d.discloser, String()),
                      literal(d.classification.value, String()),
                      literal(json.dumps(sorted(d.topics)), Text()), literal(1)).where(true())
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        upsert = dialect.insert(t).from_select(
            [t.c.audience, t.c.partnership_id, t.c.day, t.c.discloser, t.c.classification, t.c.topics, t.c.n],
            rows)
        self.connection.execute(upsert.on_conflict_do_update(
            index_elements=[c for c in t.primary_key.columns], set_={"n": t.c.n + upsert.excluded.n}))

    def save_revocation(self, disclosure: Disclosure) -> None:
        revocation = disclosure.revocation
        assert revocation is not None
        self.connection.execute(
            update(disclosures).where(disclosures.c.id == disclosure.id).values(
                revoked_at=revocation.at, revoked_by=revocation.person_id,
                revoke_reason=revocation.reason))

    def get(self, disclosure_id: str, *, lock: bool = False) -> Disclosure | None:
        if lock:
            query = select(disclosures).where(disclosures.c.id == disclosure_id).with_for_update()
            found = self._query(query)
        else:
            found = self._load(self.connection.execute(_disclosure_by_id(), {"id": disclosure_id}).all())
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

    def given_page(self, org: str, partnership_id: str | None, request: PageRequest,
                   only: RegisterFilter = EVERYTHING) -> Page[Disclosure]:
        """One page of what `org` gave (in a partnership, or all), newest first."""
        query = _filtered(select(disclosures).where(disclosures.c.discloser == org), only)
        if partnership_id is not None:
            query = query.where(disclosures.c.partnership_id == partnership_id)
        rows = self.connection.execute(
            keyset(query, [disclosures.c.created_at, disclosures.c.id], request)).all()
        return cut(self._load(rows), request, sort_key)

    def received_page(self, *, person_id: str | None = None, org: str | None = None,
                      partnership_id: str | None = None, request: PageRequest,
                      only: RegisterFilter = EVERYTHING) -> Page[Disclosure]:
        """One page of what a person (or, given `org`, any of its people) received, newest
        first: one range of a recipients index joined to those disclosures (one statement),
        then their recipients."""
        r = disclosure_recipients
        query = select(r.c.created_at, r.c.disclosure_id)
        if only:
            query = _filtered(query.join(disclosures, disclosures.c.id == r.c.disclosure_id), only)
        if org is not None:
            query = query.where(r.c.org == org).distinct()
        else:
            query = query.where(r.c.person_id == person_id)
        if partnership_id is not None:
            query = query.where(r.c.partnership_id == partnership_id)
        page = keyset(query, [r.c.created_at, r.c.disclosure_id], request).subquery()
        rows = self.connection.execute(
            select(disclosures).join(page, page.c.disclosure_id == disclosures.c.id)).all()
        # why sorted here: a join keeps no order; in the range's (a recipient's created_at is
        # its disclosure's), towards the top for a `before` page as keyset read it
        found = sorted(self._load(rows), key=sort_key, reverse=request.before is None)
        return cut(found, request, sort_key)

    def by_ids(self, ids: Iterable[str]) -> dict[str, Disclosure]:
        """Those of `ids` that are disclosures, with their recipients, in two queries."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.connection.execute(
            _disclosures_by_ids(self.connection.dialect.name), {"ids": wanted}).all()
        return {d.id: d for d in self._load(rows)}

    def recent_counts(self, *, since: datetime, given_by: str | None = None, org: str | None = None,
                      person_id: str | None = None) -> dict[str, int]:
        """How many disclosures were made since `since`, by partnership: given by an org, or
        received by an org (any of its people) or by a person. The whole UTC days after
        `since`'s are summed from `disclosure_days` (a few rows a day, whatever the history);
        the rest of `since`'s own day is counted on a register index's range (at most a day)."""
        midnight = datetime.combine(since.astimezone(UTC).date() + timedelta(days=1), time(), UTC)
        if given_by is not None:
            d = disclosures
            query = (select(d.c.partnership_id, func.count())
                     .where(d.c.discloser == given_by, d.c.created_at >= since, d.c.created_at < midnight)
                     .group_by(d.c.partnership_id))
        else:
            r = disclosure_recipients
            mine = r.c.org == org if org is not None else r.c.person_id == person_id
            query = (select(r.c.partnership_id, func.count(r.c.disclosure_id.distinct()))
                     .where(mine, r.c.created_at >= since, r.c.created_at < midnight)
                     .group_by(r.c.partnership_id))
        found = {row[0]: int(row[1]) for row in self.connection.execute(query)}
        t = disclosure_days
        audience = "" if given_by is not None else f"org:{org}" if org is not None else f"person:{person_id}"
        days = (select(t.c.partnership_id, func.sum(t.c.n))
                .where(t.c.audience == audience, t.c.day >= midnight.date()).group_by(t.c.partnership_id))
        if given_by is not None:
            days = days.where(t.c.discloser == given_by)
        for partnership_id, n in self.connection.execute(days):
            found[partnership_id] = found.get(partnership_id, 0) + int(n)
        return found
    def gave_any(self, org: str) -> bool:
        return self.connection.execute(
            select(disclosures.c.id).where(disclosures.c.discloser == org).limit(1)).first() is not None

    def expiring_for(self, person_id: str, now: datetime, until: datetime, limit: int) -> list[Disclosure]:
        """What the person received that is still active and whose access ends by `until`,
        soonest first, at most `limit`."""
        r = disclosure_recipients
        # why the recipients' copy of expires_at: one range of ix_recipients_person_expiry
        query = (select(disclosures).join(r, r.c.disclosure_id == disclosures.c.id)
                 .where(r.c.person_id == person_id, r.c.expires_at > now, r.c.expires_at <= until,
                        disclosures.c.revoked_at.is_(None) | (disclosures.c.revoked_at > now))
                 .order_by(r.c.expires_at, r.c.disclosure_id).limit(limit))
        return self._load(self.connection.execute(query).all())

    def titles_visible(self, ids: list[str], partnership_id: str, org: str, person_id: str) -> dict[str, str]:
        """The titles of those of `ids` in the partnership that `org` gave or `person_id`
        received, in one query (a feed's links to disclosures)."""
        if not ids:
            return {}
        r = disclosure_recipients
        received = select(r.c.disclosure_id).where(r.c.person_id == person_id, r.c.disclosure_id.in_(ids))
        rows = self.connection.execute(
            select(disclosures.c.id, disclosures.c.item_title)
            .where(disclosures.c.id.in_(ids), disclosures.c.partnership_id == partnership_id,
                   (disclosures.c.discloser == org) | disclosures.c.id.in_(received)))
        return {row.id: row.item_title for row in rows}

    def copy_counts(self, disclosure_ids: list[str]) -> dict[str, int]:
        """How many stamped copies were made of each disclosure (one query for a whole list)."""
        if not disclosure_ids:
            return {}
        rows = self.connection.execute(_copy_counts(self.connection.dialect.name), {"ids": disclosure_ids})
        return {r[0]: int(r[1]) for r in rows}

    def access_report(self, *, disclosure_id: str | None = None, agreement_id: str | None = None,
                      discloser: str | None = None, disclosed_by: str | None = None,
                      request: PageRequest | None = None) -> list[Any]:
        """Who viewed and downloaded what and when, newest first, with the person, the item's
        title and the copy id, in one query (rows with the report's fields); with `request`,
        one keyset page of them (`cut` it on each row's `(at, id)`)."""
        accesses = every_access()  # why: a view still in the queue is shown at once
        query = (
            select(accesses.c.id, accesses.c.disclosure_id, accesses.c.action,
                   accesses.c.at, accesses.c.person_id, people.c.name, people.c.org,
                   disclosures.c.item_title, copies.c.copy_id)
            .join(disclosures, disclosures.c.id == accesses.c.disclosure_id)
            .join(people, people.c.id == accesses.c.person_id)
            .outerjoin(copies, copies.c.access_id == accesses.c.id))
        if disclosure_id is not None:
            query = query.where(accesses.c.disclosure_id == disclosure_id)
        if agreement_id is not None:
            query = query.where(disclosures.c.agreement_id == agreement_id)
        if discloser is not None:
            query = query.where(disclosures.c.discloser == discloser)
        if disclosed_by is not None:
            query = query.where(disclosures.c.disclosed_by == disclosed_by)
        if request is not None:
            return list(self.connection.execute(
                keyset(query, [accesses.c.at, accesses.c.id], request)))
        return list(self.connection.execute(
            query.order_by(accesses.c.at.desc(), accesses.c.id.desc())))

    def in_partnership(self, partnership_id: str) -> list[Disclosure]:
        return self._query(select(disclosures).where(disclosures.c.partnership_id == partnership_id))

    def _query(self, query: Select[Any]) -> list[Disclosure]:
        return self._load(self.connection.execute(
            query.order_by(disclosures.c.created_at, disclosures.c.id)).all())

    def _load(self, rows: Sequence[Any]) -> list[Disclosure]:
        """Disclosures from their rows, with every recipient in one more query."""
        if not rows:
            return []
        recipients: dict[str, set[str]] = {r.id: set() for r in rows}
        for link in self.connection.execute(_recipients_of(self.connection.dialect.name),
                                            {"ids": list(recipients)}):
            recipients[link.disclosure_id].add(link.person_id)
        return [_disclosure(r, frozenset(recipients[r.id])) for r in rows]

    def add_access(self, record: AccessRecord) -> None:
        self.connection.execute(insert(access_records).values(
            id=record.id, disclosure_id=record.disclosure_id, person_id=record.person_id,
            action=record.action.value, at=record.at))

    def accesses(self, disclosure_id: str) -> list[AccessRecord]:
        """Its accesses, oldest first: those recorded and those still queued."""
        accesses = every_access()
        rows = self.connection.execute(
            select(accesses).where(accesses.c.disclosure_id == disclosure_id)
            .order_by(accesses.c.at, accesses.c.id))
        return [AccessRecord(id=r.id, disclosure_id=r.disclosure_id, person_id=r.person_id,
                             action=Action(r.action), at=r.at) for r in rows]


def _filtered(query: Select[Any], only: RegisterFilter) -> Select[Any]:
    if only.agreement_id:
        query = query.where(disclosures.c.agreement_id == only.agreement_id)
    if only.classification:
        query = query.where(disclosures.c.item_classification == only.classification)
    if only.topic:  # the topics are a sorted JSON list of strings
        query = query.where(disclosures.c.item_topics.contains(json.dumps(only.topic), autoescape=True))
    return query


def sort_key(disclosure: Disclosure) -> Key:
    """Where a disclosure stands in every register: its time, then its id."""
    return (disclosure.created_at, disclosure.id)


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


@cache
def _disclosure_by_id() -> Select[Any]:
    return select(disclosures).where(disclosures.c.id == bindparam("id"))


@cache
def _disclosures_by_ids(dialect: str) -> Select[Any]:
    return select(disclosures).where(in_list(dialect, disclosures.c.id, "ids"))


@cache
def _recipients_of(dialect: str) -> Select[Any]:
    return select(disclosure_recipients).where(in_list(dialect, disclosure_recipients.c.disclosure_id, "ids"))


@cache
def _copy_counts(dialect: str) -> Select[Any]:
    return (select(copies.c.disclosure_id, func.count())
            .where(in_list(dialect, copies.c.disclosure_id, "ids")).group_by(copies.c.disclosure_id))
