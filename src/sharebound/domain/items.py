"""Items: information an org owns, a note or a file, versioned and content-addressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sharebound.domain.classification import Classification


class ItemKind(StrEnum):
    NOTE = "note"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class ItemVersion:
    number: int
    sha256: str
    size: int
    media_type: str
    filename: str | None
    created_at: datetime
    created_by: str


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    owner: str  # org handle
    kind: ItemKind
    title: str
    classification: Classification
    topics: frozenset[str]
    versions: tuple[ItemVersion, ...]
    created_at: datetime
    # a trade secret stays protected for as long as it remains one, past any agreement's
    # period of confidentiality
    trade_secret: bool = False
    folder_id: str | None = None  # the folder it lives in; None: the library's root

    @property
    def current(self) -> ItemVersion:
        return self.versions[-1]


def needs_second_approval(old: Classification, new: Classification) -> bool:
    """Lowering a crown jewel takes a second signer: it would make it disclosable."""
    return old is Classification.RESTRICTED and new is not Classification.RESTRICTED


@dataclass(frozen=True, slots=True)
class Reclassification:
    """A request to lower an item out of `restricted`, waiting for a second signer."""

    id: str
    item_id: str
    old: Classification
    new: Classification
    requested_by: str
    requested_at: datetime
    approved_by: str | None = None
    approved_at: datetime | None = None
