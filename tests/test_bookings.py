"""One-stop shops' services and home-visit bookings (预约上门): every state, the right shop
only, each step notified, and a complaint about it through the existing complaints."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.core.db import CHINA
from app.extensions import db
from app.notifications.models import Notification

OFFERS = "/api/v1/merchant/offers"
SHOP_BOOKINGS = "/api/v1/merchant/bookings"
MY_BOOKINGS = "/api/mp/v1/me/bookings"


def later(days: int = 2, hour: int = 10) -> str:
    day = datetime.now(CHINA).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA).isoformat()


def offer_body(**over) -> dict:
    body = {"kind": "measure", "name": "免费上门测量", "price_fen": 0}
    body.update(over)
    return body


def booking_body(**over) -> dict:
    body = {"address": "金水区花园路街道某村 3 组 8 号", "phone": "13800138000",
            "preferred_at": later(), "note": "量一下卫生间"}
    body.update(over)
    return body


def kinds_for(user) -> list[str]:
    return list(db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == user.id).order_by(Notification.id)))


@pytest.fixture
def offer(client, world):
    typed = client.put("/api/v1/merchant/shop/type", headers=world["headers"]["merchant_a"],
                       json={"shop_type": "supermarket"})
    assert typed.status_code == 200, typed.get_json()
    assert typed.get_json()["shop_type_label"] == "绿色建材超市"
    created = client.post(OFFERS, headers=world["headers"]["merchant_a"], json=offer_body())
    assert created.status_code == 201, created.get_json()
    return created.get_json()


def _book(client, world, offer, who="villager_a", **over):
    answer = client.post(MY_BOOKINGS, headers=world["headers"][who],
                         json=booking_body(offer_id=offer["id"], **over))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _step(client, world, booking_id, who="merchant_a", **body):
    return client.post(f"{SHOP_BOOKINGS}/{booking_id}/transition",
                       headers=world["headers"][who], json=body)


def test_offers_show_a_price_or_quote_on_visit_near_the_villager(client, world, offer):
    quoted = client.post(OFFERS, headers=world["headers"]["merchant_a"],
                         json=offer_body(kind="design", name="改造设计", price_fen=None))
    assert quoted.get_json()["price_label"] == "上门报价"
    client.post(OFFERS, headers=world["headers"]["merchant_b"], json=offer_body())
    here = client.get("/api/mp/v1/service-offers", headers=world["headers"]["villager_a"])
    items = here.get_json()["items"]
    assert {i["shop_id"] for i in items} == {world["shop_a"].id}  # villager A is in 410105
    assert {i["price_label"] for i in items} == {"¥0.00/次", "上门报价"}
    assert items[0]["shop_type_label"] == "绿色建材超市"
    designs = client.get("/api/mp/v1/service-offers",
                         query_string={"region": "410105", "kind": "design"}).get_json()
    assert [i["name"] for i in designs["items"]] == ["改造设计"]
    paused = client.patch(f"{OFFERS}/{offer['id']}", headers=world["headers"]["merchant_a"],
                          json={"active": False})
    assert paused.status_code == 200
    refused = client.post(MY_BOOKINGS, headers=world["headers"]["villager_a"],
                          json=booking_body(offer_id=offer["id"]))
    assert refused.status_code == 422 and "offer_id" in refused.get_json()["errors"]


def test_a_booking_through_every_state_each_step_notified(client, world, offer):
    villager, owner = world["users"]["villager_a"], world["users"]["merchant_a"]
    booking = _book(client, world, offer)
    assert (booking["status"], booking["status_label"]) == ("requested", "待商家确认")
    assert booking["shop_id"] == world["shop_a"].id
    assert kinds_for(owner) == ["booking_requested"]

    seen = client.get(SHOP_BOOKINGS, headers=world["headers"]["merchant_a"]).get_json()
    assert [b["id"] for b in seen["items"]] == [booking["id"]]
    assert seen["items"][0]["phone"] == "13800138000"  # the shop calls before the visit

    assert _step(client, world, booking["id"], action="complete").status_code == 409
    accepted = _step(client, world, booking["id"], action="accept")
    assert accepted.get_json()["status_label"] == "已接单"
    missing = _step(client, world, booking["id"], action="schedule")
    assert missing.status_code == 422 and "scheduled_at" in missing.get_json()["errors"]
    past = _step(client, world, booking["id"], action="schedule",
                 scheduled_at="2020-01-01T09:00:00+08:00")
    assert past.status_code == 422
    scheduled = _step(client, world, booking["id"], action="schedule",
                      scheduled_at=later(3, 9))
    body = scheduled.get_json()
    assert body["status"] == "scheduled" and body["scheduled_at"] == later(3, 9)
    assert body["scheduled_at"].endswith("+08:00")
    moved = _step(client, world, booking["id"], action="schedule", scheduled_at=later(4, 14))
    assert moved.get_json()["scheduled_at"] == later(4, 14)
    completed = _step(client, world, booking["id"], action="complete",
                      note="已测量，方案三天内发出")
    assert completed.get_json()["status_label"] == "已完成"
    assert completed.get_json()["completed_at"]
    assert _step(client, world, booking["id"], action="decline", note="x").status_code == 409
    assert kinds_for(villager) == ["booking_accepted", "booking_scheduled", "booking_scheduled",
                                   "booking_completed"]
    mine = client.get(f"{MY_BOOKINGS}/{booking['id']}", headers=world["headers"]["villager_a"])
    assert mine.get_json()["merchant_note"] == "已测量，方案三天内发出"


def test_a_shop_declines_with_a_reason_and_a_villager_cancels(client, world, offer):
    first = _book(client, world, offer)
    assert _step(client, world, first["id"], action="decline").status_code == 422
    declined = _step(client, world, first["id"], action="decline", note="该地址超出服务范围")
    assert declined.get_json()["status_label"] == "已拒绝"
    second = _book(client, world, offer)
    cancelled = client.post(f"{MY_BOOKINGS}/{second['id']}/cancel",
                            headers=world["headers"]["villager_a"])
    assert cancelled.get_json()["status_label"] == "已取消"
    assert client.post(f"{MY_BOOKINGS}/{second['id']}/cancel",
                       headers=world["headers"]["villager_a"]).status_code == 409
    assert _step(client, world, second["id"], action="accept").status_code == 409
    assert kinds_for(world["users"]["merchant_a"])[-1] == "booking_cancelled"


def test_only_the_booked_shop_moves_a_booking_and_only_its_villager_sees_it(
        client, world, offer):
    booking = _book(client, world, offer)
    assert _step(client, world, booking["id"], who="merchant_b",
                 action="accept").status_code == 404
    assert client.get(f"{SHOP_BOOKINGS}/{booking['id']}",
                      headers=world["headers"]["merchant_b"]).status_code == 404
    assert client.get(f"{MY_BOOKINGS}/{booking['id']}",
                      headers=world["headers"]["villager_b"]).status_code == 404
    assert client.post(f"{MY_BOOKINGS}/{booking['id']}/cancel",
                       headers=world["headers"]["villager_b"]).status_code == 404
    assert client.get(SHOP_BOOKINGS, headers=world["headers"]["merchant_b"]
                      ).get_json()["items"] == []
    assert client.get(f"{SHOP_BOOKINGS}/{booking['id']}",
                      headers=world["headers"]["merchant_a"]).status_code == 200


def test_bad_bookings_are_refused_plainly(client, world, offer):
    headers = world["headers"]["villager_a"]
    for body, field in ((booking_body(), "shop_id"),
                        (booking_body(offer_id=offer["id"], phone="12345"), "phone"),
                        (booking_body(offer_id=offer["id"],
                                      preferred_at="2020-05-01T10:00:00+08:00"), "preferred_at"),
                        (booking_body(offer_id=offer["id"],
                                      preferred_at="2027-05-01T10:00:00"), "preferred_at"),
                        (booking_body(offer_id=offer["id"], shop_id=world["shop_b"].id),
                         "shop_id"),
                        (booking_body(shop_id=999_999), "shop_id")):
        answer = client.post(MY_BOOKINGS, headers=headers, json=body)
        assert answer.status_code == 422, (field, answer.get_json())
        assert field in answer.get_json()["errors"], answer.get_json()
    general = client.post(MY_BOOKINGS, headers=headers,
                          json=booking_body(shop_id=world["shop_b"].id))
    assert general.status_code == 201 and general.get_json()["offer_id"] is None


def test_a_villager_complains_about_a_booking_through_the_complaints(client, world, offer):
    booking = _book(client, world, offer)
    _step(client, world, booking["id"], action="decline", note="不去")
    complaint = client.post("/api/mp/v1/complaints", headers=world["headers"]["villager_a"],
                            json={"category": "installation_service",
                                  "merchant_id": booking["shop_id"],
                                  "description": f"预约上门（编号 {booking['id']}）被无故拒绝"})
    assert complaint.status_code == 201, complaint.get_json()
    assert complaint.get_json()["complaint"]["merchant_id"] == world["shop_a"].id


def test_every_booking_status_and_shop_type_has_a_chinese_label():
    import re

    from app.offers import models

    for labels, values in ((models.BOOKING_STATUS_LABELS, models.BOOKING_STATUSES),
                           (models.SHOP_TYPE_LABELS, models.SHOP_TYPES),
                           (models.OFFER_KIND_LABELS, models.OFFER_KINDS)):
        assert set(labels) == set(values)
        assert all(re.match(r"^[\u4e00-\u9fff]+$", v) for v in labels.values())
        assert len(set(labels.values())) == len(labels)
