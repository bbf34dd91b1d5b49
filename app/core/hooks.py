"""Run work after the current transaction commits (and drop it on rollback)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

_PENDING = "lvjian_after_commit"
_KEEP = "lvjian_keep_on_error"


def keep_even_if_refused() -> None:
    """Commit this request's changes although it answers an error: for what a refusal must
    itself record (a wrong login code counting towards the limit). The request boundary
    (app.register_request_hooks) does the commit, as for any other request."""
    db.session.info[_KEEP] = True


def kept_even_if_refused() -> bool:
    return bool(db.session.info.pop(_KEEP, False))


def after_commit(fn: Callable, *args) -> None:
    """Call fn(*args) once the session's transaction has committed.

    Used for what must not happen for a change that may still roll back, or before other
    processes can see it: enqueuing jobs, invalidating caches.
    """
    db.session.info.setdefault(_PENDING, []).append((fn, args))


_COMMITTED = "lvjian_committed_work"


@event.listens_for(Session, "after_commit")
def _commit_pending(session: Session) -> None:
    session.info.setdefault(_COMMITTED, []).extend(session.info.pop(_PENDING, []))


@event.listens_for(Session, "after_transaction_end")
def _run_committed(session: Session, transaction) -> None:
    # Only once the transaction has let go of its connection: work run inline opens its own,
    # and on SQLite a connection still held by the committed transaction would keep the
    # write lock from it (each inline job then waited out the busy timeout).
    if transaction.parent is None:
        for fn, args in session.info.pop(_COMMITTED, []):
            fn(*args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
