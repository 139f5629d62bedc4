"""outbox: a sign-up's confirmation queued as what to compose, built by the sender

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.alter_column('message', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.add_column(sa.Column('composer', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('registration_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('waitlist_position', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_registration_id'), ['registration_id'],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_registration_id_registrations'),
                                    'registrations', ['registration_id'], ['id'],
                                    ondelete='CASCADE')


def downgrade():
    # Mail not composed yet cannot go back to the old table, which holds only finished
    # messages: it is dropped (run `flask send-mail` first to keep it).
    op.execute("DELETE FROM outbox WHERE message IS NULL")
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_registration_id_registrations'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_registration_id'))
        batch_op.drop_column('waitlist_position')
        batch_op.drop_column('registration_id')
        batch_op.drop_column('composer')
        batch_op.alter_column('message', existing_type=sa.LargeBinary(), nullable=False)
