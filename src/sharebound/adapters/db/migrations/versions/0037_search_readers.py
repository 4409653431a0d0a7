"""search readers: who may search each document, and the access rule's terms, beside it

Revision ID: 0037_search_readers
Revises: 0036_recipient_expiry
Create Date: 2026-12-07 15:00:00

`search_documents` gains `readers` (an item's own document: "org:<handle>"; a disclosure's:
its recipients' ids) and copies of what the access rule reads of a disclosure (agreement,
actions, time, expiry, revocation), filled here from the rows they copy. On PostgreSQL the
GIN index becomes one over the readers and the terms, so that the index itself gives the
documents one person may read that match (tables/search.py): a search at a million
disclosures joined each of a member's 10,000 received to its disclosure's row to decide it
(145 ms, bench/README.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0037_search_readers'
down_revision = '0036_recipient_expiry'
branch_labels = None
depends_on = None

_AT = sharebound.adapters.db.types.UTCDateTime(timezone=True)
_TERMS = "CREATE INDEX ix_search_documents_terms ON search_documents USING gin (terms)"
# why an expression, not a column: the readers array is only the index's view of `readers`
_READERS_TERMS = ("CREATE INDEX ix_search_documents_readers_terms ON search_documents "
                  "USING gin ((string_to_array(readers, ' ')), terms)")
_RECIPIENTS = {  # the recipients of each disclosure, sorted, space separated
    "postgresql": "SELECT disclosure_id, string_agg(person_id, ' ' ORDER BY person_id) AS readers "
                  "FROM disclosure_recipients GROUP BY disclosure_id",
    "sqlite": "SELECT disclosure_id, group_concat(person_id, ' ') AS readers "
              "FROM (SELECT disclosure_id, person_id FROM disclosure_recipients "
              "ORDER BY disclosure_id, person_id) GROUP BY disclosure_id",
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # why add_column, not a batch: SQLite would copy the table, dropping the FTS5 triggers
    op.add_column('search_documents', sa.Column('readers', sa.Text(), nullable=False, server_default=''))
    for column in (sa.Column('agreement_id', sa.String(length=40), nullable=True),
                   sa.Column('actions', sa.String(length=40), nullable=True),
                   sa.Column('disclosed_at', _AT, nullable=True),
                   sa.Column('expires_at', _AT, nullable=True),
                   sa.Column('revoked_at', _AT, nullable=True)):
        op.add_column('search_documents', column)
    if dialect == "postgresql":  # why first: a million rows rewritten, without a GIN to keep
        op.execute("DROP INDEX ix_search_documents_terms")
    op.execute("UPDATE search_documents SET readers = 'org:' || org WHERE disclosure_id IS NULL")
    op.execute(  # why noqa: only this module's own constants are put in the text
        "UPDATE search_documents SET readers = coalesce(r.readers, ''), agreement_id = d.agreement_id, "  # noqa: S608
        "actions = d.actions, disclosed_at = d.created_at, expires_at = d.expires_at, "
        f"revoked_at = d.revoked_at FROM disclosures d LEFT JOIN ({_RECIPIENTS[dialect]}) r "
        "ON r.disclosure_id = d.id WHERE search_documents.disclosure_id = d.id")
    if dialect == "postgresql":
        op.execute(_READERS_TERMS)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX ix_search_documents_readers_terms")
    for name in ('revoked_at', 'expires_at', 'disclosed_at', 'actions', 'agreement_id', 'readers'):
        op.drop_column('search_documents', name)  # why not a batch: as above
    if dialect == "postgresql":
        op.execute(_TERMS)
