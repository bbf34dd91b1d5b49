"""Background jobs on RQ; inline (after commit, own session) when Redis is absent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

import rq
from flask import current_app

from app.core.hooks import after_commit
from app.extensions import db
from app.integrations.redis import REDIS_ERRORS, redis_gateway

log = logging.getLogger(__name__)

QUEUE_NAME = "lvjian"


def job(fn: Callable) -> Callable:
    """A background job: runs in a fresh app context (own session) and commits on success."""

    @wraps(fn)
    def run(*args):
        with current_app.app_context():
            try:
                result = fn(*args)
                db.session.commit()
                return result
            except Exception:
                db.session.rollback()
                raise

    return run


def enqueue_after_commit(fn: Callable, *args) -> None:
    """Run `fn(*args)` in the background once the current transaction commits.

    Enqueuing before the commit would let a worker look for rows it can't see yet;
    a rollback drops the job with the change that asked for it.
    """
    after_commit(dispatch, fn, *args)


def dispatch(fn: Callable, *args) -> None:
    client = None if current_app.config["JOBS_INLINE"] else redis_gateway.client
    if client is not None:
        try:
            rq.Queue(QUEUE_NAME, connection=client).enqueue(
                fn, *args, retry=rq.Retry(max=3, interval=[10, 60, 300])
            )
            return
        except REDIS_ERRORS as exc:
            redis_gateway.mark_down(exc)
    try:
        fn(*args)
    except Exception:
        # Inline delivery failing must not fail the request that already committed;
        # the row stays pending and `flask jobs retry` picks it up.
        log.exception("inline job %s failed", getattr(fn, "__name__", fn))



def worker_run(*, burst: bool = False) -> None:
    """Work the queue in this process (inside the Flask app context of the CLI)."""
    client = redis_gateway.client
    if client is None:
        raise RuntimeError("no Redis: jobs run inline, there is nothing to work")
    # with_scheduler: jobs retried with a delay (rq.Retry intervals) come back to the queue
    rq.SimpleWorker([rq.Queue(QUEUE_NAME, connection=client)], connection=client).work(
        burst=burst, with_scheduler=True)
