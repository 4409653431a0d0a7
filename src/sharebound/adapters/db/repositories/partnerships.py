"""Partnerships and their members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import partnership_members, partnerships
from sharebound.adapters.db.where import one_of
from sharebound.domain.paging import Page, PageRequest, cut
from sharebound.domain.partnerships import Membership, Partnership, Purpose


class PartnershipRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        # why: a page's read model asks for its partnership once per part (register, feed,
        # agreements, requests, charts...); inside a read-only transaction nothing can change
        # it, so each is read once (the repository lives as long as its transaction)
        self._read: dict[str, Partnership | None] = {}

    def add(self, partnership: Partnership) -> None:
        self.connection.execute(insert(partnerships).values(
            id=partnership.id, name=partnership.name, purpose=partnership.purpose.value,
            proposer=partnership.proposer, created_at=partnership.created_at,
            ended_at=partnership.ended_at,
        ))
        self.connection.execute(insert(partnership_members), [
            {"partnership_id": partnership.id, "org": m.org, "position": i,
             "accepted_at": m.accepted_at}
            for i, m in enumerate(partnership.members)
        ])

    def add_member(self, partnership: Partnership, org: str) -> None:
        """Insert `org`'s membership as `partnership` (already holding it) has it."""
        position, member = next((i, m) for i, m in enumerate(partnership.members) if m.org == org)
        self.connection.execute(insert(partnership_members).values(
            partnership_id=partnership.id, org=org, position=position, accepted_at=member.accepted_at))

    def save_acceptance(self, partnership: Partnership, org: str) -> None:
        member = next(m for m in partnership.members if m.org == org)
        self.connection.execute(
            update(partnership_members)
            .where(partnership_members.c.partnership_id == partnership.id,
                   partnership_members.c.org == org)
            .values(accepted_at=member.accepted_at))

    def get(self, partnership_id: str, *, lock: bool = False) -> Partnership | None:
        if lock or not self.connection.info.get(READ_ONLY, False):
            return self._get(partnership_id, lock=lock)
        if partnership_id not in self._read:
            self._read[partnership_id] = self._get(partnership_id, lock=False)
        return self._read[partnership_id]

    def _get(self, partnership_id: str, *, lock: bool) -> Partnership | None:
        m = partnership_members
        if lock:  # why two statements: FOR UPDATE of a join would lock the members' rows too
            locked = self.connection.execute(
                select(partnerships).where(partnerships.c.id == partnership_id).with_for_update()).first()
            if locked is None:
                return None
            row: Any = locked
            members = [Membership(org=r.org, accepted_at=r.accepted_at) for r in self.connection.execute(
                select(m).where(m.c.partnership_id == partnership_id).order_by(m.c.position))]
        else:  # one round trip: a row per member
            rows = self.connection.execute(
                select(partnerships, m.c.org.label("member_org"), m.c.accepted_at.label("member_accepted_at"))
                .outerjoin(m, m.c.partnership_id == partnerships.c.id)
                .where(partnerships.c.id == partnership_id).order_by(m.c.position)).all()
            if not rows:
                return None
            row = rows[0]
            members = [Membership(org=r.member_org, accepted_at=r.member_accepted_at)
                       for r in rows if r.member_org is not None]
        return Partnership(id=row.id, name=row.name, purpose=Purpose(row.purpose), proposer=row.proposer,
                           members=tuple(members), created_at=row.created_at, ended_at=row.ended_at)

    def ids_for_org(self, org: str) -> list[str]:
        rows = self.connection.execute(
            select(partnerships.c.id)
            .join(partnership_members, partnership_members.c.partnership_id == partnerships.c.id)
            .where(partnership_members.c.org == org)
            .order_by(partnerships.c.created_at, partnerships.c.id))
        return [r.id for r in rows]

    def list_for_org(self, org: str) -> list[Partnership]:
        """Every partnership `org` is a member of, oldest first, in two queries."""
        return self._load(self.connection.execute(
            self._of_org(org).order_by(partnerships.c.created_at, partnerships.c.id)).all())

    def page_for_org(self, org: str, request: PageRequest) -> Page[Partnership]:
        """One keyset page of the partnerships `org` is a member of, oldest first, with their
        members in one more query."""
        order = [partnerships.c.created_at, partnerships.c.id]
        rows = self.connection.execute(keyset(self._of_org(org), order, request, newest_first=False)).all()
        return cut(self._load(rows), request, lambda p: (p.created_at, p.id))

    @staticmethod
    def _of_org(org: str) -> Select[Any]:
        return (select(partnerships)
                .join(partnership_members, partnership_members.c.partnership_id == partnerships.c.id)
                .where(partnership_members.c.org == org))

    def _load(self, rows: Sequence[Any]) -> list[Partnership]:
        """Partnerships from their rows, with the members of them all in one query."""
        if not rows:
            return []
        members: dict[str, list[Membership]] = {}
        for m in self.connection.execute(
                select(partnership_members)
                .where(one_of(self.connection, partnership_members.c.partnership_id,
                              sorted({r.id for r in rows})))
                .order_by(partnership_members.c.partnership_id, partnership_members.c.position)):
            members.setdefault(m.partnership_id, []).append(Membership(org=m.org, accepted_at=m.accepted_at))
        return [Partnership(id=row.id, name=row.name, purpose=Purpose(row.purpose), proposer=row.proposer,
                            members=tuple(members.get(row.id, ())), created_at=row.created_at,
                            ended_at=row.ended_at) for row in rows]
