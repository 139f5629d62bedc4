"""SQLite: a trigram index (FTS5) for registrations.search_key, kept by triggers;
registrations.sort_last / sort_first (lower-case names) with an index for the list's sort

PostgreSQL has had its pg_trgm index since 0002; SQLite read every row for a search.

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

from summit.text import SQLITE_SEARCH_TABLE

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

T = SQLITE_SEARCH_TABLE
STATEMENTS = (
    f"CREATE VIRTUAL TABLE {T} USING fts5(search_key, "
    "content='registrations', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {T}_insert AFTER INSERT ON registrations BEGIN "
    f"INSERT INTO {T}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"CREATE TRIGGER {T}_delete AFTER DELETE ON registrations BEGIN "
    f"INSERT INTO {T}({T}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
    f"CREATE TRIGGER {T}_update AFTER UPDATE OF search_key ON registrations BEGIN "
    f"INSERT INTO {T}({T}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
    f"INSERT INTO {T}(rowid, search_key) VALUES (new.id, new.search_key); END",
    f"INSERT INTO {T}({T}) VALUES ('rebuild')",
)


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sort_last', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('sort_first', sa.String(length=100), nullable=True))
    registrations = sa.table('registrations', sa.column('id'), sa.column('first_name'),
                             sa.column('last_name'), sa.column('sort_last'),
                             sa.column('sort_first'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(registrations.c.id, registrations.c.first_name,
                                  registrations.c.last_name)).all()
    if rows:
        bind.execute(
            registrations.update().where(registrations.c.id == sa.bindparam('row_id'))
            .values(sort_last=sa.bindparam('last'), sort_first=sa.bindparam('first')),
            [{'row_id': row.id, 'last': (row.last_name or '').lower(),
              'first': (row.first_name or '').lower()} for row in rows])
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.alter_column('sort_last', existing_type=sa.String(length=100), nullable=False)
        batch_op.alter_column('sort_first', existing_type=sa.String(length=100),
                              nullable=False)
        batch_op.create_index('ix_registrations_event_sort_name',
                              ['event_id', 'sort_last', 'sort_first', 'id'], unique=False)
    if bind.dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {T}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {T}")
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_event_sort_name')
        batch_op.drop_column('sort_first')
        batch_op.drop_column('sort_last')
