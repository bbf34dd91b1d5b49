"""The villager storefront: listing, filters, sorts, pagination, detail, certificate check."""

from __future__ import annotations

import pytest

from app.catalog.cache import catalog_changed
from app.catalog.models import NegativeListEntry
from app.extensions import db


def _names(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


@pytest.fixture
def shelf(make):
    jinshui, zhongmou = make.shop("410105", name="金水店"), make.shop("410122", name="中牟店")
    return {
        "tile": make.product(jinshui, name="防滑瓷砖 600x600", brand="东鹏", price_fen=6500,
                             category="ceramic-tiles"),
        "brick": make.product(zhongmou, name="烧结多孔砖", price_fen=60, category="bricks",
                              certificate=make.certificate(star=1)),
        "paint": make.product(jinshui, name="外墙防水涂料", brand="雨虹", price_fen=32000,
                              category="coatings", certificate=make.certificate(star=3)),
        "window": make.product(zhongmou, name="断桥铝合金节能窗", price_fen=89000,
                               category="doors-windows", certified=False),
        "draft": make.product(jinshui, name="瓷砖样品（草稿）", status="draft"),
        "hidden": make.product(make.shop("410105", status="suspended"), name="停业店瓷砖"),
    }


def test_list_shows_listed_products_of_approved_shops(client, shelf):
    names = _names(client.get("/api/mp/v1/products?limit=100"))
    assert set(names) == {"防滑瓷砖 600x600", "烧结多孔砖", "外墙防水涂料", "断桥铝合金节能窗"}


def test_item_shape(client, shelf):
    item = next(i for i in client.get("/api/mp/v1/products").json["items"]
                if i["name"] == "防滑瓷砖 600x600")
    assert item["price_fen"] == 6500 and item["brand"] == "东鹏"
    assert item["merchant"]["name"] == "金水店"
    assert item["certificate"]["status"] == "valid" and item["eligible"] is True
    assert item["category"] == {"slug": "ceramic-tiles", "name": "陶瓷砖（板）"}
    assert "promo_price_fen" in item


def test_filters(client, shelf):
    assert _names(client.get("/api/mp/v1/products?category=masonry")) == ["烧结多孔砖"]
    assert set(_names(client.get("/api/mp/v1/products?category=basic"))) == {
        "烧结多孔砖", "断桥铝合金节能窗"}
    assert set(_names(client.get("/api/mp/v1/products?region=410122101"))) == {
        "烧结多孔砖", "断桥铝合金节能窗"}
    assert _names(client.get("/api/mp/v1/products?star=3")) == ["外墙防水涂料"]
    assert set(_names(client.get("/api/mp/v1/products?min_price_fen=6000&max_price_fen=40000"))) \
        == {"防滑瓷砖 600x600", "外墙防水涂料"}
    assert "断桥铝合金节能窗" not in _names(client.get("/api/mp/v1/products?eligible=true"))


def test_sorts(client, shelf):
    assert _names(client.get("/api/mp/v1/products?sort=price_asc"))[0] == "烧结多孔砖"
    assert _names(client.get("/api/mp/v1/products?sort=price_desc"))[0] == "断桥铝合金节能窗"
    assert _names(client.get("/api/mp/v1/products?sort=star"))[0] == "外墙防水涂料"
    assert _names(client.get("/api/mp/v1/products?sort=newest"))[0] == "断桥铝合金节能窗"


def test_cursor_pagination_walks_everything_once(client, shelf):
    seen, url = [], "/api/mp/v1/products?limit=1&sort=price_asc"
    while url:
        body = client.get(url).get_json()
        seen += [i["id"] for i in body["items"]]
        cursor = body["next_cursor"]
        url = f"/api/mp/v1/products?limit=1&sort=price_asc&cursor={cursor}" if cursor else None
    assert len(seen) == len(set(seen)) == 4


@pytest.mark.parametrize("query", ["star=4", "sort=cheapest", "limit=0", "limit=101",
                                   "cursor=!!!", "min_price_fen=-1", "region=41",
                                   "min_price_fen=500&max_price_fen=100", "category=nope"])
def test_bad_queries_are_422(client, shelf, query):
    body = client.get(f"/api/mp/v1/products?{query}").get_json()
    assert body["code"] == 422


def test_detail(client, shelf):
    product = shelf["paint"]
    body = client.get(f"/api/mp/v1/products/{product.id}").get_json()
    assert body["eligibility"] == {"eligible": True, "reason": "certified",
                                   "message": "持有效绿色建材认证"}
    assert body["certificate"]["number"] == product.certificate.number
    assert body["certificate"]["enterprise"]["name"] == product.enterprise.name
    assert body["merchant"]["name"] == "金水店"
    uncertified = client.get(f"/api/mp/v1/products/{shelf['window'].id}").get_json()
    assert uncertified["eligible"] is False
    assert uncertified["eligibility"]["reason"] == "not_certified"


@pytest.mark.parametrize("which", ["draft", "hidden"])
def test_unlisted_products_are_404(client, shelf, which):
    body = client.get(f"/api/mp/v1/products/{shelf[which].id}").get_json()
    assert body["code"] == 404 and body["error"] == "product_not_found"


def test_certificate_check(client, make):
    cert = make.certificate(number="LB2025GB0042", star=3)
    product = make.product(certificate=cert, name="保温板")
    body = client.get("/api/mp/v1/certificates/lb2025gb0042").get_json()
    assert body["number"] == "LB2025GB0042" and body["status"] == "valid" and body["star"] == 3
    assert body["enterprise"]["name"] == product.enterprise.name
    assert body["listed_products"][0]["name"] == "保温板"
    missing = client.get("/api/mp/v1/certificates/FAKE-123").get_json()
    assert missing["code"] == 404 and missing["error"] == "certificate_not_found"


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_certificate_check_says_plainly_when_not_valid(client, make, status):
    make.certificate(number=f"LB-{status}", status=status)
    assert client.get(f"/api/mp/v1/certificates/LB-{status}").json["status"] == status


def test_categories_tree(client):
    tree = client.get("/api/mp/v1/categories").get_json()
    assert [node["slug"] for node in tree] == ["decoration", "basic"]
    masonry = next(c for c in tree[1]["children"] if c["slug"] == "masonry")
    assert [c["slug"] for c in masonry["children"]] == ["bricks", "blocks", "boards"]


def test_cached_list_sees_changes_at_once(client, shelf, redis_url):
    first = client.get("/api/mp/v1/products?eligible=true").json
    assert client.get("/api/mp/v1/products?eligible=true").json == first  # served from cache
    tile = shelf["tile"]
    tile.price_fen = 5900
    catalog_changed()
    db.session.commit()
    prices = {i["name"]: i["price_fen"] for i in
              client.get("/api/mp/v1/products?eligible=true").json["items"]}
    assert prices["防滑瓷砖 600x600"] == 5900
    detail = client.get(f"/api/mp/v1/products/{tile.id}").json
    assert detail["eligible"] is True
    db.session.add(NegativeListEntry(product_id=tile.id, reason="虚假认证"))
    catalog_changed()
    db.session.commit()
    assert client.get(f"/api/mp/v1/products/{tile.id}").json["eligible"] is False
    names = _names(client.get("/api/mp/v1/products?eligible=true"))
    assert "防滑瓷砖 600x600" not in names


def test_catalog_answers_with_redis_down(client, shelf, monkeypatch):
    from app.extensions import redis_gateway

    monkeypatch.setattr(type(redis_gateway), "client", property(lambda self: None))
    assert len(_names(client.get("/api/mp/v1/products"))) == 4
    assert client.get(f"/api/mp/v1/products/{shelf['tile'].id}").status_code == 200


def test_a_villager_sees_eligibility_in_their_own_region_without_passing_it(client, make):
    """A county's local-list product is eligible to that county's villagers (profile region)
    even when the client does not send `region`; a region sent explicitly still wins."""
    from tests.test_eligibility import _local

    product = make.product(certified=False, name="本县清单保温板")
    _local(product, region="410105")
    here = make.headers(make.villager("local-here", region_code="410105001"))
    there = make.headers(make.villager("local-there", region_code="410122101"))

    def eligible(headers, query=""):
        detail = client.get(f"/api/mp/v1/products/{product.id}{query}", headers=headers)
        assert detail.status_code == 200, detail.get_json()
        return detail.get_json()["eligibility"]["eligible"]

    assert eligible(here) is True
    assert eligible(there) is False
    assert eligible({}) is False  # anonymous and no region: no local list applies
    assert eligible(there, "?region=410105") is True
    listed = client.get(f"/api/mp/v1/products?eligible=true&q={product.name}", headers=here)
    assert [p["id"] for p in listed.get_json()["items"]] == [product.id]
    elsewhere = client.get(f"/api/mp/v1/products?eligible=true&q={product.name}", headers=there)
    assert elsewhere.get_json()["items"] == []
