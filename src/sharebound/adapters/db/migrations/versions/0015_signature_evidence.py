"""e-sign consents, signature evidence, executed copies

Revision ID: 0015_signature_evidence
Revises: 0014_agreement_documents
Create Date: 2026-12-06 23:01:21.761417
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import sharebound.adapters.db.types

revision = '0015_signature_evidence'
down_revision = '0014_agreement_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('e_sign_consents',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('statement_version', sa.String(length=20), nullable=False),
    sa.Column('statement_sha256', sa.String(length=64), nullable=False),
    sa.Column('at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=500), nullable=False),
    sa.Column('withdrawn_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_e_sign_consents_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_e_sign_consents'))
    )
    with op.batch_alter_table('e_sign_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_e_sign_consents_person_id'), ['person_id'], unique=False)

    op.create_table('executed_copies',
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('blob_org', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id', 'version'], ['agreement_versions.agreement_id', 'agreement_versions.number'], name=op.f('fk_executed_copies_agreement_id_agreement_versions')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_executed_copies_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['blob_org'], ['orgs.handle'], name=op.f('fk_executed_copies_blob_org_orgs')),
    sa.PrimaryKeyConstraint('agreement_id', 'version', name=op.f('pk_executed_copies')),
    sa.UniqueConstraint('sha256', name=op.f('uq_executed_copies_sha256'))
    )
    op.create_table('signature_evidence',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('agreement_id', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('org', sa.String(length=40), nullable=False),
    sa.Column('org_legal_name', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('methods', sa.String(length=200), nullable=False),
    sa.Column('consent_id', sa.String(length=40), nullable=False),
    sa.Column('consent_version', sa.String(length=20), nullable=False),
    sa.Column('consent_at', sharebound.adapters.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id', 'version'], ['agreement_versions.agreement_id', 'agreement_versions.number'], name=op.f('fk_signature_evidence_agreement_id_agreement_versions')),
    sa.ForeignKeyConstraint(['consent_id'], ['e_sign_consents.id'], name=op.f('fk_signature_evidence_consent_id_e_sign_consents')),
    sa.ForeignKeyConstraint(['org'], ['orgs.handle'], name=op.f('fk_signature_evidence_org_orgs')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_signature_evidence_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_evidence')),
    sa.UniqueConstraint('agreement_id', 'version', 'org', name=op.f('uq_signature_evidence_agreement_id_version_org'))
    )


def downgrade() -> None:
    op.drop_table('signature_evidence')
    op.drop_table('executed_copies')
    with op.batch_alter_table('e_sign_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_e_sign_consents_person_id'))

    op.drop_table('e_sign_consents')
