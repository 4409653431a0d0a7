"""SCIM provisioning: bearer tokens (hashes only), what the provider sent of each person, groups."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sharebound.adapters.db.repositories.orgs import person_of_row
from sharebound.adapters.db.tables import people, scim_group_members, scim_groups, scim_tokens
from sharebound.domain.scim import ScimGroup, ScimTokenRecord, ScimUser, attributes_of


class ScimRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # --- tokens ---------------------------------------------------------------------------

    def add_token(self, record: ScimTokenRecord, token_hash: str) -> None:
        self.connection.execute(insert(scim_tokens).values(
            id=record.id, org=record.org, token_hash=token_hash, name=record.name,
            created_by=record.created_by, created_at=record.created_at))

    def token_by_hash(self, token_hash: str) -> ScimTokenRecord | None:
        row = self.connection.execute(
            select(scim_tokens).where(scim_tokens.c.token_hash == token_hash)).first()
        return _token(row) if row else None

    def tokens_of(self, org: str) -> list[ScimTokenRecord]:
        rows = self.connection.execute(select(scim_tokens).where(scim_tokens.c.org == org)
                                       .order_by(scim_tokens.c.created_at, scim_tokens.c.id))
        return [_token(r) for r in rows]

    def revoke_token(self, token_id: str, at: datetime) -> None:
        self.connection.execute(update(scim_tokens).where(scim_tokens.c.id == token_id)
                                .values(revoked_at=at))

    # --- users ----------------------------------------------------------------------------

    def users(self, org: str, *, where: tuple[str, str] | None = None, offset: int = 0,
              limit: int = 100) -> tuple[int, list[ScimUser]]:
        """The org's people SCIM shows (not those it deleted), by creation; `where` is
        (attribute, value) for userName, externalId or id. The total, and one page."""
        query = select(people).where(people.c.org == org, people.c.scim_deleted_at.is_(None))
        if where is not None:
            attribute, value = where
            if attribute == "userName":
                # why both: people added in the app have their email as their userName
                query = query.where(
                    (func.lower(people.c.scim_user_name) == value.lower())
                    | (people.c.scim_user_name.is_(None) & (people.c.email == value.lower())))
            elif attribute == "externalId":
                query = query.where(people.c.external_id == value)
            else:
                query = query.where(people.c.id == value)
        total = int(self.connection.execute(
            select(func.count()).select_from(query.subquery())).scalar_one())
        rows = list(self.connection.execute(
            query.order_by(people.c.created_at, people.c.id).offset(offset).limit(limit)))
        groups = self._groups_of([r.id for r in rows])
        return total, [self._user(r, groups.get(r.id, ())) for r in rows]

    def user(self, org: str, person_id: str) -> ScimUser | None:
        _, found = self.users(org, where=("id", person_id), limit=1)
        return found[0] if found else None

    def user_name_taken(self, org: str, user_name: str, but: str | None = None) -> bool:
        query = select(people.c.id).where(
            people.c.org == org,
            (func.lower(people.c.scim_user_name) == user_name.lower())
            | (people.c.scim_user_name.is_(None) & (people.c.email == user_name.lower())))
        if but is not None:
            query = query.where(people.c.id != but)
        return self.connection.execute(query.limit(1)).first() is not None

    def set_user(self, person_id: str, *, user_name: str, external_id: str | None,
                 attributes: dict[str, Any]) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id).values(
            scim_user_name=user_name, external_id=external_id,
            scim_data=json.dumps(attributes, sort_keys=True, ensure_ascii=False)))

    def forget(self, person_id: str) -> None:
        """Drop what the provider sent of a person (their erasure)."""
        self.connection.execute(update(people).where(people.c.id == person_id).values(
            scim_user_name=None, external_id=None, scim_data=None))

    def mark_deleted(self, person_id: str, at: datetime) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(scim_deleted_at=at))

    def _user(self, row: Any, groups: Iterable[tuple[str, str]]) -> ScimUser:
        person = person_of_row(row)
        kept = json.loads(row.scim_data) if row.scim_data else None
        return ScimUser(person=person, user_name=row.scim_user_name or person.email,
                        external_id=row.external_id, attributes=attributes_of(person, kept),
                        groups=tuple(groups))

    def _groups_of(self, person_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        found: dict[str, list[tuple[str, str]]] = {}
        if not person_ids:
            return found
        rows = self.connection.execute(
            select(scim_group_members.c.person_id, scim_groups.c.id, scim_groups.c.display_name)
            .join(scim_groups, scim_groups.c.id == scim_group_members.c.group_id)
            .where(scim_group_members.c.person_id.in_(person_ids))
            .order_by(scim_groups.c.display_name))
        for r in rows:
            found.setdefault(r.person_id, []).append((r.id, r.display_name))
        return found

    # --- groups ---------------------------------------------------------------------------

    def add_group(self, group: ScimGroup) -> None:
        self.connection.execute(insert(scim_groups).values(
            id=group.id, org=group.org, display_name=group.display_name,
            external_id=group.external_id, created_at=group.created_at))
        self.set_members(group.id, group.members)

    def update_group(self, group_id: str, *, display_name: str, external_id: str | None) -> None:
        self.connection.execute(update(scim_groups).where(scim_groups.c.id == group_id)
                                .values(display_name=display_name, external_id=external_id))

    def set_members(self, group_id: str, person_ids: Iterable[str]) -> None:
        self.connection.execute(delete(scim_group_members)
                                .where(scim_group_members.c.group_id == group_id))
        ids = sorted(set(person_ids))
        if ids:
            self.connection.execute(insert(scim_group_members),
                                    [{"group_id": group_id, "person_id": i} for i in ids])

    def delete_group(self, group_id: str) -> None:
        self.set_members(group_id, ())
        self.connection.execute(delete(scim_groups).where(scim_groups.c.id == group_id))

    def remove_member_everywhere(self, person_id: str) -> None:
        self.connection.execute(delete(scim_group_members)
                                .where(scim_group_members.c.person_id == person_id))

    def groups(self, org: str, *, where: tuple[str, str] | None = None, offset: int = 0,
               limit: int = 100) -> tuple[int, list[ScimGroup]]:
        query = select(scim_groups).where(scim_groups.c.org == org)
        if where is not None:
            attribute, value = where
            if attribute == "displayName":
                query = query.where(func.lower(scim_groups.c.display_name) == value.lower())
            elif attribute == "externalId":
                query = query.where(scim_groups.c.external_id == value)
            else:
                query = query.where(scim_groups.c.id == value)
        total = int(self.connection.execute(
            select(func.count()).select_from(query.subquery())).scalar_one())
        rows = list(self.connection.execute(
            query.order_by(scim_groups.c.created_at, scim_groups.c.id).offset(offset).limit(limit)))
        members: dict[str, list[str]] = {}
        if rows:
            for m in self.connection.execute(
                    select(scim_group_members)
                    .where(scim_group_members.c.group_id.in_([r.id for r in rows]))):
                members.setdefault(m.group_id, []).append(m.person_id)
        return total, [ScimGroup(id=r.id, org=r.org, display_name=r.display_name,
                                 external_id=r.external_id, created_at=r.created_at,
                                 members=tuple(sorted(members.get(r.id, ())))) for r in rows]

    def group(self, org: str, group_id: str) -> ScimGroup | None:
        _, found = self.groups(org, where=("id", group_id), limit=1)
        return found[0] if found else None

    def group_names_of(self, person_id: str) -> list[str]:
        return list(self.connection.execute(
            select(scim_groups.c.display_name)
            .join(scim_group_members, scim_groups.c.id == scim_group_members.c.group_id)
            .where(scim_group_members.c.person_id == person_id)).scalars())


def _token(row: Any) -> ScimTokenRecord:
    return ScimTokenRecord(id=row.id, org=row.org, name=row.name, created_by=row.created_by,
                           created_at=row.created_at, revoked_at=row.revoked_at)
