"""Negative list: listing takes effect at once (cache warm or not), lifting restores, hooks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.catalog import admin_services, eligibility
from app.catalog.models import NegativeListEntry
from app.core.errors import conflict
from app.extensions import db, redis_gateway
from app.notifications.models import Notification

URL = "/api/v1/admin/negative-list"


def _storefront_ids(client, query: str = "") -> set[int]:
    body = client.get(f"/api/mp/v1/products?limit=100{query}").get_json()
    return {item["id"] for item in body["items"]}


def _detail(client, product) -> dict:
    response = client.get(f"/api/mp/v1/products/{product.id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _assert_cache_warm(app) -> None:
    """With Redis configured, the storefront answers above were cached (so the test proves
    invalidation, not a cold read)."""
    client = redis_gateway.client
    if app.config.get("REDIS_URL"):
        assert client is not None and client.keys("lvjian:catalog:product:*")
        assert client.keys("lvjian:catalog:products:*")


@pytest.fixture
def tile(world, make):
    return make.product(world["shop_a"], name="仿古砖")


def test_listing_a_product_ends_its_eligibility_at_once(app, client, world, tile):
    headers = world["headers"]["county_here"]
    assert _detail(client, tile)["eligible"] is True
    assert tile.id in _storefront_ids(client, "&eligible=true")
    _assert_cache_warm(app)

    response = client.post(URL, headers=headers, json={
        "product_id": tile.id, "reason": "虚假宣传绿色建材认证", "source_complaint_id": 42})
    assert response.status_code == 201, response.json
    entry = response.json
    assert entry["target"] == "product" and entry["active"] is True
    assert entry["product"]["id"] == tile.id and entry["enterprise"] is None
    assert entry["listed_by"] == world["users"]["county_here"].id
    assert entry["source_complaint_id"] == 42

    detail = _detail(client, tile)  # still shown, nothing deleted
    assert detail["eligible"] is False
    assert detail["eligibility"]["reason"] == "negative_list_product"
    assert tile.id not in _storefront_ids(client, "&eligible=true")
    assert tile.id in _storefront_ids(client)
    assert eligibility.check(tile).eligible is False


def test_lifting_restores_eligibility_and_keeps_the_row(client, world, tile):
    headers = world["headers"]["province"]
    entry = client.post(URL, headers=headers, json={"product_id": tile.id,
                                                    "reason": "抽检不合格"}).json
    assert _detail(client, tile)["eligible"] is False
    lifted = client.post(f"{URL}/{entry['id']}/lift", headers=headers,
                         json={"reason": "整改复检合格"})
    assert lifted.status_code == 200, lifted.json
    body = lifted.json
    assert body["active"] is False and body["lift_reason"] == "整改复检合格"
    assert body["lifted_by"] == world["users"]["province"].id and body["lifted_at"]
    assert body["reason"] == "抽检不合格" and body["listed_at"]
    assert _detail(client, tile)["eligible"] is True
    assert tile.id in _storefront_ids(client, "&eligible=true")

    twice = client.post(f"{URL}/{entry['id']}/lift", headers=headers, json={"reason": "再次"})
    assert twice.status_code == 409 and twice.json["error"] == "already_lifted"
    history = client.get(f"{URL}?active=false", headers=headers).json["items"]
    assert [e["id"] for e in history] == [entry["id"]]
    assert client.get(f"{URL}?active=true", headers=headers).json["items"] == []
    relisted = client.post(URL, headers=headers, json={"product_id": tile.id,
                                                       "reason": "再次抽检不合格"})
    assert relisted.status_code == 201
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NegativeListEntry)) == 2


def test_listing_an_enterprise_hits_all_its_products(client, world, make):
    enterprise = make.enterprise("问题建材集团", region_code="410100")
    in_jinshui = make.product(world["shop_a"], enterprise=enterprise,
                              certificate=make.certificate(enterprise))
    in_zhongmou = make.product(world["shop_b"], enterprise=enterprise,
                               certificate=make.certificate(enterprise))
    bystander = make.product(world["shop_a"])
    assert {in_jinshui.id, in_zhongmou.id, bystander.id} <= _storefront_ids(client,
                                                                           "&eligible=true")
    county = client.post(URL, headers=world["headers"]["county_here"],
                         json={"enterprise_id": enterprise.id, "reason": "伪造认证证书"})
    assert county.status_code == 403  # a city enterprise: the city or province decides
    response = client.post(URL, headers=world["headers"]["province"],
                           json={"enterprise_id": enterprise.id, "reason": "伪造认证证书"})
    assert response.status_code == 201, response.json
    assert response.json["enterprise"]["credit_code"] == enterprise.credit_code

    eligible_now = _storefront_ids(client, "&eligible=true")
    assert in_jinshui.id not in eligible_now and in_zhongmou.id not in eligible_now
    assert bystander.id in eligible_now
    for product in (in_jinshui, in_zhongmou):
        assert _detail(client, product)["eligibility"]["reason"] == "negative_list_enterprise"
    owners = {world["users"]["merchant_a"].id, world["users"]["merchant_b"].id}
    notified = set(db.session.scalars(sa.select(Notification.user_id).where(
        Notification.kind == "negative_listed")))
    assert notified == owners

    # both counties see the entry: their shops sell its products
    for who in ("county_here", "county_elsewhere"):
        items = client.get(URL, headers=world["headers"][who]).json["items"]
        assert [e["enterprise"]["id"] for e in items] == [enterprise.id]


def test_enterprise_without_region_is_for_province_admins(client, world, make):
    enterprise = make.enterprise("无地址企业")
    enterprise.region_code = None
    db.session.commit()
    body = {"enterprise_id": enterprise.id, "reason": "虚假认证"}
    assert client.post(URL, headers=world["headers"]["county_here"], json=body).json["error"] \
        == "province_admin_required"
    assert client.post(URL, headers=world["headers"]["province"], json=body).status_code == 201
    items = client.get(URL, headers=world["headers"]["province"]).json["items"]
    assert [e["enterprise"]["id"] for e in items] == [enterprise.id]


def test_listing_twice_is_a_conflict(client, world, tile):
    headers = world["headers"]["county_here"]
    body = {"product_id": tile.id, "reason": "虚假认证"}
    assert client.post(URL, headers=headers, json=body).status_code == 201
    again = client.post(URL, headers=world["headers"]["province"], json=body)
    assert again.status_code == 409 and again.json["error"] == "already_on_negative_list"


@pytest.mark.parametrize(("body", "status"), [
    ({"reason": "没有目标"}, 422),
    ({"product_id": "{tile}", "enterprise_id": 1, "reason": "两个目标"}, 422),
    ({"product_id": "{tile}"}, 422),
    ({"product_id": "{tile}", "reason": "x"}, 422),
    ({"product_id": 999999, "reason": "不存在的产品"}, 404),
    ({"enterprise_id": 999999, "reason": "不存在的企业"}, 404),
    ({"product_id": "{tile}", "reason": "多余字段", "note": "x"}, 422),
])
def test_bad_listing_requests(client, world, tile, body, status):
    body = {k: tile.id if v == "{tile}" else v for k, v in body.items()}
    response = client.post(URL, headers=world["headers"]["province"], json=body)
    assert response.status_code == status, response.json
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NegativeListEntry)) == 0


def test_other_county_can_neither_list_nor_lift_nor_see(client, world, tile):
    elsewhere = world["headers"]["county_elsewhere"]
    denied = client.post(URL, headers=elsewhere, json={"product_id": tile.id, "reason": "越权"})
    assert denied.status_code == 403 and denied.json["error"] == "region_out_of_scope"
    entry = client.post(URL, headers=world["headers"]["county_here"],
                        json={"product_id": tile.id, "reason": "虚假认证"}).json
    lift = client.post(f"{URL}/{entry['id']}/lift", headers=elsewhere, json={"reason": "越权"})
    assert lift.status_code == 403
    assert client.get(URL, headers=elsewhere).json["items"] == []
    assert client.post(f"{URL}/999999/lift", headers=elsewhere,
                       json={"reason": "不存在"}).status_code == 404


def test_hooks_see_every_affected_product(client, world, make, monkeypatch):
    listed, lifted = [], []
    monkeypatch.setattr(admin_services, "_listed_hooks", [])
    monkeypatch.setattr(admin_services, "_lifted_hooks", [])
    admin_services.on_negative_listed(lambda entry, ids: listed.append((entry.id, ids)))
    admin_services.on_negative_lifted(lambda entry, ids: lifted.append((entry.id, ids)))
    enterprise = make.enterprise(region_code="410105")
    products = [make.product(world["shop_a"], enterprise=enterprise) for _ in range(2)]
    headers = world["headers"]["county_here"]
    entry = client.post(URL, headers=headers, json={"enterprise_id": enterprise.id,
                                                    "reason": "虚假认证"}).json
    assert listed == [(entry["id"], [p.id for p in products])]
    client.post(f"{URL}/{entry['id']}/lift", headers=headers, json={"reason": "撤回"})
    assert lifted == [(entry["id"], [p.id for p in products])]


def test_a_failing_hook_aborts_the_listing(client, world, tile, monkeypatch):
    def refuse(entry, product_ids):
        raise conflict("promotion_locked", "促销结算中，请稍后再试")

    monkeypatch.setattr(admin_services, "_listed_hooks", [refuse])
    response = client.post(URL, headers=world["headers"]["county_here"],
                           json={"product_id": tile.id, "reason": "虚假认证"})
    assert response.status_code == 409 and response.json["error"] == "promotion_locked"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NegativeListEntry)) == 0
    assert _detail(client, tile)["eligible"] is True


def test_service_without_http(world, tile):
    admin = world["users"]["province"]
    loaded = admin_services.put_on_negative_list(tile, reason="虚假认证",
                                                 source_complaint_id=None, by=admin)
    assert loaded.active and loaded.product.id == tile.id
    assert not eligibility.check(tile).eligible
    admin_services.lift_from_negative_list(loaded.row, reason="复检合格", by=admin)
    assert eligibility.check(tile).eligible


@pytest.mark.postgres
def test_simultaneous_listings_of_one_product_make_one_entry(committed):
    from collections import Counter

    from tests.conftest import Factory, fire

    app = committed
    with app.app_context():
        make = Factory()
        product = make.product(make.shop("410105"))
        headers = make.headers(make.admin("410000"))
        product_id = product.id
    calls = [("POST", URL, {"product_id": product_id, "reason": "虚假认证"}, headers)] * 20
    responses = fire(app, calls, workers=20)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(NegativeListEntry)) == 1
