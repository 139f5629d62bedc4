"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from summit import create_app
from summit.extensions import db


def _fresh_app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app(app_config)


def test_upgrade_creates_the_model_schema(app_config, tmp_path, monkeypatch):
    app = _fresh_app(app_config, tmp_path, monkeypatch)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"events", "categories", "registrations", "pitches", "outbox"} <= tables
        db.engine.dispose()


def test_downgrade_removes_everything(app_config, tmp_path, monkeypatch):
    app = _fresh_app(app_config, tmp_path, monkeypatch)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def test_db_upgrade_command(app_config, tmp_path, monkeypatch):
    app = _fresh_app(app_config, tmp_path, monkeypatch)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "registrations" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()
