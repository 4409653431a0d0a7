"""people lifecycle: deactivation, SCIM provisioning (tokens, groups)

Revision ID: 0014_people_lifecycle
Revises: 0013
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0017_people_lifecycle'
down_revision = '0016_uploaded_ndas'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people') as batch:
        batch.add_column(sa.Column('deactivated_at', sharebound.adapters.db.types.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.add_column(sa.Column('scim_user_name', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('external_id', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('scim_data', sa.Text(), nullable=True))
        batch.add_column(sa.Column('scim_deleted_at', sharebound.adapters.db.types.UTCDateTime(timezone=True),
                                   nullable=True))
        batch.create_unique_constraint(op.f('uq_people_org_scim_user_name'), ['org', 'scim_user_name'])
    op.create_table('scim_tokens',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=True),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_scim_tokens_created_by_people')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_scim_tokens_org_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_scim_tokens_token_hash'))
    )
    op.create_index('ix_scim_tokens_org', 'scim_tokens', ['org'], unique=False)
    op.create_table('scim_groups',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_scim_groups_org_orgs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scim_groups')),
    sa.UniqueConstraint('org', 'display_name', name=op.f('uq_scim_groups_org_display_name'))
    )
    op.create_index('ix_scim_groups_org', 'scim_groups', ['org'], unique=False)
    op.create_table('scim_group_members',
    sa.Column('group_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['scim_groups.id'],
                            name=op.f('fk_scim_group_members_group_id_scim_groups')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_scim_group_members_person_id_people')),
    sa.PrimaryKeyConstraint('group_id', 'person_id', name=op.f('pk_scim_group_members'))
    )
    op.create_index('ix_scim_group_members_person_id', 'scim_group_members', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_scim_group_members_person_id', table_name='scim_group_members')
    op.drop_table('scim_group_members')
    op.drop_index('ix_scim_groups_org', table_name='scim_groups')
    op.drop_table('scim_groups')
    op.drop_index('ix_scim_tokens_org', table_name='scim_tokens')
    op.drop_table('scim_tokens')
    with op.batch_alter_table('people') as batch:
        batch.drop_constraint(op.f('uq_people_org_scim_user_name'), type_='unique')
        batch.drop_column('scim_deleted_at')
        batch.drop_column('scim_data')
        batch.drop_column('external_id')
        batch.drop_column('scim_user_name')
        batch.drop_column('deactivated_at')
