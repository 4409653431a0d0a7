"""Tables of the feed, information requests, notifications, webhooks and the outbox."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from sharebound.adapters.db.tables.base import DIGEST, HANDLE, ID, metadata
from sharebound.adapters.db.types import UTCDateTime

messages = Table(
    "messages", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("author_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("body", Text, nullable=False),
    Column("classification", String(20), nullable=False),
    Column("agreement_id", String(ID), ForeignKey("agreements.id")),
    Column("agreement_digest", String(DIGEST)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reply_to", String(ID), ForeignKey("messages.id")),  # one level of threading
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id")),  # a disclosure it points to
    Index(None, "partnership_id", "created_at"),
    # why: keyset pages of the feed (oldest first), and of its threads on the partnership page
    Index("ix_messages_page", "partnership_id", "created_at", "id"),
    Index("ix_messages_threads_page", "partnership_id", "reply_to", "created_at", "id"),
    Index("ix_messages_reply_to", "reply_to"),
)


# Information requests: an org asks a partner org for information. `state` is what was last
# done (open, answered, declined, withdrawn); "overdue" is computed from `due_on`, never stored.
requests = Table(
    "requests", metadata,
    Column("id", String(ID), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), nullable=False),
    Column("asker_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("asked_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("asked_org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False),
    Column("assignee_id", String(ID), ForeignKey("people.id")),
    Column("title", String(300), nullable=False),
    Column("details", Text, nullable=False),
    Column("topic", String(100)),
    Column("due_on", Date, nullable=False),
    Column("state", String(20), nullable=False),
    Column("decline_reason", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime),
    Column("closed_by", String(ID), ForeignKey("people.id")),
    # The level its text was sent at and the agreement in force that covered it (as messages).
    Column("classification", String(20), nullable=False, server_default="public"),
    Column("agreement_id", String(ID), ForeignKey("agreements.id")),
    Column("agreement_digest", String(DIGEST)),
    Column("answer_note", Text),
    Index(None, "partnership_id", "created_at"),
    Index(None, "asked_org", "state"),
    # why: a partnership's requests page open ones by due date, then closed ones newest first
    Index("ix_requests_open_page", "partnership_id", "state", "due_on", "created_at", "id"),
    Index("ix_requests_closed_page", "partnership_id", "closed_at", "id"),
    Index(None, "state", "due_on"),
)


# The disclosures that answer a request.
request_disclosures = Table(
    "request_disclosures", metadata,
    Column("request_id", String(ID), ForeignKey("requests.id"), primary_key=True),
    Column("disclosure_id", String(ID), ForeignKey("disclosures.id"), primary_key=True),
    Column("linked_at", UTCDateTime, nullable=False),
)


# The people a message mentions (resolved when it was posted).
message_mentions = Table(
    "message_mentions", metadata,
    Column("message_id", String(ID), ForeignKey("messages.id"), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True, index=True),
    Column("position", Integer, nullable=False),  # the order of first mention
)


# How far each person has read each partnership's feed: later messages by others are new.
feed_reads = Table(
    "feed_reads", metadata,
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("partnership_id", String(ID), ForeignKey("partnerships.id"), primary_key=True),
    Column("read_up_to", UTCDateTime, nullable=False),
)


# Notifications: one row per person told of something; in-app, whatever their preferences.
notifications = Table(
    "notifications", metadata,
    Column("id", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", String(500), nullable=False),  # only what the person may already see
    Column("link", String(300), nullable=False),  # a path in the app
    Column("event_kind", String(60), nullable=False),
    Column("subject", String(ID), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("read_at", UTCDateTime),
    Index(None, "person_id", "created_at"),
    Index("ix_notifications_page", "person_id", "created_at", "id"),  # why: keyset pages, newest first
)


# An org's webhooks. The secret is kept (it signs each delivery); after a rotation the old
# one keeps signing beside the new one until `old_secret_until`.
webhooks = Table(
    "webhooks", metadata,
    Column("id", String(ID), primary_key=True),
    Column("org", String(HANDLE), ForeignKey("orgs.handle"), nullable=False, index=True),
    Column("url", String(2000), nullable=False),
    Column("kinds", Text, nullable=False),  # sorted, comma separated; empty = every kind
    Column("secret", Text, nullable=False),  # sealed with the data key (docs/encryption.md)
    Column("old_secret", Text),
    Column("old_secret_until", UTCDateTime),
    Column("created_by", String(ID), ForeignKey("people.id"), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),  # deleted webhooks keep their delivery log
)


# The outbox: what the worker must deliver, written in the same transaction as its event.
# A worker claims a row (state `sending`, claimed_by, lease_until) and commits before it
# sends; a row whose lease ran out is claimed again.
outbox = Table(
    "outbox", metadata,
    Column("id", String(ID), primary_key=True),
    Column("channel", String(10), nullable=False),  # email | webhook
    Column("notification_id", String(ID), ForeignKey("notifications.id")),
    Column("person_id", String(ID), ForeignKey("people.id")),  # an email's addressee
    Column("webhook_id", String(ID), ForeignKey("webhooks.id")),
    Column("payload", Text, nullable=False),  # JSON: a webhook's body, or a digest's email
    Column("state", String(10), nullable=False),  # pending | sending | sent | failed | skipped
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_by", String(100)),
    Column("lease_until", UTCDateTime),
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Index(None, "state", "next_attempt_at"),
)


# Every attempt to deliver to a webhook: the delivery log admins read.
webhook_deliveries = Table(
    "webhook_deliveries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", String(ID), ForeignKey("webhooks.id"), nullable=False),
    Column("outbox_id", String(ID), ForeignKey("outbox.id"), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Index(None, "webhook_id", "at"),
)


# Reminders and digests already sent: the key makes a second pass or worker a no-op.
reminders_sent = Table(
    "reminders_sent", metadata,
    Column("kind", String(40), primary_key=True),
    Column("subject", String(ID), primary_key=True),
    Column("person_id", String(ID), ForeignKey("people.id"), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("sent_at", UTCDateTime, nullable=False),
)
