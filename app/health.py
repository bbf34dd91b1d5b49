"""Liveness and the bare baseline endpoint benchmarks compare against."""

from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from app.extensions import db, redis_gateway

blp = Blueprint("health", __name__, description="健康检查")


@blp.route("/healthz")
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
def ping():
    """No database, no Redis: the baseline for benchmark ratios."""
    return {"pong": True}
