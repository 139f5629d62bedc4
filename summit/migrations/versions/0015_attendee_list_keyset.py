"""Indexes for the keyset pages of the organiser's attendee list: one per sort

Sorted by registration time, by status and name, and by category (each category by name);
the sort by name has had its index since 0014. Each ends with the id, the tie-breaker.

Revision ID: 0015
Revises: 0014
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_registrations_event_registered': ['event_id', 'created_at', 'id'],
    'ix_registrations_event_status_name': ['event_id', 'status', 'sort_last', 'sort_first',
                                           'id'],
    'ix_registrations_category_name': ['category_id', 'sort_last', 'sort_first', 'id'],
}


# Plain CREATE/DROP INDEX, no batch: a batch that rebuilt the table on SQLite would lose
# the search index's triggers (0014).
def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'registrations', columns, unique=False)


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name='registrations')
