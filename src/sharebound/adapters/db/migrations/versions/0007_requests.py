"""information requests

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('requests',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('asker_org', sa.String(length=40), nullable=False),
    sa.Column('asked_by', sa.String(length=40), nullable=False),
    sa.Column('asked_org', sa.String(length=40), nullable=False),
    sa.Column('assignee_id', sa.String(length=40), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'],
                            name=op.f('fk_requests_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['asker_org'], ['orgs.handle'], name=op.f('fk_requests_asker_org_orgs')),
    sa.ForeignKeyConstraint(['asked_by'], ['people.id'], name=op.f('fk_requests_asked_by_people')),
    sa.ForeignKeyConstraint(['asked_org'], ['orgs.handle'], name=op.f('fk_requests_asked_org_orgs')),
    sa.ForeignKeyConstraint(['assignee_id'], ['people.id'], name=op.f('fk_requests_assignee_id_people')),
    sa.ForeignKeyConstraint(['closed_by'], ['people.id'], name=op.f('fk_requests_closed_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_partnership_id_created_at'),
                              ['partnership_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_asked_org_state'), ['asked_org', 'state'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_requests_state_due_on'), ['state', 'due_on'], unique=False)
    op.create_table('request_disclosures',
    sa.Column('request_id', sa.String(length=40), nullable=False),
    sa.Column('disclosure_id', sa.String(length=40), nullable=False),
    sa.Column('linked_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'],
                            name=op.f('fk_request_disclosures_request_id_requests')),
    sa.ForeignKeyConstraint(['disclosure_id'], ['disclosures.id'],
                            name=op.f('fk_request_disclosures_disclosure_id_disclosures')),
    sa.PrimaryKeyConstraint('request_id', 'disclosure_id', name=op.f('pk_request_disclosures'))
    )


def downgrade() -> None:
    op.drop_table('request_disclosures')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_state_due_on'))
        batch_op.drop_index(batch_op.f('ix_requests_asked_org_state'))
        batch_op.drop_index(batch_op.f('ix_requests_partnership_id_created_at'))
    op.drop_table('requests')
