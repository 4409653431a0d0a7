"""Checking the blob store against the database: missing, corrupt, orphan and unfinished blobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sharebound.services.unit_of_work import UnitOfWork


@dataclass
class BlobReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # referenced, not stored
    corrupt: list[str] = field(default_factory=list)  # stored, but fails authentication or its hash
    orphans: list[str] = field(default_factory=list)  # stored, referenced by nothing
    unfinished: list[str] = field(default_factory=list)  # stale upload files in blobs/.incoming

    @property
    def healthy(self) -> bool:
        return not self.missing and not self.corrupt


def check_blobs(uow: UnitOfWork, progress: Callable[[int, int], None] | None = None, *,
                stale_seconds: float = 3600) -> BlobReport:
    """Read every stored blob to its end (a sealed one must authenticate and its plaintext hash
    to what the database says) and compare the store with what the database refers to.

    Names are as stored (a sealed blob's name is its keyed address; the database's SHA-256 is
    of the plaintext). Orphans and unfinished uploads are reported, not removed: a blob is only
    ever removed when nothing refers to it, and an upload may be between its blob and its
    transaction right now.
    """
    with uow.reading():
        referenced = (uow.items.referenced_blobs_by_owner()
                      | uow.uploaded_ndas.referenced_blobs_by_org())
    expected: dict[str, str] = {}  # stored name -> plaintext SHA-256
    for org, sha256 in referenced:
        if uow.blobs.exists(sha256, org=org):
            plain = uow.blobs.local_path(sha256, org=org)
            expected[plain.name if plain is not None else uow.blobs.name_of(sha256, org=org)] = sha256
        else:
            expected[uow.blobs.name_of(sha256, org=org)] = sha256
    stored = list(uow.blobs.names())
    report = BlobReport(missing=sorted(set(expected) - set(stored)),
                        unfinished=uow.blobs.stale_incoming(stale_seconds))
    for done, name in enumerate(stored, start=1):
        if not uow.blobs.verify(name, expected.get(name)):
            report.corrupt.append(name)
        elif name not in expected:
            report.orphans.append(name)
        report.checked = done
        if progress is not None:
            progress(done, len(stored))
    return report
