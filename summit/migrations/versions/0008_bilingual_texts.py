"""German texts next to the English ones: events, rooms, sessions, pitches

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 18:30:00

Today's single texts stay where they are: the existing column is the English text (and
readers fall back to it when the German one is empty). Room names are no longer unique in
the database, because either language may now be empty; the service checks both.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_COLUMNS = {
    'events': [('name_de', sa.String(length=200)), ('description_de', sa.Text())],
    'rooms': [('name_de', sa.String(length=120))],
    'event_sessions': [('title_de', sa.String(length=200)), ('description_de', sa.Text())],
    'pitches': [('title_de', sa.String(length=200)), ('description_de', sa.Text())],
}


def upgrade():
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))
            if table == 'rooms':
                batch_op.drop_constraint('uq_rooms_event_id_name', type_='unique')


def downgrade():
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'rooms':
                batch_op.create_unique_constraint('uq_rooms_event_id_name', ['event_id', 'name'])
            for name, _type in columns:
                batch_op.drop_column(name)
