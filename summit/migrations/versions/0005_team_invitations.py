"""team: the jury role, and invitations to the team

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-30 16:45:00

"""
from alembic import op
import sqlalchemy as sa

import summit.models.types


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0002'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('organiser', 'moderator', 'staff')"
NEW_ROLES = "role IN ('organiser', 'moderator', 'staff', 'jury')"


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role'), NEW_ROLES)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', summit.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', summit.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', summit.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', summit.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(NEW_ROLES, name=op.f('ck_invitations_role')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_email'))
    op.drop_table('invitations')
    # Jury accounts cannot stay under the old rule; they lose their access as staff would.
    op.execute("DELETE FROM users WHERE role = 'jury'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_role'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_users_role'), OLD_ROLES)
