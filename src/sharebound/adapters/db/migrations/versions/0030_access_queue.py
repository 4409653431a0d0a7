"""the access queue (PostgreSQL: the schema `accesses`; SQLite keeps it in a side file)

Revision ID: 0030_access_queue
Revises: 0029_page_views
Create Date: 2026-12-07 05:40:00

A recipient's view is appended to `accesses.access_queue` outside the read's transaction and
moved into `access_records` with its audit event by the worker (services/accesses.py). On
SQLite the queue is a database file of its own beside the main one, made by the engine
(adapters/db/engine.py), so that appending never waits for the main database's write lock:
this migration does nothing there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0030_access_queue'
down_revision = '0029_page_views'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SCHEMA IF NOT EXISTS accesses")
    op.create_table('access_queue',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('access_id', sa.String(length=40), nullable=False),
    sa.Column('disclosure_id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('access_id'),
    schema='accesses',
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_table('access_queue', schema='accesses')
    op.execute("DROP SCHEMA IF EXISTS accesses")
