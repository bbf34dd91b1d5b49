"""Every expo, ticket, booth, coupon, redemption and promotion status comes with its Chinese."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.core.db import utcnow
from app.expos import models as expo_models
from app.promotions import models as promo_models
from tests.test_coupons import claimed, new_template, redeem, shift_coupon
from tests.test_expos import expo_body, ticket_of
from tests.test_promotions import promotion_body

CHINESE = re.compile(r"^[\u4e00-\u9fff，、]+$")


@pytest.mark.parametrize(("labels", "statuses"), [
    (expo_models.EXPO_STATUS_LABELS, expo_models.EXPO_STATUSES),
    (expo_models.TICKET_STATUS_LABELS, expo_models.TICKET_STATUSES),
    (expo_models.SCAN_RESULT_LABELS, expo_models.SCAN_RESULTS),
    (expo_models.BOOTH_STATUS_LABELS, ("applied", "approved", "rejected")),
    (promo_models.PROMOTION_STATUS_LABELS, ("active", "suspended", "ended")),
    (promo_models.TEMPLATE_STATUS_LABELS, ("active", "paused", "suspended")),
    (promo_models.COUPON_STATUS_LABELS, ("unused", "used", "expired")),
    (promo_models.REDEMPTION_STATUS_LABELS, ("redeemed", "reversed")),
], ids=["expo", "ticket", "scan", "booth", "promotion", "template", "coupon", "redemption"])
def test_every_status_has_a_chinese_label(labels, statuses):
    assert set(labels) == set(statuses)
    assert all(CHINESE.match(label) for label in labels.values()), labels
    assert len(set(labels.values())) == len(labels)  # two statuses never read the same


def pair(body: dict) -> tuple[str, str]:
    return body["status"], body["status_label"]


def test_expo_booth_and_ticket_outputs(client, world, make):
    county = make.headers(world["users"]["county_here"])
    created = client.post("/api/v1/admin/expos", json=expo_body(capacity=1), headers=county)
    expo = created.get_json()
    assert pair(expo) == ("draft", "草稿")
    published = client.post(f"/api/v1/admin/expos/{expo['id']}/publish", headers=county)
    assert pair(published.get_json()) == ("published", "已发布")
    assert pair(client.get("/api/mp/v1/expos").get_json()["items"][0]) == ("published", "已发布")

    booth = client.post(f"/api/v1/merchant/expos/{expo['id']}/booths",
                        headers=world["headers"]["merchant_a"]).get_json()
    assert pair(booth) == ("applied", "待审核")
    decided = client.post(f"/api/v1/admin/expos/{expo['id']}/booths/{booth['id']}/decision",
                          json={"approve": True}, headers=county).get_json()
    assert pair(decided) == ("approved", "已通过")
    page = client.get(f"/api/mp/v1/expos/{expo['id']}", headers=world["headers"]["villager_b"])
    assert pair(page.get_json()["booths"][0]) == ("approved", "已通过")

    seated = ticket_of(client, world["headers"]["villager_a"], expo["id"])
    waiting = ticket_of(client, world["headers"]["villager_b"], expo["id"])
    assert (pair(seated), pair(waiting)) == (("registered", "已报名"), ("waitlisted", "候补中"))
    listed = client.get("/api/mp/v1/me/tickets", headers=world["headers"]["villager_b"])
    assert pair(listed.get_json()["items"][0]) == ("waitlisted", "候补中")
    detail = client.get(f"/api/mp/v1/expos/{expo['id']}", headers=world["headers"]["villager_b"])
    assert pair(detail.get_json()["my_ticket"]) == ("waitlisted", "候补中")
    cancelled = client.delete(f"/api/mp/v1/tickets/{seated['id']}",
                              headers=world["headers"]["villager_a"]).get_json()["ticket"]
    assert pair(cancelled) == ("cancelled", "已取消")
    revoked = client.post(f"/api/v1/admin/expos/{expo['id']}/tickets/{waiting['id']}/revoke",
                          json={"reason": "重复报名"}, headers=county).get_json()["ticket"]
    assert pair(revoked) == ("revoked", "已作废")

    ended = client.post(f"/api/v1/admin/expos/{expo['id']}/cancel", json={"reason": "暴雨预警"},
                        headers=county).get_json()
    assert pair(ended) == ("cancelled", "已取消")
    assert pair(client.get("/api/v1/admin/expos", headers=county).get_json()["items"][0]) == (
        "cancelled", "已取消")


def test_coupon_template_coupon_and_redemption_outputs(client, world):
    merchant, villager = world["headers"]["merchant_a"], world["headers"]["villager_a"]
    template = new_template(world["shop_a"], min_spend_fen=0)
    listed = client.get("/api/mp/v1/coupons").get_json()["items"][0]
    assert pair(listed) == ("active", "发放中")
    paused = client.patch(f"/api/v1/merchant/coupons/{template.id}", json={"status": "paused"},
                          headers=merchant).get_json()
    assert pair(paused) == ("paused", "已暂停")
    client.patch(f"/api/v1/merchant/coupons/{template.id}", json={"status": "active"},
                 headers=merchant)

    first = claimed(client, villager, template.id)
    other = claimed(client, world["headers"]["villager_b"], template.id)
    assert pair(first) == ("unused", "未使用")
    redemption = redeem(client, merchant, first["code"], 5000).get_json()
    assert pair(redemption) == ("redeemed", "已核销")
    mine = client.get("/api/mp/v1/me/coupons", headers=villager).get_json()["items"][0]
    assert pair(mine) == ("used", "已使用")
    reversed_ = client.post(f"/api/v1/merchant/redemptions/{redemption['id']}/reverse",
                            json={"reason": "收银员扫错"}, headers=merchant).get_json()
    assert pair(reversed_) == ("reversed", "已撤销")
    till = client.get("/api/v1/merchant/redemptions", headers=merchant).get_json()["items"]
    assert pair(till[0]) == ("reversed", "已撤销")

    shift_coupon(other["id"], valid_until=utcnow() - timedelta(minutes=1))
    lapsed = client.get("/api/mp/v1/me/coupons", headers=world["headers"]["villager_b"])
    assert pair(lapsed.get_json()["items"][0]) == ("expired", "已过期")


def test_promotion_outputs(client, world, make):
    tile = make.product(world["shop_a"], price_fen=30000)
    merchant = world["headers"]["merchant_a"]
    running = client.post("/api/v1/merchant/promotions", json=promotion_body(tile),
                          headers=merchant).get_json()
    assert pair(running) == ("active", "进行中")
    ended = client.post(f"/api/v1/merchant/promotions/{running['id']}/end",
                        headers=merchant).get_json()
    assert pair(ended) == ("ended", "已结束")
    second = client.post("/api/v1/merchant/promotions", json=promotion_body(tile),
                         headers=merchant).get_json()
    stopped = client.post(f"/api/v1/admin/promotions/{second['id']}/suspend",
                          json={"reason": "虚标原价"},
                          headers=world["headers"]["county_here"]).get_json()
    assert pair(stopped) == ("suspended", "已叫停")
    listed = client.get("/api/v1/merchant/promotions", headers=merchant).get_json()["items"]
    assert [pair(p) for p in listed] == [("suspended", "已叫停"), ("ended", "已结束")]
