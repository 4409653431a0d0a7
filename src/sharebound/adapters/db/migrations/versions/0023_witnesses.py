"""witnesses of the transparency log: each org's cosigner key and the cosignatures it posts

Revision ID: 0022_witnesses
Revises: 0022_merkle_log

(Named 0022 per the brief; it follows the merkle-log branch's 0022 here, and the lead
renumbers the chain when merging.)
Create Date: 2026-12-07 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0023_witnesses'
down_revision = '0022_merkle_log'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('witness_keys',
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('registered_by', sa.String(length=40), nullable=False),
    sa.Column('registered_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_witness_keys_org_orgs')),
    sa.ForeignKeyConstraint(['registered_by'], ['people.id'], name=op.f('fk_witness_keys_registered_by_people')),
    sa.PrimaryKeyConstraint('org', name=op.f('pk_witness_keys'))
    )
    op.create_table('log_cosignatures',
    sa.Column('log', sa.String(length=60), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('timestamp', sa.BigInteger(), nullable=False),
    sa.Column('line', sa.Text(), nullable=False),
    sa.Column('received_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_log_cosignatures_org_orgs')),
    sa.PrimaryKeyConstraint('log', 'size', 'org', name=op.f('pk_log_cosignatures'))
    )


def downgrade() -> None:
    op.drop_table('log_cosignatures')
    op.drop_table('witness_keys')
