"""list page indexes: every list of the API and pages reads one index range per page

Revision ID: 0034_list_page_indexes
Revises: 0033_watermark_templates

One index per list order that no index served yet (the library, requests, notifications,
the feed, ...): each keyset page (docs/api.md, "Paging") is one range of it, whatever the
history before it.
Create Date: 2026-12-07 05:40:00
"""

from __future__ import annotations

from alembic import op

revision = '0034_list_page_indexes'
down_revision = '0033_watermark_templates'
branch_labels = None
depends_on = None

# (name, table, columns), in the order they are created
INDEXES: list[tuple[str, str, list[str]]] = [
    ('ix_items_page', 'items', ['owner', 'created_at', 'id']),
    ('ix_requests_open_page', 'requests', ['partnership_id', 'state', 'due_on', 'created_at', 'id']),
    ('ix_requests_closed_page', 'requests', ['partnership_id', 'closed_at', 'id']),
    ('ix_notifications_page', 'notifications', ['person_id', 'created_at', 'id']),
    ('ix_messages_page', 'messages', ['partnership_id', 'created_at', 'id']),
    ('ix_messages_threads_page', 'messages', ['partnership_id', 'reply_to', 'created_at', 'id']),
    ('ix_messages_reply_to', 'messages', ['reply_to']),
    ('ix_notices_page', 'notices', ['agreement_id', 'created_at', 'id']),
    ('ix_people_page', 'people', ['org', 'name', 'email']),
    ('ix_representatives_page', 'representatives', ['agreement_id', 'named_at', 'id']),
    ('ix_reshares_page', 'reshares', ['disclosure_id', 'created_at', 'id']),
    ('ix_crown_jewel_terms_page', 'crown_jewel_terms', ['org', 'added_at', 'id']),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
