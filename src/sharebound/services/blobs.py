"""Checking the blob store against the database: missing, corrupt and orphan blobs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sharebound.services.unit_of_work import UnitOfWork


@dataclass
class BlobReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)  # referenced, not stored
    corrupt: list[str] = field(default_factory=list)  # stored, but its content has another hash
    orphans: list[str] = field(default_factory=list)  # stored, referenced by nothing

    @property
    def healthy(self) -> bool:
        return not self.missing and not self.corrupt


def check_blobs(uow: UnitOfWork, progress: Callable[[int, int], None] | None = None) -> BlobReport:
    """Re-hash every stored blob and compare the store with what the database refers to.

    Orphans are reported, not removed: a blob is only ever removed when nothing refers to it,
    and an upload may be between its blob and its transaction right now.
    """
    with uow.reading():
        referenced = uow.items.referenced_blobs()
    stored = list(uow.blobs.names())
    report = BlobReport(missing=sorted(referenced - set(stored)))
    for done, name in enumerate(stored, start=1):
        if uow.blobs.hash_of(name) != name:
            report.corrupt.append(name)
        elif name not in referenced:
            report.orphans.append(name)
        report.checked = done
        if progress is not None:
            progress(done, len(stored))
    return report
