"""A database that can't be reached answers 503 with Retry-After, logs once, and recovers."""

from __future__ import annotations

import contextlib
import logging
import socket
import sqlite3
import threading

import psycopg
import pytest
import sqlalchemy as sa
from flask import Blueprint
from sqlalchemy.engine import make_url

import config as app_config
from app import create_app
from app.core import outages
from app.extensions import db
from tests.test_coupon_concurrency import _bearer, _villagers
from tests.test_errors import assert_shape

ME = "/api/mp/v1/me"


def _wrapped(orig: Exception, kind=sa.exc.OperationalError, **kw) -> sa.exc.DBAPIError:
    return kind("SELECT 1", {}, orig, **kw)


@pytest.mark.parametrize(("exc", "outage"), [
    (_wrapped(psycopg.OperationalError("connection failed: Connection refused")), True),
    (_wrapped(psycopg.errors.AdminShutdown("terminating connection")), True),
    (_wrapped(psycopg.errors.CannotConnectNow("the database system is starting up")), True),
    (_wrapped(psycopg.errors.TooManyConnections("too many clients")), True),
    (_wrapped(psycopg.InterfaceError("the connection is closed"), sa.exc.InterfaceError,
              connection_invalidated=True), True),
    (sa.exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"), True),
    (sa.exc.DisconnectionError("pre-ping failed"), True),
    (_wrapped(sqlite3.OperationalError("database is locked")), True),
    (_wrapped(sqlite3.OperationalError("unable to open database file")), True),
    # bugs and conflicts stay what they are
    (_wrapped(sqlite3.OperationalError("no such table: nope")), False),
    (_wrapped(sqlite3.IntegrityError("UNIQUE constraint failed: users.username"),
              sa.exc.IntegrityError), False),
    (_wrapped(psycopg.errors.UndefinedTable("relation nope does not exist"),
              sa.exc.ProgrammingError), False),
    (_wrapped(psycopg.errors.SerializationFailure("could not serialize access")), False),
    (_wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
     False),
    (_wrapped(psycopg.errors.NotNullViolation("null value in column"),
              sa.exc.IntegrityError), False),
    (ValueError("not a database error"), False),
], ids=lambda v: type(getattr(v, "orig", v)).__name__ if not isinstance(v, bool) else str(v))
def test_outages_are_told_from_bugs(exc, outage):
    assert outages.is_outage(exc) is outage


@pytest.fixture
def failing_app():
    """Routes that fail the way an outage or a bug does; nothing of the test database used
    but a SELECT 1."""
    app = create_app(app_config.TestingConfig())
    blp = Blueprint("fail", __name__)
    refused = _wrapped(psycopg.OperationalError("connection failed: Connection refused"))

    @blp.route("/_test/outage")
    def outage():
        raise refused

    @blp.route("/_test/bug")
    def bug():
        raise _wrapped(sqlite3.OperationalError("no such column: nope"))

    @blp.route("/_test/ok")
    def ok():
        db.session.execute(sa.text("SELECT 1"))
        return {"ok": True}

    app.register_blueprint(blp)
    return app


def _outage_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == outages.__name__]


def test_an_outage_answers_503_and_logs_once_until_it_ends(failing_app, caplog):
    caplog.set_level(logging.WARNING)
    client = failing_app.test_client()
    for _ in range(20):
        response = client.get("/_test/outage")
        assert_shape(response, 503, "service_unavailable")
        assert response.headers["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)
    [down] = _outage_records(caplog)
    assert down.levelno == logging.ERROR and not down.exc_info
    assert "Connection refused" in down.getMessage()
    assert client.get("/_test/ok").status_code == 200
    assert client.get("/_test/ok").status_code == 200
    [back] = _outage_records(caplog)[1:]
    assert back.getMessage().startswith("database available again after")
    assert back.getMessage().endswith("(20 requests answered 503)")


def test_a_sql_bug_stays_a_500(failing_app, caplog):
    caplog.set_level(logging.WARNING)
    response = failing_app.test_client().get("/_test/bug")
    assert_shape(response, 500, "internal_error")
    assert "Retry-After" not in response.headers
    assert not _outage_records(caplog)


def test_an_outage_at_commit_answers_503(failing_app, monkeypatch):
    """The connection lost between the view's statements and the request's commit."""
    def commit(self):
        raise _wrapped(psycopg.OperationalError("server closed the connection unexpectedly"))

    monkeypatch.setattr(sa.orm.Session, "commit", commit)
    response = failing_app.test_client().get("/_test/ok")
    assert_shape(response, 503, "service_unavailable")
    assert response.headers["Retry-After"]


@pytest.mark.sqlite
def test_a_locked_sqlite_file_answers_503_then_recovers(tmp_path, monkeypatch, caplog):
    """Another process holds the write lock beyond busy_timeout: 503, then 201 once free."""
    import app as app_package

    monkeypatch.setattr(app_package, "SQLITE_BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "locked.db"
    config = app_config.TestingConfig()
    config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    config.REDIS_URL = None
    config.RATELIMIT_ENABLED = False
    app = create_app(config)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    caplog.set_level(logging.WARNING)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        response = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-locked"})
        assert_shape(response, 503, "service_unavailable")
        assert response.headers["Retry-After"]
        other.execute("ROLLBACK")
        response = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-locked"})
        assert response.status_code == 200, response.get_json()
    finally:
        other.close()
        with app.app_context():
            db.engine.dispose()
    assert len(_outage_records(caplog)) == 2  # unavailable, available again


# ---- PostgreSQL behind a proxy that can be cut ------------------------------------------


class TcpProxy:
    """A relay on 127.0.0.1 to the database: cut() drops every connection and refuses new
    ones (a stopped server), restore() listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self._lock:
                self._sockets |= {client, upstream}
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@pytest.mark.postgres
def test_postgresql_cut_then_restored(committed, caplog):
    with committed.app_context():
        [token] = _villagers(1, "outage")
    headers = _bearer(token)
    url = make_url(committed.config["SQLALCHEMY_DATABASE_URI"])
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    config = app_config.TestingConfig()  # the default engine options: pre-ping, pool timeout
    config.SQLALCHEMY_DATABASE_URI = url.set(host="127.0.0.1", port=proxy.port) \
        .render_as_string(hide_password=False)
    app = create_app(config)
    client = app.test_client()
    try:
        assert client.get(ME, headers=headers).status_code == 200
        caplog.set_level(logging.WARNING)
        caplog.clear()

        proxy.cut()
        for i in range(10):
            answers = [client.get(ME, headers=headers),  # a read: the token is looked up
                       client.get("/api/mp/v1/expos"),  # an uncached anonymous read
                       client.patch(ME, headers=headers, json={"nickname": f"断线{i}"})]
            for response in answers:
                assert_shape(response, 503, "service_unavailable")
                assert response.headers["Retry-After"] == str(outages.RETRY_AFTER_SECONDS)
        assert client.get("/healthz").status_code == 503

        proxy.restore()
        assert client.get(ME, headers=headers).status_code == 200
        response = client.patch(ME, headers=headers, json={"nickname": "恢复了"})
        assert response.status_code == 200, response.get_json()
        assert client.get(ME, headers=headers).get_json()["nickname"] == "恢复了"
    finally:
        proxy.cut()
        with app.app_context():
            db.engine.dispose()

    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelno) for r in logged] == [
        (outages.__name__, logging.ERROR), (outages.__name__, logging.WARNING)], \
        [r.getMessage()[:200] for r in logged]
    assert "30 requests answered 503" in logged[1].getMessage()
    assert not any(r.exc_info or r.exc_text for r in logged)


def _pooled_app(idle_ping_seconds: float):
    config = app_config.TestingConfig()
    config.DATABASE_IDLE_PING_SECONDS = idle_ping_seconds
    return create_app(config)


def _terminate_pool_connections(app) -> int:
    """PostgreSQL drops the app's pooled connections, as a restart or a firewall would."""
    with app.app_context():
        pids = [record.dbapi_connection.info.backend_pid
                for record in list(db.engine.pool._pool.queue)]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as admin:
        for pid in pids:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    return len(pids)


@pytest.mark.postgres
@pytest.mark.parametrize(("idle_ping_seconds", "first_status"), [(0.0, 200), (3600.0, 503)])
def test_a_connection_dropped_while_idle_is_replaced_not_failed(committed, idle_ping_seconds,
                                                                first_status):
    """No ping per request; a connection idle past DATABASE_IDLE_PING_SECONDS is checked at
    checkout and replaced when dead. With the threshold not reached (an hour), the same
    dropped connection fails the first request: the ping is what saves it."""
    app = _pooled_app(idle_ping_seconds)
    client = app.test_client()
    try:
        assert client.get("/healthz").status_code == 200  # one connection, back in the pool
        assert _terminate_pool_connections(app) == 1
        assert client.get("/healthz").status_code == first_status
        assert client.get("/healthz").status_code == 200  # the pool has recovered either way
    finally:
        with app.app_context():
            db.engine.dispose()
