"""Issue 17 end to end through HTTP on the demo campaign (`flask seed-demo`): packages,
a one-stop shop's services and a home visit, cases near the villager, a zone with a live
session today."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import issue_token
from app.core.db import CHINA
from app.demo import seed_all
from app.extensions import db
from app.offers.demo import seed_offers
from app.packages.demo import seed_packages
from app.showcase.demo import seed_cases
from app.zones.demo import seed_zones


@pytest.fixture
def demo(client):
    seed_all()
    db.session.commit()
    villager = db.session.scalar(sa.select(User).where(
        User.wechat_openid == "dev-openid-demo-villager1"))
    merchant = db.session.scalar(sa.select(User).where(User.username == "demo-merchant"))
    headers = {"villager": {"Authorization": f"Bearer {issue_token(villager)}"},
               "merchant": {"Authorization": f"Bearer {issue_token(merchant)}"}}
    db.session.commit()
    return headers


def test_seeding_again_adds_nothing(demo):
    assert (seed_packages(), seed_offers(), seed_cases(), seed_zones()) == (0, 0, 0, 0)


def test_two_packages_with_prices_and_subsidy_lines(client, demo):
    every = client.get("/api/mp/v1/packages").get_json()["items"]
    assert {p["scenario"] for p in every} == {"农房节能改造", "厨卫改造"}
    energy = next(p for p in every if p["scenario"] == "农房节能改造")
    assert len(energy["partner_shop_ids"]) == 1 and len(energy["items"]) == 3
    # the villager lives in 中牟 (410122): the 郑州-wide package, not the 金水 one
    mine = client.get("/api/mp/v1/packages", headers=demo["villager"]).get_json()["items"]
    assert [p["id"] for p in mine] == [energy["id"]]
    detail = client.get(f"/api/mp/v1/packages/{energy['id']}",
                        headers=demo["villager"]).get_json()
    assert detail["eligible"] is True
    assert sum(line["paid_fen"] for line in detail["items"]) == energy["price_fen"]


def test_a_supermarket_with_services_and_a_home_visit_through_its_states(client, demo):
    offers = client.get("/api/mp/v1/service-offers", query_string={"region": "410105"})
    items = offers.get_json()["items"]
    assert len(items) == 4 and {o["shop_type_label"] for o in items} == {"绿色建材超市"}
    assert "上门报价" in {o["price_label"] for o in items}
    measure = next(o for o in items if o["kind"] == "measure")
    day = datetime.now(CHINA).date() + timedelta(days=3)
    booked = client.post("/api/mp/v1/me/bookings", headers=demo["villager"], json={
        "offer_id": measure["id"], "address": "中牟县官渡镇官渡村三组 12 号",
        "phone": "13800138001", "preferred_at": f"{day.isoformat()}T09:00:00+08:00"})
    assert booked.status_code == 201, booked.get_json()
    booking_id = booked.get_json()["id"]
    queue = client.get("/api/v1/merchant/bookings", headers=demo["merchant"]).get_json()
    assert booking_id in [b["id"] for b in queue["items"]] and len(queue["items"]) == 2
    step = f"/api/v1/merchant/bookings/{booking_id}/transition"
    for body, label in (({"action": "accept"}, "已接单"),
                        ({"action": "schedule", "scheduled_at":
                          f"{day.isoformat()}T10:00:00+08:00"}, "已排期"),
                        ({"action": "complete"}, "已完成")):
        answer = client.post(step, headers=demo["merchant"], json=body)
        assert answer.get_json()["status_label"] == label, answer.get_json()
    mine = client.get("/api/mp/v1/me/bookings", headers=demo["villager"]).get_json()["items"]
    assert mine[0]["status"] == "completed"


def test_three_cases_near_the_villager_first_and_back_to_buying(client, demo):
    cases = client.get("/api/mp/v1/cases", headers=demo["villager"]).get_json()["items"]
    assert len(cases) == 3
    assert [c["place"][:3] for c in cases] == ["中牟县", "中牟县", "新郑市"]
    assert cases[0]["nearness"] == 1 and cases[-1]["nearness"] == 3
    assert all(c["photos"] for c in cases)
    demo_case = next(c for c in cases if c["kind"] == "demonstration")
    detail = client.get(f"/api/mp/v1/cases/{demo_case['id']}",
                        headers=demo["villager"]).get_json()
    assert detail["packages"][0]["on_sale"] is True
    assert all(p["on_sale"] for p in detail["products"])
    assert len(detail["enterprises"]) == 2


def test_a_zone_with_a_live_session_today(client, demo):
    zones = client.get("/api/mp/v1/zones", headers=demo["villager"]).get_json()["items"]
    assert [z["time_state"] for z in zones] == ["current"]
    zone = client.get(f"/api/mp/v1/zones/{zones[0]['id']}", headers=demo["villager"]).get_json()
    assert zone["products"] and zone["packages"] and zone["coupons"]
    assert len(zone["live_sessions"]) == 2
    sessions = client.get("/api/mp/v1/live-sessions").get_json()["items"]
    assert [s["state"] for s in sessions] == ["live", "upcoming"]
    live = sessions[0]
    started = datetime.fromisoformat(live["starts_at"])
    assert started.date() == datetime.now(CHINA).date() and live["platform_label"] == "微信视频号"
    remind = client.post(f"/api/mp/v1/live-sessions/{sessions[1]['id']}/reminder",
                         headers=demo["villager"])
    assert remind.status_code == 201, remind.get_json()
