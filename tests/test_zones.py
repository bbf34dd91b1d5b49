"""The online promotion zone: zones over a period and live sessions now or coming, judged
on the clock and shown in China time; reminders through the notifications outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.core.db import CHINA, utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.zones import services
from app.zones.models import CampaignZone, LiveReminder, LiveSession
from tests.test_coupons import new_template

ADMIN_ZONES = "/api/v1/admin/zones"
MERCHANT_LIVE = "/api/v1/merchant/live-sessions"
ADMIN_LIVE = "/api/v1/admin/live-sessions"


def at(delta: timedelta) -> str:
    """Now plus `delta`, written in China time as a console would send it."""
    return (utcnow() + delta).astimezone(CHINA).replace(microsecond=0).isoformat()


def zone_body(**over) -> dict:
    body = {"title": "冬季节能专区", "region_code": "410105", "description": "集中展示",
            "starts_at": at(timedelta(days=-1)), "ends_at": at(timedelta(days=10))}
    body.update(over)
    return body


def session_body(**over) -> dict:
    body = {"title": "保温改造直播", "platform": "wechat_channels", "room_id": "sphTest01",
            "starts_at": at(timedelta(minutes=-10)), "ends_at": at(timedelta(hours=1))}
    body.update(over)
    return body


def _zone(client, headers, **over) -> dict:
    created = client.post(ADMIN_ZONES, headers=headers, json=zone_body(**over))
    assert created.status_code == 201, created.get_json()
    published = client.post(f"{ADMIN_ZONES}/{created.get_json()['id']}/publish",
                            headers=headers)
    assert published.status_code == 200, published.get_json()
    return published.get_json()


def test_a_zone_shows_during_its_period_to_the_villagers_of_its_region(client, world, make):
    here = world["headers"]["county_here"]
    tile = make.product(world["shop_a"], name="仿古砖")
    uncertified = make.product(world["shop_a"], name="无证砖", certified=False)
    template = new_template(world["shop_a"])
    current = _zone(client, here, product_ids=[tile.id, uncertified.id],
                    coupon_template_ids=[template.id])
    assert (current["time_state"], current["time_state_label"]) == ("current", "进行中")
    assert current["starts_at"].endswith("+08:00")
    coming = _zone(client, here, title="春节专区", starts_at=at(timedelta(days=5)))
    assert coming["time_state_label"] == "即将开始"
    draft = client.post(ADMIN_ZONES, headers=here, json=zone_body(title="草稿专区")).get_json()
    ended = _zone(client, here, title="已结束专区", starts_at=at(timedelta(days=-9)),
                  ends_at=at(timedelta(days=-2)))
    assert ended["time_state"] == "ended"

    mine = client.get("/api/mp/v1/zones", headers=world["headers"]["villager_a"]).get_json()
    assert [z["id"] for z in mine["items"]] == [current["id"], coming["id"]]
    assert draft["id"] not in [z["id"] for z in mine["items"]]
    other = client.get("/api/mp/v1/zones", headers=world["headers"]["villager_b"]).get_json()
    assert other["items"] == []  # 410122 is outside the zone's 410105

    detail = client.get(f"/api/mp/v1/zones/{current['id']}",
                        headers=world["headers"]["villager_a"]).get_json()
    assert [p["id"] for p in detail["products"]] == [tile.id]  # only eligible ones
    assert [c["id"] for c in detail["coupons"]] == [template.id]


def test_the_period_edge_is_the_instant_in_china_time(client, world):
    zone = _zone(client, world["headers"]["county_here"],
                 starts_at="2026-12-01T00:00:00+08:00", ends_at="2026-12-31T23:59:59+08:00")
    row = db.session.get(CampaignZone, zone["id"])
    # midnight in Beijing is 16:00 UTC the day before
    assert services.zone_state(row, datetime(2026, 11, 30, 15, 59, tzinfo=UTC)) == "upcoming"
    assert services.zone_state(row, datetime(2026, 11, 30, 16, 0, tzinfo=UTC)) == "current"
    assert services.zone_state(row, datetime(2026, 12, 31, 15, 59, 59, tzinfo=UTC)) == "ended"
    assert zone["starts_at"] == "2026-12-01T00:00:00+08:00"
    # sent in UTC, answered in China time
    other = client.post(ADMIN_ZONES, headers=world["headers"]["county_here"],
                        json=zone_body(starts_at="2026-12-01T16:00:00Z",
                                       ends_at="2026-12-03T16:00:00Z")).get_json()
    assert other["starts_at"] == "2026-12-02T00:00:00+08:00"


def test_bad_periods_are_refused(client, world):
    here = world["headers"]["county_here"]
    for body, field in ((zone_body(ends_at=at(timedelta(days=-5))), "ends_at"),
                        (zone_body(starts_at="2026-12-01T00:00:00"), "starts_at"),
                        (zone_body(product_ids=[999_999]), "product_ids")):
        answer = client.post(ADMIN_ZONES, headers=here, json=body)
        assert answer.status_code == 422 and field in answer.get_json()["errors"], body
    assert client.post(ADMIN_ZONES, headers=world["headers"]["county_elsewhere"],
                       json=zone_body()).status_code == 403


def test_live_now_first_then_coming_soonest_first(client, world, make):
    merchant = world["headers"]["merchant_a"]
    tile = make.product(world["shop_a"], name="仿古砖")
    live = client.post(MERCHANT_LIVE, headers=merchant,
                       json=session_body(product_ids=[tile.id])).get_json()
    assert (live["state"], live["state_label"]) == ("live", "直播中")
    assert live["platform_label"] == "微信视频号" and live["host_kind_label"] == "商家专场"
    later = client.post(MERCHANT_LIVE, headers=merchant, json=session_body(
        title="明晚直播", starts_at=at(timedelta(days=1)),
        ends_at=at(timedelta(days=1, hours=2)))).get_json()
    sooner = client.post(ADMIN_LIVE, headers=world["headers"]["province"], json=session_body(
        title="政策解读", host_name="河南省住建厅", region_code="410000",
        starts_at=at(timedelta(hours=3)), ends_at=at(timedelta(hours=4)))).get_json()
    assert sooner["state_label"] == "即将开播" and sooner["host_kind_label"] == "政府部门专场"
    past = client.post(MERCHANT_LIVE, headers=merchant, json=session_body(
        title="昨天", starts_at=at(timedelta(days=-1)),
        ends_at=at(timedelta(days=-1, hours=-1))))
    assert past.status_code == 422

    listed = client.get("/api/mp/v1/live-sessions",
                        headers=world["headers"]["villager_a"]).get_json()["items"]
    assert [s["id"] for s in listed] == [live["id"], sooner["id"], later["id"]]
    assert listed[0]["starts_at"].endswith("+08:00")
    only_live = client.get("/api/mp/v1/live-sessions", query_string={"state": "live"})
    assert [s["id"] for s in only_live.get_json()["items"]] == [live["id"]]
    coming = client.get("/api/mp/v1/live-sessions", query_string={"state": "upcoming"})
    assert [s["id"] for s in coming.get_json()["items"]] == [sooner["id"], later["id"]]
    elsewhere = client.get("/api/mp/v1/live-sessions",
                           headers=world["headers"]["villager_b"]).get_json()["items"]
    assert [s["id"] for s in elsewhere] == [sooner["id"]]  # the province's, not 金水's
    detail = client.get(f"/api/mp/v1/live-sessions/{live['id']}").get_json()
    assert detail["session"]["room_id"] == "sphTest01"
    assert [p["id"] for p in detail["products"]] == [tile.id]

    row = db.session.get(LiveSession, live["id"])
    row.ends_at = utcnow() - timedelta(seconds=1)  # the session ends: it leaves the list
    db.session.commit()
    ids = [s["id"] for s in client.get("/api/mp/v1/live-sessions").get_json()["items"]]
    assert live["id"] not in ids


def test_a_session_needs_a_room_or_a_link_and_the_shops_own_products(client, world, make):
    merchant = world["headers"]["merchant_a"]
    no_room = client.post(MERCHANT_LIVE, headers=merchant, json=session_body(room_id=None))
    assert no_room.status_code == 422 and "room_id" in no_room.get_json()["errors"]
    link = client.post(MERCHANT_LIVE, headers=merchant, json=session_body(
        room_id=None, live_url="https://channels.weixin.qq.com/live/abc"))
    assert link.status_code == 201
    plain = client.post(MERCHANT_LIVE, headers=merchant,
                        json=session_body(live_url="javascript:alert(1)"))
    assert plain.status_code == 422
    other = make.product(world["shop_b"])
    foreign = client.post(MERCHANT_LIVE, headers=merchant,
                          json=session_body(product_ids=[other.id]))
    assert foreign.status_code == 422


def test_a_reminder_waits_in_the_outbox_until_shortly_before_the_start(client, world):
    coming = client.post(MERCHANT_LIVE, headers=world["headers"]["merchant_a"],
                         json=session_body(starts_at=at(timedelta(hours=2)),
                                           ends_at=at(timedelta(hours=3)))).get_json()
    villager = world["headers"]["villager_a"]
    url = f"/api/mp/v1/live-sessions/{coming['id']}/reminder"
    first = client.post(url, headers=villager)
    assert first.status_code == 201, first.get_json()
    starts = datetime.fromisoformat(coming["starts_at"])
    assert datetime.fromisoformat(first.get_json()["remind_at"]) == starts - timedelta(
        minutes=10)
    assert first.get_json()["remind_at"].endswith("+08:00")
    again = client.post(url, headers=villager)
    assert again.status_code == 200
    user_id = world["users"]["villager_a"].id
    rows = db.session.scalars(sa.select(Notification).where(
        Notification.user_id == user_id, Notification.kind == "live_reminder")).all()
    assert len(rows) == 1 and rows[0].status == "pending"
    assert rows[0].not_before == starts - timedelta(minutes=10)
    assert rows[0].data["room_id"] == "sphTest01"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LiveReminder)) == 1

    cancelled = client.post(f"{MERCHANT_LIVE}/{coming['id']}/cancel",
                            headers=world["headers"]["merchant_a"])
    assert cancelled.get_json()["state_label"] == "已取消"
    told = db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == user_id).order_by(Notification.id)).all()
    assert told == ["live_reminder", "live_cancelled"]
    assert client.post(url, headers=villager).status_code == 409


def test_no_reminder_for_a_session_already_live(client, world):
    live = client.post(MERCHANT_LIVE, headers=world["headers"]["merchant_a"],
                       json=session_body()).get_json()
    answer = client.post(f"/api/mp/v1/live-sessions/{live['id']}/reminder",
                         headers=world["headers"]["villager_a"])
    assert answer.status_code == 409 and "直播已开始" in answer.get_json()["message"]


def test_every_zone_label_is_chinese():
    import re

    from app.zones import models

    for labels, values in ((models.ZONE_STATUS_LABELS, models.ZONE_STATUSES),
                           (models.TIME_STATE_LABELS, models.TIME_STATES),
                           (models.LIVE_STATE_LABELS, models.LIVE_STATES),
                           (models.PLATFORM_LABELS, models.PLATFORMS),
                           (models.HOST_KIND_LABELS, models.HOST_KINDS)):
        assert set(labels) == set(values)
        assert all(re.match(r"^[\u4e00-\u9fff]+$", v) for v in labels.values())
        assert len(set(labels.values())) == len(labels)
