"""Organizations and people."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import orgs, people
from sharebound.domain.orgs import Org, Person, Role


def _roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


def _person(row: Any) -> Person:
    return Person(id=row.id, org=row.org, name=row.name, email=row.email,
                  roles=_roles(row.roles), created_at=row.created_at)


class OrgRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_org(self, org: Org) -> None:
        self.connection.execute(insert(orgs).values(handle=org.handle, name=org.name,
                                                    created_at=org.created_at,
                                                    legal_name=org.legal_name, address=org.address))

    def get_org(self, handle: str, *, lock: bool = False) -> Org | None:
        query = select(orgs).where(orgs.c.handle == handle)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return Org(handle=row.handle, name=row.name, created_at=row.created_at,
                   legal_name=row.legal_name, address=row.address) if row else None

    def add_person(self, person: Person, password_hash: str | None = None) -> None:
        self.connection.execute(insert(people).values(
            id=person.id, org=person.org, name=person.name, email=person.email,
            roles=",".join(sorted(person.roles)), password_hash=password_hash,
            created_at=person.created_at,
        ))

    def set_roles(self, person_id: str, roles: Iterable[Role]) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(roles=",".join(sorted(roles))))

    def get_person(self, person_id: str) -> Person | None:
        row = self.connection.execute(select(people).where(people.c.id == person_id)).first()
        return _person(row) if row else None

    def get_person_by_email(self, email: str) -> Person | None:
        row = self.connection.execute(select(people).where(people.c.email == email)).first()
        return _person(row) if row else None

    def people_by_emails(self, emails: Iterable[str]) -> dict[str, Person]:
        rows = self.connection.execute(select(people).where(people.c.email.in_(list(emails))))
        return {r.email: _person(r) for r in rows}

    def people_of(self, org: str) -> list[Person]:
        rows = self.connection.execute(
            select(people).where(people.c.org == org).order_by(people.c.name, people.c.email))
        return [_person(r) for r in rows]
