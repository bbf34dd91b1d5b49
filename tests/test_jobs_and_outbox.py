"""notify(): an outbox row with the change, delivered after commit (RQ or inline)."""

from __future__ import annotations

import rq
import sqlalchemy as sa

from app.extensions import db
from app.integrations.queue import QUEUE_NAME, dispatch
from app.notifications.models import Notification
from app.notifications.services import deliver_notification, notify


def _status(notification_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Notification, notification_id).status


def test_inline_delivery_without_redis(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    user = make.villager()
    notification = notify(user, "waitlist_promoted", {"expo_id": 7})
    assert notification.status == "pending"  # nothing is sent before the commit
    db.session.commit()
    assert _status(notification.id) == "sent"


def test_rolled_back_change_sends_nothing(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    user = make.villager()
    notification_id = notify(user, "subsidy_decided").id
    db.session.rollback()
    assert db.session.get(Notification, notification_id) is None


def test_queued_on_redis_and_worked_by_rq(app, make, redis_url):
    user = make.villager()
    notification = notify(user, "coupon_expiring", {"coupon_id": 3})
    db.session.commit()
    from app.extensions import redis_gateway

    queue = rq.Queue(QUEUE_NAME, connection=redis_gateway.client)
    assert queue.count == 1 and _status(notification.id) == "pending"
    rq.SimpleWorker([queue], connection=redis_gateway.client).work(burst=True)
    assert queue.count == 0
    assert _status(notification.id) == "sent"


def test_redis_down_falls_back_to_inline(app, make, monkeypatch):
    from app.extensions import redis_gateway

    monkeypatch.setattr(type(redis_gateway), "client", property(lambda self: None))
    user = make.villager()
    notification = notify(user, "complaint_updated")
    db.session.commit()
    assert _status(notification.id) == "sent"


def test_delivery_is_idempotent(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    notification = notify(make.villager(), "expo_reminder")
    db.session.commit()
    assert deliver_notification(notification.id) == "skipped"
    db.session.expire_all()
    assert db.session.get(Notification, notification.id).attempts == 1


def test_jobs_retry_redispatches_pending(app, runner, make, monkeypatch):
    user = make.villager()
    db.session.add(Notification(user_id=user.id, kind="stuck", data={}))
    db.session.commit()
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    result = runner.invoke(args=["jobs", "retry"])
    assert "re-dispatched 1" in result.output
    pending = db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).where(Notification.status != "sent"))
    assert pending == 0


def test_dispatch_runs_plain_callables_inline(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    seen = []
    dispatch(seen.append, 42)
    assert seen == [42]
