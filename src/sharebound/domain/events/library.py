"""Events of an org's library: items, folders, classification and the content gate's terms."""

from __future__ import annotations

from dataclasses import dataclass, field

from sharebound.domain.events.base import OMIT_IF_NONE, EventKind, Payload

# --- items and the content gate --------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ItemAdded(Payload):
    kind = EventKind.ITEM_ADDED
    version: int
    sha256: str
    classification: str


@dataclass(frozen=True, slots=True)
class ItemVersionAdded(Payload):
    kind = EventKind.ITEM_VERSION_ADDED
    version: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ItemUpdated(Payload):
    kind = EventKind.ITEM_UPDATED
    fields: tuple[str, ...]  # which of title, topics changed


@dataclass(frozen=True, slots=True)
class ItemMoved(Payload):
    kind = EventKind.ITEM_MOVED
    old: str | None = field(metadata={"key": "from"})  # folder ids; None: the root
    new: str | None = field(metadata={"key": "to"})


@dataclass(frozen=True, slots=True)
class FolderCreated(Payload):
    kind = EventKind.FOLDER_CREATED
    name: str
    parent: str | None  # None: the root


@dataclass(frozen=True, slots=True)
class FolderChanged(Payload):
    kind = EventKind.FOLDER_CHANGED
    fields: tuple[str, ...]  # which of name, parent, position changed
    name: str
    parent: str | None
    position: int


@dataclass(frozen=True, slots=True)
class FolderDeleted(Payload):
    kind = EventKind.FOLDER_DELETED
    name: str


@dataclass(frozen=True, slots=True)
class ReclassificationRequested(Payload):
    kind = EventKind.RECLASSIFICATION_REQUESTED
    request: str
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})


@dataclass(frozen=True, slots=True)
class ItemReclassified(Payload):
    kind = EventKind.ITEM_RECLASSIFIED
    old: str = field(metadata={"key": "from"})
    new: str = field(metadata={"key": "to"})
    request: str | None = field(default=None, metadata=OMIT_IF_NONE)  # with the approval of a signer
    requested_by: str | None = field(default=None, metadata=OMIT_IF_NONE)
    approved_by: str | None = field(default=None, metadata=OMIT_IF_NONE)
    second_factor: str | None = field(default=None, metadata=OMIT_IF_NONE)  # the approver's


@dataclass(frozen=True, slots=True)
class CrownJewelTermAdded(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_ADDED


@dataclass(frozen=True, slots=True)
class CrownJewelTermRemoved(Payload):
    kind = EventKind.CROWN_JEWEL_TERM_REMOVED
