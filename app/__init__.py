"""The Lüjian application factory."""

from __future__ import annotations

import contextlib
import importlib
import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from app.core import outages
from app.core.db import ping_when_idle
from app.core.jsonio import LvjianJSONProvider
from config import Config, load_config

log = logging.getLogger(__name__)

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# How long a SQLite writer waits for the write lock before the request answers 503.
SQLITE_BUSY_TIMEOUT_MS = 10_000


class _LvjianFlask(Flask):
    json_provider_class = LvjianJSONProvider


def create_app(config: Config | str | None = None) -> Flask:
    if not isinstance(config, Config):
        config = load_config(config)
    app = _LvjianFlask(__name__, static_folder="../static", static_url_path="/static",
                instance_relative_config=False)
    app.config.from_object(config)
    app.config["LVJIAN_ENV"] = config.ENV_NAME
    if proxies := app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from app.core.logging import configure_logging

    configure_logging(app)
    register_extensions(app)
    register_request_hooks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from app.core.db import include_in_migrations, render_migration_item
    from app.extensions import api, db, limiter, migrate, redis_gateway
    from app.integrations.redis import probe

    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///"):
        from pathlib import Path

        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    importlib.import_module("app.models")  # the whole schema, for Alembic and relationships

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"),
                     render_as_batch=True, compare_type=True, render_item=render_migration_item,
                     include_object=include_in_migrations)
    redis_gateway.init_app(app)

    redis_url = app.config.get("REDIS_URL")
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        if redis_url and probe(redis_url):
            app.config["RATELIMIT_STORAGE_URI"] = redis_url
        else:
            app.config["RATELIMIT_STORAGE_URI"] = "memory://"
            if redis_url:
                log.warning("Redis at %s not reachable: running without it "
                            "(jobs inline, rate limits in memory, no cache)",
                            redis_url.split("@")[-1])
    limiter.init_app(app)
    api.init_app(app)
    from app.core.edge import register_converters

    register_converters(app, api)
    with app.app_context():
        _tune_engine(db.engine, app.config.get("DATABASE_IDLE_PING_SECONDS", 10.0))
        app.extensions["lvjian_outages"] = outages.watch(db.engine)


def _engine_options(app: Flask) -> dict:
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    # Whatever a config says: SQL parameters hold names, phones and ID numbers.
    options["hide_parameters"] = True
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # An unreachable server, or a pool with no connection to spare, costs this many
        # seconds; then the request answers 503 (app.core.outages).
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("connect_timeout", app.config.get("DATABASE_CONNECT_TIMEOUT", 5))
        options["connect_args"] = connect_args
        options.setdefault("pool_timeout", 10)
    return options


# Requests that only read; everything else (other methods, CLI, jobs) may write.
_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _tune_engine(engine: Engine, idle_ping_seconds: float) -> None:
    if engine.dialect.name == "postgresql":
        ping_when_idle(engine, idle_ping_seconds)  # instead of a pre-ping per request
        return
    if engine.dialect.name != "sqlite":
        return

    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    # A writer takes SQLite's write lock when its transaction begins (IMMEDIATE), waiting
    # up to busy_timeout for it. A deferred BEGIN takes it at the first write instead, and
    # that upgrade fails at once with "database is locked" when another writer committed
    # since the transaction's first read (no wait can help it then). Reads keep a deferred
    # BEGIN: WAL lets them run beside the writer. Savepoints (nested begins) don't come here.
    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        reading = has_request_context() and request.method in _READ_ONLY_METHODS
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def register_request_hooks(app: Flask) -> None:
    from app.core.hooks import kept_even_if_refused
    from app.extensions import db

    @app.before_request
    def assign_request_id():
        # g belongs to the app context, which may outlive one request (CLI, tests):
        # what the previous request authenticated must not carry over.
        g.pop("current_user", None)
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def finish(response):
        # The request boundary commits once: services only flush. A request that never
        # touched the database has nothing to end.
        session = db.session()
        keep = kept_even_if_refused()
        if session.in_transaction():
            if response.status_code < 400 or keep:
                try:
                    session.commit()
                except Exception as exc:  # answered like a failing view: 503 for an outage
                    response = _commit_failed(app, session, exc)
            else:
                session.rollback()
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response


def _commit_failed(app: Flask, session, exc: Exception):
    from app.core.errors import handle_unexpected

    response = app.make_response(handle_unexpected(exc))
    with contextlib.suppress(Exception):  # an outage's handler has discarded it already
        session.rollback()
    return response


def register_blueprints(app: Flask) -> None:
    from app import health, media
    from app.accounts import api as accounts_api
    from app.audit import api as audit_api
    from app.catalog import admin_api as catalog_admin_api
    from app.catalog import synonyms_api
    from app.complaints import api as complaints_api
    from app.complaints import open311, open311_admin
    from app.expos import api as expos_api
    from app.extensions import api
    from app.merchants import api as merchants_api
    from app.merchants import console as merchant_console
    from app.promotions import api as promotions_api
    from app.subsidies import api as subsidies_api
    from miniprogram_api import BLUEPRINTS

    app.register_blueprint(media.blp)  # files, not part of the API document
    app.register_blueprint(importlib.import_module("app.pages").blp)  # the H5 storefront
    for blp in (health.blp, accounts_api.blp, merchants_api.blp, merchant_console.blp,
                catalog_admin_api.blp, expos_api.blp, promotions_api.blp, subsidies_api.blp,
                complaints_api.blp, open311.blp, open311_admin.blp, synonyms_api.blp,
                *BLUEPRINTS):
        api.register_blueprint(blp)
    api.register_blueprint(audit_api.blp)  # the audit log; importing it installs the capture
    api.register_blueprint(importlib.import_module("app.reports.api").blp)  # 活动总结
    notifications_api = importlib.import_module("app.notifications.api")
    api.register_blueprint(notifications_api.blp)  # delivery status for officers
    api.register_blueprint(notifications_api.callbacks)  # SMS replies (回复TD退订)
    api.register_blueprint(importlib.import_module("app.packages.api").blp)  # 套餐
    api.register_blueprint(importlib.import_module("app.offers.api").blp)  # 服务与预约
    api.register_blueprint(importlib.import_module("app.showcase.api").blp)  # 案例
    api.register_blueprint(importlib.import_module("app.zones.api").blp)  # 专区与直播


def register_errorhandlers(app: Flask) -> None:
    from app.core.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
