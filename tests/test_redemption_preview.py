"""The till's preview: the discount and the amount to pay before the cashier redeems."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.promotions.models import Coupon, Redemption
from tests.test_coupons import TILL, claimed, new_template, redeem

PREVIEW = f"{TILL}/preview"


def test_the_preview_shows_what_redeeming_gives_and_changes_nothing(client, world):
    template = new_template(world["shop_a"])
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    owner = world["headers"]["merchant_a"]
    shown = client.post(PREVIEW, headers=owner,
                        json={"code": coupon["code"], "order_amount_fen": 25000})
    assert shown.status_code == 200, shown.get_json()
    body = shown.get_json()
    assert (body["discount_fen"], body["paid_fen"], body["title"]) == (2000, 23000, "满100减20")
    assert body["valid_until"].endswith("+08:00")
    assert db.session.scalar(sa.select(Coupon.status).where(Coupon.id == coupon["id"])) \
        == "unused"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Redemption)) == 0
    done = redeem(client, owner, coupon["code"], 25000).get_json()
    assert (done["discount_fen"], done["paid_fen"]) == (2000, 23000)  # what was previewed


def test_the_preview_refuses_as_the_redemption_would(client, world):
    template = new_template(world["shop_a"])
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    owner_a, owner_b = world["headers"]["merchant_a"], world["headers"]["merchant_b"]
    cases = [
        (owner_a, {"code": coupon["code"], "order_amount_fen": 5000}, 422, "min_spend_not_met"),
        (owner_b, {"code": coupon["code"], "order_amount_fen": 25000}, 403, "not_your_coupon"),
        (owner_a, {"code": "LJC1-FORGED", "order_amount_fen": 25000}, 404, "coupon_invalid"),
    ]
    for headers, body, status, error in cases:
        answer = client.post(PREVIEW, headers=headers, json=body)
        assert (answer.status_code, answer.get_json()["error"]) == (status, error), body
    assert redeem(client, owner_a, coupon["code"], 25000).status_code == 201
    used = client.post(PREVIEW, headers=owner_a,
                       json={"code": coupon["code"], "order_amount_fen": 25000})
    assert (used.status_code, used.get_json()["error"]) == (409, "coupon_already_used")


def test_only_merchants_may_preview(client, world):
    body = {"code": "x", "order_amount_fen": 100}
    assert client.post(PREVIEW, json=body).status_code == 401
    for who in ("villager_a", "county_here"):
        assert client.post(PREVIEW, headers=world["headers"][who], json=body).status_code == 403
