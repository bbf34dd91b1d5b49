"""Declarative base, column types and small helpers shared by every model."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Every person reads China time; every "today" is a China-time day (API.md).
CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def china_time(moment: datetime) -> datetime:
    """The same instant as people in China read it (+08:00)."""
    return moment.astimezone(CHINA)


class UTCDateTime(sa.types.TypeDecorator):
    """Timezone-aware datetimes on every backend: stored as UTC, returned aware.

    SQLite has no time zones, so we store naive UTC there and re-attach UTC on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware one (app.core.db.utcnow)")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def render_migration_item(type_: str, obj, autogen_context):
    """Write UTCDateTime into migrations as a plain DateTime: migrations don't import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


# Indexes written by hand in migrations (backend-specific, e.g. PostgreSQL GIN on an
# expression); autogenerate and the drift test leave them alone.
MANUAL_INDEXES = frozenset({"ix_products_search", "ix_products_name_search"})


def include_in_migrations(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "index" and name in MANUAL_INDEXES)


def insert_unless_conflict(model, values: dict, *unique: str) -> bool:
    """INSERT a row unless one with the same `unique` columns exists; True if inserted.

    One statement where a SAVEPOINT, an INSERT and a RELEASE would be three: for hot paths
    whose race loser only needs to know it lost (e.g. a retried scan nonce).
    """
    from app.extensions import db

    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = model.__table__
    stmt = (insert(table).values(**values).on_conflict_do_nothing(index_elements=list(unique))
            .returning(*table.primary_key.columns))
    return db.session.execute(stmt).first() is not None


def ping_when_idle(engine: sa.Engine, idle_seconds: float) -> None:
    """Check a pooled connection before use only if it sat idle for `idle_seconds` or more.

    A busy pool's connections are never idle that long, so the hot paths pay no round trip
    (SQLAlchemy's pool_pre_ping pings on every checkout); a connection that waited through a
    PostgreSQL restart or a firewall's idle timeout is found dead here, and the pool replaces
    it (DisconnectionError at checkout: up to three fresh connections are tried) instead of
    the request failing on its first statement.
    """

    @sa.event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:
        since = record.info.pop("idle_since", None)
        if since is None or time.monotonic() - since < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as exc:  # any failure of a bare SELECT 1 means the link is gone
            raise sa.exc.DisconnectionError("idle connection is gone") from exc
