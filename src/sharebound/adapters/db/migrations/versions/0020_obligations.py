"""obligations: notices, their responses, demands for return, certification evidence

Revision ID: 0014_obligations
Revises: 0013
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0020_obligations'
down_revision = '0019_sso'
branch_labels = None
depends_on = None

_AT = sharebound.adapters.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('return_certifications') as batch:
        batch.add_column(sa.Column('ip', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('user_agent', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('copy_list', sa.Text(), nullable=True))
    op.create_table('notices',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('from_org', sa.String(length=40), nullable=False),
    sa.Column('sent_by', sa.String(length=40), nullable=False),
    sa.Column('to_orgs', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('deadline', _AT, nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', _AT, nullable=False),
    sa.Column('acknowledged_at', _AT, nullable=True),
    sa.Column('acknowledged_by', sa.String(length=40), nullable=True),
    sa.Column('closed_at', _AT, nullable=True),
    sa.Column('closed_by', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_notices_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'],
                            name=op.f('fk_notices_partnership_id_partnerships')),
    sa.ForeignKeyConstraint(['from_org'], ['orgs.handle'], name=op.f('fk_notices_from_org_orgs')),
    sa.ForeignKeyConstraint(['sent_by'], ['people.id'], name=op.f('fk_notices_sent_by_people')),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['people.id'], name=op.f('fk_notices_acknowledged_by_people')),
    sa.ForeignKeyConstraint(['closed_by'], ['people.id'], name=op.f('fk_notices_closed_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    op.create_index(op.f('ix_notices_agreement_id'), 'notices', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_notices_state_deadline'), 'notices', ['state', 'deadline'], unique=False)
    op.create_table('notice_responses',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('notice_id', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', _AT, nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_notice_responses_notice_id_notices')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_notice_responses_org_orgs')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_notice_responses_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_responses'))
    )
    op.create_index(op.f('ix_notice_responses_notice_id'), 'notice_responses', ['notice_id'], unique=False)
    op.create_table('return_demands',
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('discloser', sa.String(length=40), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('notice_id', sa.String(length=40), nullable=False),
    sa.Column('demanded_by', sa.String(length=40), nullable=False),
    sa.Column('demanded_at', _AT, nullable=False),
    sa.Column('due_at', _AT, nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'],
                            name=op.f('fk_return_demands_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['discloser'], ['orgs.handle'], name=op.f('fk_return_demands_discloser_orgs')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_return_demands_org_orgs')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_return_demands_notice_id_notices')),
    sa.ForeignKeyConstraint(['demanded_by'], ['people.id'], name=op.f('fk_return_demands_demanded_by_people')),
    sa.PrimaryKeyConstraint('agreement_id', 'discloser', 'org', name=op.f('pk_return_demands'))
    )


def downgrade() -> None:
    op.drop_table('return_demands')
    op.drop_index(op.f('ix_notice_responses_notice_id'), table_name='notice_responses')
    op.drop_table('notice_responses')
    op.drop_index(op.f('ix_notices_state_deadline'), table_name='notices')
    op.drop_index(op.f('ix_notices_agreement_id'), table_name='notices')
    op.drop_table('notices')
    with op.batch_alter_table('return_certifications') as batch:
        batch.drop_column('copy_list')
        batch.drop_column('user_agent')
        batch.drop_column('ip')
