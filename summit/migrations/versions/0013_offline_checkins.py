"""offline check-ins: nonce, the desk's own answer, sync time and flag on every scan

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:45:00

"""
from alembic import op
import sqlalchemy as sa
import summit.models.types


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nonce', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('offline_answer', sa.String(length=24), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('synced_at', summit.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('flag', sa.String(length=24), nullable=False,
                                      server_default=''))
        batch_op.create_unique_constraint(batch_op.f('uq_checkins_nonce'), ['nonce'])


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_checkins_nonce'), type_='unique')
        batch_op.drop_column('flag')
        batch_op.drop_column('synced_at')
        batch_op.drop_column('offline_answer')
        batch_op.drop_column('nonce')
