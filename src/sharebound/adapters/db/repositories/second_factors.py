"""Second factors: TOTP secrets (sealed), recovery codes (hashed), passkeys, WebAuthn
challenges and each org's policy."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sharebound.adapters.db.tables import (
    passkeys,
    recovery_codes,
    second_factor_policies,
    totp_factors,
    webauthn_challenges,
)
from sharebound.adapters.keys import KeyRing
from sharebound.domain.second_factors import Challenge, Passkey, Policy, TotpFactor


class SecondFactorRepository:
    def __init__(self, connection: Connection, keys: KeyRing | None = None) -> None:
        self.connection = connection
        self.keys = keys

    # --- TOTP ---

    def _seal(self, secret: str, person_id: str) -> str:
        aad = f"totp_factors.secret:{person_id}"  # why: a sealed secret copied to another row fails
        return secret if self.keys is None else self.keys.seal_text(secret, aad)

    def _open(self, stored: str, person_id: str) -> str:
        aad = f"totp_factors.secret:{person_id}"
        return stored if self.keys is None else self.keys.open_text(stored, aad)

    def totp(self, person_id: str, *, lock: bool = False) -> TotpFactor | None:
        query = select(totp_factors).where(totp_factors.c.person_id == person_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        if row is None:
            return None
        return TotpFactor(person_id=row.person_id, secret=self._open(row.secret, row.person_id),
                          created_at=row.created_at, confirmed_at=row.confirmed_at,
                          last_step=row.last_step)

    def put_totp(self, factor: TotpFactor) -> None:
        """Begin (or begin again) an unconfirmed enrolment."""
        self.delete_totp(factor.person_id)
        self.connection.execute(insert(totp_factors).values(
            person_id=factor.person_id, secret=self._seal(factor.secret, factor.person_id),
            created_at=factor.created_at, confirmed_at=factor.confirmed_at, last_step=factor.last_step))

    def use_totp_step(self, person_id: str, step: int, *, confirm_at: datetime | None = None) -> bool:
        """Record `step` as used, only if it is later than the last one (a race loses)."""
        values: dict[str, Any] = {"last_step": step}
        if confirm_at is not None:
            values["confirmed_at"] = confirm_at
        done = self.connection.execute(update(totp_factors).where(
            totp_factors.c.person_id == person_id,
            (totp_factors.c.last_step.is_(None)) | (totp_factors.c.last_step < step)).values(**values))
        return bool(done.rowcount)

    def delete_totp(self, person_id: str) -> None:
        self.connection.execute(delete(totp_factors).where(totp_factors.c.person_id == person_id))

    # --- recovery codes ---

    def replace_recovery_codes(self, person_id: str, hashed: list[tuple[str, str]], at: datetime) -> None:
        """Drop every code of the person and store these (id, SHA-256) instead."""
        self.connection.execute(delete(recovery_codes).where(recovery_codes.c.person_id == person_id))
        for code_id, code_hash in hashed:
            self.connection.execute(insert(recovery_codes).values(
                id=code_id, person_id=person_id, code_hash=code_hash, created_at=at))

    def use_recovery_code(self, person_id: str, code_hash: str, at: datetime) -> bool:
        """Mark an unused code of the person used; False if there is none such."""
        done = self.connection.execute(update(recovery_codes).where(
            recovery_codes.c.person_id == person_id, recovery_codes.c.code_hash == code_hash,
            recovery_codes.c.used_at.is_(None)).values(used_at=at))
        return bool(done.rowcount)

    def recovery_codes_left(self, person_id: str) -> int:
        return int(self.connection.execute(select(func.count()).select_from(recovery_codes).where(
            recovery_codes.c.person_id == person_id, recovery_codes.c.used_at.is_(None))).scalar_one())

    # --- passkeys ---

    def passkeys_of(self, person_id: str) -> list[Passkey]:
        rows = self.connection.execute(select(passkeys).where(passkeys.c.person_id == person_id)
                                       .order_by(passkeys.c.created_at, passkeys.c.id))
        return [_passkey(r) for r in rows]

    def passkey_by_credential(self, credential_id: str, *, lock: bool = False) -> Passkey | None:
        query = select(passkeys).where(passkeys.c.credential_id == credential_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _passkey(row) if row else None

    def add_passkey(self, key: Passkey) -> None:
        self.connection.execute(insert(passkeys).values(
            id=key.id, person_id=key.person_id, credential_id=key.credential_id,
            public_key=key.public_key, sign_count=key.sign_count, name=key.name,
            created_at=key.created_at, last_used_at=key.last_used_at))

    def use_passkey(self, passkey_id: str, old_count: int, new_count: int, at: datetime) -> bool:
        """Store the new signature counter, only if nobody stored another since we read it."""
        done = self.connection.execute(update(passkeys).where(
            passkeys.c.id == passkey_id, passkeys.c.sign_count == old_count)
            .values(sign_count=new_count, last_used_at=at))
        return bool(done.rowcount)

    def delete_passkey(self, passkey_id: str) -> None:
        self.connection.execute(delete(passkeys).where(passkeys.c.id == passkey_id))

    # --- WebAuthn challenges ---

    def add_challenge(self, challenge: Challenge, at: datetime) -> None:
        self.connection.execute(insert(webauthn_challenges).values(
            id=challenge.id, person_id=challenge.person_id, purpose=challenge.purpose,
            challenge=challenge.challenge, created_at=at, expires_at=challenge.expires_at))

    def take_challenge(self, person_id: str, purpose: str, challenge: str, at: datetime) -> bool:
        """Use up a live challenge issued to this person for this purpose: True once."""
        done = self.connection.execute(update(webauthn_challenges).where(
            webauthn_challenges.c.person_id == person_id, webauthn_challenges.c.purpose == purpose,
            webauthn_challenges.c.challenge == challenge, webauthn_challenges.c.used_at.is_(None),
            webauthn_challenges.c.expires_at > at).values(used_at=at))
        return bool(done.rowcount)

    def prune_challenges(self, before: datetime) -> int:
        return int(self.connection.execute(
            delete(webauthn_challenges).where(webauthn_challenges.c.expires_at < before)).rowcount or 0)

    # --- the org's policy ---

    def policy(self, org: str) -> Policy:
        found = self.connection.execute(select(second_factor_policies.c.applies_to)
                                        .where(second_factor_policies.c.org == org)).scalar_one_or_none()
        return Policy(found) if found else Policy.NONE

    def set_policy(self, org: str, policy: Policy, by: str, at: datetime) -> None:
        self.connection.execute(delete(second_factor_policies).where(second_factor_policies.c.org == org))
        self.connection.execute(insert(second_factor_policies).values(
            org=org, applies_to=policy.value, changed_by=by, changed_at=at))

    def has_factor(self, person_id: str) -> bool:
        """A confirmed TOTP or a passkey."""
        totp = select(totp_factors.c.person_id).where(totp_factors.c.person_id == person_id,
                                                      totp_factors.c.confirmed_at.is_not(None))
        keys = select(passkeys.c.person_id).where(passkeys.c.person_id == person_id)
        return self.connection.execute(totp.union_all(keys).limit(1)).first() is not None


def _passkey(row: Any) -> Passkey:
    return Passkey(id=row.id, person_id=row.person_id, credential_id=row.credential_id,
                   public_key=bytes(row.public_key), sign_count=int(row.sign_count), name=row.name,
                   created_at=row.created_at, last_used_at=row.last_used_at)
