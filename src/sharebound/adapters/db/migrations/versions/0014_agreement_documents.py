"""the agreement document: stored with each version; org legal profiles; trade-secret items

Going down discards the agreement documents: versions signed over a document are then refused
as damaged (they cannot be verified without it), never silently re-rendered.

Revision ID: 0014_agreement_documents
Revises: 0013
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014_agreement_documents'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        # why the default: versions signed before this change were signed over their terms JSON
        batch_op.add_column(sa.Column('document_format', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('document', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_name', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('address', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('notice_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('notice_email', sa.String(length=254), nullable=True))
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('trade_secret', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('trade_secret')
    with op.batch_alter_table('orgs', schema=None) as batch_op:
        batch_op.drop_column('notice_email')
        batch_op.drop_column('notice_name')
        batch_op.drop_column('address')
        batch_op.drop_column('legal_name')
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.drop_column('document')
        batch_op.drop_column('document_format')
