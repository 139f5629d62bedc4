"""Summit: registration, pitch programme, moderators, badges and check-in for a conference."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from . import config, http


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=config.instance_path(),
        template_folder="../templates",
        static_folder="../static",
    )
    # Before any blueprint adds a rule: the rules are compiled with the converter they find.
    app.url_map.converters["int"] = http.IdConverter
    app.request_class = http.Request
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    app.config.from_mapping(config.DEFAULTS)
    app.config.from_mapping(config.from_environment(instance))
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.load_secret_key(instance)
    app.config.setdefault("SUMMIT_MAIL_DIR", str(instance / "mail"))

    _configure_engine(app)
    _init_extensions(app)
    _register_blueprints(app)

    from . import cli, errors, i18n, security, templating

    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    return app


def _configure_engine(app: Flask) -> None:
    """Engine options per dialect: SQLite waits for its write lock up to the lock timeout
    and needs no pool recycling; a server database is pinged before use only when
    SUMMIT_DB_PRE_PING asks for it (config.py says why)."""
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        connect_args = dict(options.get("connect_args", {}))
        connect_args.setdefault("timeout", app.config["SUMMIT_DB_LOCK_TIMEOUT"])
        options["connect_args"] = connect_args
        options.pop("pool_recycle", None)
    elif app.config.get("SUMMIT_DB_PRE_PING"):
        options["pool_pre_ping"] = True
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    from flask_babel import lazy_gettext
    from sqlalchemy.orm import configure_mappers

    from . import catalogues, models  # noqa: F401  (models registers every table)
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale, select_timezone

    # Once per process, at start rather than in a new worker's first request (the opening
    # of registration sends every worker a request at once).
    configure_mappers()
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(
            catalogues.translation_directory(Path(app.instance_path))),
    )
    login_manager.init_app(app)
    from .services.live import push

    push.init_app(app)  # after db: its teardown publishes before the session is removed
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def _register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .apply import bp as apply_bp
    from .auth import bp as auth_bp
    from .badges import bp as badges_bp
    from .checkin import bp as checkin_bp
    from .join import bp as join_bp
    from .jury import bp as jury_bp
    from .moderators import bp as moderators_bp
    from .ops import bp as ops_bp
    from .organiser import bp as organiser_bp
    from .registration import bp as registration_bp
    from .schedule import bp as schedule_bp
    from .stage import bp as stage_bp
    from .vote import bp as vote_bp

    for blueprint in (registration_bp, auth_bp, schedule_bp, moderators_bp, badges_bp,
                      checkin_bp, organiser_bp, join_bp, api_bp, ops_bp, stage_bp, vote_bp,
                      apply_bp, jury_bp):
        app.register_blueprint(blueprint)


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on, and WAL so that readers never wait for the writer.

    The lock wait (busy timeout) comes from the `timeout` connect argument (_configure_engine).
    """
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
