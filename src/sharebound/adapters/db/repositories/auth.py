"""Secrets for signing in: password hashes, API tokens, invitations, failed attempts."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.repositories.orgs import person_of_row
from sharebound.adapters.db.tables import (
    api_tokens,
    form_submissions,
    invitations,
    login_failures,
    people,
    web_sessions,
)
from sharebound.domain.auth import FormClaim, InvitationRecord, SessionRecord, TokenRecord
from sharebound.domain.orgs import Person


class AuthRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def password_hash(self, person_id: str) -> str | None:
        return self.connection.execute(
            select(people.c.password_hash).where(people.c.id == person_id)).scalar_one_or_none()

    def set_password_hash(self, person_id: str, password_hash: str) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(password_hash=password_hash))

    def clear_password_hash(self, person_id: str) -> None:
        self.connection.execute(update(people).where(people.c.id == person_id)
                                .values(password_hash=None))

    def add_token(self, record: TokenRecord, token_hash: str) -> None:
        self.connection.execute(insert(api_tokens).values(
            id=record.id, person_id=record.person_id, token_hash=token_hash, name=record.name,
            created_at=record.created_at, expires_at=record.expires_at))

    def token_by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self.connection.execute(
            select(api_tokens).where(api_tokens.c.token_hash == token_hash)).first()
        return _token(row) if row else None

    def token_holder(self, token_hash: str) -> tuple[Person, datetime | None, datetime | None] | None:
        """The person a token was issued to, with the token's expiry and revocation, in one
        query (every API request asks it)."""
        row = self.connection.execute(_token_holder(), {"token_hash": token_hash}).first()
        return (person_of_row(row), row.token_expires_at, row.token_revoked_at) if row else None

    def tokens_of(self, person_id: str) -> list[TokenRecord]:
        rows = self.connection.execute(
            select(api_tokens).where(api_tokens.c.person_id == person_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id))
        return [_token(r) for r in rows]

    def revoke_token(self, token_id: str, at: datetime) -> None:
        self.connection.execute(update(api_tokens).where(api_tokens.c.id == token_id)
                                .values(revoked_at=at))

    def revoke_tokens_of(self, person_id: str, at: datetime) -> int:
        """Revoke every live token of a person; how many were live."""
        result = self.connection.execute(update(api_tokens).where(
            api_tokens.c.person_id == person_id, api_tokens.c.revoked_at.is_(None),
            (api_tokens.c.expires_at.is_(None)) | (api_tokens.c.expires_at > at),
        ).values(revoked_at=at))
        return int(result.rowcount or 0)

    def add_invitation(self, record: InvitationRecord, token_hash: str, at: datetime) -> None:
        self.connection.execute(insert(invitations).values(
            id=record.id, person_id=record.person_id, token_hash=token_hash, created_at=at,
            expires_at=record.expires_at))

    def invitation_by_hash(self, token_hash: str, *, lock: bool = False) -> InvitationRecord | None:
        query = select(invitations).where(invitations.c.token_hash == token_hash)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
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


    def add_session(self, record: SessionRecord, token_hash: str) -> None:
        self.connection.execute(insert(web_sessions).values(
            id=record.id, token_hash=token_hash, person_id=record.person_id, csrf=record.csrf,
            created_at=record.created_at, expires_at=record.expires_at, stage=record.stage,
            method=record.method,
            authenticated_at=record.authenticated_at))

    def session_by_id(self, session_id: str) -> SessionRecord | None:
        return self._session(self.connection.execute(
            select(web_sessions).where(web_sessions.c.id == session_id)).first())

    def session_by_hash(self, token_hash: str) -> SessionRecord | None:
        return self._session(self.connection.execute(
            select(web_sessions).where(web_sessions.c.token_hash == token_hash)).first())

    def _session(self, row: Any) -> SessionRecord | None:
        if row is None:
            return None
        return SessionRecord(id=row.id, person_id=row.person_id, csrf=row.csrf,
                             created_at=row.created_at, expires_at=row.expires_at, ended_at=row.ended_at,
                             stage=row.stage, method=row.method,
                             authenticated_at=row.authenticated_at)

    def reauthenticate_session(self, session_id: str, method: str, at: datetime) -> None:
        """The person proved again who they are in this session (a fresh SSO sign-in)."""
        self.connection.execute(update(web_sessions).where(web_sessions.c.id == session_id)
                                .values(method=method, authenticated_at=at))

    def end_session(self, session_id: str, at: datetime) -> None:
        self.connection.execute(update(web_sessions).where(web_sessions.c.id == session_id)
                                .values(ended_at=at))

    def end_sessions_of(self, person_id: str, at: datetime, *, keep: str | None = None) -> int:
        """End every live session of a person, but the one whose cookie hash is `keep`; how
        many were live."""
        query = update(web_sessions).where(web_sessions.c.person_id == person_id,
                                           web_sessions.c.ended_at.is_(None))
        if keep is not None:
            query = query.where(web_sessions.c.token_hash != keep)
        return int(self.connection.execute(query.values(ended_at=at)).rowcount or 0)

    def form_claim(self, form_id: str) -> FormClaim | None:
        """The claim of a form submitted before."""
        row = self.connection.execute(
            select(form_submissions).where(form_submissions.c.form_id == form_id)).first()
        return FormClaim(form_id=row.form_id, person_id=row.person_id, result=row.result) if row else None

    def claim_form(self, form_id: str, person_id: str, at: datetime) -> bool:
        """Claim a form id; False if it was claimed before (a double submit)."""
        claim = (postgresql.insert if self.connection.dialect.name == "postgresql"
                 else sqlite.insert)(form_submissions)
        # why RETURNING: rowcount after ON CONFLICT DO NOTHING is not reliable on every driver
        claimed = self.connection.execute(
            claim.values(form_id=form_id, person_id=person_id, result="", created_at=at)
            .on_conflict_do_nothing().returning(form_submissions.c.form_id)).first()
        return claimed is not None

    def retake_form(self, form_id: str, person_id: str, at: datetime, stale_before: datetime) -> bool:
        """Claim again a form whose first submit never finished (it failed): True if taken."""
        done = self.connection.execute(
            update(form_submissions)
            .where(form_submissions.c.form_id == form_id, form_submissions.c.person_id == person_id,
                   form_submissions.c.result == "", form_submissions.c.created_at < stale_before)
            .values(created_at=at).returning(form_submissions.c.form_id)).first()
        return done is not None

    def set_form_result(self, form_id: str, result: str) -> None:
        self.connection.execute(update(form_submissions)
                                .where(form_submissions.c.form_id == form_id).values(result=result))

    def prune(self, *, failures_before: datetime, sessions_before: datetime,
              forms_before: datetime) -> int:
        """Delete rows that no longer serve: sign-in failures, sessions that expired or ended,
        and once-only form claims, each older than its cut-off. The number of rows deleted."""
        statements = (
            delete(login_failures).where(login_failures.c.at < failures_before),
            delete(web_sessions).where(or_(web_sessions.c.expires_at < sessions_before,
                                           web_sessions.c.ended_at < sessions_before)),
            delete(form_submissions).where(form_submissions.c.created_at < forms_before),
        )
        return sum(self.connection.execute(statement).rowcount for statement in statements)


def _token(row: Any) -> TokenRecord:
    return TokenRecord(id=row.id, person_id=row.person_id, name=row.name, created_at=row.created_at,
                       expires_at=row.expires_at, revoked_at=row.revoked_at)


@cache
def _token_holder() -> Select[Any]:
    return (select(people, api_tokens.c.expires_at.label("token_expires_at"),
                   api_tokens.c.revoked_at.label("token_revoked_at"))
            .join(api_tokens, api_tokens.c.person_id == people.c.id)
            .where(api_tokens.c.token_hash == bindparam("token_hash")))
