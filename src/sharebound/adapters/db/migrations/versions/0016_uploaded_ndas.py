"""uploaded NDAs: executed NDAs uploaded to a partnership (table agreement_documents)

Revision ID: 0015_uploaded_ndas
Revises: 0014_agreement_documents
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0016_uploaded_ndas'
down_revision = '0015_signature_evidence'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agreement_documents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by', sa.String(length=40), nullable=False),
    sa.Column('uploaded_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_agreement_documents_org_orgs')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'],
                            name=op.f('fk_agreement_documents_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['uploaded_by'], ['people.id'],
                            name=op.f('fk_agreement_documents_uploaded_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_documents'))
    )
    op.create_index('ix_agreement_documents_partnership_id', 'agreement_documents', ['partnership_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_agreement_documents_partnership_id', table_name='agreement_documents')
    op.drop_table('agreement_documents')
