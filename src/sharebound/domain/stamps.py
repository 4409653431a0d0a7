"""Stamps that tie a copy to its recipient. Text types get a header and a footer line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/csv"})


@dataclass(frozen=True, slots=True)
class Stamp:
    discloser: str
    recipient_name: str
    recipient_org: str
    agreement_id: str
    agreement_version: int
    at: datetime
    copy_id: str

    def line(self) -> str:
        return (f"CONFIDENTIAL · disclosed by {self.discloser} to {self.recipient_name} "
                f"({self.recipient_org}) under agreement {self.agreement_id} "
                f"v{self.agreement_version} · {self.at.date().isoformat()} · copy {self.copy_id}")


def can_stamp(media_type: str) -> bool:
    return media_type in TEXT_TYPES


def stamp_text(text: str, stamp: Stamp) -> str:
    """The text between a header and a footer line naming the recipient and the copy."""
    line = stamp.line()
    body = text if text.endswith("\n") else text + "\n"
    return f"{line}\n\n{body}\n{line}\n"
