"""Organizations and people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, insert, select, update

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import orgs, people
from sharebound.adapters.db.where import in_list, param
from sharebound.domain.orgs import LegalProfile, Org, Person, Role
from sharebound.domain.paging import Page, PageRequest, cut


def _roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


def person_of_row(row: Any) -> Person:
    return Person(id=row.id, org=row.org, name=row.name, email=row.email,
                  roles=_roles(row.roles), created_at=row.created_at,
                  active=row.deactivated_at is None)


class OrgRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_org(self, org: Org) -> None:
        self.connection.execute(insert(orgs).values(handle=org.handle, name=org.name,
                                                    created_at=org.created_at))
        self.save_profile(org.handle, org.profile)

    def save_profile(self, handle: str, profile: LegalProfile) -> None:
        self.connection.execute(update(orgs).where(orgs.c.handle == handle).values(
            legal_name=profile.legal_name, address=profile.address,
            notice_name=profile.notice_name, notice_email=profile.notice_email))

    def get_org(self, handle: str, *, lock: bool = False) -> Org | None:
        query = select(orgs).where(orgs.c.handle == handle)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return None
        profile = LegalProfile(legal_name=row.legal_name, address=row.address,
                               notice_name=row.notice_name, notice_email=row.notice_email)
        return Org(handle=row.handle, name=row.name, created_at=row.created_at, profile=profile)

    def add_person(self, person: Person, password_hash: str | None = None) -> None:
        self.connection.execute(insert(people).values(
            id=person.id, org=person.org, name=person.name, email=person.email,
            roles=",".join(sorted(person.roles)), password_hash=password_hash,
            created_at=person.created_at,
        ))

    def set_roles(self, person_id: str, roles: Iterable[Role]) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(roles=",".join(sorted(roles))))

    def set_deactivated(self, person_id: str, at: datetime | None) -> None:
        """Deactivate a person at `at`, or reactivate them (None)."""
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(deactivated_at=at))

    def set_name_and_email(self, person_id: str, *, name: str, email: str) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(name=name, email=email))

    def get_person(self, person_id: str) -> Person | None:
        row = self.connection.execute(_person(), {"id": person_id}).first()
        return person_of_row(row) if row else None

    def get_person_by_email(self, email: str) -> Person | None:
        row = self.connection.execute(select(people).where(people.c.email == email)).first()
        return person_of_row(row) if row else None

    def people_by_ids(self, ids: Iterable[str]) -> dict[str, Person]:
        """The people with these ids, in one query."""
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        return {r.id: person_of_row(r) for r in self.connection.execute(
            _people(self.connection.dialect.name), {"ids": wanted})}

    def people_by_emails(self, emails: Iterable[str]) -> dict[str, Person]:
        rows = self.connection.execute(select(people).where(people.c.email.in_(list(emails))))
        return {r.email: person_of_row(r) for r in rows}

    def people_page(self, org: str, request: PageRequest) -> Page[Person]:
        """One keyset page of the org's people, by name, then email (unique)."""
        rows = self.connection.execute(keyset(select(people).where(people.c.org == org),
                                              [people.c.name, people.c.email], request, newest_first=False))
        return cut([person_of_row(r) for r in rows], request, lambda p: (p.name, p.email))

    def people_of(self, org: str, *, active_only: bool = False) -> list[Person]:
        query = select(people).where(people.c.org == org)
        if active_only:
            query = query.where(people.c.deactivated_at.is_(None))
        rows = self.connection.execute(query.order_by(people.c.name, people.c.email))
        return [person_of_row(r) for r in rows]


@cache
def _person() -> Select[Any]:
    return select(people).where(people.c.id == param("id"))


@cache
def _people(dialect: str) -> Select[Any]:
    return select(people).where(in_list(dialect, people.c.id, "ids"))
