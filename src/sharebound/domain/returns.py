"""Copies to return or destroy: when an agreement ends, or when a discloser demands its
information back (a `demand_return` notice), each receiving org gets the list of the copies
its people downloaded under it, and certifies by the due date that they were returned or
destroyed: `return_days` after the end, or the date the demand gives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sharebound.domain.agreements import Agreement
from sharebound.domain.notices import last_day

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
    copy_list: tuple[str, ...] = ()  # the access ids of the copies certified (the list as it was)
    ip: str | None = None  # evidence, as for a signature: where the certifier was
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class ReturnDemand:
    """A discloser's demand that `org` return or destroy what it received under the agreement:
    the recipients of `org` lose access at once to what `discloser` disclosed before it."""

    agreement_id: str
    discloser: str
    org: str
    notice_id: str
    demanded_by: str
    demanded_at: datetime
    due_at: datetime

    @property
    def due_on(self) -> date:
        return last_day(self.due_at)


@dataclass(frozen=True, slots=True)
class ReturnList:
    agreement_id: str
    org: str
    ended_at: datetime | None  # None while the agreement has not ended
    due_at: datetime | None  # the end plus the terms' return_days
    copies: tuple[DownloadedCopy, ...]
    certification: Certification | None
    complete: bool  # False when the reader sees only their own downloads
    demands: tuple[ReturnDemand, ...] = ()  # disclosers that asked for their information back
    after: str | None = None  # when `copies` is one page of them: the cursor of the next one

    @property
    def due_on(self) -> date | None:
        """The last day to certify on time."""
        return last_day(self.due_at) if self.due_at is not None else None

    @property
    def is_due(self) -> bool:
        """Whether the org owes a certification now (the agreement ended, or a demand came)."""
        return self.due_at is not None

    def is_overdue(self, now: datetime) -> bool:
        return self.due_at is not None and self.certification is None and now >= self.due_at


def return_list(agreement: Agreement, org: str, now: datetime, copies: tuple[DownloadedCopy, ...],
                certification: Certification | None, *, complete: bool = True,
                demands: tuple[ReturnDemand, ...] = ()) -> ReturnList:
    """The org's list under `agreement` at `now`, with its due date once the agreement ended
    or a discloser demanded its information back (the earliest date applies). The days to
    return after an end come from the terms that governed at the end."""
    ended_at = agreement.ended_at(now)
    dates = [d.due_at for d in demands]
    if ended_at is not None:
        days = agreement.governing_version(ended_at - timedelta(microseconds=1)).terms.schedule.return_days
        dates.append(ended_at + timedelta(days=days))
    return ReturnList(agreement_id=agreement.id, org=org, ended_at=ended_at,
                      due_at=min(dates) if dates else None, copies=copies,
                      certification=certification, complete=complete, demands=demands)


def demand_due(agreement: Agreement, now: datetime, given: datetime | None) -> datetime:
    """When copies demanded back at `now` are due: the date given, else `return_days` on."""
    if given is not None:
        return given
    return now + timedelta(days=agreement.governing_version(now).terms.schedule.return_days)
