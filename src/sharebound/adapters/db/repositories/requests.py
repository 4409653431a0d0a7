"""Information requests and the disclosures that answer them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, literal, or_, select, tuple_, update

from sharebound.adapters.db.tables import request_disclosures, requests
from sharebound.domain.classification import Classification
from sharebound.domain.errors import BadPageRequest
from sharebound.domain.paging import Key, Page, PageRequest, cut
from sharebound.domain.requests import InformationRequest, RequestState


class RequestRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, request: InformationRequest) -> None:
        r = request
        self.connection.execute(insert(requests).values(
            id=r.id, partnership_id=r.partnership_id, asker_org=r.asker_org, asked_by=r.asked_by,
            asked_org=r.asked_org, assignee_id=r.assignee_id, title=r.title, details=r.details,
            topic=r.topic, due_on=r.due_on, state=r.state.value, created_at=r.created_at,
            classification=r.classification.value, agreement_id=r.agreement_id,
            agreement_digest=r.agreement_digest))

    def save(self, request: InformationRequest) -> None:
        """Write what may change (state, assignee, closing) and link any new answering disclosures."""
        r = request
        self.connection.execute(update(requests).where(requests.c.id == r.id).values(
            assignee_id=r.assignee_id, state=r.state.value, decline_reason=r.decline_reason,
            closed_at=r.closed_at, closed_by=r.closed_by, answer_note=r.answer_note))
        linked = set(self._disclosures_of([r.id])[r.id])
        new = [d for d in r.disclosures if d not in linked]
        if new:
            at = r.closed_at or r.created_at
            self.connection.execute(insert(request_disclosures), [
                {"request_id": r.id, "disclosure_id": d, "linked_at": at} for d in new])

    def get(self, request_id: str, *, lock: bool = False) -> InformationRequest | None:
        query = select(requests).where(requests.c.id == request_id)
        found = self._query(query.with_for_update() if lock else query)
        return found[0] if found else None

    def list_for_partnership(self, partnership_id: str, org: str) -> list[InformationRequest]:
        """The partnership's requests that `org` asked or was asked."""
        return self._query(select(requests).where(
            requests.c.partnership_id == partnership_id,
            or_(requests.c.asker_org == org, requests.c.asked_org == org)))

    def page_for_partnership(self, partnership_id: str, org: str, request: PageRequest, *,
                             direction: str | None = None, state: str | None = None,
                             today: date) -> Page[InformationRequest]:
        """One keyset page of the partnership's requests that `org` asked or was asked, in the
        list's order: open ones by due date (so the overdue come first), then closed ones,
        most recently closed first. Two ranges of the page indexes: the open ones, then, when
        the page is not full, the closed ones (`state` and `direction` filter in SQL)."""
        r = requests
        query = select(r).where(r.c.partnership_id == partnership_id)
        if direction == "asked":
            query = query.where(r.c.asker_org == org)
        elif direction == "received":
            query = query.where(r.c.asked_org == org)
        else:
            query = query.where(or_(r.c.asker_org == org, r.c.asked_org == org))
        if state == RequestState.OVERDUE.value:
            query = query.where(r.c.state == RequestState.OPEN.value, r.c.due_on < today)
        elif state == RequestState.OPEN.value:
            query = query.where(r.c.state == RequestState.OPEN.value, r.c.due_on >= today)
        elif state is not None:
            query = query.where(r.c.state == state)
        key = request.after
        open_key, closed_key = _segments(key)
        rows: list[Any] = []
        if closed_key is None or open_key is not None:
            opened = query.where(r.c.state == RequestState.OPEN.value)
            if open_key is not None:
                opened = opened.where(tuple_(r.c.due_on, r.c.created_at, r.c.id) > tuple_(
                    literal(date.fromordinal(open_key[0]), r.c.due_on.type),
                    literal(open_key[1], r.c.created_at.type), literal(open_key[2], r.c.id.type)))
            rows = list(self.connection.execute(
                opened.order_by(r.c.due_on, r.c.created_at, r.c.id).limit(request.limit + 1)))
        if len(rows) <= request.limit:
            closed = query.where(r.c.state != RequestState.OPEN.value)
            if closed_key is not None:
                closed = closed.where(tuple_(r.c.closed_at, r.c.id) < tuple_(
                    literal(closed_key[0], r.c.closed_at.type), literal(closed_key[1], r.c.id.type)))
            rows += list(self.connection.execute(closed.order_by(r.c.closed_at.desc(), r.c.id.desc())
                                                 .limit(request.limit + 1 - len(rows))))
        return cut(self._load(rows), request, _page_key)

    def ids_not_concerning(self, partnership_id: str, org: str) -> set[str]:
        """The partnership's requests `org` neither asked nor was asked."""
        rows = self.connection.execute(select(requests.c.id).where(
            requests.c.partnership_id == partnership_id, requests.c.asker_org != org,
            requests.c.asked_org != org))
        return {r.id for r in rows}

    def open_of(self, org: str) -> list[InformationRequest]:
        """Every open request `org` asked or was asked, in any partnership."""
        return self._query(select(requests).where(
            requests.c.state == RequestState.OPEN.value,
            or_(requests.c.asker_org == org, requests.c.asked_org == org)))

    def open_due_by(self, day: date) -> list[InformationRequest]:
        """Every open request due on `day` or before (the reminders' search)."""
        return self._query(select(requests).where(requests.c.state == RequestState.OPEN.value,
                                                  requests.c.due_on <= day))

    def _query(self, query: Any) -> list[InformationRequest]:
        return self._load(self.connection.execute(query.order_by(requests.c.created_at, requests.c.id)).all())

    def _load(self, rows: Sequence[Any]) -> list[InformationRequest]:
        linked = self._disclosures_of([r.id for r in rows])
        return [InformationRequest(
            id=r.id, partnership_id=r.partnership_id, asker_org=r.asker_org, asked_by=r.asked_by,
            asked_org=r.asked_org, assignee_id=r.assignee_id, title=r.title, details=r.details,
            topic=r.topic, due_on=r.due_on, state=RequestState(r.state), created_at=r.created_at,
            decline_reason=r.decline_reason, closed_at=r.closed_at, closed_by=r.closed_by,
            disclosures=tuple(linked[r.id]), classification=Classification(r.classification),
            agreement_id=r.agreement_id, agreement_digest=r.agreement_digest,
            answer_note=r.answer_note) for r in rows]

    def _disclosures_of(self, request_ids: list[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {rid: [] for rid in request_ids}
        if request_ids:
            for link in self.connection.execute(
                select(request_disclosures).where(request_disclosures.c.request_id.in_(request_ids))
                .order_by(request_disclosures.c.linked_at, request_disclosures.c.disclosure_id)
            ):
                found[link.request_id].append(link.disclosure_id)
        return found


_OPEN, _CLOSED = 0, 1  # why: the first part of a request's page key: which of the two ranges


def _page_key(request: InformationRequest) -> Key:
    """Where a request stands in the list: (0, due day, created, id) while open, else
    (1, closed, id)."""
    if request.state is RequestState.OPEN:
        return (_OPEN, request.due_on.toordinal(), request.created_at, request.id)
    return (_CLOSED, request.closed_at or request.created_at, request.id)


def _segments(key: Key | None) -> tuple[tuple[int, datetime, str] | None, tuple[datetime, str] | None]:
    """The open range's and the closed range's start from a cursor (None: from their top);
    a cursor of another shape is a `BadPageRequest`."""
    if key is None:
        return None, None
    match key:
        case (0, int(day), datetime() as at, str(rid)) if 0 < day <= date.max.toordinal():
            return (day, at, rid), None
        case (1, datetime() as at, str(rid)):
            return None, (at, rid)
    raise BadPageRequest({"after": "is not a cursor this list gave (take `next` from the previous page)"})
