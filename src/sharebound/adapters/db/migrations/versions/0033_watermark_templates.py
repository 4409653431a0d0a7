"""watermark templates: an org's default and its per-agreement overrides

Revision ID: 0033_watermark_templates
Revises: 0032_search
Create Date: 2026-12-07 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0033_watermark_templates'
down_revision = '0032_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('watermark_templates',
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('template', sa.Text(), nullable=False),
    sa.Column('set_by', sa.String(length=40), nullable=False),
    sa.Column('set_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_watermark_templates_org_orgs')),
    sa.ForeignKeyConstraint(['set_by'], ['people.id'], name=op.f('fk_watermark_templates_set_by_people')),
    sa.PrimaryKeyConstraint('org', 'scope', name=op.f('pk_watermark_templates'))
    )


def downgrade() -> None:
    op.drop_table('watermark_templates')
