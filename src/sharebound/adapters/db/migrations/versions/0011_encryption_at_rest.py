"""encryption at rest: data keys; room for sealed webhook secrets and crown-jewel terms

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('data_keys',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('kek_id', sa.String(length=64), nullable=False),
    sa.Column('wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_keys'))
    )
    # why: a sealed value (prefix, key id, nonce, tag, base64) is longer than its plaintext.
    # The values themselves are sealed by `sharebound init` (it holds the KEK; Alembic does not).
    with op.batch_alter_table('webhooks') as batch:
        batch.alter_column('secret', type_=sa.Text(), existing_type=sa.String(100), existing_nullable=False)
        batch.alter_column('old_secret', type_=sa.Text(), existing_type=sa.String(100), existing_nullable=True)
    with op.batch_alter_table('crown_jewel_terms') as batch:
        batch.alter_column('term', type_=sa.Text(), existing_type=sa.String(100), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('crown_jewel_terms') as batch:
        batch.alter_column('term', type_=sa.String(100), existing_type=sa.Text(), existing_nullable=False)
    with op.batch_alter_table('webhooks') as batch:
        batch.alter_column('secret', type_=sa.String(100), existing_type=sa.Text(), existing_nullable=False)
        batch.alter_column('old_secret', type_=sa.String(100), existing_type=sa.Text(), existing_nullable=True)
    op.drop_table('data_keys')
