import pytest

from summit.extensions import db
from summit.models import Event


def _event_names(app):
    with app.app_context():
        return db.session.scalars(db.select(Event.name)).all()


def test_backup_and_restore_round_trip(app, runner, make_event, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        result = runner.invoke(args=["backup", str(tmp_path / "b.db")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    make_event(slug="before", name="Before the backup")
    result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    assert result.exit_code == 0, result.output
    make_event(slug="after", name="After the backup")
    assert sorted(_event_names(app)) == ["After the backup", "Before the backup"]
    restored = runner.invoke(args=["restore", str(tmp_path / "backup.db"), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _event_names(app) == ["Before the backup"]


def test_restore_refuses_a_file_that_is_not_a_summit_database(app, runner, make_event, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("restore is pg_restore's job on PostgreSQL")
    make_event(name="Kept")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not a Summit database" in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "missing.db"), "--yes"])
    assert missing.exit_code != 0 and "no backup" in missing.output
    assert _event_names(app) == ["Kept"]
