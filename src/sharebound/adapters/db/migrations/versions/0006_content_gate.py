"""the content gate: crown-jewel terms and the fingerprints of restricted items

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sharebound.adapters.db.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "crown_jewel_terms",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org", sa.String(length=40), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("term_key", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=40), nullable=False),
        sa.Column("added_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["added_by"], ["people.id"],
                                name="fk_crown_jewel_terms_added_by_people"),
        sa.ForeignKeyConstraint(["org"], ["orgs.handle"], name="fk_crown_jewel_terms_org_orgs"),
        sa.PrimaryKeyConstraint("id", name="pk_crown_jewel_terms"),
        sa.UniqueConstraint("org", "term_key", name="uq_crown_jewel_terms_org_term_key"),
    )
    op.create_table(
        "restricted_fingerprints",
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("org", sa.String(length=40), nullable=False),
        sa.Column("item_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"],
                                name="fk_restricted_fingerprints_item_id_items"),
        sa.ForeignKeyConstraint(["org"], ["orgs.handle"],
                                name="fk_restricted_fingerprints_org_orgs"),
        sa.PrimaryKeyConstraint("item_id", "hash", name="pk_restricted_fingerprints"),
    )
    op.create_index("ix_restricted_fingerprints_org_hash", "restricted_fingerprints",
                    ["org", "hash"])
    # Existing restricted items get their fingerprints from `sharebound gate reindex`: the
    # text of files is in the blob store, which a migration does not read.


def downgrade() -> None:
    op.drop_index("ix_restricted_fingerprints_org_hash", table_name="restricted_fingerprints")
    op.drop_table("restricted_fingerprints")
    op.drop_table("crown_jewel_terms")
