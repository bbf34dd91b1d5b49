"""Idempotency-Key: a retried write returns the first result and does nothing twice.

The key row is inserted first, in the same transaction as the work. A concurrent request
with the same key blocks on the unique index until the first commits, then finds its
stored answer. A request that fails rolls back with its key, so a retry runs again.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

import sqlalchemy as sa
from flask import Response, current_app, request
from sqlalchemy.orm import Mapped, mapped_column

from app.core.auth import current_user
from app.core.db import utcnow
from app.core.errors import ApiError
from app.extensions import db

HEADER = "Idempotency-Key"


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(64))
    scope: Mapped[str] = mapped_column(sa.String(200))  # method and path it was used for
    status_code: Mapped[int | None] = mapped_column(default=None)
    body: Mapped[str | None] = mapped_column(sa.Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def idempotent(view):
    """Wrap a write view (inside auth_required, outside smorest's response decorator)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if not key:
            return view(*args, **kwargs)
        if len(key) > 64 or not key.isprintable():
            raise ApiError(422, "invalid_idempotency_key", "Idempotency-Key 格式有误",
                           {HEADER: ["最长 64 个可打印字符"]})
        user_id, scope = current_user().id, f"{request.method} {request.path}"
        try:
            with db.session.begin_nested():
                record = IdempotencyKey(user_id=user_id, key=key, scope=scope)
                db.session.add(record)
        except sa.exc.IntegrityError:
            return _replay(user_id, key, scope)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code < 400:
            # Every success is stored (a 204 too): a key left without an answer would make
            # each retry wait for a request that has long finished.
            record.status_code = response.status_code
            record.body = response.get_data(as_text=True) if response.is_json else None
            db.session.flush()
        return response

    return wrapper


def _replay(user_id: int, key: str, scope: str) -> Response:
    # Only the savepoint of our insert was rolled back; the other request has committed.
    record = db.session.scalar(sa.select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.key == key))
    if record is None or record.status_code is None:
        raise ApiError(409, "idempotency_in_progress", "相同请求正在处理中，请稍后重试")
    if record.scope != scope:
        raise ApiError(422, "idempotency_key_reused", "该 Idempotency-Key 已用于其他请求")
    if record.body is None:
        response = Response(status=record.status_code)
    else:
        response = Response(record.body, status=record.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response
