"""Idempotency-Key: a retried write returns the first result and does nothing twice.

Keys are scoped per user and endpoint (method and path), as Stripe scopes them per account.
The key row is inserted first, in the same transaction as the work. A concurrent request
with the same key blocks on the unique index until the first commits, then finds its
stored answer. A request that fails rolls back with its key, so a retry runs again. The
same key with a different body is a client bug, answered 422 `idempotency_key_reused`.
"""

from __future__ import annotations

import hashlib
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
    __table_args__ = (sa.UniqueConstraint("user_id", "scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(64))
    scope: Mapped[str] = mapped_column(sa.String(200))  # method and path it was used for
    request_hash: Mapped[str | None] = mapped_column(sa.String(64), default=None)  # of the body
    status_code: Mapped[int | None] = mapped_column(default=None)
    body: Mapped[str | None] = mapped_column(sa.Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def request_fingerprint() -> str:
    """A digest of what the request asks for, stable across a client's retries.

    A multipart body is hashed by its fields and files' contents, not its bytes: a retry
    of `wx.uploadFile` sends the same parts with a new boundary.
    """
    digest = hashlib.sha256()
    if request.mimetype == "multipart/form-data":
        for name, value in sorted(request.form.items(multi=True)):
            digest.update(f"f:{name}={value}\n".encode())
        for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
            content = hashlib.sha256()
            for chunk in iter(lambda upload=upload: upload.stream.read(65536), b""):
                content.update(chunk)
            upload.stream.seek(0)
            digest.update(f"b:{name}={content.hexdigest()}\n".encode())
    else:
        digest.update(request.query_string + b"\n" + request.get_data(cache=True))
    return digest.hexdigest()


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
        user_id, scope = current_user().id, f"{request.method} {request.path}"[:200]
        fingerprint = request_fingerprint()
        try:
            with db.session.begin_nested():
                record = IdempotencyKey(user_id=user_id, key=key, scope=scope,
                                        request_hash=fingerprint)
                db.session.add(record)
        except sa.exc.IntegrityError:
            return _replay(user_id, key, scope, fingerprint)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code < 400:
            # Every success is stored (a 204 too): a key left without an answer would make
            # each retry wait for a request that has long finished.
            record.status_code = response.status_code
            record.body = response.get_data(as_text=True) if response.is_json else None
            db.session.flush()
        return response

    return wrapper


def _replay(user_id: int, key: str, scope: str, fingerprint: str) -> Response:
    # Only the savepoint of our insert was rolled back; the other request has committed.
    record = db.session.scalar(sa.select(IdempotencyKey).where(
        IdempotencyKey.user_id == user_id, IdempotencyKey.scope == scope,
        IdempotencyKey.key == key))
    if record is not None and record.request_hash not in (None, fingerprint):
        raise ApiError(422, "idempotency_key_reused",
                       "该 Idempotency-Key 已用于内容不同的请求，请换一个新的")
    if record is None or record.status_code is None:
        raise ApiError(409, "idempotency_in_progress", "相同请求正在处理中，请稍后重试")
    if record.body is None:
        response = Response(status=record.status_code)
    else:
        response = Response(record.body, status=record.status_code, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response
