"""view-only page analytics: page_views

Revision ID: 0029_page_views
Revises: 0028_disclosure_leaf_index
Create Date: 2026-12-07 05:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0029_page_views'
down_revision = '0028_disclosure_leaf_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('page_views',
    sa.Column('disclosure_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('first_seen', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('views', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'], name=op.f('fk_page_views_disclosure_id_disclosures')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_page_views_person_id_people')),
    sa.PrimaryKeyConstraint('disclosure_id', 'person_id', 'page', name=op.f('pk_page_views'))
    )


def downgrade() -> None:
    op.drop_table('page_views')
