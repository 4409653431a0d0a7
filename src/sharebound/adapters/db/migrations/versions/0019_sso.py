"""single sign-on: an org's OpenID Connect provider, its domains, sign-ins under way; how a
session signed in

Revision ID: 0014_sso
Revises: 0013
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0019_sso'
down_revision = '0018_second_factors'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sso_providers',
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('client_id', sa.String(length=255), nullable=False),
    sa.Column('client_secret', sa.Text(), nullable=False),
    sa.Column('authorization_endpoint', sa.String(length=2000), nullable=False),
    sa.Column('token_endpoint', sa.String(length=2000), nullable=False),
    sa.Column('jwks_uri', sa.String(length=2000), nullable=False),
    sa.Column('role_map', sa.Text(), nullable=False),
    sa.Column('require_sso', sa.Boolean(), nullable=False),
    sa.Column('jit', sa.Boolean(), nullable=False),
    sa.Column('updated_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_sso_providers_org_orgs')),
    sa.ForeignKeyConstraint(['updated_by'], ['people.id'], name=op.f('fk_sso_providers_updated_by_people')),
    sa.PrimaryKeyConstraint('org', name=op.f('pk_sso_providers'))
    )
    op.create_table('sso_domains',
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['sso_providers.org'], name=op.f('fk_sso_domains_org_sso_providers')),
    sa.PrimaryKeyConstraint('domain', name=op.f('pk_sso_domains'))
    )
    op.create_index(op.f('ix_sso_domains_org'), 'sso_domains', ['org'], unique=False)
    op.create_table('sso_logins',
    sa.Column('state_hash', sa.String(length=64), nullable=False),
    sa.Column('browser_hash', sa.String(length=64), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('nonce', sa.String(length=100), nullable=False),
    sa.Column('verifier', sa.String(length=200), nullable=False),
    sa.Column('next_url', sa.String(length=2000), nullable=False),
    sa.Column('session_id', sa.String(length=40), nullable=True),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_sso_logins_org_orgs')),
    sa.PrimaryKeyConstraint('state_hash', name=op.f('pk_sso_logins'))
    )
    op.create_index(op.f('ix_sso_logins_expires_at'), 'sso_logins', ['expires_at'], unique=False)
    with op.batch_alter_table('web_sessions') as batch:
        batch.add_column(sa.Column('method', sa.String(length=10), server_default='password', nullable=False))
        batch.add_column(sa.Column('authenticated_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('web_sessions') as batch:
        batch.drop_column('authenticated_at')
        batch.drop_column('method')
    op.drop_index(op.f('ix_sso_logins_expires_at'), table_name='sso_logins')
    op.drop_table('sso_logins')
    op.drop_index(op.f('ix_sso_domains_org'), table_name='sso_domains')
    op.drop_table('sso_domains')
    op.drop_table('sso_providers')
