"""Catalog admin console: auth matrix, shop and product review, local list, lookups."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.services import create_console_user
from app.catalog import eligibility
from app.catalog.models import LocalListEntry, NegativeListEntry
from app.core.db import utcnow
from app.extensions import db
from app.merchants.models import Shop
from app.notifications.models import Notification
from tests.conftest import matrix

TODAY = eligibility.today()
NEXT_YEAR = TODAY + timedelta(days=365)
ADMIN = "/api/v1/admin"
CSV = ("证书编号,认证机构,企业名称,统一社会信用代码,产品名称,星级,发证日期,有效期至,状态\n"
       "LJ-MATRIX-1,中国建材检验认证集团,矩阵建材有限公司,91410105000000001{check},"
       "陶瓷砖,二星级,2025-01-01,2028-12-31,有效\n")

# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix(f"{ADMIN}/shops", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/shops?region_code=410105", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/shops/{{shop_a}}/decision", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/products", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/products/{{pending}}", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/products/{{pending}}/decision", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/certificates?number=LJ", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/certificates/import", "POST", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix(f"{ADMIN}/enterprises", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/local-list", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix(f"{ADMIN}/local-list", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/local-list/{{local_entry}}", "DELETE",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/negative-list", "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix(f"{ADMIN}/negative-list", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/negative-list/{{negative_entry}}/lift", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.fixture
def cast(world, make):
    """world plus catalog records of shop_a (county 410105)."""
    shop_a = world["shop_a"]
    listed = make.product(shop_a, name="金水瓷砖")
    flagged = make.product(shop_a, name="问题瓷砖")
    uncertified = make.product(shop_a, name="本地砌块", certified=False)
    local = LocalListEntry(region_code="410105", product_id=uncertified.id, requirement="技术要求",
                           valid_from=TODAY, valid_until=NEXT_YEAR)
    negative = NegativeListEntry(product_id=flagged.id, reason="虚假认证")
    db.session.add_all([local, negative])
    db.session.commit()
    return {**world, "pending": make.product(shop_a, status="pending"), "listed": listed,
            "uncertified": uncertified, "local_entry": local, "negative_entry": negative}


def _request(client, cast, method, path, who):
    ids = {name: cast[name].id for name in ("shop_a", "pending", "local_entry",
                                            "negative_entry")}
    url = path.format(**ids)
    headers = cast["headers"][who]
    if url.endswith("/certificates/import"):
        from app.core.validators import uscc_check_char

        content = CSV.format(check=uscc_check_char("91410105000000001")).encode()
        return client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(content), "certs.csv")})
    bodies = {
        ("POST", f"{ADMIN}/shops/{{shop_a}}/decision"): {"action": "suspend", "note": "抽查"},
        ("POST", f"{ADMIN}/products/{{pending}}/decision"): {"action": "approve"},
        ("POST", f"{ADMIN}/local-list"): {
            "region_code": "410105", "product_id": cast["listed"].id, "requirement": "技术要求",
            "valid_from": TODAY.isoformat(), "valid_until": NEXT_YEAR.isoformat()},
        ("POST", f"{ADMIN}/negative-list"): {"product_id": cast["listed"].id, "reason": "虚假认证"},
        ("POST", f"{ADMIN}/negative-list/{{negative_entry}}/lift"): {"reason": "复查合格"},
    }
    return client.open(url, method=method, headers=headers, json=bodies.get((method, path)))


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, cast, method, path, who, expected):
    response = _request(client, cast, method, path, who)
    assert response.status_code == expected, response.get_json()
    body = response.get_json()
    if expected >= 400:
        assert set(body) <= {"code", "status", "error", "message", "errors"}
        assert body["code"] == expected


@pytest.mark.parametrize("path", ["shops", "products?status=all", "local-list", "negative-list"])
def test_other_county_lists_show_nothing_of_ours(client, cast, path):
    mine = client.get(f"{ADMIN}/{path}", headers=cast["headers"]["county_here"]).json["items"]
    theirs = client.get(f"{ADMIN}/{path}",
                        headers=cast["headers"]["county_elsewhere"]).json["items"]
    assert mine
    assert not {item["id"] for item in mine} & {item["id"] for item in theirs}


def test_admin_without_catalog_duty_is_refused(client, cast):
    expos_only = create_console_user(username="expo-officer", password="secret-pass-1",
                                     role="admin", region_code="410105", duties=["expos"])
    catalog = create_console_user(username="catalog-officer", password="secret-pass-1",
                                  role="admin", region_code="410105", duties=["catalog"])
    db.session.commit()
    from tests.conftest import Factory

    refused = client.get(f"{ADMIN}/products", headers=Factory.headers(expos_only))
    assert refused.status_code == 403 and refused.json["error"] == "duty_not_assigned"
    assert client.get(f"{ADMIN}/products", headers=Factory.headers(catalog)).status_code == 200


# ---- shops ------------------------------------------------------------------------------

SHOP_CASES = [
    ("pending", "approve", None, 200, "approved"),
    ("pending", "reject", "资质材料不全", 200, "rejected"),
    ("approved", "suspend", "抽检不合格", 200, "suspended"),
    ("suspended", "reinstate", None, 200, "approved"),
    ("pending", "reject", None, 422, "pending"),
    ("approved", "suspend", "  ", 422, "approved"),
    ("pending", "suspend", "x", 409, "pending"),
    ("pending", "reinstate", None, 409, "pending"),
    ("approved", "approve", None, 409, "approved"),
    ("approved", "reject", "x", 409, "approved"),
    ("rejected", "approve", None, 409, "rejected"),
    ("rejected", "reinstate", None, 409, "rejected"),
    ("suspended", "approve", None, 409, "suspended"),
    ("suspended", "suspend", "x", 409, "suspended"),
]


@pytest.mark.parametrize(("start", "action", "note", "status", "after"), SHOP_CASES)
def test_shop_transitions(client, world, make, start, action, note, status, after):
    shop = make.shop("410105", status=start)
    owner = make.merchant(shop)
    admin = world["users"]["county_here"]
    response = client.post(f"{ADMIN}/shops/{shop.id}/decision", headers=world["headers"][
        "county_here"], json={"action": action, "note": note})
    assert response.status_code == status, response.json
    db.session.expire_all()
    shop = db.session.get(Shop, shop.id)
    assert shop.status == after
    if status == 200:
        assert response.json["status"] == after
        assert shop.decided_by == admin.id and shop.decided_at is not None
        assert shop.decision_note == (note.strip() if note else None)
        kinds = db.session.scalars(sa.select(Notification.kind).where(
            Notification.user_id == owner.id)).all()
        assert kinds == ["shop_decision"]
    elif status == 409:
        assert response.json["error"] == "invalid_transition"
        assert "当前状态" in response.json["message"]
    else:
        assert response.json["error"] == "note_required" and "note" in response.json["errors"]


def test_shop_decision_unknown_action_or_shop(client, world):
    headers = world["headers"]["province"]
    bad = client.post(f"{ADMIN}/shops/{world['shop_a'].id}/decision", headers=headers,
                      json={"action": "delete"})
    assert bad.status_code == 422 and "action" in bad.json["errors"]
    missing = client.post(f"{ADMIN}/shops/999999/decision", headers=headers,
                          json={"action": "approve"})
    assert missing.status_code == 404 and missing.json["error"] == "shop_not_found"


def test_suspending_a_shop_takes_its_products_off_the_storefront(client, world, make):
    product = make.product(world["shop_a"], name="停业测试瓷砖")
    headers = world["headers"]["county_here"]
    url = f"{ADMIN}/shops/{world['shop_a'].id}/decision"
    assert client.get(f"/api/mp/v1/products/{product.id}").status_code == 200  # cache warm
    assert product.id in _storefront_ids(client)
    assert client.post(url, headers=headers,
                       json={"action": "suspend", "note": "无照经营"}).status_code == 200
    assert client.get(f"/api/mp/v1/products/{product.id}").status_code == 404
    assert product.id not in _storefront_ids(client)
    assert client.post(url, headers=headers, json={"action": "reinstate"}).status_code == 200
    assert client.get(f"/api/mp/v1/products/{product.id}").status_code == 200
    assert product.id in _storefront_ids(client)


def test_shop_list_filters(client, world, make):
    pending = make.shop("410105", status="pending")
    make.shop("410122", status="pending")
    headers = world["headers"]["county_here"]
    items = client.get(f"{ADMIN}/shops?status=pending", headers=headers).json["items"]
    assert [s["id"] for s in items] == [pending.id]
    everything = client.get(f"{ADMIN}/shops?limit=100",
                            headers=world["headers"]["province"]).json["items"]
    assert {s["region_code"] for s in everything} >= {"410105", "410122"}


def _storefront_ids(client, query: str = "") -> set[int]:
    body = client.get(f"/api/mp/v1/products?limit=100{query}").get_json()
    return {item["id"] for item in body["items"]}


# ---- products ---------------------------------------------------------------------------

PRODUCT_CASES = [
    ("pending", "approve", None, 200, "listed"),
    ("pending", "reject", "图片与实物不符", 200, "rejected"),
    ("listed", "delist", "证书已过期", 200, "delisted"),
    ("pending", "reject", "", 422, "pending"),
    ("listed", "delist", None, 422, "listed"),
    ("draft", "approve", None, 409, "draft"),
    ("listed", "approve", None, 409, "listed"),
    ("rejected", "approve", None, 409, "rejected"),
    ("delisted", "approve", None, 409, "delisted"),
    ("delisted", "delist", "x", 409, "delisted"),
    ("pending", "delist", "x", 409, "pending"),
]


@pytest.mark.parametrize(("start", "action", "note", "status", "after"), PRODUCT_CASES)
def test_product_transitions(client, world, make, start, action, note, status, after):
    product = make.product(world["shop_a"], status=start)
    owner = world["users"]["merchant_a"]
    response = client.post(f"{ADMIN}/products/{product.id}/decision",
                           headers=world["headers"]["province"],
                           json={"action": action, "note": note})
    assert response.status_code == status, response.json
    db.session.expire_all()
    assert product.status == after
    if status == 200:
        assert product.reviewed_by == world["users"]["province"].id
        assert product.reviewed_at is not None and product.review_note == note
        assert (product.listed_at is not None) == (action == "approve")
        assert response.json["status"] == after
        assert db.session.scalar(sa.select(Notification.kind).where(
            Notification.user_id == owner.id)) == "product_review"
    else:
        assert product.reviewed_by is None


def test_approved_product_appears_and_delisted_disappears_at_once(client, world, make):
    product = make.product(world["shop_a"], status="pending", name="新上架瓷砖")
    headers = world["headers"]["county_here"]
    url = f"{ADMIN}/products/{product.id}/decision"
    assert product.id not in _storefront_ids(client)  # cached now
    assert client.post(url, headers=headers, json={"action": "approve"}).status_code == 200
    assert product.id in _storefront_ids(client)
    assert client.get(f"/api/mp/v1/products/{product.id}").json["eligible"] is True
    assert client.post(url, headers=headers,
                       json={"action": "delist", "note": "质量投诉"}).status_code == 200
    assert product.id not in _storefront_ids(client)
    assert client.get(f"/api/mp/v1/products/{product.id}").status_code == 404


def test_product_list_defaults_to_pending_in_region(client, world, make):
    pending = make.product(world["shop_a"], status="pending")
    make.product(world["shop_a"], status="listed")
    make.product(world["shop_b"], status="pending")
    headers = world["headers"]["county_here"]
    assert [p["id"] for p in client.get(f"{ADMIN}/products", headers=headers).json["items"]] \
        == [pending.id]
    everything = client.get(f"{ADMIN}/products?status=all", headers=headers).json["items"]
    assert len(everything) == 2
    item = everything[-1]
    assert item["shop"]["region_code"] == "410105"
    assert item["certificate"]["status"] == "valid"
    province = world["headers"]["province"]
    in_zhongmou = client.get(f"{ADMIN}/products?region_code=410122", headers=province).json
    assert [p["shop"]["id"] for p in in_zhongmou["items"]] == [world["shop_b"].id]
    by_shop = client.get(f"{ADMIN}/products?status=all&shop_id={world['shop_b'].id}",
                         headers=headers).json
    assert by_shop["items"] == []  # another county's shop: nothing, not an error


# ---- local list -------------------------------------------------------------------------

def _local_body(product, region="410105", **overrides):
    return {"region_code": region, "product_id": product.id,
            "requirement": "金水区农房用砌块技术要求（2026）",
            "valid_from": TODAY.isoformat(), "valid_until": NEXT_YEAR.isoformat(), **overrides}


def test_local_list_makes_an_uncertified_product_eligible_in_that_region(client, world, make):
    block = make.product(world["shop_a"], name="蒸压加气砌块", certified=False)
    headers = world["headers"]["county_here"]
    detail = f"/api/mp/v1/products/{block.id}?region=410105001"
    assert client.get(detail).json["eligible"] is False  # cached
    assert block.id not in _storefront_ids(client, "&eligible=true&region=410105")
    created = client.post(f"{ADMIN}/local-list", headers=headers, json=_local_body(block))
    assert created.status_code == 201, created.json
    entry = created.json
    assert entry["active"] is True and entry["product"]["id"] == block.id
    assert entry["created_by"] == world["users"]["county_here"].id
    assert client.get(detail).json["eligibility"]["reason"] == "local_list"
    assert block.id in _storefront_ids(client, "&eligible=true&region=410105")
    assert client.get(f"/api/mp/v1/products/{block.id}?region=410122").json["eligible"] is False

    removed = client.delete(f"{ADMIN}/local-list/{entry['id']}", headers=headers)
    assert removed.status_code == 200 and removed.json["removed_at"] and not removed.json["active"]
    assert client.get(detail).json["eligible"] is False
    again = client.delete(f"{ADMIN}/local-list/{entry['id']}", headers=headers)
    assert again.status_code == 200 and again.json["removed_at"] == removed.json["removed_at"]
    assert db.session.get(LocalListEntry, entry["id"]) is not None  # history kept


@pytest.mark.parametrize(("overrides", "status", "error"), [
    ({"region_code": "410000"}, 422, "local_list_region_level"),
    ({"region_code": "410105001"}, 422, "local_list_region_level"),
    ({"region_code": "410100"}, 201, None),
    ({"region_code": "410199"}, 422, "unknown_region"),
    ({"region_code": "220122"}, 403, "region_out_of_scope"),
    ({"valid_until": (TODAY - timedelta(days=1)).isoformat()}, 422, "validation_error"),
    ({"requirement": ""}, 422, "validation_error"),
    ({"product_id": 999999}, 404, "product_not_found"),
    ({"extra": 1}, 422, "validation_error"),
])
def test_local_list_validation(client, world, make, overrides, status, error):
    block = make.product(world["shop_a"], certified=False)
    response = client.post(f"{ADMIN}/local-list", headers=world["headers"]["province"],
                           json=_local_body(block, **overrides))
    assert response.status_code == status, response.json
    if error:
        assert response.json["error"] == error


def test_county_cannot_list_another_countys_product(client, world, make):
    theirs = make.product(world["shop_b"], certified=False)
    response = client.post(f"{ADMIN}/local-list", headers=world["headers"]["county_here"],
                           json=_local_body(theirs))
    assert response.status_code == 403


def test_local_list_overlap_conflicts_until_removed(client, world, make):
    block = make.product(world["shop_a"], certified=False)
    headers = world["headers"]["county_here"]
    first = client.post(f"{ADMIN}/local-list", headers=headers, json=_local_body(block))
    clash = client.post(f"{ADMIN}/local-list", headers=headers, json=_local_body(
        block, valid_from=(TODAY + timedelta(days=30)).isoformat()))
    assert clash.status_code == 409 and clash.json["error"] == "already_on_local_list"
    client.delete(f"{ADMIN}/local-list/{first.json['id']}", headers=headers)
    assert client.post(f"{ADMIN}/local-list", headers=headers,
                       json=_local_body(block)).status_code == 201


def test_local_list_filters(client, world, make):
    headers = world["headers"]["province"]
    current = make.product(world["shop_a"], certified=False)
    old = make.product(world["shop_a"], certified=False)
    db.session.add(LocalListEntry(region_code="410105", product_id=old.id, requirement="旧要求",
                                  valid_from=TODAY - timedelta(days=400),
                                  valid_until=TODAY - timedelta(days=35)))
    db.session.commit()
    client.post(f"{ADMIN}/local-list", headers=headers, json=_local_body(current))
    active = client.get(f"{ADMIN}/local-list?active=true", headers=headers).json["items"]
    inactive = client.get(f"{ADMIN}/local-list?active=false", headers=headers).json["items"]
    assert [e["product"]["id"] for e in active] == [current.id]
    assert [e["product"]["id"] for e in inactive] == [old.id]
    by_product = client.get(f"{ADMIN}/local-list?product_id={old.id}", headers=headers).json
    assert len(by_product["items"]) == 1
    assert client.get(f"{ADMIN}/local-list?region_code=410122",
                      headers=headers).json["items"] == []


# ---- certificate and enterprise lookups ---------------------------------------------------

def test_certificate_lookup(client, world, make):
    enterprise = make.enterprise("郑州绿源建材有限公司")
    make.certificate(enterprise, number="LB2026GB0001")
    make.certificate(enterprise, number="LB2026GB0002", status="suspended")
    make.certificate(number="LB2026GB0003", issued_on=TODAY - timedelta(days=900),
                     expires_on=TODAY - timedelta(days=1))
    headers = world["headers"]["county_elsewhere"]

    def numbers(query):
        response = client.get(f"{ADMIN}/certificates?{query}", headers=headers)
        assert response.status_code == 200, response.json
        return sorted(c["number"] for c in response.json["items"])

    assert numbers("number=lb2026gb0001") == ["LB2026GB0001"]
    assert numbers("number=2026GB") == ["LB2026GB0001", "LB2026GB0002", "LB2026GB0003"]
    assert numbers(f"credit_code={enterprise.credit_code}") == ["LB2026GB0001", "LB2026GB0002"]
    assert numbers("number=2026GB&status=suspended") == ["LB2026GB0002"]
    assert numbers("number=2026GB&status=expired") == ["LB2026GB0003"]
    assert numbers("number=2026GB&status=valid") == ["LB2026GB0001"]
    item = client.get(f"{ADMIN}/certificates?number=LB2026GB0003", headers=headers).json
    cert = item["items"][0]
    assert cert["status"] == "expired" and cert["recorded_status"] == "valid"
    assert cert["enterprise"]["credit_code"]
    assert numbers("number=%25") == []  # LIKE wildcards are literal


def test_enterprise_lookup(client, world, make):
    enterprise = make.enterprise("河南绿建防水科技有限公司")
    make.enterprise("吉林保温材料厂")
    headers = world["headers"]["county_here"]
    found = client.get(f"{ADMIN}/enterprises?q=防水", headers=headers).json["items"]
    assert [e["id"] for e in found] == [enterprise.id]
    by_code = client.get(f"{ADMIN}/enterprises?credit_code={enterprise.credit_code.lower()}",
                         headers=headers).json["items"]
    assert [e["name"] for e in by_code] == ["河南绿建防水科技有限公司"]


def test_decisions_keep_history_fields(client, world, make):
    shop = make.shop("410105", status="pending")
    headers = world["headers"]["county_here"]
    before = utcnow()
    body = client.post(f"{ADMIN}/shops/{shop.id}/decision", headers=headers,
                       json={"action": "reject", "note": "营业执照过期"}).json
    assert body["decision_note"] == "营业执照过期"
    assert body["decided_by"] == world["users"]["county_here"].id
    db.session.expire_all()
    assert db.session.get(Shop, shop.id).decided_at >= before - timedelta(seconds=1)


@pytest.mark.postgres
def test_simultaneous_decisions_on_one_shop_apply_once(committed):
    from collections import Counter

    from tests.conftest import Factory, fire

    app = committed
    with app.app_context():
        make = Factory()
        shop = make.shop("410105", status="pending")
        headers = make.headers(make.admin("410105"))
        url = f"{ADMIN}/shops/{shop.id}/decision"
    calls = [("POST", url, {"action": "approve"}, headers)] * 10 + \
            [("POST", url, {"action": "reject", "note": "材料不全"}, headers)] * 10
    responses = fire(app, calls, workers=20)
    assert Counter(r.status_code for r in responses) == {200: 1, 409: 19}
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    with app.app_context():
        assert db.session.get(Shop, winner["id"]).status == winner["status"]
