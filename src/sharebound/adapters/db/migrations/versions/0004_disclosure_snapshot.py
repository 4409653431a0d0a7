"""disclosures keep the item's title, classification and topics as they were disclosed

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 05:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (("item_title", sa.String(length=300)), ("item_classification", sa.String(length=20)),
           ("item_topics", sa.Text()))


def upgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    # Existing disclosures take the item as it is now: the closest record there is.
    op.execute(
        "UPDATE disclosures SET "
        "item_title = (SELECT title FROM items WHERE items.id = disclosures.item_id), "
        "item_classification = (SELECT classification FROM items WHERE items.id = disclosures.item_id), "
        "item_topics = (SELECT topics FROM items WHERE items.id = disclosures.item_id)"
    )
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.alter_column(name, existing_type=kind, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("disclosures", schema=None) as batch_op:
        for name, _ in COLUMNS:
            batch_op.drop_column(name)
