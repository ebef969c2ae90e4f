"""triage

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 02:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sla_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('p1_hours', sa.Integer(), nullable=False),
    sa.Column('p2_hours', sa.Integer(), nullable=False),
    sa.Column('p3_hours', sa.Integer(), nullable=False),
    sa.Column('p4_hours', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('p1_hours > 0', name=op.f('ck_sla_policy_p1_hours')),
    sa.CheckConstraint('p2_hours > 0', name=op.f('ck_sla_policy_p2_hours')),
    sa.CheckConstraint('p3_hours > 0', name=op.f('ck_sla_policy_p3_hours')),
    sa.CheckConstraint('p4_hours > 0', name=op.f('ck_sla_policy_p4_hours')),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_sla_policy_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_policy')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_sla_policy_organization_id'))
    )
    op.create_table('duplicate_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_pk', sa.Integer(), nullable=False),
    sa.Column('other_report_pk', sa.Integer(), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('suggested', 'confirmed', 'dismissed')", name=op.f('ck_duplicate_candidate_status')),
    sa.CheckConstraint('report_pk < other_report_pk', name=op.f('ck_duplicate_candidate_ordered_pair')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_duplicate_candidate_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_report_pk'], ['report.pk'], name=op.f('fk_duplicate_candidate_other_report_pk_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_pk'], ['report.pk'], name=op.f('fk_duplicate_candidate_report_pk_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_candidate')),
    sa.UniqueConstraint('report_pk', 'other_report_pk', name=op.f('uq_duplicate_candidate_report_pk_other_report_pk'))
    )
    with op.batch_alter_table('duplicate_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_candidate_other_report_pk'), ['other_report_pk'], unique=False)

    op.create_table('triage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_pk', sa.Integer(), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=True),
    sa.Column('likelihood', sa.Integer(), nullable=True),
    sa.Column('risk_score', sa.Integer(), nullable=True),
    sa.Column('risk_band', sa.String(length=16), nullable=True),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('priority', sa.String(length=2), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reportable', sa.Boolean(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('computed', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('triaged_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("priority IN ('P1', 'P2', 'P3', 'P4')", name=op.f('ck_triage_priority')),
    sa.CheckConstraint('likelihood BETWEEN 1 AND 5', name=op.f('ck_triage_likelihood')),
    sa.CheckConstraint('severity BETWEEN 1 AND 5', name=op.f('ck_triage_severity')),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_triage_assignee_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_pk'], ['report.pk'], name=op.f('fk_triage_report_pk_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage')),
    sa.UniqueConstraint('report_pk', name=op.f('uq_triage_report_pk'))
    )
    with op.batch_alter_table('triage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_triage_assignee_id'), ['assignee_id'], unique=False)

    op.create_table('triage_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('triage_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_triage_override_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['triage_id'], ['triage.id'], name=op.f('fk_triage_override_triage_id_triage'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_override')),
    sa.UniqueConstraint('triage_id', 'field', name=op.f('uq_triage_override_triage_id_field'))
    )
    # The perceptual hash triage caches for each photo.
    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phash', sa.String(length=16), nullable=True))

    # The duplicate search: one site's reports in a window of observation times.
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_site_id_observed_at', ['site_id', 'observed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_site_id_observed_at')

    with op.batch_alter_table('photo', schema=None) as batch_op:
        batch_op.drop_column('phash')

    op.drop_table('triage_override')
    with op.batch_alter_table('triage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_triage_assignee_id'))

    op.drop_table('triage')
    with op.batch_alter_table('duplicate_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_candidate_other_report_pk'))

    op.drop_table('duplicate_candidate')
    op.drop_table('sla_policy')
