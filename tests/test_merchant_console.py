"""Merchant console: the auth matrix, the whole flow, sign-up, shop application, staff."""

from __future__ import annotations

from io import BytesIO

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.catalog.models import Product
from app.core import auth
from app.extensions import db
from app.merchants import services
from app.merchants.models import Shop, ShopMember
from tests.conftest import Factory, fire, matrix
from tests.test_images import assert_refused, jpeg_bytes, upload

FAKE_IMAGE = "/media/products/00/00000000000000000000000000000000.jpg"


def signup_body(username: str = "zhang-jiancai", **extra) -> dict:
    return {"username": username, "password": "green-pass-8", "nickname": "张老板",
            "phone": "13800001234", **extra}


def shop_body(**extra) -> dict:
    return {"name": "张氏绿色建材", "region_code": "410105", "address": "金水区花园路 18 号",
            "contact_phone": "0371-65551234", "description": "瓷砖、涂料、节能门窗", **extra}


def product_body(**extra) -> dict:
    return {"category": "ceramic-tiles", "name": "防滑地砖 600x600", "brand": "东鹏",
            "model_spec": "600x600mm", "unit": "片", "price_fen": 4500,
            "description": "耐磨防滑", **extra}


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# ---- the auth matrix ----------------------------------------------------------------------

@pytest.fixture
def scene(world, make):
    """world, plus shop A's staff member and products in the states the endpoints need."""
    shop_a = world["shop_a"]
    return {
        **world,
        "staff_a": make.merchant(shop_a, role=auth.MERCHANT_STAFF),
        "draft_a": with_images(make.product(shop_a, status="draft"), 1),
        "listed_a": with_images(make.product(shop_a, status="listed"), 2),
    }


def with_images(product: Product, n: int) -> Product:
    product.images = [FAKE_IMAGE] * n
    db.session.commit()
    return product


P = "/api/v1/merchant"
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix(f"{P}/signup", "POST", 201, 201, 201, 201, 201, 201, 201, 201),
    *matrix(f"{P}/shops", "POST", 401, 403, 403, 409, 409, 403, 403, 403),
    *matrix(f"{P}/shop", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(f"{P}/shop", "PATCH", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(f"{P}/staff", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(f"{P}/staff", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix(f"{P}/staff/{{staff_a}}", "DELETE", 401, 403, 403, 204, 404, 403, 403, 403),
    *matrix(f"{P}/products", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(f"{P}/products", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix(f"{P}/products/{{draft_a}}", "GET", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(f"{P}/products/{{draft_a}}", "PATCH", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(f"{P}/products/{{draft_a}}/submit", "POST", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(f"{P}/products/{{listed_a}}/delist", "POST", 401, 403, 403, 200, 404, 403, 403, 403),
    *matrix(f"{P}/products/{{draft_a}}/images", "POST", 401, 403, 403, 201, 404, 403, 403, 403),
    *matrix(f"{P}/products/{{listed_a}}/images/0", "DELETE",
            401, 403, 403, 200, 404, 403, 403, 403),
]


def _send(client, method: str, url: str, headers: dict, who: str):
    if url.endswith("/images") and method == "POST":
        return client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"image": (BytesIO(jpeg_bytes()), "a.jpg", "image/jpeg")})
    body = {
        f"{P}/signup": signup_body(f"new-{who.replace('_', '-')}"),
        f"{P}/shops": shop_body(),
        f"{P}/shop": {"description": "新的店铺介绍"},
        f"{P}/staff": {"username": f"staff-of-{who.replace('_', '-')}",
                       "password": "staff-pass-1"},
        f"{P}/products": product_body(),
    }.get(url) if method in ("POST", "PATCH") else None
    if method == "PATCH" and "/products/" in url:
        body = {"price_fen": 5200}
    return client.open(url, method=method, headers=headers, json=body)


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, scene, method, path, who, expected):
    url = path.format(staff_a=scene["staff_a"].id, draft_a=scene["draft_a"].id,
                      listed_a=scene["listed_a"].id)
    response = _send(client, method, url, scene["headers"][who], who)
    assert response.status_code == expected, response.get_json()
    if expected >= 400:
        body = response.get_json()
        assert set(body) <= {"code", "status", "error", "message", "errors"}
        assert body["code"] == expected


STAFF_CASES = [
    ("GET", f"{P}/shop", 200), ("PATCH", f"{P}/shop", 403), ("POST", f"{P}/shops", 403),
    ("GET", f"{P}/staff", 403), ("POST", f"{P}/staff", 403),
    ("DELETE", f"{P}/staff/{{staff_a}}", 403),
    ("GET", f"{P}/products", 200), ("POST", f"{P}/products", 201),
    ("GET", f"{P}/products/{{draft_a}}", 200), ("PATCH", f"{P}/products/{{draft_a}}", 200),
    ("POST", f"{P}/products/{{draft_a}}/submit", 200),
    ("POST", f"{P}/products/{{listed_a}}/delist", 200),
    ("POST", f"{P}/products/{{draft_a}}/images", 201),
    ("DELETE", f"{P}/products/{{listed_a}}/images/0", 200),
]


@pytest.mark.parametrize(("method", "path", "expected"), STAFF_CASES,
                         ids=[f"{m} {p}" for m, p, _ in STAFF_CASES])
def test_staff_manage_products_but_not_staff_or_the_shop(client, scene, make, method, path,
                                                         expected):
    url = path.format(staff_a=scene["staff_a"].id, draft_a=scene["draft_a"].id,
                      listed_a=scene["listed_a"].id)
    response = _send(client, method, url, make.headers(scene["staff_a"]), "staff_a")
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.get_json()["error"] == "role_not_allowed"


# ---- the whole flow ---------------------------------------------------------------------

def test_signup_apply_approve_create_images_submit(client):
    signed = client.post(f"{P}/signup", json=signup_body())
    assert signed.status_code == 201, signed.get_json()
    assert signed.json["user"]["role"] == "merchant_owner"
    assert signed.json["user"]["merchant_id"] is None
    headers = {"Authorization": f"Bearer {signed.json['token']}"}

    assert_refused(client.get(f"{P}/shop", headers=headers), 404, "shop_not_found")
    assert_refused(client.get(f"{P}/products", headers=headers), 403, "shop_required")

    applied = client.post(f"{P}/shops", json=shop_body(), headers=headers)
    assert applied.status_code == 201, applied.get_json()
    assert applied.json["status"] == "pending"
    shop_id = applied.json["id"]
    assert client.get("/api/v1/me", headers=headers).json["merchant_id"] == shop_id

    # Drafts may be prepared while the application is pending, not submitted.
    created = client.post(f"{P}/products", json=product_body(), headers=headers)
    assert created.status_code == 201, created.get_json()
    pid = created.json["id"]
    assert created.json["status"] == "draft"
    assert upload(client, pid, jpeg_bytes(), headers).status_code == 201
    assert_refused(client.post(f"{P}/products/{pid}/submit", headers=headers),
                   409, "shop_not_approved")

    shop = db.session.get(Shop, shop_id)  # the admin approves (their API is not ours)
    shop.status, shop.decision_note = "approved", "材料齐全，准予入驻"
    db.session.commit()
    mine = client.get(f"{P}/shop", headers=headers).json
    assert (mine["status"], mine["decision_note"]) == ("approved", "材料齐全，准予入驻")
    assert mine["contact_phone"] == "0371-65551234"

    submitted = client.post(f"{P}/products/{pid}/submit", headers=headers)
    assert submitted.status_code == 200 and submitted.json["status"] == "pending"
    listed = client.get(f"{P}/products?status=pending", headers=headers).json["items"]
    assert [p["id"] for p in listed] == [pid]
    # Still hidden from villagers until an admin lists it.
    assert client.get(f"/api/mp/v1/products/{pid}").status_code == 404


def test_storefront_follows_merchant_changes(client, make):
    """Listed → visible; price edit → new price at once (cache bumped); delist → gone."""
    shop = make.shop("410105")
    headers = make.headers(make.merchant(shop))
    product = with_images(make.product(shop, price_fen=10000), 1)
    url = f"/api/mp/v1/products/{product.id}"
    assert client.get(url).json["price_fen"] == 10000
    client.patch(f"{P}/products/{product.id}", json={"price_fen": 8800}, headers=headers)
    assert client.get(url).json["price_fen"] == 8800
    client.post(f"{P}/products/{product.id}/delist", headers=headers)
    assert client.get(url).status_code == 404


# ---- sign-up --------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"password": "short7!"}, "password"),
    ({"phone": "12345"}, "phone"),
    ({"username": "张三"}, "username"),
    ({"username": "-dash-first"}, "username"),
    ({"username": "ab"}, "username"),
    ({"role": "admin"}, "role"),
])
def test_signup_validation(client, change, field):
    before = count(User)
    body = assert_refused(client.post(f"{P}/signup", json=signup_body(**change)),
                          422, "validation_error")
    assert field in body["errors"]
    assert count(User) == before


def test_signup_stores_phone_and_refuses_a_taken_username(client):
    assert client.post(f"{P}/signup", json=signup_body("li-ming")).status_code == 201
    user = db.session.scalar(sa.select(User).where(User.username == "li-ming"))
    assert (user.role, user.phone, user.nickname) == ("merchant_owner", "13800001234", "张老板")
    assert_refused(client.post(f"{P}/signup", json=signup_body("LI-Ming")),
                   409, "username_taken")
    login = client.post("/api/v1/auth/login",
                        json={"username": "li-ming", "password": "green-pass-8"})
    assert login.status_code == 200


def test_signup_is_rate_limited(client):
    statuses = [client.post(f"{P}/signup", json=signup_body(f"user-{i}")).status_code
                for i in range(6)]
    assert statuses == [201] * 5 + [429]
    assert_refused(client.post(f"{P}/signup", json=signup_body("user-x")), 429, "rate_limited")


# ---- shop application ---------------------------------------------------------------

@pytest.fixture
def owner(make):
    user = make.console_user(auth.MERCHANT_OWNER)
    return {"user": user, "headers": make.headers(user)}


@pytest.mark.parametrize(("change", "status", "error", "field"), [
    ({"region_code": "419999"}, 422, "unknown_region", "region_code"),
    ({"region_code": "410000"}, 422, "region_too_broad", "region_code"),
    ({"region_code": "410100"}, 422, "region_too_broad", "region_code"),
    ({"region_code": "41"}, 422, "validation_error", "region_code"),
    ({"contact_phone": "110"}, 422, "validation_error", "contact_phone"),
    ({"name": ""}, 422, "validation_error", "name"),
    ({"status": "approved"}, 422, "validation_error", "status"),
])
def test_shop_application_validation(client, owner, change, status, error, field):
    before = count(Shop)
    body = assert_refused(client.post(f"{P}/shops", json=shop_body(**change),
                                      headers=owner["headers"]), status, error)
    assert field in body["errors"]
    assert count(Shop) == before


def test_one_shop_per_owner_and_township_codes_accepted(client, owner):
    first = client.post(f"{P}/shops", json=shop_body(region_code="410105001",
                                                     contact_phone="13912345678"),
                        headers=owner["headers"])
    assert first.status_code == 201 and first.json["region_code"] == "410105001"
    assert_refused(client.post(f"{P}/shops", json=shop_body(), headers=owner["headers"]),
                   409, "shop_exists")
    assert count(ShopMember) == 1
    assert db.session.get(User, owner["user"].id).region_code == "410105001"


def test_rejected_application_is_edited_and_back_to_pending(client, owner):
    shop_id = client.post(f"{P}/shops", json=shop_body(), headers=owner["headers"]).json["id"]
    shop = db.session.get(Shop, shop_id)
    shop.status, shop.decision_note = "rejected", "地址不详"
    db.session.commit()
    edited = client.patch(f"{P}/shop", json={"address": "金水区花园路 18 号 2 号门面"},
                          headers=owner["headers"])
    assert edited.status_code == 200
    assert (edited.json["status"], edited.json["decision_note"]) == ("pending", "地址不详")


def test_approved_shop_keeps_its_name_and_region(client, world):
    headers = world["headers"]["merchant_a"]
    assert_refused(client.patch(f"{P}/shop", json={"name": "换个名字"}, headers=headers),
                   409, "shop_field_locked")
    ok = client.patch(f"{P}/shop", json={"contact_phone": "13700001111",
                                         "name": world["shop_a"].name}, headers=headers)
    assert ok.status_code == 200 and ok.json["status"] == "approved"
    assert ok.json["contact_phone"] == "13700001111"


def test_suspended_shop_cannot_be_edited(client, make):
    headers = make.headers(make.merchant(make.shop(status="suspended")))
    assert_refused(client.patch(f"{P}/shop", json={"description": "x"}, headers=headers),
                   409, "shop_suspended")


# ---- staff ----------------------------------------------------------------------------

def test_staff_lifecycle(client, world):
    headers = world["headers"]["merchant_a"]
    created = client.post(f"{P}/staff", json={"username": "xiao-wang", "password": "staff-pass-1",
                                              "nickname": "小王"}, headers=headers)
    assert created.status_code == 201
    assert created.json["role"] == "merchant_staff" and "password" not in created.json
    login = client.post("/api/v1/auth/login",
                        json={"username": "xiao-wang", "password": "staff-pass-1"})
    assert login.json["user"]["merchant_id"] == world["shop_a"].id
    staff_headers = {"Authorization": f"Bearer {login.json['token']}"}
    assert client.post(f"{P}/products", json=product_body(), headers=staff_headers) \
        .status_code == 201
    assert [s["username"] for s in client.get(f"{P}/staff", headers=headers).json["items"]] \
        == ["xiao-wang"]
    # The other shop sees none of them.
    assert client.get(f"{P}/staff", headers=world["headers"]["merchant_b"]).json["items"] == []

    assert client.delete(f"{P}/staff/{created.json['id']}", headers=headers).status_code == 204
    assert_refused(client.get(f"{P}/products", headers=staff_headers), 401, "token_invalid")
    assert_refused(client.post("/api/v1/auth/login", json={"username": "xiao-wang",
                                                           "password": "staff-pass-1"}),
                   401, "account_disabled")
    assert client.get(f"{P}/staff", headers=headers).json["items"] == []
    assert_refused(client.delete(f"{P}/staff/{created.json['id']}", headers=headers),
                   404, "staff_not_found")


def test_owner_cannot_remove_itself_or_other_shops_staff(client, world, make):
    headers = world["headers"]["merchant_a"]
    other = make.merchant(world["shop_b"], role=auth.MERCHANT_STAFF)
    for user_id in (world["users"]["merchant_a"].id, other.id, world["users"]["villager_a"].id):
        assert_refused(client.delete(f"{P}/staff/{user_id}", headers=headers),
                       404, "staff_not_found")
    assert db.session.get(User, other.id).is_active


def test_staff_validation_and_taken_names(client, world):
    headers = world["headers"]["merchant_a"]
    taken = world["users"]["merchant_b"].username
    assert_refused(client.post(f"{P}/staff", json={"username": taken, "password": "long-enough"},
                               headers=headers), 409, "username_taken")
    body = assert_refused(client.post(f"{P}/staff", json={"username": "ok-name",
                                                          "password": "short"},
                                      headers=headers), 422, "validation_error")
    assert set(body["errors"]) == {"password"}


def test_staff_limit(client, world, monkeypatch):
    monkeypatch.setattr(services, "MAX_STAFF", 1)
    headers = world["headers"]["merchant_a"]
    assert client.post(f"{P}/staff", json={"username": "s-one", "password": "pass-word-1"},
                       headers=headers).status_code == 201
    assert_refused(client.post(f"{P}/staff", json={"username": "s-two",
                                                   "password": "pass-word-1"},
                               headers=headers), 409, "staff_limit_reached")


# ---- races (PostgreSQL) -----------------------------------------------------------------

@pytest.mark.postgres
def test_simultaneous_signups_with_one_name_make_one_account(committed):
    app = committed
    responses = fire(app, [("POST", f"{P}/signup", signup_body("same-name"), None)] * 20)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 19
    assert {r.get_json()["error"] for r in responses if r.status_code == 409} == \
        {"username_taken"}


@pytest.mark.postgres
def test_double_submitted_shop_application_makes_one_shop(committed):
    app = committed
    with app.app_context():
        make = Factory()
        headers = make.headers(make.console_user(auth.MERCHANT_OWNER))
    responses = fire(app, [("POST", f"{P}/shops", shop_body(), headers)] * 10)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 9
    with app.app_context():
        assert count(Shop) == 1 and count(ShopMember) == 1
