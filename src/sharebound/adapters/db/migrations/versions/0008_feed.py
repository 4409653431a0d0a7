"""the feed: replies, links to disclosures, mentions, and how far each person has read

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('disclosure_id', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_messages_reply_to_messages'), 'messages',
                                    ['reply_to'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_messages_disclosure_id_disclosures'), 'disclosures',
                                    ['disclosure_id'], ['id'])
    op.create_table('message_mentions',
    sa.Column('message_id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['messages.id'],
                            name=op.f('fk_message_mentions_message_id_messages')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_message_mentions_person_id_people')),
    sa.PrimaryKeyConstraint('message_id', 'person_id', name=op.f('pk_message_mentions'))
    )
    with op.batch_alter_table('message_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_message_mentions_person_id'), ['person_id'], unique=False)
    op.create_table('feed_reads',
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('read_up_to', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_feed_reads_person_id_people')),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnerships.id'],
                            name=op.f('fk_feed_reads_partnership_id_partnerships')),
    sa.PrimaryKeyConstraint('person_id', 'partnership_id', name=op.f('pk_feed_reads'))
    )


def downgrade() -> None:
    op.drop_table('feed_reads')
    with op.batch_alter_table('message_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_message_mentions_person_id'))
    op.drop_table('message_mentions')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_messages_disclosure_id_disclosures'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_messages_reply_to_messages'), type_='foreignkey')
        batch_op.drop_column('disclosure_id')
        batch_op.drop_column('reply_to')
