"""folders in an org's library, and package disclosures

Revision ID: 0022_folders
Revises: 0021_partner_signup
Create Date: 2026-12-07 02:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0027_folders'
down_revision = '0026_list_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('folders',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_folders_org_orgs')),
    sa.ForeignKeyConstraint(['parent_id'], ['folders.id'], name=op.f('fk_folders_parent_id_folders')),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_folders_created_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_folders'))
    )
    op.create_index('ix_folders_org', 'folders', ['org'], unique=False)
    op.create_index('ix_folders_parent_id', 'folders', ['parent_id'], unique=False)
    # why no foreign key: adding one to an existing table rebuilds it on SQLite
    op.add_column('items', sa.Column('folder_id', sa.String(length=40), nullable=True))
    op.create_index('ix_items_folder_id', 'items', ['folder_id'], unique=False)
    op.add_column('disclosures', sa.Column('package_id', sa.String(length=40), nullable=True))
    op.create_index('ix_disclosures_package_id', 'disclosures', ['package_id'], unique=False)
    op.create_table('packages',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('discloser', sa.String(length=40), nullable=False),
    sa.Column('disclosed_by', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('allowed_only', sa.Boolean(), nullable=False),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'], name=op.f('fk_packages_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['discloser'], ['orgs.handle'], name=op.f('fk_packages_discloser_orgs')),
    sa.ForeignKeyConstraint(['disclosed_by'], ['people.id'], name=op.f('fk_packages_disclosed_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_packages'))
    )
    op.create_index('ix_packages_partnership_id', 'packages', ['partnership_id'], unique=False)
    op.create_index('ix_packages_discloser', 'packages', ['discloser'], unique=False)
    op.create_table('package_entries',
    sa.Column('disclosure_id', sa.String(length=40), nullable=False),
    sa.Column('package_id', sa.String(length=40), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'], name=op.f('fk_package_entries_disclosure_id_disclosures')),
    sa.ForeignKeyConstraint(['package_id'], ['packages.id'], name=op.f('fk_package_entries_package_id_packages')),
    sa.PrimaryKeyConstraint('disclosure_id', name=op.f('pk_package_entries'))
    )
    op.create_index('ix_package_entries_package_id', 'package_entries', ['package_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_package_entries_package_id', table_name='package_entries')
    op.drop_table('package_entries')
    op.drop_index('ix_packages_discloser', table_name='packages')
    op.drop_index('ix_packages_partnership_id', table_name='packages')
    op.drop_table('packages')
    op.drop_index('ix_disclosures_package_id', table_name='disclosures')
    with op.batch_alter_table('disclosures') as batch_op:
        batch_op.drop_column('package_id')
    op.drop_index('ix_items_folder_id', table_name='items')
    with op.batch_alter_table('items') as batch_op:
        batch_op.drop_column('folder_id')
    op.drop_index('ix_folders_parent_id', table_name='folders')
    op.drop_index('ix_folders_org', table_name='folders')
    op.drop_table('folders')
