"""Database outages: told apart from bugs, answered 503 and logged once per outage."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import sqlalchemy as sa

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
REMIND_EVERY_SECONDS = 60.0

# PostgreSQL states that mean "the server can't serve now", not "this statement is wrong":
# class 08 (connection exception), shutting down or starting up, out of connections.
_PG_OUTAGE_STATES = {"57P01", "57P02", "57P03", "53300"}
# SQLite's equivalents: the file is busy beyond busy_timeout, gone or unreadable.
_SQLITE_OUTAGE_MESSAGES = ("database is locked", "unable to open database file",
                           "disk i/o error", "database disk image is malformed")

try:  # the PostgreSQL driver is optional on the embedded default
    import psycopg
except ImportError:  # pragma: no cover
    psycopg = None


def is_outage(exc: BaseException) -> bool:
    """True when the database could not be reached or used at all; False for SQL errors."""
    if isinstance(exc, (sa.exc.DisconnectionError, sa.exc.TimeoutError)):
        return True  # a pre-ping that could not reconnect; a pool with no connection to give
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    if exc.connection_invalidated:  # SQLAlchemy recognised a lost connection
        return True
    orig = exc.orig
    if psycopg is not None and isinstance(orig, psycopg.OperationalError):
        state = orig.sqlstate  # None: the failure came from the client side, no server answer
        return state is None or state.startswith("08") or state in _PG_OUTAGE_STATES
    if isinstance(orig, sqlite3.OperationalError):
        return str(orig).lower().startswith(_SQLITE_OUTAGE_MESSAGES)
    return False


def describe(exc: BaseException) -> str:
    """The outage's cause in one line without SQL or parameters (host and port at most)."""
    orig = getattr(exc, "orig", None) or exc
    first_line = (str(orig).strip().splitlines() or [""])[0][:200]
    return f"{type(orig).__module__}.{type(orig).__name__}: {first_line}"


class OutageLog:
    """One line when the database goes away, a reminder a minute, one line when it is back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._failed = 0
        self._reminded_at = 0.0

    def failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._failed += 1
            if self.down_since is None:
                self.down_since = self._reminded_at = now
                first = True
            elif now - self._reminded_at >= REMIND_EVERY_SECONDS:
                self._reminded_at, first = now, False
            else:
                return
            down_for, failed = now - self.down_since, self._failed
        if first:
            log.error("database unavailable, answering 503 until it is back: %s", describe(exc))
        else:
            log.error("database still unavailable after %.0f s (%d requests answered 503): %s",
                      down_for, failed, describe(exc))

    def succeeded(self) -> None:
        if self.down_since is None:  # the common case: no lock, nothing to say
            return
        with self._lock:
            if self.down_since is None:
                return
            down_for, failed = time.monotonic() - self.down_since, self._failed
            self.down_since, self._failed = None, 0
        log.warning("database available again after %.0f s (%d requests answered 503)",
                    down_for, failed)


def watch(engine: sa.Engine) -> OutageLog:
    """An OutageLog for `engine`: any statement that completes ends the outage."""
    outages = OutageLog()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _statement_completed(*_args):
        outages.succeeded()

    return outages
