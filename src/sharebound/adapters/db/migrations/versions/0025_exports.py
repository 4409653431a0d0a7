"""exports: indexes that let the register and the access report be read in keyset batches

Revision ID: 0022_exports
Revises: 0021_partner_signup

An export reads `WHERE agreement_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id
LIMIT n` (or by partnership), and the access report by `(at, id)`: without these, each batch
would sort every remaining row again.
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0025_exports'
down_revision = '0024_representatives'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_disclosures_agreement_id_created_at_id', 'disclosures',
                    ['agreement_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_disclosures_partnership_id_created_at_id', 'disclosures',
                    ['partnership_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_access_records_at_id', 'access_records', ['at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_access_records_at_id', table_name='access_records')
    op.drop_index('ix_disclosures_partnership_id_created_at_id', table_name='disclosures')
    op.drop_index('ix_disclosures_agreement_id_created_at_id', table_name='disclosures')
