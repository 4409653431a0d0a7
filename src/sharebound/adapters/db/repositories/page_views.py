"""View-only page analytics: one row per disclosure, recipient and page (domain/page_views.py)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.tables import page_views
from sharebound.domain.page_views import PageView


class PageViewRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def count_view(self, disclosure_id: str, person_id: str, page: int, at: datetime) -> None:
        """One more image of the page sent to the person: one statement (an upsert)."""
        insert = (postgresql.insert if self.connection.dialect.name == "postgresql"
                  else sqlite.insert)(page_views)
        self.connection.execute(insert.values(
            disclosure_id=disclosure_id, person_id=person_id, page=page, first_seen=at,
            last_seen=at, views=1, seconds=0.0,
        ).on_conflict_do_update(
            index_elements=[page_views.c.disclosure_id, page_views.c.person_id, page_views.c.page],
            set_={"views": page_views.c.views + 1, "last_seen": at}))

    def last_seen(self, disclosure_id: str, person_id: str, pages: Iterable[int]) -> dict[int, datetime]:
        """When each of these pages was last sent to the person or last reported by them, for
        the pages they were sent; locked for this transaction on PostgreSQL (two reports at
        once credit the same elapsed time once)."""
        query = select(page_views.c.page, page_views.c.last_seen).where(
            page_views.c.disclosure_id == disclosure_id, page_views.c.person_id == person_id,
            page_views.c.page.in_(sorted(set(pages))))
        if self.connection.dialect.name == "postgresql":
            query = query.with_for_update()
        return {r.page: r.last_seen for r in self.connection.execute(query)}

    def add_seconds(self, disclosure_id: str, person_id: str, seconds: dict[int, float],
                    at: datetime) -> int:
        """Add the seconds on screen to pages whose image the person was sent (any other page is
        left alone: time counts only for a page that was opened), and mark them reported at
        `at`; how many pages took them."""
        taken = 0
        for page, spent in sorted(seconds.items()):
            if spent <= 0:
                continue
            result = self.connection.execute(update(page_views).where(
                page_views.c.disclosure_id == disclosure_id, page_views.c.person_id == person_id,
                page_views.c.page == page,
            ).values(seconds=page_views.c.seconds + spent, last_seen=at))
            taken += int(result.rowcount or 0)
        return taken

    def of_disclosure(self, disclosure_id: str) -> list[PageView]:
        rows = self.connection.execute(
            select(page_views).where(page_views.c.disclosure_id == disclosure_id)
            .order_by(page_views.c.person_id, page_views.c.page))
        return [PageView(disclosure_id=r.disclosure_id, person_id=r.person_id, page=r.page,
                         first_seen=r.first_seen, last_seen=r.last_seen, views=r.views,
                         seconds=float(r.seconds)) for r in rows]
