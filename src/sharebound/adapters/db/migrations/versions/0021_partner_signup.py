"""sign-up and partner invitations by email

Revision ID: 0021_partner_signup
Revises: 0020_obligations

The orgs' legal name and address come with 0014_agreement_documents (the legal profile).
Create Date: 2026-12-06 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0021_partner_signup'
down_revision = '0020_obligations'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partner_invitations',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('proposer', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by', sa.String(length=40), nullable=False),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_org', sa.String(length=40), nullable=True),
    sa.Column('revoked_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_partner_invitations_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['proposer'], ['orgs.handle'], name=op.f('fk_partner_invitations_proposer_orgs')),
    sa.ForeignKeyConstraint(['invited_by'], ['people.id'], name=op.f('fk_partner_invitations_invited_by_people')),
    sa.ForeignKeyConstraint(['accepted_org'], ['orgs.handle'], name=op.f('fk_partner_invitations_accepted_org_orgs')),
    sa.ForeignKeyConstraint(['revoked_by'], ['people.id'], name=op.f('fk_partner_invitations_revoked_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_partner_invitations_token_hash'))
    )
    op.create_index('ix_partner_invitations_partnership_id', 'partner_invitations', ['partnership_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_partner_invitations_partnership_id', table_name='partner_invitations')
    op.drop_table('partner_invitations')
