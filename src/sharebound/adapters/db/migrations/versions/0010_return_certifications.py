"""return certifications

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('return_certifications',
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('certified_by', sa.String(length=40), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('certified_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                            name=op.f('fk_return_certifications_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_return_certifications_org_orgs')),
    sa.ForeignKeyConstraint(['certified_by'], ['people.id'],
                            name=op.f('fk_return_certifications_certified_by_people')),
    sa.PrimaryKeyConstraint('agreement_id', 'org', name=op.f('pk_return_certifications'))
    )


def downgrade() -> None:
    op.drop_table('return_certifications')
