"""An org's OpenID Connect provider, its email domains, and SSO sign-ins under way."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sharebound.adapters.db.tables import people, sso_domains, sso_logins, sso_providers
from sharebound.adapters.keys import KeyRing
from sharebound.domain.orgs import Role
from sharebound.domain.sso import Endpoints, PendingLogin, RoleRule, SsoProvider


class SsoRepository:
    """The client secret is sealed in its column with the data key, the org as AAD
    (docs/encryption.md), and opened on read."""

    def __init__(self, connection: Connection, keys: KeyRing | None = None) -> None:
        self.connection = connection
        self.keys = keys

    def _aad(self, org: str) -> str:
        return f"sso_providers.client_secret:{org}"

    def get(self, org: str, *, lock: bool = False) -> SsoProvider | None:
        query = select(sso_providers).where(sso_providers.c.org == org)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return self._provider(row) if row else None

    def for_domain(self, domain: str) -> SsoProvider | None:
        org = self.connection.execute(
            select(sso_domains.c.org).where(sso_domains.c.domain == domain)).scalar_one_or_none()
        return self.get(org) if org else None

    def domain_owner(self, domain: str) -> str | None:
        return self.connection.execute(
            select(sso_domains.c.org).where(sso_domains.c.domain == domain)).scalar_one_or_none()

    def people_elsewhere(self, domain: str, org: str) -> int:
        """How many people of other orgs have an email on `domain` (labels hold no LIKE wildcards)."""
        return int(self.connection.execute(
            select(func.count()).select_from(people)
            .where(people.c.email.like(f"%@{domain}"), people.c.org != org)).scalar_one())

    def save(self, provider: SsoProvider) -> None:
        """Insert or replace the org's provider and its domains."""
        secret = (self.keys.seal_text(provider.client_secret, self._aad(provider.org))
                  if self.keys is not None else provider.client_secret)
        values = dict(
            issuer=provider.issuer, client_id=provider.client_id, client_secret=secret,
            authorization_endpoint=provider.endpoints.authorization,
            token_endpoint=provider.endpoints.token, jwks_uri=provider.endpoints.jwks,
            role_map=json.dumps([r.data() for r in provider.role_rules], sort_keys=True),
            require_sso=provider.require_sso, jit=provider.jit, updated_by=provider.updated_by,
            updated_at=provider.updated_at)
        self.connection.execute(delete(sso_domains).where(sso_domains.c.org == provider.org))
        done = self.connection.execute(
            update(sso_providers).where(sso_providers.c.org == provider.org).values(**values))
        if not done.rowcount:
            self.connection.execute(insert(sso_providers).values(org=provider.org, **values))
        for domain in sorted(provider.domains):
            self.connection.execute(insert(sso_domains).values(domain=domain, org=provider.org))

    def remove(self, org: str) -> None:
        self.connection.execute(delete(sso_domains).where(sso_domains.c.org == org))
        self.connection.execute(delete(sso_logins).where(sso_logins.c.org == org))
        self.connection.execute(delete(sso_providers).where(sso_providers.c.org == org))

    def add_login(self, state_hash: str, login: PendingLogin) -> None:
        self.connection.execute(insert(sso_logins).values(
            state_hash=state_hash, browser_hash=login.browser_hash, org=login.org, nonce=login.nonce,
            verifier=login.verifier, next_url=login.next_url, session_id=login.session_id,
            created_at=login.created_at, expires_at=login.expires_at))

    def take_login(self, state_hash: str) -> PendingLogin | None:
        """The sign-in under way with this state, removed: a state is used once."""
        row = self.connection.execute(
            delete(sso_logins).where(sso_logins.c.state_hash == state_hash)
            .returning(*sso_logins.c)).first()
        if row is None:
            return None
        return PendingLogin(org=row.org, browser_hash=row.browser_hash, nonce=row.nonce,
                            verifier=row.verifier, next_url=row.next_url, session_id=row.session_id,
                            created_at=row.created_at, expires_at=row.expires_at)

    def prune(self, before: datetime) -> int:
        return int(self.connection.execute(
            delete(sso_logins).where(sso_logins.c.expires_at < before)).rowcount or 0)

    def _provider(self, row: Any) -> SsoProvider:
        secret = (self.keys.open_text(row.client_secret, self._aad(row.org))
                  if self.keys is not None else row.client_secret)
        domains = self.connection.execute(
            select(sso_domains.c.domain).where(sso_domains.c.org == row.org)).scalars()
        rules = tuple(RoleRule(r["claim"], r["value"], frozenset(Role(x) for x in r["roles"]))
                      for r in json.loads(row.role_map))
        return SsoProvider(
            org=row.org, issuer=row.issuer, client_id=row.client_id, client_secret=secret,
            endpoints=Endpoints(row.authorization_endpoint, row.token_endpoint, row.jwks_uri),
            domains=frozenset(domains), role_rules=rules, require_sso=bool(row.require_sso),
            jit=bool(row.jit), updated_by=row.updated_by, updated_at=row.updated_at)
