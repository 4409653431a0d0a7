"""Package disclosures: one act disclosing several items to the same recipients under one
agreement. Each item is still its own disclosure (its own register entry, its own copies);
the package links them and keeps each one's number and folder path as they were disclosed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Package:
    id: str
    partnership_id: str
    discloser: str  # org handle
    disclosed_by: str  # person id
    agreement_id: str
    name: str  # the folder's name, or what the discloser called it
    allowed_only: bool  # True: the items the rules refused were left out
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PackageEntry:
    package_id: str
    disclosure_id: str
    number: str  # the item's index number in the library when it was disclosed
    path: tuple[str, ...]  # the folder names above it, from the package's top


def number_key(number: str) -> tuple[int, ...]:
    """Sorts index numbers as numbers: 1.2 before 1.10."""
    return tuple(int(part) if part.isdigit() else 0 for part in number.split("."))
