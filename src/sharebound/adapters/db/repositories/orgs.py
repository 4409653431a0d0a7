"""Organizations and people."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import orgs, people
from sharebound.adapters.db.where import in_list
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
        # why: a page reads the same people for several parts (a partnership page: the
        # registers' recipients, the feed's authors and mentions, the partners' people);
        # inside a read-only transaction each org's people, and each person, are read once
        # (the repository lives as long as its transaction)
        self._of_org: dict[str, list[Person]] = {}
        self._by_id: dict[str, Person] = {}

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
        """The people with these ids, in one query (none when a read-only transaction has
        read them all already)."""
        wanted = sorted(set(ids))
        reading = self.connection.info.get(READ_ONLY, False)
        missing = [i for i in wanted if not reading or i not in self._by_id]
        found = {r.id: person_of_row(r) for r in self.connection.execute(
            _people(self.connection.dialect.name), {"ids": missing})} if missing else {}
        if not reading:
            return found
        self._by_id.update(found)
        return {i: self._by_id[i] for i in wanted if i in self._by_id}

    def people_by_emails(self, emails: Iterable[str]) -> dict[str, Person]:
        rows = self.connection.execute(select(people).where(people.c.email.in_(list(emails))))
        return {r.email: person_of_row(r) for r in rows}

    def people_page(self, org: str, request: PageRequest) -> Page[Person]:
        """One keyset page of the org's people, by name, then email (unique)."""
        rows = self.connection.execute(keyset(select(people).where(people.c.org == org),
                                              [people.c.name, people.c.email], request, newest_first=False))
        return cut([person_of_row(r) for r in rows], request, lambda p: (p.name, p.email))

    def people_of(self, org: str, *, active_only: bool = False) -> list[Person]:
        """The org's people by name, then email (unique)."""
        if self.connection.info.get(READ_ONLY, False):
            return [p for p in self.people_of_orgs([org])[org] if p.active or not active_only]
        query = select(people).where(people.c.org == org)
        if active_only:
            query = query.where(people.c.deactivated_at.is_(None))
        rows = self.connection.execute(query.order_by(people.c.name, people.c.email))
        return [person_of_row(r) for r in rows]

    def people_of_orgs(self, handles: Iterable[str]) -> dict[str, list[Person]]:
        """Each org's people by name, then email, in one query; inside a read-only transaction
        each org's are read once, and then `people_of` and `people_by_ids` answer from them."""
        wanted = sorted(set(handles))
        reading = self.connection.info.get(READ_ONLY, False)
        missing = [o for o in wanted if not reading or o not in self._of_org]
        found: dict[str, list[Person]] = {o: [] for o in missing}
        if missing:
            for row in self.connection.execute(select(people).where(people.c.org.in_(missing))
                                               .order_by(people.c.org, people.c.name, people.c.email)):
                found[row.org].append(person_of_row(row))
        if not reading:
            return found
        self._of_org.update(found)
        self._by_id.update({p.id: p for org in found.values() for p in org})
        return {o: list(self._of_org[o]) for o in wanted}

@cache
def _person() -> Select[Any]:
    return select(people).where(people.c.id == bindparam("id"))


@cache
def _people(dialect: str) -> Select[Any]:
    return select(people).where(in_list(dialect, people.c.id, "ids"))
