"""Keyset (cursor) pagination: newest first by id, stable under inserts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa

from app.core.errors import ApiError
from app.core.schemas import ID_MIN, INT_MAX
from app.extensions import db

T = TypeVar("T")


def invalid_cursor(reason: str = "无效的分页游标") -> ApiError:
    return ApiError(422, "invalid_cursor", "分页游标无效", {"cursor": [reason]})


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def _unbase64(cursor: str) -> str:
    """A cursor's text; anything that is not our URL-safe base64 of UTF-8 is refused."""
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        return raw.decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_cursor() from None


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        value = int(_unbase64(cursor))
    except ValueError:
        raise invalid_cursor() from None
    if not ID_MIN <= value <= INT_MAX:  # an id a row can have, or the cursor was made up
        raise invalid_cursor("超出范围")
    return value


def paginate(stmt: sa.Select, id_column: Any, *, limit: int, cursor: str | None) -> dict:
    """One page of `stmt` ordered by id descending: {"items", "next_cursor"}."""
    after = decode_cursor(cursor)
    if after is not None:
        stmt = stmt.where(id_column < after)
    rows = db.session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)).all()
    items, more = rows[:limit], len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(items[-1].id) if more else None}


def paginate_ascending(stmt: sa.Select, key: Any, id_column: Any, *, limit: int,
                       cursor: str | None, parse: Callable[[str], Any]) -> dict:
    """One page of `stmt` in ascending (key, id) order, e.g. the earliest deadline first;
    the cursor carries both (`parse` reads the key back from its text)."""
    if cursor:
        text, _, last_id = _unbase64(cursor).rpartition("|")
        try:
            after, after_id = parse(text), int(last_id)
        except ValueError:
            raise invalid_cursor() from None
        if not ID_MIN <= after_id <= INT_MAX:
            raise invalid_cursor("超出范围")
        stmt = stmt.where(sa.or_(key > after, sa.and_(key == after, id_column > after_id)))
    rows = db.session.execute(stmt.add_columns(key).order_by(key, id_column)
                              .limit(limit + 1)).all()
    page, more = rows[:limit], len(rows) > limit
    next_cursor = None
    if more:
        last, value = page[-1]
        next_cursor = base64.urlsafe_b64encode(f"{value}|{last.id}".encode()).decode().rstrip("=")
    return {"items": [row[0] for row in page], "next_cursor": next_cursor}


def paginate_ordered(items: Sequence[T], key: Callable[[T], str], *, limit: int,
                     cursor: str | None) -> dict:
    """One page of a small list already in ascending `key` order (e.g. a year's holidays)."""
    if cursor:
        after = _unbase64(cursor)
        items = [item for item in items if key(item) > after]
    page, more = list(items[:limit]), len(items) > limit
    if not more:  # the last page, an empty list or a cursor past the end
        return {"items": page, "next_cursor": None}
    next_cursor = base64.urlsafe_b64encode(key(page[-1]).encode()).decode().rstrip("=")
    return {"items": page, "next_cursor": next_cursor}
