"""Merchant console products: own shop only, certificates, the review rule, submit, delist."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from io import BytesIO

import pytest

from app.catalog.models import Product
from app.extensions import db
from app.merchants import services
from tests.conftest import Factory
from tests.test_certificate_binding import authorise
from tests.test_images import assert_refused, jpeg_bytes
from tests.test_merchant_console import P, count, product_body, with_images

# ---- products: create, certificates, validation ---------------------------------------

def test_create_with_own_enterprises_certificate_takes_its_enterprise(client, world, make):
    cert = make.certificate(number="CGC-LJ-2026-0001", star=3, category="ceramic-tiles")
    world["shop_a"].enterprise_id = cert.enterprise_id  # the factory's own store
    db.session.commit()
    created = client.post(f"{P}/products", json=product_body(certificate_number="cgc-lj-2026-0001"),
                          headers=world["headers"]["merchant_a"])
    assert created.status_code == 201, created.get_json()
    body = created.json
    assert body["certificate"]["number"] == "CGC-LJ-2026-0001"
    assert body["certificate"]["status"] == "valid" and body["certificate"]["star"] == 3
    assert body["enterprise"]["id"] == cert.enterprise_id
    assert body["category"] == {"slug": "ceramic-tiles", "name": "陶瓷砖（板）"}
    assert body["eligibility"]["eligible"] is True
    assert (body["status"], body["images"], body["shop_id"]) == ("draft", [], world["shop_a"].id)
    product = db.session.get(Product, body["id"])
    assert "东鹏" in product.search_terms and "600x600mm" in product.search_terms


@pytest.mark.parametrize(("change", "error", "field"), [
    ({"price_fen": 0}, "validation_error", "price_fen"),
    ({"price_fen": -100}, "validation_error", "price_fen"),
    ({"price_fen": "4500"}, "validation_error", "price_fen"),
    ({"price_fen": 12.5}, "validation_error", "price_fen"),
    ({"name": ""}, "validation_error", "name"),
    ({"status": "listed"}, "validation_error", "status"),
    ({"shop_id": 1}, "validation_error", "shop_id"),
    ({"category": "no-such"}, "unknown_category", "category"),
    ({"category": "decoration"}, "category_not_leaf", "category"),
    ({"certificate_number": "NOPE-0000"}, "certificate_not_found", "certificate_number"),
])
def test_create_validation_changes_nothing(client, world, change, error, field):
    before = count(Product)
    body = assert_refused(client.post(f"{P}/products", json=product_body(**change),
                                      headers=world["headers"]["merchant_a"]), 422, error)
    assert field in body["errors"]
    assert count(Product) == before


@pytest.mark.parametrize("kind", ["revoked", "suspended", "expired"])
def test_certificates_that_are_not_valid_cannot_be_linked(client, world, make, kind):
    if kind == "expired":
        cert = make.certificate(expires_on=date.today() - timedelta(days=1))
    else:
        cert = make.certificate(status=kind)
    body = assert_refused(client.post(f"{P}/products",
                                      json=product_body(certificate_number=cert.number),
                                      headers=world["headers"]["merchant_a"]),
                          422, "certificate_not_valid")
    assert body["errors"]["certificate_number"]


def test_missing_body_and_malformed_json(client, world):
    headers = world["headers"]["merchant_a"]
    assert_refused(client.post(f"{P}/products", headers=headers, data="{nope",
                               content_type="application/json"), 400, "bad_request")
    body = assert_refused(client.post(f"{P}/products", json={}, headers=headers),
                          422, "validation_error")
    assert {"category", "name", "price_fen"} <= set(body["errors"])


# ---- products: own shop only --------------------------------------------------------------

def test_other_shops_products_look_missing(client, world, make):
    theirs = make.product(world["shop_b"], status="draft")
    mine = make.product(world["shop_a"], status="draft")
    headers = world["headers"]["merchant_a"]
    foreign = client.get(f"{P}/products/{theirs.id}", headers=headers)
    missing = client.get(f"{P}/products/999999", headers=headers)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.get_json() == missing.get_json()
    ids = [p["id"] for p in client.get(f"{P}/products", headers=headers).json["items"]]
    assert ids == [mine.id]
    for method, suffix, body in (("PATCH", "", {"price_fen": 1}), ("POST", "/submit", None),
                                 ("POST", "/delist", None), ("DELETE", "/images/0", None)):
        response = client.open(f"{P}/products/{theirs.id}{suffix}", method=method, json=body,
                               headers=headers)
        assert_refused(response, 404, "product_not_found")
    db.session.expire_all()
    assert (theirs.price_fen, theirs.status) == (10000, "draft")


def test_list_pages_and_filters(client, world, make):
    shop = world["shop_a"]
    drafts = [make.product(shop, status="draft") for _ in range(3)]
    listed = make.product(shop, status="listed")
    headers = world["headers"]["merchant_a"]
    first = client.get(f"{P}/products?limit=2", headers=headers).json
    assert [p["id"] for p in first["items"]] == [listed.id, drafts[2].id]
    second = client.get(f"{P}/products?limit=2&cursor={first['next_cursor']}",
                        headers=headers).json
    assert [p["id"] for p in second["items"]] == [drafts[1].id, drafts[0].id]
    assert second["next_cursor"] is None
    only = client.get(f"{P}/products?status=listed", headers=headers).json["items"]
    assert [p["id"] for p in only] == [listed.id]
    assert_refused(client.get(f"{P}/products?status=deleted", headers=headers),
                   422, "validation_error")
    assert_refused(client.get(f"{P}/products?cursor=%%%", headers=headers),
                   422, "invalid_cursor")


# ---- products: edits and the review rule ------------------------------------------------

@pytest.fixture
def listed(world, make):
    """A listed window of shop A under its own enterprise's certificate for 农房建设基础材料."""
    cert = make.certificate(category="basic")
    world["shop_a"].enterprise_id = cert.enterprise_id
    product = with_images(make.product(world["shop_a"], status="listed", name="节能窗",
                                       category="doors-windows", certificate=cert), 1)
    return {"product": product, "headers": world["headers"]["merchant_a"],
            "url": f"{P}/products/{product.id}"}


@pytest.mark.parametrize(("change", "status"), [
    ({"price_fen": 7700}, "listed"),
    ({"description": "新的说明"}, "listed"),
    ({"unit": "樘"}, "listed"),
    ({"name": "断桥铝节能窗"}, "pending"),
    ({"brand": "新品牌"}, "pending"),
    ({"model_spec": "1500x1200"}, "pending"),
    ({"category": "insulation"}, "pending"),
    ({"certificate_number": None}, "pending"),
    ({"name": "节能窗"}, "listed"),  # unchanged value: nothing to review
])
def test_listed_product_edits(client, listed, monkeypatch, change, status):
    calls = []
    monkeypatch.setattr(services, "catalog_changed", lambda: calls.append(1))
    response = client.patch(listed["url"], json=change, headers=listed["headers"])
    assert response.status_code == 200, response.get_json()
    assert response.json["status"] == status
    assert bool(calls) == (change != {"name": "节能窗"})


def test_certificate_switch_sends_back_to_review_and_changes_enterprise(client, listed, make):
    cert = make.certificate(category="doors-windows")  # another enterprise: a dealer's
    authorise(listed["product"].shop, cert.enterprise_id)
    body = client.patch(listed["url"], json={"certificate_number": cert.number},
                        headers=listed["headers"]).json
    assert body["status"] == "pending"
    assert body["enterprise"]["id"] == cert.enterprise_id
    unlinked = client.patch(listed["url"], json={"certificate_number": None},
                            headers=listed["headers"]).json
    assert unlinked["certificate"] is None  # back to the shop's own enterprise
    assert unlinked["enterprise"]["id"] == listed["product"].shop.enterprise_id


def test_edit_refreshes_search_terms(client, listed):
    client.patch(listed["url"], json={"name": "EcoWindow 保温窗"}, headers=listed["headers"])
    db.session.expire_all()
    terms = listed["product"].search_terms
    assert "ecowindow" in terms and "保温" in terms


def test_draft_edits_do_not_touch_the_storefront(client, world, make, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "catalog_changed", lambda: calls.append(1))
    draft = make.product(world["shop_a"], status="draft")
    response = client.patch(f"{P}/products/{draft.id}", json={"name": "改名草稿"},
                            headers=world["headers"]["merchant_a"])
    assert response.json["status"] == "draft" and calls == []


def test_edit_validation_changes_nothing(client, listed):
    for change in ({"price_fen": 0}, {"category": "masonry"}, {"certificate_number": "X-1"},
                   {"images": []}, {"status": "listed"}):
        response = client.patch(listed["url"], json=change, headers=listed["headers"])
        assert response.status_code == 422, change
    db.session.expire_all()
    product = listed["product"]
    assert (product.status, product.price_fen, product.category.slug) == \
        ("listed", 10000, "doors-windows")


# ---- products: submit and delist ------------------------------------------------------------

@pytest.mark.parametrize(("status", "expected", "error"), [
    ("draft", 200, None), ("rejected", 200, None), ("delisted", 200, None),
    ("pending", 409, "invalid_product_status"), ("listed", 409, "invalid_product_status"),
])
def test_submit_from_each_status(client, world, make, status, expected, error):
    product = with_images(make.product(world["shop_a"], status=status), 1)
    response = client.post(f"{P}/products/{product.id}/submit",
                           headers=world["headers"]["merchant_a"])
    assert response.status_code == expected, response.get_json()
    if error:
        assert response.json["error"] == error
    else:
        assert response.json["status"] == "pending"


def test_submit_needs_a_photo(client, world, make):
    product = make.product(world["shop_a"], status="draft")
    body = assert_refused(client.post(f"{P}/products/{product.id}/submit",
                                      headers=world["headers"]["merchant_a"]),
                          422, "product_incomplete")
    assert "images" in body["errors"]


@pytest.mark.parametrize("shop_status", ["pending", "rejected", "suspended"])
def test_submit_needs_an_approved_shop(client, make, shop_status):
    shop = make.shop(status=shop_status)
    product = with_images(make.product(shop, status="draft"), 1)
    assert_refused(client.post(f"{P}/products/{product.id}/submit",
                               headers=make.headers(make.merchant(shop))),
                   409, "shop_not_approved")


@pytest.mark.parametrize(("status", "expected"), [
    ("listed", 200), ("pending", 200), ("draft", 409), ("rejected", 409), ("delisted", 409),
])
def test_delist_from_each_status(client, world, make, status, expected):
    product = make.product(world["shop_a"], status=status)
    response = client.post(f"{P}/products/{product.id}/delist",
                           headers=world["headers"]["merchant_a"])
    assert response.status_code == expected
    if expected == 200:
        assert response.json["status"] == "delisted"


def test_listed_product_keeps_at_least_one_photo(client, listed):
    assert_refused(client.delete(f"{listed['url']}/images/0", headers=listed["headers"]),
                   409, "image_required")



# ---- retries ----------------------------------------------------------------------------

def test_retried_create_and_upload_with_one_idempotency_key_happen_once(client, world):
    headers = {**world["headers"]["merchant_a"], "Idempotency-Key": "create-1"}
    first = client.post(f"{P}/products", json=product_body(), headers=headers)
    again = client.post(f"{P}/products", json=product_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert count(Product) == 1
    url = f"{P}/products/{first.json['id']}/images"
    headers["Idempotency-Key"] = "photo-1"
    for _ in range(2):
        response = client.post(url, headers=headers, content_type="multipart/form-data",
                               data={"image": (BytesIO(jpeg_bytes()), "a.jpg", "image/jpeg")})
        assert response.status_code == 201 and len(response.json["images"]) == 1


# ---- races (PostgreSQL) -----------------------------------------------------------------

def _fire_uploads(app, url: str, headers: dict, n: int) -> list:
    """n multipart uploads released together, each from its own thread and session."""
    barrier = threading.Barrier(n)

    def send(i: int):
        client = app.test_client()
        barrier.wait(timeout=10)
        return client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"image": (BytesIO(jpeg_bytes(color=f"#0000{i:02x}")),
                                           f"{i}.jpg", "image/jpeg")})

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(send, range(n)))


@pytest.mark.postgres
def test_simultaneous_uploads_never_exceed_nine_images(committed):
    app = committed
    with app.app_context():
        make = Factory()
        shop = make.shop()
        headers = make.headers(make.merchant(shop))
        pid = make.product(shop, status="draft").id
    responses = _fire_uploads(app, f"{P}/products/{pid}/images", headers, 15)
    assert sorted(r.status_code for r in responses) == [201] * 9 + [409] * 6
    assert {r.get_json()["error"] for r in responses if r.status_code == 409} == \
        {"too_many_images"}
    with app.app_context():
        images = db.session.get(Product, pid).images
        assert len(images) == len(set(images)) == 9


