"""Secrets for signing in: password hashes, API tokens, invitations, failed attempts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from sharebound.adapters.db.tables import api_tokens, invitations, login_failures, people


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: str
    person_id: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    id: str
    person_id: str
    expires_at: datetime
    used_at: datetime | None


class AuthRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def password_hash(self, person_id: str) -> str | None:
        return self.connection.execute(
            select(people.c.password_hash).where(people.c.id == person_id)).scalar_one_or_none()

    def set_password_hash(self, person_id: str, password_hash: str) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(password_hash=password_hash))

    def add_token(self, record: TokenRecord, token_hash: str) -> None:
        self.connection.execute(insert(api_tokens).values(
            id=record.id, person_id=record.person_id, token_hash=token_hash, name=record.name,
            created_at=record.created_at, expires_at=record.expires_at))

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self.connection.execute(
            select(api_tokens).where(api_tokens.c.token_hash == token_hash)).first()
        return _token(row) if row else None

    def tokens_of(self, person_id: str) -> list[TokenRecord]:
        rows = self.connection.execute(
            select(api_tokens).where(api_tokens.c.person_id == person_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id))
        return [_token(r) for r in rows]

    def revoke_token(self, token_id: str, at: datetime) -> None:
        self.connection.execute(update(api_tokens).where(api_tokens.c.id == token_id)
                                .values(revoked_at=at))

    def add_invitation(self, record: InvitationRecord, token_hash: str, at: datetime) -> None:
        self.connection.execute(insert(invitations).values(
            id=record.id, person_id=record.person_id, token_hash=token_hash, created_at=at,
            expires_at=record.expires_at))

    def invitation_by_hash(self, token_hash: str) -> InvitationRecord | None:
        row = self.connection.execute(
            select(invitations).where(invitations.c.token_hash == token_hash)).first()
        if row is None:
            return None
        return InvitationRecord(id=row.id, person_id=row.person_id, expires_at=row.expires_at,
                                used_at=row.used_at)

    def use_invitation(self, invitation_id: str, at: datetime) -> None:
        self.connection.execute(update(invitations).where(invitations.c.id == invitation_id)
                                .values(used_at=at))

    def record_failure(self, key: str, at: datetime) -> None:
        self.connection.execute(insert(login_failures).values(key=key, at=at))

    def failures_since(self, key: str, since: datetime) -> int:
        return int(self.connection.execute(
            select(func.count()).select_from(login_failures)
            .where(login_failures.c.key == key, login_failures.c.at >= since)).scalar_one())


def _token(row: Any) -> TokenRecord:
    return TokenRecord(id=row.id, person_id=row.person_id, name=row.name, created_at=row.created_at,
                       expires_at=row.expires_at, revoked_at=row.revoked_at)
