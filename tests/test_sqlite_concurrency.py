"""The embedded SQLite default under 50 simultaneous writes: no 5xx, PostgreSQL's exact counts."""

from __future__ import annotations

import time
from collections import Counter

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.conftest import fire
from tests.test_coupon_concurrency import (
    _bearer,
    _claim_url,
    _counts,
    _errors,
    _shop_with_owner,
    _template,
    _villagers,
)
from tests.test_expo_concurrency import Scene

pytestmark = pytest.mark.sqlite

WRITERS = 50  # one wave: every request released together, each with its own client


def _timed_fire(app, calls: list) -> list:
    started = time.perf_counter()
    responses = fire(app, calls, workers=WRITERS)
    print(f"{len(calls)} concurrent writes on SQLite: {time.perf_counter() - started:.2f} s")
    return responses


def test_50_registrations_for_20_seats(committed):
    scene = Scene(committed, capacity=20, villagers=WRITERS)
    responses = _timed_fire(committed, [scene.registration(i) for i in range(WRITERS)])
    assert _errors(responses) == {(201, None): WRITERS}
    answered = Counter(r.get_json()["ticket"]["status"] for r in responses)
    assert answered == {"registered": 20, "waitlisted": 30}
    with committed.app_context():
        expo = scene.expo()
        assert (expo.registered_count, expo.waitlist_seq) == (20, 30)
        assert Counter(t.status for t in scene.tickets()) == {"registered": 20, "waitlisted": 30}
        positions = sorted(t.waiting_position for t in scene.tickets("waitlisted"))
        assert positions == list(range(1, 31))


def test_50_claims_for_10_coupons(committed):
    with committed.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=10)
        tokens = _villagers(WRITERS, "crowd")
    calls = [("POST", _claim_url(template_id), None, _bearer(token)) for token in tokens]
    responses = _timed_fire(committed, calls)
    assert _errors(responses) == {(201, None): 10, (409, "coupon_sold_out"): 40}
    with committed.app_context():
        assert _counts(template_id) == (10, 10)


@pytest.mark.parametrize(("method", "begin"), [
    ("GET", "BEGIN"), ("HEAD", "BEGIN"), ("POST", "BEGIN IMMEDIATE"),
    ("PATCH", "BEGIN IMMEDIATE"), ("DELETE", "BEGIN IMMEDIATE"), (None, "BEGIN IMMEDIATE"),
], ids=lambda v: v or "no-request")
def test_writers_take_the_lock_when_they_begin(app, method, begin):
    """A write request (or CLI, jobs: no request) begins IMMEDIATE, a read a deferred BEGIN;
    a nested begin is a SAVEPOINT and begins nothing."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            context = app.test_request_context(method=method) if method else app.app_context()
            with context, db.engine.connect() as conn, conn.begin(), conn.begin_nested():
                conn.execute(sa.text("SELECT 1"))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements[0] == begin
    assert [s.split()[0] for s in statements[1:]] == ["SAVEPOINT", "SELECT", "RELEASE"]


def test_seeding_without_redis_delivers_every_notification_inline(committed, monkeypatch):
    """Without Redis, notifications are delivered inline once the change commits, each in its
    own session. They must run after the committed transaction has let go of its
    connection: before, `flask seed-demo` without Redis waited out SQLite's busy timeout once
    per notification (five minutes), and left them pending."""
    from app.demo import seed_all
    from app.notifications.models import Notification

    monkeypatch.setitem(committed.config, "JOBS_INLINE", True)
    with committed.app_context():
        seed_all()
        db.session.commit()
        db.session.expire_all()
        statuses = Counter(db.session.scalars(sa.select(Notification.status)))
    assert statuses and set(statuses) == {"sent"}, statuses
