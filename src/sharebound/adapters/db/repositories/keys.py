"""Data keys (DEKs), stored wrapped by the key-encryption key (KEK): never in clear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from sharebound.adapters.db.tables import data_keys


@dataclass(frozen=True, slots=True)
class WrappedKey:
    id: str
    kek_id: str  # which KEK wrapped it: a fingerprint of the KEK, never the KEK
    wrapped: bytes  # nonce | AES-GCM(KEK, DEK, aad = id)
    created_at: datetime


class DataKeyRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def all(self) -> list[WrappedKey]:
        rows = self.connection.execute(select(data_keys).order_by(data_keys.c.created_at, data_keys.c.id))
        return [WrappedKey(r.id, r.kek_id, bytes(r.wrapped), r.created_at) for r in rows]

    def add(self, key: WrappedKey) -> None:
        self.connection.execute(insert(data_keys).values(
            id=key.id, kek_id=key.kek_id, wrapped=key.wrapped, created_at=key.created_at))

    def rewrap(self, key_id: str, kek_id: str, wrapped: bytes) -> None:
        self.connection.execute(update(data_keys).where(data_keys.c.id == key_id)
                                .values(kek_id=kek_id, wrapped=wrapped))
