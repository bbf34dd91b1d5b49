"""Liveness and the bare baseline endpoint benchmarks compare against."""

from __future__ import annotations

import sqlalchemy as sa

from app.core.openapi import Blueprint
from app.extensions import db, redis_gateway

blp = Blueprint("health", __name__, description="健康检查")

_STATE = {"type": "string", "enum": ["ok", "down"]}
_HEALTH = {"type": "object", "required": ["status", "db", "redis"], "additionalProperties": False,
           "properties": {"status": _STATE, "db": _STATE, "redis": _STATE}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Documented by hand, not through a response schema: /api/ping is the benchmarks' bare floor.
@blp.route("/healthz")
@blp.doc(responses={200: _json(_HEALTH, "数据库可用"), 503: _json(_HEALTH, "数据库不可用")})
def healthz():
    """200 while the database answers (Redis down is degraded, not down); 503 otherwise."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        db_state = "ok"
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        db_state = "down"
    body = {
        "status": "ok" if db_state == "ok" else "down",
        "db": db_state,
        "redis": "ok" if redis_gateway.ping() else "down",
    }
    return body, 200 if db_state == "ok" else 503


@blp.route("/api/ping")
@blp.doc(responses={200: _json({"type": "object", "required": ["pong"],
                                "properties": {"pong": {"type": "boolean"}}}, "在线")})
def ping():
    """No database, no Redis: the baseline for benchmark ratios."""
    return {"pong": True}
