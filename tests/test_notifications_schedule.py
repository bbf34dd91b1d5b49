"""Issue 16: the schedule (`jobs tick`), RQ batch delivery, and what officers see."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import rq
import sqlalchemy as sa

from app.core.db import CHINA, utcnow
from app.expos import registration
from app.extensions import db
from app.integrations.queue import QUEUE_NAME
from app.notifications import services
from app.notifications.models import Notification
from app.notifications.services import deliver_batch, notify
from tests.test_expos import new_expo


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = utcnow()

    monkeypatch.setattr(services, "utcnow", lambda: Clock.now)
    return Clock


def china(day, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA)


def reminders() -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(sa.select(Notification).where(
        Notification.kind == "expo_reminder").order_by(Notification.id)).all()


def test_day_before_reminder_once_per_ticket_across_two_ticks(app, runner, make, clock,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    admin = make.admin("410105")
    # the expo starts at 09:00 China time three days from now; "today" is the day before it
    expo_day = utcnow().astimezone(CHINA).date() + timedelta(days=3)
    expo = new_expo(admin, start=china(expo_day, 9) - utcnow())
    holders = [make.villager(region_code="410105001") for _ in range(3)]
    tickets = [registration.register(expo.id, user)[0] for user in holders]
    tickets[2].status = "cancelled"  # a cancelled ticket gets no reminder
    other = new_expo(admin, start=china(expo_day, 9) + timedelta(days=1) - utcnow())
    registration.register(other.id, holders[0])  # the day after: not yet
    db.session.commit()

    clock.now = china(expo_day - timedelta(days=1), 7, 30)  # too early in the morning
    assert "expo reminders=0" in runner.invoke(args=["jobs", "tick"]).output
    clock.now = china(expo_day - timedelta(days=1), 8, 0)
    first = runner.invoke(args=["jobs", "tick"])
    assert "expo reminders=2" in first.output, first.output
    clock.now = china(expo_day - timedelta(days=1), 8, 10)
    second = runner.invoke(args=["jobs", "tick"])
    assert "expo reminders=0" in second.output, second.output
    sent = reminders()
    assert sorted(n.data["ticket_id"] for n in sent) == sorted(t.id for t in tickets[:2])
    assert {n.dedupe_key for n in sent} == {f"expo_reminder:{t.id}" for t in tickets[:2]}
    assert all(n.status == "sent" for n in sent)  # dev mode: in-app (no consent, no phone)
    assert sent[0].data["starts_at"].startswith(expo_day.isoformat() + "T09:00")


def test_reminder_for_a_ticket_cancelled_since_is_skipped(app, make, clock, monkeypatch):
    admin = make.admin("410105")
    expo_day = utcnow().astimezone(CHINA).date() + timedelta(days=3)
    expo = new_expo(admin, start=china(expo_day, 9) - utcnow())
    ticket = registration.register(expo.id, make.villager())[0]
    db.session.commit()
    monkeypatch.setattr(services, "enqueue_after_commit", lambda *args: None)  # not yet
    clock.now = china(expo_day - timedelta(days=1), 9)
    assert services.schedule_expo_reminders() == 1
    ticket.status = "cancelled"  # cancelled before the job ran
    db.session.commit()
    (reminder,) = reminders()
    assert services.deliver_notification(reminder.id) == "skipped"
    (reminder,) = reminders()
    assert (reminder.status, reminder.last_error) == ("skipped", "ticket_not_valid")


def test_rq_batches_send_each_row_once(app, make, redis_url, clock):
    from app.extensions import redis_gateway

    users = [make.villager() for _ in range(5)]
    ids = services.notify_many([{"user_id": u.id, "data": {"n": i}} for i, u in
                                enumerate(users)], kind="dealer_authorisation")
    db.session.commit()
    queue = rq.Queue(QUEUE_NAME, connection=redis_gateway.client)
    assert queue.count == 1  # one batch job
    queue.enqueue(deliver_batch, ids)  # the same job twice
    rq.SimpleWorker([queue], connection=redis_gateway.client).work(burst=True)
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Notification).where(Notification.id.in_(ids))).all()
    assert [r.status for r in rows] == ["sent"] * 5 and all(r.attempts == 1 for r in rows)


def test_dedupe_key_makes_one_row(app, make, clock, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    user = make.villager()
    rows = [{"user_id": user.id, "dedupe_key": "expo_reminder:999", "data": {}}]
    assert len(services.notify_many(rows, kind="expo_reminder")) == 1
    assert services.notify_many(rows, kind="expo_reminder") == []
    db.session.commit()


def test_jobs_retry_picks_up_what_waited_for_redis(app, runner, make, monkeypatch, clock):
    from app.extensions import redis_gateway

    monkeypatch.setattr(type(redis_gateway), "client", property(lambda self: None))
    user = make.villager()
    db.session.add_all([Notification(user_id=user.id, kind="subsidy_decided",
                                     data={"claim_id": 1, "approved": True, "amount_fen": 100})
                        for _ in range(3)])
    db.session.commit()
    assert "re-dispatched 3" in runner.invoke(args=["jobs", "retry"]).output
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(Notification.status).where(
        Notification.user_id == user.id)).all()
    assert statuses == ["sent"] * 3


# ---- officers ---------------------------------------------------------------------------------

def test_officers_see_status_of_their_villagers(app, client, make, clock, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_INLINE", True)
    here = make.villager(region_code="410105001")
    here.phone = "13900001111"
    elsewhere = make.villager(region_code="410122101")
    db.session.commit()
    clock.now = china(utcnow().astimezone(CHINA).date(), 10)
    notify(here, "subsidy_decided", {"claim_id": 1, "approved": False, "amount_fen": 5000})
    notify(elsewhere, "subsidy_decided", {"claim_id": 2, "approved": True, "amount_fen": 100})
    db.session.commit()
    admin = make.admin("410105")
    answer = client.get("/api/v1/admin/notifications", headers=make.headers(admin))
    assert answer.status_code == 200, answer.json
    (item,) = answer.json["items"]
    assert item["user_id"] == here.id and item["status"] == "sent"
    assert item["channel"] == "sms" and item["channel_label"] == "短信"
    assert item["reason"] == "no_consent" and item["payload"]["dev"] is True
    assert item["payload"]["sms"]["phone"] == "139****1111"
    assert "13900001111" not in answer.get_data(as_text=True)
    summary = client.get("/api/v1/admin/notifications/summary", headers=make.headers(admin))
    assert summary.json == {"by_status": {"sent": 1}, "sent_by_channel": {"sms": 1}}
    filtered = client.get("/api/v1/admin/notifications?status=failed",
                          headers=make.headers(admin))
    assert filtered.json["items"] == []
    villager_view = client.get("/api/v1/admin/notifications", headers=make.headers(here))
    assert villager_view.status_code == 403
