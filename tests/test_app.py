import os
import stat

from summit import create_app
from summit.config import normalise_database_url


def test_config_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("SUMMIT_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("SUMMIT_BASE_URL", "https://summit.example")
    monkeypatch.setenv("SUMMIT_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("SUMMIT_RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    monkeypatch.delenv("SUMMIT_SECRET_KEY", raising=False)
    app = create_app()
    assert app.instance_path == str(tmp_path / "inst")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"
    # Served over https: cookies are marked Secure.
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_default_database_is_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.delenv("SUMMIT_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'summit.db'}"
    assert app.config["SESSION_COOKIE_SECURE"] is False


def test_secret_key_generated_once_with_private_mode(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.delenv("SUMMIT_SECRET_KEY", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert first == second and len(first) >= 40
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("SUMMIT_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (tmp_path / "inst" / "secret_key").exists()


def test_test_config_overrides(app):
    assert app.testing
    assert app.config["SECRET_KEY"] == "test-secret-key"


def test_postgres_urls_use_psycopg():
    assert normalise_database_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_sqlite_runs_with_foreign_keys_and_wal(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from summit.extensions import db

        with app.app_context():
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"This page does not exist" in response.data


def test_wsgi_module_exposes_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SUMMIT_INSTANCE_PATH", str(tmp_path / "inst"))
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "summit"
