"""Who may call which coupon and promotion endpoint: the eight principals, then shop staff."""

from __future__ import annotations

import pytest

from app.core import auth
from app.extensions import db
from app.promotions import coupons
from tests.conftest import matrix
from tests.test_coupons import ERROR_KEYS, coupon_body, new_template
from tests.test_promotions import promotion_body

# Shop A (410105) has a coupon villager_a holds, one nobody has claimed, a promotion and a
# redemption; shop B (410122) has nothing yet.
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CONSOLE = "/api/v1/merchant"
MINE = "/api/mp/v1/me/coupons"
CASES = [
    # villagers
    *matrix("/api/mp/v1/coupons", "GET", 200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/coupons?merchant={shop_a}", "GET",
            200, 200, 200, 200, 200, 200, 200, 200),
    *matrix("/api/mp/v1/coupons/{open}/claim", "POST", 401, 201, 201, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/coupons", "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/coupons/{coupon_a}/qr.svg", "GET",
            401, 200, 404, 403, 403, 403, 403, 403),
    *matrix("/api/mp/v1/me/coupons/{coupon_a}/qr.png", "GET",
            401, 200, 404, 403, 403, 403, 403, 403),
    # merchants: their own shop only
    *matrix(CONSOLE + "/coupons", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(CONSOLE + "/coupons", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix(CONSOLE + "/coupons/{template_a}", "GET", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(CONSOLE + "/coupons/{template_a}", "PATCH", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(CONSOLE + "/promotions", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    # the body names shop A's product: shop B may not promote it
    *matrix(CONSOLE + "/promotions", "POST", 401, 403, 403, 201, 422, 403, 403, 403),
    *matrix(CONSOLE + "/promotions/{promotion_a}/end", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(CONSOLE + "/redemptions", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(CONSOLE + "/redemptions", "POST", 401, 403, 403, 201, 403, 403, 403, 403),
    *matrix(CONSOLE + "/redemptions/{redemption_a}/reverse", "POST",
            401, 403, 403, 200, 404, 403, 403, 403),
    # admins of the shop's region (the list: each admin sees its own region's)
    *matrix("/api/v1/admin/promotions", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/promotions?shop={shop_a}&status=active", "GET",
            401, 403, 403, 403, 403, 200, 200, 200),
    *matrix("/api/v1/admin/promotions/{promotion_a}/suspend", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.fixture
def scene(client, world, make):
    shop_a = world["shop_a"]
    product = make.product(shop_a, price_fen=30000)
    held = new_template(shop_a, min_spend_fen=0)
    open_ = new_template(shop_a, title="新客立减")
    coupon_a = coupons.claim(held.id, world["users"]["villager_a"])
    coupon_b = coupons.claim(held.id, world["users"]["villager_b"])
    redemption = coupons.redeem(code=coupons.coupon_code(coupon_b), order_amount_fen=5000,
                                cashier=world["users"]["merchant_a"])
    db.session.commit()
    promotion = client.post(CONSOLE + "/promotions", headers=world["headers"]["merchant_a"],
                            json=promotion_body(product))
    assert promotion.status_code == 201, promotion.get_json()
    return {"shop_a": shop_a.id, "template_a": held.id, "open": open_.id,
            "coupon_a": coupon_a.id, "code_a": coupons.coupon_code(coupon_a),
            "redemption_a": redemption.id, "promotion_a": promotion.get_json()["id"],
            "product": product}


def body_for(method: str, path: str, scene: dict) -> dict | None:
    if method == "GET" or path.endswith(("/claim", "/end")):
        return None
    if path == CONSOLE + "/coupons":
        return coupon_body()
    if path.startswith(CONSOLE + "/coupons/"):
        return {"title": "满100减25", "amount_fen": 2500}
    if path == CONSOLE + "/promotions":
        return promotion_body(scene["product"])
    if path == CONSOLE + "/redemptions":
        return {"code": scene["code_a"], "order_amount_fen": 20000}
    return {"reason": "核销错了，撤销"}


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_coupon_auth_matrix(client, world, scene, method, path, who, expected):
    url = path.format(**scene)
    response = client.open(url, method=method, headers=world["headers"][who],
                           json=body_for(method, path, scene))
    assert response.status_code == expected, response.get_json()
    if expected >= 400:
        body = response.get_json()
        assert set(body) <= ERROR_KEYS and body["code"] == expected


def test_shop_b_sees_none_of_shop_a(client, world, scene):
    headers = world["headers"]["merchant_b"]
    for what in ("coupons", "promotions", "redemptions"):
        response = client.get(f"{CONSOLE}/{what}", headers=headers)
        assert response.status_code == 200 and response.get_json()["items"] == [], what
    mine = client.get(f"{CONSOLE}/coupons", headers=world["headers"]["merchant_a"]).json["items"]
    assert {t["id"] for t in mine} == {scene["template_a"], scene["open"]}


def test_a_villager_sees_only_its_own_coupons(client, world, scene):
    a = client.get(MINE, headers=world["headers"]["villager_a"]).json["items"]
    b = client.get(MINE, headers=world["headers"]["villager_b"]).json["items"]
    assert [c["id"] for c in a] == [scene["coupon_a"]]
    assert scene["coupon_a"] not in {c["id"] for c in b}
    response = client.get(f"/api/mp/v1/me/coupons/{scene['coupon_a']}/qr.svg",
                          headers=world["headers"]["villager_b"])
    assert response.status_code == 404 and response.get_json()["error"] == "coupon_not_found"


def test_shop_b_cannot_redeem_nor_change_shop_a(client, world, scene):
    headers = world["headers"]["merchant_b"]
    response = client.post(f"{CONSOLE}/redemptions", headers=headers,
                           json={"code": scene["code_a"], "order_amount_fen": 20000})
    assert response.status_code == 403 and response.get_json()["error"] == "not_your_coupon"
    response = client.patch(f"{CONSOLE}/coupons/{scene['template_a']}", headers=headers,
                            json={"status": "paused"})
    assert response.status_code == 404
    db.session.expire_all()
    assert coupons.get_shop_template(scene["template_a"], world["shop_a"].id).status == "active"
    mine = client.get(MINE, headers=world["headers"]["villager_a"]).json["items"]
    assert mine[0]["status"] == "unused"


STAFF = [
    ("GET", CONSOLE + "/coupons", 200),
    ("POST", CONSOLE + "/coupons", 403),
    ("GET", CONSOLE + "/coupons/{template_a}", 200),
    ("PATCH", CONSOLE + "/coupons/{template_a}", 403),
    ("GET", CONSOLE + "/promotions", 200),
    ("POST", CONSOLE + "/promotions", 403),
    ("POST", CONSOLE + "/promotions/{promotion_a}/end", 403),
    ("GET", CONSOLE + "/redemptions", 200),
    ("POST", CONSOLE + "/redemptions", 201),
    ("POST", CONSOLE + "/redemptions/{redemption_a}/reverse", 403),
]


@pytest.mark.parametrize(("method", "path", "expected"), STAFF,
                         ids=[f"{m} {p}" for m, p, _ in STAFF])
def test_shop_staff_work_the_till_but_change_nothing(client, world, make, scene, method, path,
                                                     expected):
    staff = make.merchant(world["shop_a"], role=auth.MERCHANT_STAFF)
    response = client.open(path.format(**scene), method=method, headers=make.headers(staff),
                           json=body_for(method, path, scene))
    assert response.status_code == expected, response.get_json()
