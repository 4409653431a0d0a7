"""the search index: documents of hashed terms; FTS5 on SQLite, a tsvector + GIN on PostgreSQL

Revision ID: 0032_search
Revises: 0031_fingerprints_v2
Create Date: 2026-12-07 05:40:00

The index starts empty: its terms are keyed hashes and its text is sealed, which needs the
data key and the blob store that a migration does not hold. `sharebound init` fills it on
the upgrade that runs this revision (bootstrap.py, `search.reindex`), as it does for the
gate's fingerprints.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0032_search'
down_revision = '0031_fingerprints_v2'
branch_labels = None
depends_on = None

# why triggers: FTS5 over an external content table is kept in step by them, inside the
# same transaction as the row (the SQLite documentation's own recipe)
_SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, topics_terms, body_terms, "
    "content='search_documents', content_rowid='id', tokenize='ascii')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, topics_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.topics_terms, new.body_terms); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, topics_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.topics_terms, old.body_terms); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, topics_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.topics_terms, old.body_terms); "
    "INSERT INTO search_fts(rowid, title_terms, topics_terms, body_terms) "
    "VALUES (new.id, new.title_terms, new.topics_terms, new.body_terms); END",
]
# why 'simple': the terms are hashes; no stemming or stop words apply, only exact tokens
_POSTGRES = [
    "ALTER TABLE search_documents ADD COLUMN terms tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_terms), 'A') || "
    "setweight(to_tsvector('simple', topics_terms), 'B') || "
    "setweight(to_tsvector('simple', body_terms), 'D')) STORED",
    "CREATE INDEX ix_search_documents_terms ON search_documents USING gin (terms)",
]


def upgrade() -> None:
    op.create_table('search_documents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('item_id', sa.String(length=40), nullable=False),
    sa.Column('disclosure_id', sa.String(length=40), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_terms', sa.Text(), nullable=False),
    sa.Column('topics_terms', sa.Text(), nullable=False),
    sa.Column('body_terms', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('indexed_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_search_documents_org_orgs')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_search_documents_item_id_items')),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'],
                            name=op.f('fk_search_documents_disclosure_id_disclosures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
    sa.UniqueConstraint('key', name=op.f('uq_search_documents_key'))
    )
    op.create_index('ix_search_documents_item_id', 'search_documents', ['item_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE if dialect == "sqlite" else _POSTGRES if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_index('ix_search_documents_item_id', table_name='search_documents')
    op.drop_table('search_documents')
