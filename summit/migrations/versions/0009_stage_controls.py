"""The stage's controls: the speaker view's link and warning threshold per session, blackout
of the run, messages to the stage

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa

import summit.models.types


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Existing sessions get no speaker link (the organiser creates one) and the default 60 s.
    with op.batch_alter_table('event_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stage_token', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('warning_seconds', sa.Integer(), server_default='60',
                                      nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_event_sessions_stage_token'),
                                          ['stage_token'])
        batch_op.create_check_constraint('warning_seconds_not_negative', 'warning_seconds >= 0')

    with op.batch_alter_table('session_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blackout', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))

    op.create_table('stage_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('created_at', summit.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', summit.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('dismissed_at', summit.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_stage_messages_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['event_sessions.id'], name=op.f('fk_stage_messages_session_id_event_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_messages'))
    )
    with op.batch_alter_table('stage_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_messages_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('stage_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_messages_session_id'))
    op.drop_table('stage_messages')
    with op.batch_alter_table('session_runs', schema=None) as batch_op:
        batch_op.drop_column('blackout')
    with op.batch_alter_table('event_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('warning_seconds_not_negative', type_='check')
        batch_op.drop_constraint(batch_op.f('uq_event_sessions_stage_token'), type_='unique')
        batch_op.drop_column('warning_seconds')
        batch_op.drop_column('stage_token')
