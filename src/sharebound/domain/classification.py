"""Classification levels, ordered: public < internal < confidential < restricted."""

from __future__ import annotations

from enum import StrEnum


class Classification(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"  # crown jewels: never disclosed under any agreement

    @property
    def rank(self) -> int:
        return _RANK[self]

    def exceeds(self, other: Classification) -> bool:
        return self.rank > other.rank


_RANK = {level: rank for rank, level in enumerate(Classification)}

#: The ceilings an agreement may set (DESIGN: `internal` or `confidential`).
CEILINGS = (Classification.INTERNAL, Classification.CONFIDENTIAL)
