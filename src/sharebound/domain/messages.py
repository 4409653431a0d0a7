"""Messages: posts in a partnership's feed. They are information too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.classification import Classification

MAX_BODY = 20_000  # why: a post, not a document; documents are items


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    partnership_id: str
    org: str
    author_id: str
    body: str
    classification: Classification
    agreement_id: str | None  # the agreement in force it was posted under (None: public)
    agreement_digest: str | None
    created_at: datetime
    withheld: bool = False  # the body is hidden: the agreement it was posted under has ended
