"""Keys at rest: sealing what was stored before encryption, and rotating the KEK (docs/encryption.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sharebound.adapters.keys import Kek, KeyProblem, parse_key, read_key_file, write_key_file
from sharebound.domain.audit import OPERATOR_LOG
from sharebound.domain.events import BlobsSealed, ColumnsSealed, KekRotated
from sharebound.services.common import record
from sharebound.services.unit_of_work import UnitOfWork

__all__ = ["KeyProblem", "Sealed", "encrypt_existing", "generate_key_file", "given_key",
           "plaintext_blobs", "rotate", "seal_columns"]


def generate_key_file(path: Path) -> Kek:
    """A new random key-encryption key written to a new file (0600); FileExistsError if it exists."""
    return write_key_file(path)


def given_key(*, file: Path | None, env_name: str | None, environ: Mapping[str, str]) -> Kek:
    """The key an operator names by a file or by an environment variable (`keys rotate`)."""
    if file is not None:
        return read_key_file(file)
    return parse_key(environ.get(env_name or "", ""), str(env_name))


@dataclass(frozen=True)
class Sealed:
    webhooks: int
    terms: int


def seal_columns(uow: UnitOfWork) -> Sealed:
    """Seal webhook secrets and crown-jewel terms stored in clear before encryption (a no-op
    once done: `init` runs it on every start)."""
    with uow:
        done = Sealed(uow.webhooks.seal_plaintext(), uow.gate.seal_plaintext_terms())
        if done.webhooks or done.terms:
            record(uow, OPERATOR_LOG, None, "data_keys",
                   ColumnsSealed(webhooks=done.webhooks, terms=done.terms))
        uow.commit()
    return done


def plaintext_blobs(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(owner, SHA-256) of each referenced blob still stored in clear, from before encryption."""
    with uow.reading():
        referenced = (uow.items.referenced_blobs_by_owner()
                      | uow.uploaded_ndas.referenced_blobs_by_org())
    return sorted((org, sha) for org, sha in referenced
                  if uow.blobs.local_path(sha, org=org) is not None and uow.blobs.exists(sha, org=org))


def encrypt_existing(uow: UnitOfWork) -> int:
    """Seal each org's copy of every plaintext blob, then remove the plaintext files; how many
    copies were sealed. Safe to stop and run again: a plaintext file goes only once every
    org that refers to it has its sealed copy."""
    pending = plaintext_blobs(uow)
    sealed = 0
    for org, sha256 in pending:
        sealed += uow.blobs.seal_plaintext(sha256, org=org)
    for sha256 in sorted({sha for _, sha in pending}):
        uow.blobs.remove_plaintext(sha256)
    if sealed:
        with uow:
            record(uow, OPERATOR_LOG, None, "data_keys", BlobsSealed(blobs=sealed))
            uow.commit()
    return sealed


def rotate(uow: UnitOfWork, new: Kek) -> int:
    """Re-wrap every data key under the `new` KEK, in one transaction; what they encrypt
    (blobs, columns) is not touched. How many data keys were re-wrapped."""
    assert uow.keys is not None
    old = uow.keys.kek
    with uow:
        keys = uow.data_keys
        wrapped = keys.all()
        for key in wrapped:
            keys.rewrap(key.id, new.id, new.wrap(key.id, old.unwrap(key.id, key.wrapped)))
        record(uow, OPERATOR_LOG, None, "data_keys",
               KekRotated(old=old.id, new=new.id, data_keys=len(wrapped)))
        uow.commit()
    return len(wrapped)
