"""Give and take counted in the database: disclosures (their counts by day, `disclosure_days`)
and requests grouped (GROUP BY), never loaded row by row. The domain (domain/reciprocity.py)
turns the counts into periods and indexes.

"Received" is read as services/disclosures.received_for reads it: with `person_id` None, what
reached any person of the org (its admins' and signers' view); with a person, what reached
that person. "Given" is the org's own register.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, and_, case, func, or_, select

from sharebound.adapters.db.tables import disclosure_days, disclosure_recipients, disclosures, requests
from sharebound.domain.classification import Classification
from sharebound.domain.reciprocity import Side, Tally
from sharebound.domain.requests import RequestState


@dataclass(frozen=True, slots=True)
class RequestCounts:
    """One row of requests grouped by who asked and their stored state."""

    asked_by_us: bool
    state: RequestState
    count: int
    overdue: int  # open ones whose due date has passed
    in_window: bool = True  # asked in the window counted (every row is, without one)


@dataclass(frozen=True, slots=True)
class AnswerTime:
    """An answered request: who asked it, when, and how long its answer took."""

    asked_by_us: bool
    asked_at: datetime
    took: timedelta


class ReciprocityQueries:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def tallies(self, org: str, person_id: str | None, start: date, end: date,
                partnership_ids: list[str]) -> dict[str, list[Tally]]:
        """Disclosures the org gave and received in each partnership, from `start` to `end`
        (UTC days, inclusive), counted by day, classification and topics: one GROUP BY query
        over `disclosure_days` (a few rows a day, whatever the history), on two ranges of its
        key (the given side's audience, and the received side's)."""
        if not partnership_ids:
            return {}
        found: dict[str, list[Tally]] = {p: [] for p in partnership_ids}
        t = disclosure_days
        received = f"org:{org}" if person_id is None else f"person:{person_id}"
        query = (select(t.c.audience, t.c.partnership_id, t.c.day, t.c.classification, t.c.topics,
                        func.sum(t.c.n).label("n"))
                 .where(t.c.audience.in_(["", received]), t.c.partnership_id.in_(partnership_ids),
                        t.c.day >= start, t.c.day <= end,
                        or_(and_(t.c.audience == "", t.c.discloser == org),
                            and_(t.c.audience == received, t.c.discloser != org)))
                 .group_by(t.c.audience, t.c.partnership_id, t.c.day, t.c.classification, t.c.topics)
                 # why: the order each side's rows came in when each side was a query of its own
                 .order_by(t.c.audience != "", t.c.partnership_id, t.c.day, t.c.classification, t.c.topics))
        for row in self.connection.execute(query):
            found[row.partnership_id].append(Tally(
                side=Side.GIVEN if row.audience == "" else Side.RECEIVED, day=row.day,
                classification=Classification(row.classification),
                topics=frozenset(json.loads(row.topics)), count=int(row.n)))
        return found

    def last_activity(self, org: str, person_id: str | None,
                      partnership_id: str) -> dict[Side, datetime | None]:
        """When the org last gave, and last received, in the partnership: the newest entry of
        a register index's range each (never a scan of the history), both in one statement."""
        d, r = disclosures, disclosure_recipients
        given = (select(d.c.created_at).where(d.c.discloser == org, d.c.partnership_id == partnership_id)
                 .order_by(d.c.created_at.desc()).limit(1))
        reached = r.c.org == org if person_id is None else r.c.person_id == person_id
        received = (select(r.c.created_at).join(d, d.c.id == r.c.disclosure_id)
                    .where(reached, r.c.partnership_id == partnership_id, d.c.discloser != org)
                    .order_by(r.c.created_at.desc()).limit(1))
        last_given, last_received = self.connection.execute(
            select(given.scalar_subquery(), received.scalar_subquery())).one()
        return {Side.GIVEN: _aware(last_given), Side.RECEIVED: _aware(last_received)}

    def request_counts(self, org: str, partnership_id: str, today: date,
                       since: datetime | None = None, until: datetime | None = None) -> list[RequestCounts]:
        """The partnership's requests the org asked or was asked, by direction and state (one
        GROUP BY); given `since` and `until`, also by whether each was asked between them
        (`RequestCounts.in_window`: the rows for the window and for all time in one query)."""
        asked_by_us = requests.c.asker_org == org
        overdue = func.sum(case((and_(requests.c.state == RequestState.OPEN.value,
                                      requests.c.due_on < today), 1), else_=0))
        keys = [asked_by_us, requests.c.state]
        bounds = ([requests.c.created_at >= since] if since is not None else []) + (
            [requests.c.created_at < until] if until is not None else [])
        if bounds:
            keys.append(case((and_(*bounds), 1), else_=0))
        query = (select(*keys, func.count(), overdue)
                 .where(requests.c.partnership_id == partnership_id,
                        (requests.c.asker_org == org) | (requests.c.asked_org == org))
                 .group_by(*keys))
        return [RequestCounts(bool(r[0]), RequestState(r[1]), int(r[-2]), int(r[-1] or 0),
                              in_window=bool(r[2]) if bounds else True)
                for r in self.connection.execute(query)]

    def answer_times(self, org: str, partnership_id: str) -> list[AnswerTime]:
        """When each answered request was asked and how long its answer took, by whether the
        org asked it (two timestamps a request: the median needs them all, and SQLite has no
        median)."""
        query = (select(requests.c.asker_org == org, requests.c.created_at, requests.c.closed_at)
                 .where(requests.c.partnership_id == partnership_id,
                        requests.c.state == RequestState.ANSWERED.value,
                        requests.c.closed_at.is_not(None),
                        (requests.c.asker_org == org) | (requests.c.asked_org == org)))
        return [AnswerTime(bool(ours), created, closed - created)
                for ours, created, closed in self.connection.execute(query)]

def _aware(value: datetime | None) -> datetime | None:
    """A max() over a UTCDateTime column comes back without the type's processing on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
