"""Promotions: percent and fixed price on a shop's own eligible products, shown only while they
run; admins suspend; the negative list stops them; product pages list the coupons."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core.db import utcnow
from app.extensions import db
from app.promotions import promos
from app.promotions.models import Promotion
from tests.test_coupons import (
    ERROR_KEYS,
    assert_error,
    claimed,
    coupon_body,
    new_template,
    redeem,
)

URL = "/api/v1/merchant/promotions"


def promotion_body(*products, kind: str = "percent", percent_off_bp: int | None = 1500,
                   prices: dict | None = None, start: timedelta = timedelta(hours=-1),
                   length: timedelta = timedelta(days=7), **over) -> dict:
    now = utcnow()
    items = [{"product_id": p.id} if kind == "percent" else
             {"product_id": p.id, "promo_price_fen": (prices or {}).get(p.id, p.price_fen - 1000)}
             for p in products]
    body = {"title": "冬季让利", "kind": kind, "starts_at": (now + start).isoformat(),
            "ends_at": (now + start + length).isoformat(), "items": items}
    if kind == "percent":
        body["percent_off_bp"] = percent_off_bp
    body.update(over)
    return body


def create(client, headers, body) -> dict:
    response = client.post(URL, headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def listed_prices(client) -> dict[int, int | None]:
    body = client.get("/api/mp/v1/products?limit=100").get_json()
    return {item["id"]: item["promo_price_fen"] for item in body["items"]}


def detail(client, product) -> dict:
    response = client.get(f"/api/mp/v1/products/{product.id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def promotion_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Promotion))


@pytest.fixture
def tile(world, make):
    return make.product(world["shop_a"], name="仿古砖", category="ceramic-tiles", price_fen=30000)


@pytest.fixture
def window(world, make):
    return make.product(world["shop_a"], name="断桥铝窗", category="doors-windows",
                        price_fen=120000)


def test_percent_promotion_shows_in_list_and_detail(client, world, tile, window):
    assert listed_prices(client)[tile.id] is None  # and the page is now cached
    body = create(client, world["headers"]["merchant_a"], promotion_body(tile, window))
    assert body["status"] == "active" and body["shop_id"] == world["shop_a"].id
    assert {i["product_id"] for i in body["items"]} == {tile.id, window.id}

    prices = listed_prices(client)
    assert (prices[tile.id], prices[window.id]) == (25500, 102000)
    page = detail(client, tile)
    assert page["price_fen"] == 30000 and page["promo_price_fen"] == 25500
    assert [p["id"] for p in page["promotions"]] == [body["id"]]
    listed = client.get(URL, headers=world["headers"]["merchant_a"]).get_json()["items"]
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get(URL, headers=world["headers"]["merchant_b"]).get_json()["items"] == []


def test_fixed_price_and_the_best_of_two(client, world, tile):
    headers = world["headers"]["merchant_a"]
    create(client, headers, promotion_body(tile, kind="fixed_price", prices={tile.id: 26000}))
    assert detail(client, tile)["promo_price_fen"] == 26000
    create(client, headers, promotion_body(tile, percent_off_bp=2000))  # 24000
    assert listed_prices(client)[tile.id] == 24000
    assert len(detail(client, tile)["promotions"]) == 2


def test_only_while_running(client, world, make):
    headers = world["headers"]["merchant_a"]
    soon, over, now_on, ended = (make.product(world["shop_a"]) for _ in range(4))
    create(client, headers, promotion_body(soon, start=timedelta(days=1)))
    create(client, headers, promotion_body(over, start=timedelta(days=-8)))
    create(client, headers, promotion_body(now_on))
    stopped = create(client, headers, promotion_body(ended))
    response = client.post(f"{URL}/{stopped['id']}/end", headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "ended"

    prices = listed_prices(client)
    assert (prices[soon.id], prices[over.id], prices[ended.id]) == (None, None, None)
    assert prices[now_on.id] == 8500
    for product in (soon, over, ended):
        page = detail(client, product)
        assert page["promo_price_fen"] is None and page["promotions"] == []
    # the service answers for any moment
    later = utcnow() + timedelta(days=2)
    assert promos.promo_prices([soon, now_on], now=later) == {soon.id: 8500, now_on.id: 8500}


@pytest.mark.parametrize("case", ["other_shop", "uncertified", "negative_listed",
                                  "unknown", "revoked_certificate"])
def test_only_own_eligible_products(client, world, make, tile, case):
    if case == "other_shop":
        product = make.product(world["shop_b"])
    elif case == "uncertified":
        product = make.product(world["shop_a"], certified=False)
    elif case == "negative_listed":
        product = make.product(world["shop_a"])
        listed = client.post("/api/v1/admin/negative-list", headers=world["headers"]["province"],
                             json={"product_id": product.id, "reason": "抽检不合格"})
        assert listed.status_code == 201, listed.get_json()
    elif case == "unknown":
        product = type("Missing", (), {"id": 999_999, "price_fen": 10000})()
    else:
        product = make.product(world["shop_a"], certificate=make.certificate(status="revoked"))
    response = client.post(URL, headers=world["headers"]["merchant_a"],
                           json=promotion_body(tile, product))
    body = assert_error(response, 422, "invalid_promotion")
    assert set(body["errors"]) == {str(product.id)}
    assert promotion_count() == 0


@pytest.mark.parametrize(("over", "field"), [
    pytest.param({"kind": "percent", "percent_off_bp": None}, "percent_off_bp",
                 id="percent without percent"),
    pytest.param({"percent_off_bp": 0}, "percent_off_bp", id="0%"),
    pytest.param({"percent_off_bp": 10_000}, "percent_off_bp", id="100%"),
    pytest.param({"kind": "half"}, "kind", id="unknown kind"),
    pytest.param({"items": []}, "items", id="no items"),
    pytest.param({"ends_at": "2020-01-01T00:00:00+08:00"}, "ends_at", id="ends before start"),
    pytest.param({"starts_at": "2030-01-01T00:00:00"}, "starts_at", id="naive"),
    pytest.param({"title": "x"}, "title", id="short title"),
    pytest.param({"status": "active"}, "status", id="unknown field"),
    pytest.param({"items": [{"product_id": "abc"}]}, "items", id="bad product id"),
    pytest.param({"items": [{"product_id": 2**40}]}, "items", id="product id out of range"),
])
def test_bad_promotion_is_422_and_changes_nothing(client, world, tile, over, field):
    body = promotion_body(tile)
    for key, value in over.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    response = client.post(URL, headers=world["headers"]["merchant_a"], json=body)
    answer = response.get_json()
    assert response.status_code == 422, answer
    assert set(answer) <= ERROR_KEYS and field in answer["errors"], answer
    assert promotion_count() == 0


def test_fixed_price_must_be_below_the_price_and_given(client, world, tile):
    headers = world["headers"]["merchant_a"]
    for price in (30000, 40000):
        body = promotion_body(tile, kind="fixed_price", prices={tile.id: price})
        answer = assert_error(client.post(URL, headers=headers, json=body), 422,
                              "invalid_promotion")
        assert str(tile.id) in answer["errors"]
    body = promotion_body(tile, kind="fixed_price")
    del body["items"][0]["promo_price_fen"]
    response = client.post(URL, headers=headers, json=body)
    assert response.status_code == 422 and "items" in response.get_json()["errors"]
    assert promotion_count() == 0


def test_the_same_product_twice_is_422(client, world, tile):
    body = promotion_body(tile, tile)
    answer = assert_error(client.post(URL, headers=world["headers"]["merchant_a"], json=body),
                          422, "invalid_promotion")
    assert list(answer["errors"]) == [str(tile.id)]
    assert promotion_count() == 0


# ---- admins ------------------------------------------------------------------------------

def test_admin_of_the_region_suspends(client, world, tile):
    promotion = create(client, world["headers"]["merchant_a"], promotion_body(tile))
    assert listed_prices(client)[tile.id] == 25500
    url = f"/api/v1/admin/promotions/{promotion['id']}/suspend"
    body = {"reason": "虚标原价"}
    assert_error(client.post(url, headers=world["headers"]["county_elsewhere"], json=body), 403,
                 "region_out_of_scope")
    assert listed_prices(client)[tile.id] == 25500
    response = client.post(url, headers=world["headers"]["county_here"], json=body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "suspended"
    assert listed_prices(client)[tile.id] is None
    assert detail(client, tile)["promotions"] == []
    assert_error(client.post(url, headers=world["headers"]["province"], json=body), 409,
                 "invalid_transition")
    mine = client.get(URL, headers=world["headers"]["merchant_a"]).get_json()["items"]
    assert mine[0]["status"] == "suspended" and mine[0]["suspended_reason"] == "虚标原价"
    # the merchant can't turn the suspension into an ordinary end
    assert_error(client.post(f"{URL}/{promotion['id']}/end",
                             headers=world["headers"]["merchant_a"]), 409, "invalid_transition")
    row = db.session.get(Promotion, promotion["id"])
    assert row.suspended_by == world["users"]["county_here"].id


def test_suspend_needs_a_reason_and_a_promotion(client, world, tile):
    promotion = create(client, world["headers"]["merchant_a"], promotion_body(tile))
    url = f"/api/v1/admin/promotions/{promotion['id']}/suspend"
    for bad in ({}, {"reason": "x"}, {"reason": "虚标原价", "extra": 1}):
        response = client.post(url, headers=world["headers"]["province"], json=bad)
        assert response.status_code == 422, response.get_json()
    assert_error(client.post("/api/v1/admin/promotions/999999/suspend",
                             headers=world["headers"]["province"], json={"reason": "虚标原价"}),
                 404, "promotion_not_found")
    assert db.session.get(Promotion, promotion["id"]).status == "active"


ADMIN_LIST = "/api/v1/admin/promotions"


def admin_list(client, headers, query: str = "") -> list[dict]:
    response = client.get(f"{ADMIN_LIST}{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"items", "next_cursor"}
    return body["items"]


@pytest.fixture
def region_promotions(client, world, make, tile):
    """Shop A (410105): one running, one suspended; shop B (410122): one ended;
    a shop in Jilin (220122): one running."""
    shop_jilin = make.shop("220122", name="农安建材店")
    door = make.product(world["shop_b"], category="doors-windows", price_fen=90000)
    board = make.product(shop_jilin, price_fen=20000)
    running = create(client, world["headers"]["merchant_a"], promotion_body(tile))
    stopped = create(client, world["headers"]["merchant_a"], promotion_body(tile, title="周末特惠"))
    client.post(f"{ADMIN_LIST}/{stopped['id']}/suspend", headers=world["headers"]["province"],
                json={"reason": "虚标原价"})
    ended = create(client, world["headers"]["merchant_b"], promotion_body(door))
    client.post(f"{URL}/{ended['id']}/end", headers=world["headers"]["merchant_b"])
    jilin = create(client, make.headers(make.merchant(shop_jilin)), promotion_body(board))
    return {"running": running["id"], "stopped": stopped["id"], "ended": ended["id"],
            "jilin": jilin["id"], "shop_jilin": shop_jilin}


def test_admins_list_the_promotions_of_their_region(client, world, make, region_promotions):
    ids = region_promotions
    headers = {**world["headers"], "jilin": make.headers(make.admin("220000"))}

    def listed(who: str) -> list[int]:
        return [p["id"] for p in admin_list(client, headers[who], "?limit=100")]

    assert listed("county_here") == [ids["stopped"], ids["running"]]  # newest first
    assert listed("county_elsewhere") == [ids["ended"]]
    assert listed("province") == [ids["ended"], ids["stopped"], ids["running"]]
    assert listed("jilin") == [ids["jilin"]]


def test_the_admin_list_filters_by_status_and_shop(client, world, region_promotions):
    ids, province = region_promotions, world["headers"]["province"]
    by_status = {status: [p["id"] for p in admin_list(client, province, f"?status={status}")]
                 for status in ("active", "suspended", "ended")}
    assert by_status == {"active": [ids["running"]], "suspended": [ids["stopped"]],
                         "ended": [ids["ended"]]}
    shop_a = admin_list(client, province, f"?shop={world['shop_a'].id}")
    assert [p["id"] for p in shop_a] == [ids["stopped"], ids["running"]]
    assert admin_list(client, province,
                      f"?shop={world['shop_a'].id}&status=ended") == []
    # a shop outside the region lists nothing, rather than someone else's promotions
    assert admin_list(client, province, f"?shop={ids['shop_jilin'].id}") == []
    suspended = admin_list(client, province, "?status=suspended")[0]
    assert (suspended["status"], suspended["status_label"]) == ("suspended", "已叫停")
    assert suspended["suspended_reason"] == "虚标原价"
    assert suspended["merchant"] == {"id": world["shop_a"].id, "name": "金水瓷砖店",
                                     "region_code": "410105"}


def test_the_admin_list_pages_with_the_cursor(client, world, region_promotions):
    province, seen, cursor = world["headers"]["province"], [], None
    while True:
        query = "?limit=1" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"{ADMIN_LIST}{query}", headers=province).get_json()
        assert len(body["items"]) <= 1
        seen += [p["id"] for p in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    ids = region_promotions
    assert seen == [ids["ended"], ids["stopped"], ids["running"]]


@pytest.mark.parametrize("query", ["?status=paused", "?shop=abc", "?shop=0", "?limit=101",
                                   "?cursor=nonsense"])
def test_bad_admin_list_queries(client, world, query):
    response = client.get(f"{ADMIN_LIST}{query}", headers=world["headers"]["province"])
    assert response.status_code == 422, response.get_json()
    assert set(response.get_json()) <= ERROR_KEYS


# ---- the negative list -------------------------------------------------------------------

def test_negative_list_stops_promotions_and_coupons_at_once(client, world, tile):
    create(client, world["headers"]["merchant_a"], promotion_body(tile))
    new_template(world["shop_a"], scope="products", product_ids=[tile.id])
    page = detail(client, tile)  # warm caches
    assert page["promo_price_fen"] == 25500 and page["promotions"] and page["coupons"]
    assert listed_prices(client)[tile.id] == 25500

    listed = client.post("/api/v1/admin/negative-list", headers=world["headers"]["county_here"],
                         json={"product_id": tile.id, "reason": "虚假宣传绿色建材认证"})
    assert listed.status_code == 201, listed.get_json()
    assert listed_prices(client)[tile.id] is None
    page = detail(client, tile)
    assert page["eligible"] is False and page["promo_price_fen"] is None
    assert page["promotions"] == [] and page["coupons"] == []
    # Nothing is deleted: lifting the entry brings the running promotion back.
    lifted = client.post(f"/api/v1/admin/negative-list/{listed.get_json()['id']}/lift",
                         headers=world["headers"]["county_here"], json={"reason": "复检合格"})
    assert lifted.status_code == 200, lifted.get_json()
    assert listed_prices(client)[tile.id] == 25500


def test_merchant_can_still_pause_a_coupon_whose_product_was_listed(client, world, tile, make):
    other = make.product(world["shop_a"])
    template = new_template(world["shop_a"], scope="products", product_ids=[tile.id, other.id])
    client.post("/api/v1/admin/negative-list", headers=world["headers"]["county_here"],
                json={"product_id": tile.id, "reason": "抽检不合格"})
    url = f"/api/v1/merchant/coupons/{template.id}"
    headers = world["headers"]["merchant_a"]
    response = client.patch(url, headers=headers, json={"status": "paused"})
    assert response.status_code == 200, response.get_json()
    response = client.patch(url, headers=headers, json={"product_ids": [tile.id, other.id]})
    assert_error(response, 422, "invalid_coupon")
    response = client.patch(url, headers=headers, json={"product_ids": [other.id]})
    assert response.status_code == 200, response.get_json()


# ---- coupons on product pages ------------------------------------------------------------

def test_product_page_lists_the_coupons_that_cover_it(client, world, make, tile):
    from app.catalog.services import category_by_slug

    brick = make.product(world["shop_a"], category="bricks")
    assert detail(client, tile)["coupons"] == []  # cached now
    headers = world["headers"]["merchant_a"]
    created = client.post("/api/v1/merchant/coupons", headers=headers, json=coupon_body(
        scope="category", category_id=category_by_slug("decoration").id))
    assert created.status_code == 201, created.get_json()
    template = created.get_json()
    shown = detail(client, tile)["coupons"]
    assert [c["id"] for c in shown] == [template["id"]]
    assert shown[0]["remaining"] == 100 and shown[0]["expo_only"] is False
    assert detail(client, brick)["coupons"] == []

    paused = client.patch(f"/api/v1/merchant/coupons/{template['id']}", headers=headers,
                          json={"status": "paused"})
    assert paused.status_code == 200
    assert detail(client, tile)["coupons"] == []


def test_stacking_a_coupon_on_the_promotional_price(client, world, tile):
    create(client, world["headers"]["merchant_a"], promotion_body(tile))
    template = new_template(world["shop_a"], min_spend_fen=25000, amount_fen=3000)
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    price = detail(client, tile)["promo_price_fen"]
    response = redeem(client, world["headers"]["merchant_a"], coupon["code"], price, tile.id)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["order_amount_fen"], body["discount_fen"], body["paid_fen"]) == (25500, 3000,
                                                                                  22500)
    assert "优惠券可与店铺促销同时使用（按促销价计算满减）" in body["stacking_rules"]
