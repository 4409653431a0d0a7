"""Copies to return or destroy: when an agreement ends, each receiving org gets the list of
the copies its people downloaded under it, and certifies within the terms' `return_days`
that they were returned or destroyed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sharebound.domain.agreements import Agreement

MAX_STATEMENT = 2000


@dataclass(frozen=True, slots=True)
class DownloadedCopy:
    """One download by a person of the receiving org. `copy_id` is None for an unstamped copy
    (terms without watermarks): it is on the list all the same."""

    access_id: str
    disclosure_id: str
    item_title: str
    item_version: int
    person_id: str
    person_name: str
    at: datetime
    copy_id: str | None
    sha256: str | None


@dataclass(frozen=True, slots=True)
class Certification:
    org: str
    person_id: str
    statement: str
    copies: int  # how many copies the list held when it was certified
    at: datetime


@dataclass(frozen=True, slots=True)
class ReturnList:
    agreement_id: str
    org: str
    ended_at: datetime | None  # None while the agreement has not ended
    due_at: datetime | None  # the end plus the terms' return_days
    copies: tuple[DownloadedCopy, ...]
    certification: Certification | None
    complete: bool  # False when the reader sees only their own downloads

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.certification is None and now >= self.due_at


def return_list(agreement: Agreement, org: str, now: datetime, copies: tuple[DownloadedCopy, ...],
                certification: Certification | None, *, complete: bool = True) -> ReturnList:
    """The org's list under `agreement` at `now`, with its due date once the agreement ended.
    The days to return come from the terms that governed at the end."""
    ended_at = agreement.ended_at(now)
    due_at = None
    if ended_at is not None:
        days = agreement.governing_version(ended_at - timedelta(microseconds=1)).terms.schedule.return_days
        due_at = ended_at + timedelta(days=days)
    return ReturnList(agreement_id=agreement.id, org=org, ended_at=ended_at, due_at=due_at,
                      copies=copies, certification=certification, complete=complete)
