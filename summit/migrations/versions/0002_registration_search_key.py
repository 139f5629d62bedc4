"""registrations.search_key: name, e-mail and organisation folded for search, indexed

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from summit.text import search_key


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.Text(), nullable=True))

    # Fill existing rows with the same rule the application keeps on every write.
    connection = op.get_bind()
    registrations = sa.table('registrations', sa.column('id', sa.Integer),
                             sa.column('first_name'), sa.column('last_name'),
                             sa.column('email'), sa.column('organisation'),
                             sa.column('search_key'))
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(registrations.c.id, registrations.c.first_name, registrations.c.last_name,
                      registrations.c.email, registrations.c.organisation)
            .where(registrations.c.id > last_id).order_by(registrations.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        connection.execute(
            registrations.update().where(registrations.c.id == sa.bindparam('row_id'))
            .values(search_key=sa.bindparam('key')),
            [{'row_id': row.id, 'key': search_key(row.first_name, row.last_name, row.email,
                                                  row.organisation)} for row in rows])
        last_id = rows[-1].id

    if connection.dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('search_key', existing_type=sa.Text(), nullable=False)
        batch_op.create_index('ix_registrations_search_key', ['search_key'], unique=False,
                              postgresql_using='gin',
                              postgresql_ops={'search_key': 'gin_trgm_ops'})


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_search_key',
                            postgresql_using='gin',
                            postgresql_ops={'search_key': 'gin_trgm_ops'})
        batch_op.drop_column('search_key')
    # pg_trgm stays: other tables of the database may use it.
