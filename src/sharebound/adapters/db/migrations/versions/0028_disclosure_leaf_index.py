"""a partial index on the events that made disclosures: inclusion proofs by disclosure

Revision ID: 0028_disclosure_leaf_index
Revises: 0027_folders
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0028_disclosure_leaf_index'
down_revision = '0027_folders'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_disclosure_made', 'events', ['subject'],
                    sqlite_where=sa.text("kind = 'disclosure_made'"),
                    postgresql_where=sa.text("kind = 'disclosure_made'"))


def downgrade() -> None:
    op.drop_index('ix_events_disclosure_made', table_name='events')
