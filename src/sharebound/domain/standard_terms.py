"""Standard terms: released legal texts, each an exact version that never changes.

The texts ship as package data (`sharebound/standard_terms/`, listed in its `index.json`
with each file's SHA-256); an adapter reads them and builds the catalog here from their
bytes. A new wording is a new version: an agreement names the version it was signed with,
and keeps showing that text whatever versions ship later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from sharebound.domain.values import sha256_hex

DEFAULT_IDS = {"mutual": "sharebound-mutual", "one_way": "sharebound-one-way"}


class DamagedStandardTerms(Exception):
    """A shipped standard-terms file no longer hashes to its released SHA-256."""


@dataclass(frozen=True, slots=True)
class StandardTerms:
    id: str
    version: str
    title: str
    kind: str  # "mutual" or "one_way": the agreement kind the text is written for
    text: str  # UTF-8, LF line ends, as released

    @property
    def sha256(self) -> str:
        return sha256_hex(self.text.encode("utf-8"))

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    def summary(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "title": self.title,
                "kind": self.kind, "sha256": self.sha256}


class StandardTermsCatalog:
    """Every released version of every standard-terms document."""

    def __init__(self, entries: Iterable[StandardTerms]) -> None:
        self._entries = {(e.id, e.version): e for e in entries}

    def __iter__(self) -> Iterator[StandardTerms]:
        return iter(sorted(self._entries.values(), key=lambda e: (e.id, e.version_key)))

    def get(self, ident: str, version: str) -> StandardTerms | None:
        return self._entries.get((ident, version))

    def latest(self, ident: str) -> StandardTerms | None:
        versions = [e for e in self._entries.values() if e.id == ident]
        return max(versions, key=lambda e: e.version_key) if versions else None

    def default_for(self, kind: str) -> StandardTerms | None:
        """The latest version of our own terms written for `kind` (mutual or one_way)."""
        return self.latest(DEFAULT_IDS.get(kind, ""))

    def with_entry(self, entry: StandardTerms) -> StandardTermsCatalog:
        return StandardTermsCatalog([*self._entries.values(), entry])


def catalog_from_index(index: object, read: Callable[[str], bytes]) -> StandardTermsCatalog:
    """The catalog `index.json` describes; `read(file)` gives a listed file's bytes.

    Refuses loudly when a file no longer hashes to the SHA-256 it was released with."""
    if not isinstance(index, list):
        raise DamagedStandardTerms("index.json must list the standard terms")
    entries = []
    for row in index:
        if not isinstance(row, Mapping) or not all(
                isinstance(row.get(k), str) for k in ("id", "version", "title", "kind", "file", "sha256")):
            raise DamagedStandardTerms(f"index.json has a malformed entry: {row!r}")
        data = read(row["file"])
        if sha256_hex(data) != row["sha256"]:
            raise DamagedStandardTerms(
                f"{row['file']} no longer hashes to its released SHA-256 {row['sha256']}: released "
                "standard terms never change; a new wording is a new version")
        entries.append(StandardTerms(id=row["id"], version=row["version"], title=row["title"],
                                     kind=row["kind"], text=data.decode("utf-8")))
    return StandardTermsCatalog(entries)
