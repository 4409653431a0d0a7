"""Messages of a partnership's feed."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from sharebound.adapters.db.tables import messages
from sharebound.domain.classification import Classification
from sharebound.domain.messages import Message


class MessageRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, message: Message) -> None:
        m = message
        self.connection.execute(insert(messages).values(
            id=m.id, partnership_id=m.partnership_id, org=m.org, author_id=m.author_id,
            body=m.body, classification=m.classification.value, agreement_id=m.agreement_id,
            agreement_digest=m.agreement_digest, created_at=m.created_at))

    def list_for_partnership(self, partnership_id: str) -> list[Message]:
        rows = self.connection.execute(
            select(messages).where(messages.c.partnership_id == partnership_id)
            .order_by(messages.c.created_at, messages.c.id))
        return [Message(id=r.id, partnership_id=r.partnership_id, org=r.org, author_id=r.author_id,
                        body=r.body, classification=Classification(r.classification),
                        agreement_id=r.agreement_id, agreement_digest=r.agreement_digest,
                        created_at=r.created_at) for r in rows]
