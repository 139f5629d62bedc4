"""events.archived_at: an organiser can put a past event away (and take it back)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 18:30:00

"""
from alembic import op
import sqlalchemy as sa

import summit.models.types


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # Existing events stay current (NULL: not archived).
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', summit.models.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
