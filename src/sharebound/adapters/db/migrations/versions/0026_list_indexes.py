"""list indexes: keyset pages of the register read one index range whatever the history

Revision ID: 0022_list_indexes
Revises: 0021_partner_signup

`disclosure_recipients` gains copies of values that never change (the recipient's org, the
disclosure's partnership and time), filled here from the rows they copy, so that "received"
per person and per org reads one index range newest first.
Create Date: 2026-12-07 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0026_list_indexes'
down_revision = '0025_exports'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('disclosure_recipients') as batch:
        batch.add_column(sa.Column('org', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('partnership_id', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True),
                                   nullable=True))
    op.execute("UPDATE disclosure_recipients SET "
               "org = (SELECT people.org FROM people WHERE people.id = disclosure_recipients.person_id), "
               "partnership_id = (SELECT d.partnership_id FROM disclosures d "
               "WHERE d.id = disclosure_recipients.disclosure_id), "
               "created_at = (SELECT d.created_at FROM disclosures d "
               "WHERE d.id = disclosure_recipients.disclosure_id)")
    with op.batch_alter_table('disclosure_recipients') as batch:
        batch.alter_column('org', existing_type=sa.String(length=40), nullable=False)
        batch.alter_column('partnership_id', existing_type=sa.String(length=40), nullable=False)
        batch.alter_column('created_at', existing_type=sharebound.adapters.db.types.UTCDateTime(timezone=True),
                           nullable=False)
    op.create_index('ix_recipients_person_page', 'disclosure_recipients',
                    ['person_id', 'created_at', 'disclosure_id'])
    op.create_index('ix_recipients_person_partnership_page', 'disclosure_recipients',
                    ['person_id', 'partnership_id', 'created_at', 'disclosure_id'])
    op.create_index('ix_recipients_org_page', 'disclosure_recipients', ['org', 'created_at', 'disclosure_id'])
    op.create_index('ix_recipients_org_partnership_page', 'disclosure_recipients',
                    ['org', 'partnership_id', 'created_at', 'disclosure_id'])
    op.create_index('ix_disclosures_given_page', 'disclosures', ['discloser', 'created_at', 'id'])
    op.create_index('ix_disclosures_given_partnership_page', 'disclosures',
                    ['discloser', 'partnership_id', 'created_at', 'id'])
    op.create_index('ix_access_records_page', 'access_records', ['disclosure_id', 'at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_access_records_page', table_name='access_records')
    op.drop_index('ix_disclosures_given_partnership_page', table_name='disclosures')
    op.drop_index('ix_disclosures_given_page', table_name='disclosures')
    op.drop_index('ix_recipients_org_partnership_page', table_name='disclosure_recipients')
    op.drop_index('ix_recipients_org_page', table_name='disclosure_recipients')
    op.drop_index('ix_recipients_person_partnership_page', table_name='disclosure_recipients')
    op.drop_index('ix_recipients_person_page', table_name='disclosure_recipients')
    with op.batch_alter_table('disclosure_recipients') as batch:
        batch.drop_column('created_at')
        batch.drop_column('partnership_id')
        batch.drop_column('org')
