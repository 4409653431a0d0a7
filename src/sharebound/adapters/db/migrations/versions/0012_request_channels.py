"""requests are information too: their level, the agreement that covered them, an answer's note

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        # why: requests opened before this change carried no level; they were sent as public text
        batch_op.add_column(sa.Column('classification', sa.String(length=20), nullable=False,
                                      server_default='public'))
        batch_op.add_column(sa.Column('agreement_id', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('agreement_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('answer_note', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_requests_agreement_id_agreements'), 'agreements',
                                    ['agreement_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_requests_agreement_id_agreements'), type_='foreignkey')
        batch_op.drop_column('answer_note')
        batch_op.drop_column('agreement_digest')
        batch_op.drop_column('agreement_id')
        batch_op.drop_column('classification')
