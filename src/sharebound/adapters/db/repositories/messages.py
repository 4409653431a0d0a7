"""Messages of a partnership's feed, the people they mention, and how far each person has read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import feed_reads, message_mentions, messages
from sharebound.domain.classification import Classification
from sharebound.domain.messages import Message
from sharebound.domain.paging import Page, PageRequest, cut


class MessageRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, message: Message) -> None:
        m = message
        self.connection.execute(insert(messages).values(
            id=m.id, partnership_id=m.partnership_id, org=m.org, author_id=m.author_id,
            body=m.body, classification=m.classification.value, agreement_id=m.agreement_id,
            agreement_digest=m.agreement_digest, created_at=m.created_at, reply_to=m.reply_to,
            disclosure_id=m.disclosure_id))
        if m.mentions:
            self.connection.execute(insert(message_mentions), [
                {"message_id": m.id, "person_id": p, "position": i} for i, p in enumerate(m.mentions)])

    def get(self, message_id: str) -> Message | None:
        found = self._query(messages.c.id == message_id)
        return found[0] if found else None

    def list_for_partnership(self, partnership_id: str) -> list[Message]:
        return self._query(messages.c.partnership_id == partnership_id)

    def page_for_partnership(self, partnership_id: str, request: PageRequest, *,
                             threads: bool = False) -> Page[Message]:
        """One keyset page of the partnership's feed, oldest first; with `threads`, of the
        messages that answer none (a thread's first message: see `replies_to`)."""
        query = select(messages).where(messages.c.partnership_id == partnership_id)
        if threads:
            query = query.where(messages.c.reply_to.is_(None))
        rows = self.connection.execute(keyset(query, [messages.c.created_at, messages.c.id], request,
                                              newest_first=False)).all()
        return cut(self._load(rows), request, lambda m: (m.created_at, m.id))

    def replies_to(self, message_ids: Sequence[str]) -> list[Message]:
        """Every reply to those messages, oldest first, in one query."""
        if not message_ids:
            return []
        return self._query(messages.c.reply_to.in_(sorted(set(message_ids))))

    def _query(self, where: Any) -> list[Message]:
        return self._load(self.connection.execute(
            select(messages).where(where).order_by(messages.c.created_at, messages.c.id)).all())

    def _load(self, rows: Sequence[Any]) -> list[Message]:
        """Messages from their rows, with the mentions of them all in one more query."""
        mentions: dict[str, list[str]] = {r.id: [] for r in rows}
        if rows:
            for link in self.connection.execute(
                select(message_mentions).where(message_mentions.c.message_id.in_(list(mentions)))
                .order_by(message_mentions.c.message_id, message_mentions.c.position)
            ):
                mentions[link.message_id].append(link.person_id)
        return [Message(id=r.id, partnership_id=r.partnership_id, org=r.org, author_id=r.author_id,
                        body=r.body, classification=Classification(r.classification),
                        agreement_id=r.agreement_id, agreement_digest=r.agreement_digest,
                        created_at=r.created_at, reply_to=r.reply_to, disclosure_id=r.disclosure_id,
                        mentions=tuple(mentions[r.id])) for r in rows]

    def read_up_to(self, person_id: str, partnership_id: str) -> datetime | None:
        return self.connection.execute(
            select(feed_reads.c.read_up_to).where(feed_reads.c.person_id == person_id,
                                                  feed_reads.c.partnership_id == partnership_id)
        ).scalar_one_or_none()

    def reads_of(self, person_id: str) -> dict[str, datetime]:
        """How far the person has read each partnership's feed, by partnership id."""
        rows = self.connection.execute(select(feed_reads).where(feed_reads.c.person_id == person_id))
        return {r.partnership_id: r.read_up_to for r in rows}

    def set_read_up_to(self, person_id: str, partnership_id: str, at: datetime) -> None:
        """Move the person's marker forward to `at` (never back)."""
        dialect = self.connection.dialect.name
        insert_new = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(feed_reads)
        # why ON CONFLICT: two tabs opening the feed at once both create the marker; one wins
        self.connection.execute(insert_new.values(
            person_id=person_id, partnership_id=partnership_id, read_up_to=at).on_conflict_do_nothing())
        self.connection.execute(update(feed_reads).where(
            feed_reads.c.person_id == person_id, feed_reads.c.partnership_id == partnership_id,
            feed_reads.c.read_up_to < at).values(read_up_to=at))

    def read_up_to_and_unread(self, person_id: str, partnership_id: str) -> tuple[datetime | None, int]:
        """`read_up_to` and `unread_counts` of one partnership's feed, in one statement."""
        marker = (select(feed_reads.c.read_up_to)
                  .where(feed_reads.c.person_id == person_id, feed_reads.c.partnership_id == partnership_id)
                  .scalar_subquery())
        unread = (select(func.count()).select_from(messages)
                  .where(messages.c.partnership_id == partnership_id, messages.c.author_id != person_id,
                         (marker.is_(None)) | (messages.c.created_at > marker))
                  .scalar_subquery())
        at, count = self.connection.execute(select(marker, unread)).one()
        return at, int(count)

    def unread_counts(self, person_id: str, partnership_ids: Sequence[str]) -> dict[str, int]:
        """Per partnership, the messages by others posted after the person's marker."""
        if not partnership_ids:
            return {}
        marker = (select(feed_reads.c.read_up_to)
                  .where(feed_reads.c.person_id == person_id,
                         feed_reads.c.partnership_id == messages.c.partnership_id)
                  .scalar_subquery())
        rows = self.connection.execute(
            select(messages.c.partnership_id, func.count())
            .where(messages.c.partnership_id.in_(list(partnership_ids)),
                   messages.c.author_id != person_id,
                   (marker.is_(None)) | (messages.c.created_at > marker))
            .group_by(messages.c.partnership_id))
        counts = {pid: 0 for pid in partnership_ids}
        counts.update({r[0]: int(r[1]) for r in rows})
        return counts
