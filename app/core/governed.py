"""Rows an admin governs: those whose region_code lies in the admin's region."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.core import auth
from app.core.errors import not_found
from app.core.regions import scope_prefix
from app.extensions import db


def governed_rows(model: Any, region_code: str, status: str | None = None) -> sa.Select:
    """SELECT the model's rows under `region_code` (and in `status`, if given)."""
    stmt = sa.select(model).where(model.region_code.startswith(scope_prefix(region_code)))
    return stmt.where(model.status == status) if status else stmt


def governed_row(model: Any, row_id: int, user: Any, error: str, message: str) -> Any:
    """One row by id: 404 (`error`, `message`) if missing, 403 outside the user's region."""
    row = db.session.get(model, row_id)
    if row is None:
        raise not_found(error, message)
    auth.require_region(row.region_code, user)
    return row
