"""the transparency log: a salt per event, the Merkle tree's nodes and right edge, checkpoints

Revision ID: 0022_merkle_log
Revises: 0021_partner_signup

Existing events enter their log's tree in order (seq): each gets a random salt (the events
table is append-only: its triggers are lifted for this one UPDATE and put back), its leaf
and the complete subtrees it closes are stored, and the log's head keeps the right edge.
Create Date: 2026-12-07 02:40:00
"""

from __future__ import annotations

import json
import os

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types
from sharebound.domain import merkle
from sharebound.domain.audit import event_body
from sharebound.domain.transparency import SALT_BYTES, body_digest, leaf_bytes

revision = '0022_merkle_log'
down_revision = '0021_partner_signup'
branch_labels = None
depends_on = None

BATCH = 2000  # why: bounded memory whatever the log's length


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('salt', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('event_logs', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('frontier', sa.LargeBinary(), nullable=True))
    op.create_table('log_nodes',
    sa.Column('log', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('idx', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('log', 'level', 'idx', name=op.f('pk_log_nodes')),
    sqlite_with_rowid=False,
    )
    op.create_table('log_checkpoints',
    sa.Column('log', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('root', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('log', 'size', name=op.f('pk_log_checkpoints'))
    )
    _allow_updates(False)
    try:
        _build_trees()
    finally:
        _allow_updates(True, restore=True)


def _allow_updates(allow: bool, restore: bool = False) -> None:
    """Lift (or put back) the triggers that keep events append-only (0001)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(f"ALTER TABLE events {'ENABLE' if restore else 'DISABLE'} TRIGGER events_append_only")
    elif restore:
        op.execute("CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events "
                   "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END")
    else:
        op.execute("DROP TRIGGER IF EXISTS events_no_update")


def _build_trees() -> None:
    bind = op.get_bind()
    events = sa.table('events', sa.column('id', sa.Integer), sa.column('log', sa.String),
                      sa.column('seq', sa.Integer),
                      sa.column('at', sharebound.adapters.db.types.UTCDateTime(timezone=True)),
                      sa.column('kind', sa.String), sa.column('actor', sa.String),
                      sa.column('subject', sa.String), sa.column('data', sa.Text),
                      sa.column('salt', sa.LargeBinary))
    nodes = sa.table('log_nodes', sa.column('log', sa.String), sa.column('level', sa.Integer),
                     sa.column('idx', sa.BigInteger), sa.column('hash', sa.LargeBinary))
    heads = sa.table('event_logs', sa.column('log', sa.String), sa.column('frontier', sa.LargeBinary))
    logs = [r[0] for r in bind.execute(sa.select(events.c.log).distinct().order_by(events.c.log))]
    for log in logs:
        frontier: list[bytes] = []
        size, last_seq = 0, -1
        while True:
            rows = bind.execute(sa.select(events).where(events.c.log == log, events.c.seq > last_seq)
                                .order_by(events.c.seq).limit(BATCH)).all()
            if not rows:
                break
            salts, made = [], []
            for row in rows:
                salt = os.urandom(SALT_BYTES)
                try:
                    data = json.loads(row.data)
                except ValueError:
                    data = {"unreadable": row.data}  # why: `audit verify` reports the row as damaged
                body = event_body(log, row.seq, row.at, row.kind, row.actor, row.subject, data)
                leaf = merkle.leaf_hash(leaf_bytes(log, row.seq, body_digest(salt, body)))
                completed, frontier = merkle.append_leaf(size, frontier, leaf)
                made += [{"log": log, "level": level, "idx": idx, "hash": h}
                         for (level, idx), h in completed]
                salts.append({"row_id": row.id, "salt": salt})
                size += 1
            bind.execute(sa.update(events).where(events.c.id == sa.bindparam('row_id'))
                         .values(salt=sa.bindparam('salt')), salts)
            bind.execute(sa.insert(nodes), made)
            last_seq = rows[-1].seq
        bind.execute(sa.update(heads).where(heads.c.log == log).values(frontier=merkle.pack(frontier)))


def downgrade() -> None:
    op.drop_table('log_checkpoints')
    op.drop_table('log_nodes')
    with op.batch_alter_table('event_logs', schema=None) as batch_op:
        batch_op.drop_column('frontier')
    _allow_updates(False)
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('salt')
    _allow_updates(True, restore=True)
