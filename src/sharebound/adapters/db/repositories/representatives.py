"""Representatives named under agreements, and re-shares to them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import representatives, reshares
from sharebound.domain.paging import Page, PageRequest, cut
from sharebound.domain.representatives import Representative, RepresentativeState, Reshare
from sharebound.domain.terms import Action


class RepresentativeRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, representative: Representative) -> None:
        r = representative
        self.connection.execute(insert(representatives).values(
            id=r.id, agreement_id=r.agreement_id, partnership_id=r.partnership_id, org=r.org,
            organization=r.organization, name=r.name, email=r.email, reason=r.reason,
            state=r.state.value, named_by=r.named_by, named_at=r.named_at,
            decision_reason=r.decision_reason))

    def save(self, representative: Representative) -> None:
        """Its decision, withdrawal and guest (what changes after it is named)."""
        r = representative
        self.connection.execute(update(representatives).where(representatives.c.id == r.id).values(
            state=r.state.value, decided_org=r.decided_org, decided_by=r.decided_by,
            decided_at=r.decided_at, decision_reason=r.decision_reason,
            withdrawn_by=r.withdrawn_by, withdrawn_at=r.withdrawn_at, person_id=r.person_id))

    def get(self, representative_id: str, *, lock: bool = False) -> Representative | None:
        query = select(representatives).where(representatives.c.id == representative_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _representative(row) if row is not None else None

    def of_agreement(self, agreement_id: str) -> list[Representative]:
        rows = self.connection.execute(
            select(representatives).where(representatives.c.agreement_id == agreement_id)
            .order_by(representatives.c.named_at.desc(), representatives.c.id))
        return [_representative(r) for r in rows]

    def page_of_agreement(self, agreement_id: str, request: PageRequest) -> Page[Representative]:
        """One keyset page of the agreement's representatives, newest named first."""
        rows = self.connection.execute(keyset(
            select(representatives).where(representatives.c.agreement_id == agreement_id),
            [representatives.c.named_at, representatives.c.id], request))
        return cut([_representative(r) for r in rows], request, lambda r: (r.named_at, r.id))

    def by_ids(self, ids: Iterable[str]) -> dict[str, Representative]:
        """Those of `ids` that are representatives, by id, in one query."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        rows = self.connection.execute(select(representatives).where(representatives.c.id.in_(wanted)))
        return {r.id: _representative(r) for r in rows}

    def reshares_page(self, disclosure_id: str, request: PageRequest) -> Page[Reshare]:
        """One keyset page of a disclosure's re-shares, newest first."""
        rows = self.connection.execute(keyset(
            select(reshares).where(reshares.c.disclosure_id == disclosure_id),
            [reshares.c.created_at, reshares.c.id], request))
        return cut([_reshare(r) for r in rows], request, lambda r: (r.created_at, r.id))

    def of_person(self, person_id: str) -> list[Representative]:
        """The representatives a guest answers for (one per approval of their address)."""
        rows = self.connection.execute(
            select(representatives).where(representatives.c.person_id == person_id)
            .order_by(representatives.c.named_at.desc(), representatives.c.id))
        return [_representative(r) for r in rows]

    def of_people(self, person_ids: set[str]) -> dict[str, list[Representative]]:
        """`of_person` for many guests in one query: each person's representatives, newest first
        (people who are no one's representative are left out)."""
        found: dict[str, list[Representative]] = {}
        if person_ids:
            rows = self.connection.execute(
                select(representatives).where(representatives.c.person_id.in_(sorted(person_ids)))
                .order_by(representatives.c.named_at.desc(), representatives.c.id))
            for r in rows:
                found.setdefault(r.person_id, []).append(_representative(r))
        return found

    def by_email(self, email: str) -> list[Representative]:
        rows = self.connection.execute(select(representatives).where(representatives.c.email == email))
        return [_representative(r) for r in rows]

    def add_reshare(self, reshare: Reshare) -> None:
        s = reshare
        self.connection.execute(insert(reshares).values(
            id=s.id, disclosure_id=s.disclosure_id, representative_id=s.representative_id, org=s.org,
            shared_by=s.shared_by, actions=",".join(sorted(s.actions)), created_at=s.created_at,
            expires_at=s.expires_at, note=s.note))

    def reshares_of(self, disclosure_id: str) -> list[Reshare]:
        rows = self.connection.execute(
            select(reshares).where(reshares.c.disclosure_id == disclosure_id)
            .order_by(reshares.c.created_at.desc(), reshares.c.id))
        return [_reshare(r) for r in rows]

    def reshares_to(self, representative_ids: list[str]) -> list[Reshare]:
        if not representative_ids:
            return []
        rows = self.connection.execute(
            select(reshares).where(reshares.c.representative_id.in_(representative_ids))
            .order_by(reshares.c.created_at.desc(), reshares.c.id))
        return [_reshare(r) for r in rows]


def _representative(row: Any) -> Representative:
    return Representative(
        id=row.id, agreement_id=row.agreement_id, partnership_id=row.partnership_id, org=row.org,
        organization=row.organization, name=row.name, email=row.email, reason=row.reason,
        state=RepresentativeState(row.state), named_by=row.named_by, named_at=row.named_at,
        decided_org=row.decided_org, decided_by=row.decided_by, decided_at=row.decided_at,
        decision_reason=row.decision_reason, withdrawn_by=row.withdrawn_by,
        withdrawn_at=row.withdrawn_at, person_id=row.person_id)


def _reshare(row: Any) -> Reshare:
    return Reshare(
        id=row.id, disclosure_id=row.disclosure_id, representative_id=row.representative_id,
        org=row.org, shared_by=row.shared_by,
        actions=frozenset(Action(a) for a in row.actions.split(",") if a),
        created_at=row.created_at, expires_at=row.expires_at, note=row.note)
