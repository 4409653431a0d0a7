"""copies: every stamped copy a recipient received, by copy id

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 06:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "copies",
        sa.Column("copy_id", sa.String(length=14), nullable=False),
        sa.Column("access_id", sa.String(length=40), nullable=False),
        sa.Column("disclosure_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("at", sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["access_id"], ["access_records.id"],
                                name=op.f("fk_copies_access_id_access_records")),
        sa.ForeignKeyConstraint(["disclosure_id"], ["disclosures.id"],
                                name=op.f("fk_copies_disclosure_id_disclosures")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_copies_person_id_people")),
        sa.PrimaryKeyConstraint("copy_id", name=op.f("pk_copies")),
        sa.UniqueConstraint("access_id", name=op.f("uq_copies_access_id")),
    )
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_copies_disclosure_id"), ["disclosure_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_copies_disclosure_id"))
    op.drop_table("copies")
