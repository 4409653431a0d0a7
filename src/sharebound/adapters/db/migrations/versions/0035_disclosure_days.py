"""disclosure days: disclosures counted by UTC day, for the charts; received "last activity"

Revision ID: 0035_disclosure_days
Revises: 0034_list_page_indexes
Create Date: 2026-12-07 12:30:00

The give-and-take charts (partnership page, home) and the health card counted the disclosures
of their window row by row: at a million disclosures, 10,000 of an ordinary org's in a quarter,
100-150 ms a query (bench/README.md, bench_scale.py). `disclosure_days` holds those counts by
UTC day (tables/disclosures.py), kept by the disclosure's own transaction from now on; this
revision counts the disclosures made before (`backfill`, also what bench_scale.py runs after
its COPY).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0035_disclosure_days'
down_revision = '0034_list_page_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('disclosure_days',
    sa.Column('audience', sa.String(length=48), nullable=False),
    sa.Column('partnership_id', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('discloser', sa.String(length=40), nullable=False),
    sa.Column('classification', sa.String(length=20), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('audience', 'partnership_id', 'day', 'discloser', 'classification', 'topics',
                            name=op.f('pk_disclosure_days'))
    )
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table('disclosure_days')


def backfill(bind: sa.Connection) -> None:
    """Count every disclosure into `disclosure_days`, which must be empty: what it gave, what
    reached each org (once per disclosure), what reached each person."""
    if bind.dialect.name == "postgresql":
        day = "CAST((d.created_at AT TIME ZONE 'UTC') AS DATE)"
    else:
        day = "date(d.created_at)"  # why: SQLite stores UTC, naive
    columns = f"d.partnership_id, {day}, d.discloser, d.item_classification, d.item_topics"
    # why the f-strings: the text is ours (the day's SQL per dialect), no value is in it
    statement = (
        "INSERT INTO disclosure_days (audience, partnership_id, day, discloser, classification, topics, n) "  # noqa: S608
        f"SELECT '', {columns}, count(*) FROM disclosures d GROUP BY {columns} "
        f"UNION ALL SELECT 'org:' || r.org, {columns}, count(DISTINCT d.id) FROM disclosures d "
        f"JOIN disclosure_recipients r ON r.disclosure_id = d.id GROUP BY r.org, {columns} "
        f"UNION ALL SELECT 'person:' || r.person_id, {columns}, count(*) FROM disclosures d "
        f"JOIN disclosure_recipients r ON r.disclosure_id = d.id GROUP BY r.person_id, {columns}")
    bind.execute(sa.text(statement))
