"""Notices under an agreement and their response threads."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import notice_responses, notices
from sharebound.domain.notices import Notice, NoticeKind, NoticeResponse, NoticeState
from sharebound.domain.paging import Page, PageRequest, cut


class NoticeRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, notice: Notice) -> None:
        n = notice
        self.connection.execute(insert(notices).values(
            id=n.id, agreement_id=n.agreement_id, partnership_id=n.partnership_id, kind=n.kind.value,
            from_org=n.from_org, sent_by=n.sent_by, to_orgs=json.dumps(list(n.to_orgs)), body=n.body,
            details=json.dumps(dict(n.details), sort_keys=True), deadline=n.deadline,
            state=n.state.value, created_at=n.created_at))

    def save_state(self, notice: Notice) -> None:
        n = notice
        self.connection.execute(update(notices).where(notices.c.id == n.id).values(
            state=n.state.value, acknowledged_at=n.acknowledged_at, acknowledged_by=n.acknowledged_by,
            closed_at=n.closed_at, closed_by=n.closed_by))

    def get(self, notice_id: str, *, lock: bool = False) -> Notice | None:
        query = select(notices).where(notices.c.id == notice_id)
        row = self.connection.execute(query.with_for_update() if lock else query).first()
        return _notice(row) if row is not None else None

    def of_agreement(self, agreement_id: str) -> list[Notice]:
        rows = self.connection.execute(select(notices).where(notices.c.agreement_id == agreement_id)
                                       .order_by(notices.c.created_at.desc(), notices.c.id))
        return [_notice(r) for r in rows]

    def page_of_agreement(self, agreement_id: str, org: str, request: PageRequest) -> Page[Notice]:
        """One keyset page of the agreement's notices that `org` gave or received, newest first."""
        query = select(notices).where(notices.c.agreement_id == agreement_id,
                                      or_(notices.c.from_org == org,
                                          notices.c.to_orgs.contains(json.dumps(org), autoescape=True)))
        rows = self.connection.execute(keyset(query, [notices.c.created_at, notices.c.id], request))
        found = [_notice(r) for r in rows]
        return cut(found, request, lambda n: (n.created_at, n.id)).with_rows(
            [n for n in found[:request.limit] if n.concerns(org)])

    def open_to(self, org: str) -> list[Notice]:
        """Notices given to `org` that are not closed yet, oldest first."""
        rows = self.connection.execute(select(notices).where(
            notices.c.state != NoticeState.CLOSED.value,
            notices.c.to_orgs.contains(json.dumps(org)))  # why: a handle is quoted in the JSON list
            .order_by(notices.c.created_at, notices.c.id))
        return [n for n in map(_notice, rows) if org in n.to_orgs]

    def with_deadline_by(self, until: datetime) -> list[Notice]:
        """Open notices whose deadline is at or before `until` (the reminders' search)."""
        rows = self.connection.execute(select(notices).where(
            notices.c.state != NoticeState.CLOSED.value, notices.c.deadline.is_not(None),
            notices.c.deadline <= until).order_by(notices.c.deadline, notices.c.id))
        return [_notice(r) for r in rows]

    def add_response(self, response: NoticeResponse) -> None:
        r = response
        self.connection.execute(insert(notice_responses).values(
            id=r.id, notice_id=r.notice_id, org=r.org, person_id=r.person_id, body=r.body, at=r.at))

    def responses(self, notice_id: str) -> list[NoticeResponse]:
        rows = self.connection.execute(select(notice_responses)
                                       .where(notice_responses.c.notice_id == notice_id)
                                       .order_by(notice_responses.c.at, notice_responses.c.id))
        return [NoticeResponse(id=r.id, notice_id=r.notice_id, org=r.org, person_id=r.person_id,
                               body=r.body, at=r.at) for r in rows]


def _notice(row: Any) -> Notice:
    return Notice(
        id=row.id, agreement_id=row.agreement_id, partnership_id=row.partnership_id,
        kind=NoticeKind(row.kind), from_org=row.from_org, sent_by=row.sent_by,
        to_orgs=tuple(json.loads(row.to_orgs)), body=row.body, details=json.loads(row.details),
        deadline=row.deadline, state=NoticeState(row.state), created_at=row.created_at,
        acknowledged_at=row.acknowledged_at, acknowledged_by=row.acknowledged_by,
        closed_at=row.closed_at, closed_by=row.closed_by)
