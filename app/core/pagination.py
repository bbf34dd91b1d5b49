"""Keyset (cursor) pagination: newest first by id, stable under inserts."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import sqlalchemy as sa

from app.core.errors import ApiError
from app.extensions import db


def invalid_cursor(reason: str = "无效的分页游标") -> ApiError:
    return ApiError(422, "invalid_cursor", "分页游标无效", {"cursor": [reason]})


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid_cursor() from None


def paginate(stmt: sa.Select, id_column: Any, *, limit: int, cursor: str | None) -> dict:
    """One page of `stmt` ordered by id descending: {"items", "next_cursor"}."""
    after = decode_cursor(cursor)
    if after is not None:
        stmt = stmt.where(id_column < after)
    rows = db.session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)).all()
    items, more = rows[:limit], len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(items[-1].id) if more else None}
