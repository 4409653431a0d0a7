"""Give and take counted in the database: disclosures and requests grouped (GROUP BY), never
loaded row by row. The domain (domain/reciprocity.py) turns the counts into periods and indexes.

"Received" is read as services/disclosures.received_for reads it: with `person_id` None, what
reached any person of the org (its admins' and signers' view); with a person, what reached
that person. "Given" is the org's own register.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Date, Select, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sharebound.adapters.db.tables import disclosure_recipients, disclosures, people, requests
from sharebound.domain.classification import Classification
from sharebound.domain.reciprocity import Side, Tally
from sharebound.domain.requests import RequestState


class utc_day(FunctionElement[date]):  # reads as the SQL function it compiles to
    """The UTC calendar day of a timestamp column, on SQLite and PostgreSQL alike."""

    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"  # SQLite stores UTC, naive


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


@dataclass(frozen=True, slots=True)
class RequestCounts:
    """One row of requests grouped by who asked and their stored state."""

    asked_by_us: bool
    state: RequestState
    count: int
    overdue: int  # open ones whose due date has passed


class ReciprocityQueries:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def tallies(self, org: str, person_id: str | None, start: date, end: date,
                partnership_ids: list[str]) -> dict[str, list[Tally]]:
        """Disclosures the org gave and received in each partnership, from `start` to `end`
        (UTC days, inclusive), counted by day, classification and topics: two GROUP BY queries."""
        if not partnership_ids:
            return {}
        since = datetime.combine(start, time(), UTC)
        until = datetime.combine(end + timedelta(days=1), time(), UTC)
        found: dict[str, list[Tally]] = {p: [] for p in partnership_ids}
        for side in Side:
            query = self._counted(side, org, person_id).where(
                disclosures.c.partnership_id.in_(partnership_ids),
                disclosures.c.created_at >= since, disclosures.c.created_at < until)
            for row in self.connection.execute(query):
                found[row.partnership_id].append(Tally(
                    side=side, day=row.day, classification=Classification(row.classification),
                    topics=frozenset(json.loads(row.topics)), count=int(row.n)))
        return found

    def last_activity(self, org: str, person_id: str | None,
                      partnership_id: str) -> dict[Side, datetime | None]:
        """When the org last gave, and last received, in the partnership."""
        found: dict[Side, datetime | None] = {}
        for side in Side:
            query = self._sided(select(func.max(disclosures.c.created_at)), side, org, person_id)
            value = self.connection.execute(
                query.where(disclosures.c.partnership_id == partnership_id)).scalar()
            found[side] = _aware(value)
        return found

    def request_counts(self, org: str, partnership_id: str, today: date,
                       since: datetime | None = None, until: datetime | None = None) -> list[RequestCounts]:
        """The partnership's requests the org asked or was asked, by direction and state (one
        GROUP BY), optionally only those asked between `since` and `until`."""
        asked_by_us = requests.c.asker_org == org
        overdue = func.sum(case((and_(requests.c.state == RequestState.OPEN.value,
                                      requests.c.due_on < today), 1), else_=0))
        query = (select(asked_by_us.label("ours"), requests.c.state, func.count().label("n"),
                        overdue.label("overdue"))
                 .where(requests.c.partnership_id == partnership_id,
                        (requests.c.asker_org == org) | (requests.c.asked_org == org))
                 .group_by(asked_by_us, requests.c.state))
        query = _between(query, requests.c.created_at, since, until)
        return [RequestCounts(bool(r.ours), RequestState(r.state), int(r.n), int(r.overdue or 0))
                for r in self.connection.execute(query)]

    def answer_times(self, org: str, partnership_id: str, since: datetime | None = None,
                     until: datetime | None = None) -> dict[bool, list[timedelta]]:
        """How long each answered request took, by whether the org asked it (two timestamps a
        request: the median needs them all, and SQLite has no median)."""
        query = (select(requests.c.asker_org == org, requests.c.created_at, requests.c.closed_at)
                 .where(requests.c.partnership_id == partnership_id,
                        requests.c.state == RequestState.ANSWERED.value,
                        requests.c.closed_at.is_not(None),
                        (requests.c.asker_org == org) | (requests.c.asked_org == org)))
        query = _between(query, requests.c.created_at, since, until)
        found: dict[bool, list[timedelta]] = {True: [], False: []}
        for ours, created, closed in self.connection.execute(query):
            found[bool(ours)].append(closed - created)
        return found

    def _counted(self, side: Side, org: str, person_id: str | None) -> Select[Any]:
        day = utc_day(disclosures.c.created_at)
        query = select(disclosures.c.partnership_id, day.label("day"),
                       disclosures.c.item_classification.label("classification"),
                       disclosures.c.item_topics.label("topics"), func.count().label("n"))
        return self._sided(query, side, org, person_id).group_by(
            disclosures.c.partnership_id, day, disclosures.c.item_classification,
            disclosures.c.item_topics)

    @staticmethod
    def _sided(query: Select[Any], side: Side, org: str, person_id: str | None) -> Select[Any]:
        if side is Side.GIVEN:
            return query.where(disclosures.c.discloser == org)
        reached = select(disclosure_recipients.c.disclosure_id)
        if person_id is None:
            reached = reached.join(people, people.c.id == disclosure_recipients.c.person_id).where(
                people.c.org == org)
        else:
            reached = reached.where(disclosure_recipients.c.person_id == person_id)
        return query.where(disclosures.c.discloser != org, disclosures.c.id.in_(reached))


def _between(query: Select[Any], column: Any, since: datetime | None, until: datetime | None) -> Select[Any]:
    if since is not None:
        query = query.where(column >= since)
    if until is not None:
        query = query.where(column < until)
    return query


def _aware(value: datetime | None) -> datetime | None:
    """A max() over a UTCDateTime column comes back without the type's processing on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
