"""second factors: TOTP, recovery codes, passkeys, WebAuthn challenges, the org policy, and
the stage of a browser session (a password checked, a factor still to give)

Revision ID: 0014_second_factors
Revises: 0013
Create Date: 2026-12-06 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0018_second_factors'
down_revision = '0017_people_lifecycle'
branch_labels = None
depends_on = None

UTC = sharebound.adapters.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage', sa.String(length=20), nullable=False,
                                      server_default='active'))
    op.create_table('totp_factors',
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('confirmed_at', UTC, nullable=True),
    sa.Column('last_step', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_totp_factors_person_id_people')),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_totp_factors'))
    )
    op.create_table('recovery_codes',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('used_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_recovery_codes_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_codes'))
    )
    op.create_index('ix_recovery_codes_person_id', 'recovery_codes', ['person_id'], unique=False)
    op.create_table('passkeys',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('credential_id', sa.String(length=1400), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('last_used_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_passkeys_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_passkeys')),
    sa.UniqueConstraint('credential_id', name=op.f('uq_passkeys_credential_id'))
    )
    op.create_index('ix_passkeys_person_id', 'passkeys', ['person_id'], unique=False)
    op.create_table('webauthn_challenges',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('challenge', sa.String(length=100), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.Column('expires_at', UTC, nullable=False),
    sa.Column('used_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_webauthn_challenges_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webauthn_challenges')),
    sa.UniqueConstraint('challenge', name=op.f('uq_webauthn_challenges_challenge'))
    )
    op.create_index('ix_webauthn_challenges_person_id', 'webauthn_challenges', ['person_id'], unique=False)
    op.create_table('second_factor_policies',
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('applies_to', sa.String(length=30), nullable=False),
    sa.Column('changed_by', sa.String(length=40), nullable=False),
    sa.Column('changed_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_second_factor_policies_org_orgs')),
    sa.ForeignKeyConstraint(['changed_by'], ['people.id'],
                            name=op.f('fk_second_factor_policies_changed_by_people')),
    sa.PrimaryKeyConstraint('org', name=op.f('pk_second_factor_policies'))
    )


def downgrade() -> None:
    op.drop_table('second_factor_policies')
    op.drop_index('ix_webauthn_challenges_person_id', table_name='webauthn_challenges')
    op.drop_table('webauthn_challenges')
    op.drop_index('ix_passkeys_person_id', table_name='passkeys')
    op.drop_table('passkeys')
    op.drop_index('ix_recovery_codes_person_id', table_name='recovery_codes')
    op.drop_table('recovery_codes')
    op.drop_table('totp_factors')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_column('stage')
