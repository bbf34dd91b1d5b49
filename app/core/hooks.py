"""Run work after the current transaction commits (and drop it on rollback)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

_PENDING = "lvjian_after_commit"


def after_commit(fn: Callable, *args) -> None:
    """Call fn(*args) once the session's transaction has committed.

    Used for what must not happen for a change that may still roll back, or before other
    processes can see it: enqueuing jobs, invalidating caches.
    """
    db.session.info.setdefault(_PENDING, []).append((fn, args))


@event.listens_for(Session, "after_commit")
def _run_pending(session: Session) -> None:
    for fn, args in session.info.pop(_PENDING, []):
        fn(*args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
