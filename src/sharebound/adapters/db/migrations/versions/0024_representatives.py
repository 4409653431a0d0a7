"""representatives and re-shares

Revision ID: 0022_representatives
Revises: 0021_partner_signup
Create Date: 2026-12-07 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0024_representatives'
down_revision = '0023_witnesses'
branch_labels = None
depends_on = None

_AT = sharebound.adapters.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('representatives',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('organization', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('named_by', sa.String(length=40), nullable=False),
    sa.Column('named_at', _AT, nullable=False),
    sa.Column('decided_org', sa.String(length=40), nullable=True),
    sa.Column('decided_by', sa.String(length=40), nullable=True),
    sa.Column('decided_at', _AT, nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('withdrawn_by', sa.String(length=40), nullable=True),
    sa.Column('withdrawn_at', _AT, nullable=True),
    sa.Column('person_id', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                            name=op.f('fk_representatives_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'],
                            name=op.f('fk_representatives_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_representatives_org_orgs')),
    sa.ForeignKeyConstraint(['named_by'], ['people.id'], name=op.f('fk_representatives_named_by_people')),
    sa.ForeignKeyConstraint(['decided_org'], ['orgs.handle'],
                            name=op.f('fk_representatives_decided_org_orgs')),
    sa.ForeignKeyConstraint(['decided_by'], ['people.id'], name=op.f('fk_representatives_decided_by_people')),
    sa.ForeignKeyConstraint(['withdrawn_by'], ['people.id'],
                            name=op.f('fk_representatives_withdrawn_by_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_representatives_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_representatives'))
    )
    op.create_index(op.f('ix_representatives_agreement_id'), 'representatives', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_representatives_person_id'), 'representatives', ['person_id'], unique=False)
    op.create_table('reshares',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('disclosure_id', sa.String(length=40), nullable=False),
    sa.Column('representative_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('shared_by', sa.String(length=40), nullable=False),
    sa.Column('actions', sa.String(length=100), nullable=False),
    sa.Column('created_at', _AT, nullable=False),
    sa.Column('expires_at', _AT, nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'], name=op.f('fk_reshares_disclosure_id_disclosures')),
    sa.ForeignKeyConstraint(['representative_id'], ['representatives.id'],
                            name=op.f('fk_reshares_representative_id_representatives')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_reshares_org_orgs')),
    sa.ForeignKeyConstraint(['shared_by'], ['people.id'], name=op.f('fk_reshares_shared_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reshares'))
    )
    op.create_index(op.f('ix_reshares_disclosure_id'), 'reshares', ['disclosure_id'], unique=False)
    op.create_index(op.f('ix_reshares_representative_id'), 'reshares', ['representative_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reshares_representative_id'), table_name='reshares')
    op.drop_index(op.f('ix_reshares_disclosure_id'), table_name='reshares')
    op.drop_table('reshares')
    op.drop_index(op.f('ix_representatives_person_id'), table_name='representatives')
    op.drop_index(op.f('ix_representatives_agreement_id'), table_name='representatives')
    op.drop_table('representatives')
