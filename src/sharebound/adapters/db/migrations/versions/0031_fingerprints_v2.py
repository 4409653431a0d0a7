"""the content gate's fingerprints, version 2: drop those of version 1

The fingerprint function changed (BLAKE2b of the joined words → a polynomial hash of the
words, computed with NumPy: domain/shingle_hash.py). Fingerprints of version 1 would never
match a text again, so they are dropped here, and a row of `pending_rebuilds` says so:
`bootstrap.init` recomputes every restricted item's from its content (the text of files is in
the blob store, which a migration does not read) and deletes the row only when all are done,
so an init that dies halfway finishes on the next start. `sharebound gate reindex` does it
again on demand.

Revision ID: 0031_fingerprints_v2
Revises: 0030_access_queue
Create Date: 2026-12-07 06:10:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0031_fingerprints_v2'
down_revision = '0030_access_queue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pending_rebuilds',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('since', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_pending_rebuilds'))
    )
    op.execute(sa.text("DELETE FROM restricted_fingerprints"))
    op.execute(sa.text("INSERT INTO pending_rebuilds (name, since) VALUES ('fingerprints', :now)")
               .bindparams(now=datetime.now(UTC).replace(tzinfo=None)))


def downgrade() -> None:
    # why: version 1's fingerprints cannot be rebuilt here either; an older release's
    # `sharebound gate reindex` recomputes them after a downgrade.
    op.execute(sa.text("DELETE FROM restricted_fingerprints"))
    op.drop_table('pending_rebuilds')
