"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from summit import create_app
from summit.extensions import db
from summit.models.registration import outside_the_models


def _fresh_app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app(app_config)


def test_upgrade_creates_the_model_schema(app_config, tmp_path, monkeypatch):
    app = _fresh_app(app_config, tmp_path, monkeypatch)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": outside_the_models})
            diff = compare_metadata(context, db.metadata)
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


def test_search_keys_are_filled_for_existing_registrations(app_config, tmp_path, monkeypatch):
    """0002 adds the folded search key; people registered before it must be found too."""
    app = _fresh_app(app_config, tmp_path, monkeypatch)
    with app.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO events (id, slug, name, venue, address, description, timezone, "
                "starts_on, ends_on, primary_colour, created_at) VALUES (1, 'old', 'Old', '', "
                "'', '', 'Europe/Berlin', '2014-09-10', '2014-09-11', '#000000', "
                "'2014-01-01 00:00:00')"))
            conn.execute(sa.text(
                "INSERT INTO categories (id, event_id, name, name_de, capacity, badge_colour, "
                "is_public, position, lock_version) VALUES (1, 1, 'Attendee', 'Teilnehmende', "
                "10, '#000000', true, 0, 0)"))
            conn.execute(sa.text(
                "INSERT INTO registrations (event_id, category_id, status, first_name, "
                "last_name, email, email_normalised, organisation, language, needs, "
                "public_listing, manage_token, checkin_code, created_at) VALUES (1, 1, "
                "'confirmed', 'Zoë', 'Müller', 'zm@example.org', 'zm@example.org', 'Łódź "
                "Labs', 'de', '', false, 'token', 'CODE', '2014-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as conn:
            key = conn.execute(sa.text("SELECT search_key FROM registrations")).scalar_one()
            assert key == ("zoe muller zm@example.org lodz labs "
                           "zoe mueller zm@example.org lodz labs")
            if conn.dialect.name == "postgresql":  # the index that answers LIKE '%word%'
                definition = conn.execute(sa.text(
                    "SELECT indexdef FROM pg_indexes "
                    "WHERE indexname = 'ix_registrations_search_key' "
                    "AND schemaname = current_schema()")).scalar_one()
                assert "USING gin" in definition and "gin_trgm_ops" in definition
        db.engine.dispose()
