"""Coupons: templates, claiming, scope and validity, redemption at the till, reversal, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.core import auth
from app.core.db import utcnow
from app.core.errors import ApiError
from app.expos import gate, organiser, registration
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from app.notifications.models import Notification
from app.promotions import codes, coupons
from app.promotions.models import Coupon, CouponTemplate, Redemption
from app.promotions.pricing import coupon_discount, promotional_price

ERROR_KEYS = {"code", "status", "error", "message", "errors"}
CONSOLE = "/api/v1/merchant/coupons"
TILL = "/api/v1/merchant/redemptions"
TOWNSHIP_HERE = "410105001"


# ---- helpers shared by the coupon test modules -------------------------------------------

def coupon_values(**over) -> dict:
    """Service-level values for a template: 满 100 减 20, 100 of them, claimable now."""
    now = utcnow()
    values = {"title": "满100减20", "kind": "fixed", "amount_fen": 2000, "min_spend_fen": 10000,
              "total_quantity": 100, "per_person_limit": 1, "validity_kind": "relative",
              "valid_days": 30, "claim_starts_at": now - timedelta(hours=1),
              "claim_ends_at": now + timedelta(days=7)}
    values.update(over)
    return values


def coupon_body(**over) -> dict:
    """A JSON body for POST /api/v1/merchant/coupons."""
    values = coupon_values(**over)
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def new_template(shop, **over) -> CouponTemplate:
    """A template made through the service, committed (to the test's savepoint)."""
    template = coupons.create_template(shop.id, **coupon_values(**over))
    db.session.commit()
    return template


def claim(client, headers: dict, template_id: int, *, key: str | None = None):
    if key is not None:
        headers = {**headers, "Idempotency-Key": key}
    return client.post(f"/api/mp/v1/coupons/{template_id}/claim", headers=headers)


def claimed(client, headers: dict, template_id: int) -> dict:
    response = claim(client, headers, template_id)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["coupon"]


def redeem(client, headers: dict, code: str, order_amount_fen: int, product_id: int | None = None):
    body = {"code": code, "order_amount_fen": order_amount_fen}
    if product_id is not None:
        body["product_id"] = product_id
    return client.post(TILL, headers=headers, json=body)


def my_coupons(client, headers: dict, query: str = "") -> dict[int, dict]:
    response = client.get(f"/api/mp/v1/me/coupons{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return {c["id"]: c for c in response.get_json()["items"]}


def assert_error(response, status: int, error: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) <= ERROR_KEYS and body["code"] == status, body
    assert body["error"] == error, body
    assert body["message"]
    return body


def shift_coupon(coupon_id: int, **values) -> None:
    db.session.execute(sa.update(Coupon).where(Coupon.id == coupon_id).values(**values))
    db.session.commit()


def coupon_row(coupon_id: int) -> Coupon:
    db.session.expire_all()
    return db.session.get(Coupon, coupon_id)


def new_expo(admin, *, title: str = "经八路街道绿色建材下乡展销会") -> Expo:
    """A published expo in a township of 410105 whose gate opened half an hour ago."""
    now = utcnow()
    starts = now - timedelta(minutes=30)
    expo = organiser.create_expo(admin, title=title, venue="经八路街道文化广场",
                                 township_code=TOWNSHIP_HERE, capacity=100, starts_at=starts,
                                 ends_at=starts + timedelta(hours=8),
                                 registration_opens_at=now - timedelta(days=1),
                                 registration_closes_at=starts + timedelta(hours=7))
    organiser.publish(expo)
    db.session.commit()
    return expo


def approved_booth(expo: Expo, shop, admin) -> None:
    """The shop's booth at the expo, applied for and approved by the organiser."""
    booth = organiser.apply_for_booth(expo.id, shop.id)
    organiser.decide_booth(expo, booth.id, approve=True, booth_no=None, note=None, by=admin)
    db.session.commit()


def ticket_for(expo: Expo, villager, *, admitted: bool) -> ExpoTicket:
    ticket, _ = registration.register(expo.id, villager)
    if admitted:
        ticket.admitted_at = utcnow()
    db.session.commit()
    return ticket


@pytest.fixture
def tile(world, make):
    return make.product(world["shop_a"], name="仿古砖", category="ceramic-tiles", price_fen=30000)


# ---- templates ---------------------------------------------------------------------------

def test_merchant_creates_a_coupon_for_its_own_shop(client, world):
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"], json=coupon_body())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["shop_id"] == world["shop_a"].id
    assert body["merchant"] == {"id": world["shop_a"].id, "name": "金水瓷砖店"}
    assert body["claimed_count"] == 0 and body["remaining"] == 100
    assert body["scope"] == "shop" and body["status"] == "active" and body["expo_only"] is False
    assert body["claim_ends_at"].endswith("+08:00")  # China time, as API.md promises
    listed = client.get(CONSOLE, headers=world["headers"]["merchant_a"]).get_json()["items"]
    assert [t["id"] for t in listed] == [body["id"]]
    assert client.get(CONSOLE, headers=world["headers"]["merchant_b"]).get_json()["items"] == []


def test_staff_may_look_and_redeem_but_not_create(client, world, make):
    staff = make.merchant(world["shop_a"], role=auth.MERCHANT_STAFF)
    headers = make.headers(staff)
    assert_error(client.post(CONSOLE, headers=headers, json=coupon_body()), 403,
                 "role_not_allowed")
    template = new_template(world["shop_a"], min_spend_fen=0)
    assert client.get(CONSOLE, headers=headers).status_code == 200
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    response = redeem(client, headers, coupon["code"], 5000)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["discount_fen"] == 2000


BAD_TEMPLATES = [
    pytest.param({"amount_fen": None}, "amount_fen", id="fixed without amount"),
    pytest.param({"kind": "percent", "amount_fen": None}, "percent_off_bp",
                 id="percent without percent"),
    pytest.param({"kind": "percent", "percent_off_bp": 10_000}, "percent_off_bp", id="100% off"),
    pytest.param({"amount_fen": 0}, "amount_fen", id="zero amount"),
    pytest.param({"amount_fen": -5}, "amount_fen", id="negative amount"),
    pytest.param({"total_quantity": 0}, "total_quantity", id="no quantity"),
    pytest.param({"per_person_limit": 0}, "per_person_limit", id="no per-person"),
    pytest.param({"min_spend_fen": -1}, "min_spend_fen", id="negative minimum"),
    pytest.param({"min_spend_fen": 10**12}, "min_spend_fen", id="absurd minimum"),
    pytest.param({"valid_days": None}, "valid_days", id="relative without days"),
    pytest.param({"valid_days": 0}, "valid_days", id="zero days"),
    pytest.param({"validity_kind": "fixed"}, "valid_until", id="fixed without dates"),
    pytest.param({"validity_kind": "sometimes"}, "validity_kind", id="unknown validity"),
    pytest.param({"kind": "gift"}, "kind", id="unknown kind"),
    pytest.param({"title": ""}, "title", id="empty title"),
    pytest.param({"claim_ends_at": "2020-01-01T00:00:00+08:00"}, "claim_ends_at",
                 id="claim ends before it starts"),
    pytest.param({"claim_ends_at": "2030-01-01T00:00:00"}, "claim_ends_at", id="naive time"),
    pytest.param({"claim_ends_at": "next week"}, "claim_ends_at", id="not a time"),
    pytest.param({"scope": "category"}, "category_id", id="category without category"),
    pytest.param({"scope": "category", "category_id": 999_999}, "category_id",
                 id="unknown category"),
    pytest.param({"scope": "products"}, "product_ids", id="products without products"),
    pytest.param({"scope": "products", "product_ids": [999_999]}, "product_ids",
                 id="unknown product"),
    pytest.param({"scope": "region"}, "scope", id="unknown scope"),
    pytest.param({"expo_id": 999_999}, "expo_id", id="unknown expo"),
    pytest.param({"expo_id": 2**40}, "expo_id", id="expo id out of range"),
    pytest.param({"category_id": 2**40, "scope": "category"}, "category_id",
                 id="category id out of range"),
    pytest.param({"shop_id": 1}, "shop_id", id="unknown field"),
    pytest.param({"claimed_count": 99}, "claimed_count", id="protected field"),
]


@pytest.mark.parametrize(("over", "field"), BAD_TEMPLATES)
def test_bad_template_is_422_in_the_one_shape_and_changes_nothing(client, world, over, field):
    body = coupon_body()
    for key, value in over.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"], json=body)
    answer = response.get_json()
    assert response.status_code == 422, answer
    assert set(answer) <= ERROR_KEYS and answer["code"] == 422
    assert field in answer["errors"], answer
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CouponTemplate)) == 0


def test_fixed_validity_must_cover_the_claim_window(client, world):
    now = utcnow()
    body = coupon_body(validity_kind="fixed", valid_from=now, valid_until=now + timedelta(days=3),
                       valid_days=None, claim_ends_at=now + timedelta(days=5))
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"], json=body)
    assert response.status_code == 422, response.get_json()
    assert "claim_ends_at" in response.get_json()["errors"]


@pytest.mark.parametrize("product_kind", ["other_shop", "uncertified", "negative_listed"])
def test_products_scope_only_own_eligible_products(client, world, make, product_kind):
    if product_kind == "other_shop":
        product = make.product(world["shop_b"])
    elif product_kind == "uncertified":
        product = make.product(world["shop_a"], certified=False)
    else:
        product = make.product(world["shop_a"])
        listed = client.post("/api/v1/admin/negative-list", headers=world["headers"]["province"],
                             json={"product_id": product.id, "reason": "抽检不合格"})
        assert listed.status_code == 201, listed.get_json()
    good = make.product(world["shop_a"])
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"], json=coupon_body(
        scope="products", product_ids=[good.id, product.id]))
    body = assert_error(response, 422, "invalid_coupon")
    assert str(product.id) in body["errors"]["product_ids"][0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CouponTemplate)) == 0


def test_edit_never_changes_claimed_coupons(client, world):
    template = new_template(world["shop_a"], min_spend_fen=10000, amount_fen=2000)
    first = claimed(client, world["headers"]["villager_a"], template.id)
    patched = client.patch(f"{CONSOLE}/{template.id}", headers=world["headers"]["merchant_a"],
                           json={"title": "满300减80", "amount_fen": 8000,
                                 "min_spend_fen": 30000, "valid_days": 1})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["amount_fen"] == 8000

    mine = my_coupons(client, world["headers"]["villager_a"])[first["id"]]
    assert mine["title"] == "满100减20"
    assert mine["terms"]["amount_fen"] == 2000 and mine["terms"]["min_spend_fen"] == 10000
    assert mine["valid_until"] == first["valid_until"]  # 30 days, as claimed
    response = redeem(client, world["headers"]["merchant_a"], first["code"], 10000)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["discount_fen"] == 2000

    later = claimed(client, world["headers"]["villager_b"], template.id)
    assert later["terms"]["amount_fen"] == 8000 and later["title"] == "满300减80"
    assert_error(redeem(client, world["headers"]["merchant_a"], later["code"], 10000), 422,
                 "min_spend_not_met")


def test_quantity_cannot_go_below_claimed(client, world):
    template = new_template(world["shop_a"], total_quantity=5)
    claimed(client, world["headers"]["villager_a"], template.id)
    claimed(client, world["headers"]["villager_b"], template.id)
    url, headers = f"{CONSOLE}/{template.id}", world["headers"]["merchant_a"]
    assert_error(client.patch(url, headers=headers, json={"total_quantity": 1}), 409,
                 "quantity_below_claimed")
    db.session.expire_all()
    assert db.session.get(CouponTemplate, template.id).total_quantity == 5
    response = client.patch(url, headers=headers, json={"total_quantity": 2})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["remaining"] == 0


def test_quantity_below_claims_made_meanwhile_is_409_not_500(client, world):
    """The pre-check read a stale claimed_count: the database's check constraint decides."""
    template = new_template(world["shop_a"], total_quantity=10)
    db.session.execute(sa.update(CouponTemplate).where(CouponTemplate.id == template.id)
                       .values(claimed_count=6).execution_options(synchronize_session=False))
    assert template.claimed_count == 0  # what this session still believes
    with pytest.raises(ApiError) as caught:
        coupons.update_template(template, total_quantity=5, title="改个名字")
    assert caught.value.error == "quantity_below_claimed"
    db.session.rollback()


def test_patch_is_checked_like_create(client, world):
    template = new_template(world["shop_a"])
    url, headers = f"{CONSOLE}/{template.id}", world["headers"]["merchant_a"]
    for body, field in (({"kind": "percent"}, "percent_off_bp"),
                        ({"scope": "category"}, "category_id"),
                        ({"status": "suspended"}, "status"),
                        ({"claimed_count": 0}, "claimed_count")):
        response = client.patch(url, headers=headers, json=body)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_json()["errors"]
    db.session.expire_all()
    row = db.session.get(CouponTemplate, template.id)
    assert (row.kind, row.scope, row.status) == ("fixed", "shop", "active")


# ---- claiming ----------------------------------------------------------------------------

def test_villager_claims_a_coupon_and_sees_it(client, world):
    template = new_template(world["shop_a"])
    listed = client.get(f"/api/mp/v1/coupons?merchant={world['shop_a'].id}").get_json()["items"]
    assert [(t["id"], t["remaining"]) for t in listed] == [(template.id, 100)]

    before = utcnow()
    response = claim(client, world["headers"]["villager_a"], template.id)
    assert response.status_code == 201, response.get_json()
    coupon = response.get_json()["coupon"]
    assert {"id", "code", "valid_until"} <= set(coupon)
    assert coupon["status"] == "unused" and coupon["merchant"]["id"] == world["shop_a"].id
    assert codes.verify(coupon["code"]).coupon_id == coupon["id"]
    row = coupon_row(coupon["id"])
    assert timedelta(days=30) <= row.valid_until - before <= timedelta(days=30, minutes=1)

    listed = client.get(f"/api/mp/v1/coupons?merchant={world['shop_a'].id}").get_json()["items"]
    assert listed[0]["remaining"] == 99
    assert list(my_coupons(client, world["headers"]["villager_a"])) == [coupon["id"]]
    assert my_coupons(client, world["headers"]["villager_b"]) == {}


def test_qr_codes_of_my_coupon(client, world):
    template = new_template(world["shop_a"])
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    url = f"/api/mp/v1/me/coupons/{coupon['id']}/qr"
    svg = client.get(url + ".svg", headers=world["headers"]["villager_a"])
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert svg.headers["Cache-Control"].startswith("private")
    png = client.get(url + ".png", headers=world["headers"]["villager_a"])
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    again = client.get(url + ".svg", headers={**world["headers"]["villager_a"],
                                              "If-None-Match": svg.headers["ETag"]})
    assert again.status_code == 304
    assert_error(client.get(url + ".svg", headers=world["headers"]["villager_b"]), 404,
                 "coupon_not_found")


def test_per_person_limit(client, world):
    template = new_template(world["shop_a"], per_person_limit=2)
    headers = world["headers"]["villager_a"]
    first, second = claimed(client, headers, template.id), claimed(client, headers, template.id)
    assert first["id"] != second["id"] and first["code"] != second["code"]
    assert_error(claim(client, headers, template.id), 409, "coupon_limit_reached")
    assert db.session.get(CouponTemplate, template.id).claimed_count == 2


def test_sold_out_leaves_nothing_behind(client, world, make):
    template = new_template(world["shop_a"], total_quantity=1)
    claimed(client, world["headers"]["villager_a"], template.id)
    assert_error(claim(client, world["headers"]["villager_b"], template.id), 409,
                 "coupon_sold_out")
    db.session.expire_all()
    assert db.session.get(CouponTemplate, template.id).claimed_count == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Coupon)) == 1
    assert my_coupons(client, world["headers"]["villager_b"]) == {}


@pytest.mark.parametrize(("over", "error", "status"), [
    pytest.param({"claim_starts_at": utcnow() + timedelta(hours=1)}, "coupon_not_claimable",
                 409, id="not yet"),
    pytest.param({"claim_starts_at": utcnow() - timedelta(days=9),
                  "claim_ends_at": utcnow() - timedelta(days=1)}, "coupon_not_claimable", 409,
                 id="over"),
    pytest.param({"status": "paused"}, "coupon_not_claimable", 409, id="paused"),
])
def test_claim_window_and_pause(client, world, over, error, status):
    template = new_template(world["shop_a"], **over)
    assert_error(claim(client, world["headers"]["villager_a"], template.id), status, error)
    listed = client.get("/api/mp/v1/coupons").get_json()["items"]
    assert template.id not in {t["id"] for t in listed}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Coupon)) == 0


def test_merchant_pauses_and_resumes(client, world):
    template = new_template(world["shop_a"])
    url, headers = f"{CONSOLE}/{template.id}", world["headers"]["merchant_a"]
    assert client.patch(url, headers=headers, json={"status": "paused"}).status_code == 200
    assert_error(claim(client, world["headers"]["villager_a"], template.id), 409,
                 "coupon_not_claimable")
    assert client.patch(url, headers=headers, json={"status": "active"}).status_code == 200
    claimed(client, world["headers"]["villager_a"], template.id)


def test_unknown_template_and_unapproved_shop(client, world, make):
    assert_error(claim(client, world["headers"]["villager_a"], 999_999), 404, "coupon_not_found")
    pending = make.shop(status="pending")
    template = new_template(pending)
    assert_error(claim(client, world["headers"]["villager_a"], template.id), 404,
                 "coupon_not_found")
    listed = client.get("/api/mp/v1/coupons").get_json()["items"]
    assert template.id not in {t["id"] for t in listed}


def test_claimable_list_filters_and_bad_query(client, world):
    a = new_template(world["shop_a"])
    b = new_template(world["shop_b"])
    ids = {t["id"] for t in client.get("/api/mp/v1/coupons").get_json()["items"]}
    assert {a.id, b.id} <= ids
    only_b = client.get(f"/api/mp/v1/coupons?merchant={world['shop_b'].id}").get_json()["items"]
    assert [t["id"] for t in only_b] == [b.id]
    assert client.get("/api/mp/v1/coupons?merchant=abc").status_code == 422
    assert client.get("/api/mp/v1/me/coupons?status=lost",
                      headers=world["headers"]["villager_a"]).status_code == 422


# ---- expo-only coupons -------------------------------------------------------------------

def test_expo_only_coupon_needs_admission_to_that_expo(client, world, make):
    county = world["users"]["county_here"]
    expo, other = new_expo(county), new_expo(county, title="另一场展销会")
    approved_booth(expo, world["shop_a"], county)
    template = new_template(world["shop_a"], expo_id=expo.id)
    admitted, registered, elsewhere = make.villager(), make.villager(), make.villager()
    ticket_for(expo, admitted, admitted=True)
    ticket_for(expo, registered, admitted=False)
    ticket_for(other, elsewhere, admitted=True)

    listed = client.get(f"/api/mp/v1/coupons?expo={expo.id}").get_json()["items"]
    assert [(t["id"], t["expo_only"]) for t in listed] == [(template.id, True)]
    assert client.get(f"/api/mp/v1/coupons?expo={other.id}").get_json()["items"] == []

    claimed(client, make.headers(admitted), template.id)
    for villager in (registered, elsewhere, world["users"]["villager_a"]):
        assert_error(claim(client, make.headers(villager), template.id), 403,
                     "expo_admission_required")
    assert db.session.get(CouponTemplate, template.id).claimed_count == 1


def test_admission_by_a_gate_scan_unlocks_the_expo_coupon(client, world, make):
    county = world["users"]["county_here"]
    expo = new_expo(county)
    staff = make.console_user(auth.EXPO_STAFF)
    organiser.assign_staff(expo, staff.id, by=county)
    approved_booth(expo, world["shop_a"], county)
    template = new_template(world["shop_a"], expo_id=expo.id)
    villager = make.villager()
    ticket = ticket_for(expo, villager, admitted=False)
    headers = make.headers(villager)
    assert_error(claim(client, headers, template.id), 403, "expo_admission_required")
    answer = gate.scan(expo, code=registration.ticket_code(ticket), staff_id=staff.id)
    db.session.commit()
    assert answer.result == "admitted"
    claimed(client, headers, template.id)


@pytest.mark.parametrize("booth", [
    pytest.param(None, id="no booth"),
    pytest.param("applied", id="booth still pending"),
    pytest.param("rejected", id="booth rejected"),
    pytest.param("elsewhere", id="approved at another expo"),
])
def test_an_expo_only_coupon_needs_an_approved_booth_there(client, world, booth):
    county = world["users"]["county_here"]
    expo, other = new_expo(county), new_expo(county, title="另一场展销会")
    shop = world["shop_a"]
    if booth == "elsewhere":
        approved_booth(other, shop, county)
    elif booth is not None:
        applied = organiser.apply_for_booth(expo.id, shop.id)
        if booth == "rejected":
            organiser.decide_booth(expo, applied.id, approve=False, booth_no=None,
                                   note="展位已满", by=county)
        db.session.commit()
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"],
                           json=coupon_body(expo_id=expo.id))
    body = assert_error(response, 409, "no_approved_booth")
    assert "展位" in body["message"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CouponTemplate)) == 0


def test_an_approved_booth_lets_the_merchant_offer_an_expo_only_coupon(client, world):
    county = world["users"]["county_here"]
    expo = new_expo(county)
    approved_booth(expo, world["shop_a"], county)
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"],
                           json=coupon_body(expo_id=expo.id))
    assert response.status_code == 201, response.get_json()
    assert (response.json["expo_id"], response.json["expo_only"]) == (expo.id, True)
    # the other shop, without a booth, is still refused the same expo
    assert_error(client.post(CONSOLE, headers=world["headers"]["merchant_b"],
                             json=coupon_body(expo_id=expo.id)), 409, "no_approved_booth")


def test_moving_a_coupon_to_an_expo_needs_a_booth_there(client, world):
    county = world["users"]["county_here"]
    expo, other = new_expo(county), new_expo(county, title="另一场展销会")
    approved_booth(expo, world["shop_a"], county)
    plain = new_template(world["shop_a"])
    at_expo = new_template(world["shop_a"], expo_id=expo.id)
    headers = world["headers"]["merchant_a"]
    assert_error(client.patch(f"{CONSOLE}/{plain.id}", headers=headers,
                              json={"expo_id": other.id}), 409, "no_approved_booth")
    assert_error(client.patch(f"{CONSOLE}/{at_expo.id}", headers=headers,
                              json={"expo_id": other.id}), 409, "no_approved_booth")
    db.session.expire_all()
    assert (db.session.get(CouponTemplate, plain.id).expo_id,
            db.session.get(CouponTemplate, at_expo.id).expo_id) == (None, expo.id)
    # editing an expo coupon's other terms, or moving one to where the booth is, is fine
    edited = client.patch(f"{CONSOLE}/{at_expo.id}", headers=headers, json={"title": "到场立减"})
    assert edited.status_code == 200 and edited.json["expo_id"] == expo.id
    moved = client.patch(f"{CONSOLE}/{plain.id}", headers=headers, json={"expo_id": expo.id})
    assert moved.status_code == 200 and moved.json["expo_only"] is True


def test_expo_coupon_rules_at_the_service(world):
    county = world["users"]["county_here"]
    expo = new_expo(county)
    with pytest.raises(ApiError) as refused:
        coupons.create_template(world["shop_b"].id, **coupon_values(expo_id=expo.id))
    assert (refused.value.status, refused.value.error) == (409, "no_approved_booth")


# ---- redemption --------------------------------------------------------------------------

def test_redeem_once_by_the_issuing_shop(client, world):
    template = new_template(world["shop_a"])
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    assert_error(redeem(client, world["headers"]["merchant_b"], coupon["code"], 20000), 403,
                 "not_your_coupon")
    response = redeem(client, world["headers"]["merchant_a"], coupon["code"].lower(), 20000)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["order_amount_fen"], body["discount_fen"], body["paid_fen"]) == (20000, 2000,
                                                                                  18000)
    assert len(body["stacking_rules"]) == 3
    assert_error(redeem(client, world["headers"]["merchant_a"], coupon["code"], 20000), 409,
                 "coupon_already_used")
    mine = my_coupons(client, world["headers"]["villager_a"])[coupon["id"]]
    assert mine["status"] == "used" and mine["used_at"]
    assert my_coupons(client, world["headers"]["villager_a"], "?status=used").keys() == {
        coupon["id"]}
    assert_error(client.get(f"/api/mp/v1/me/coupons/{coupon['id']}/qr.svg",
                            headers=world["headers"]["villager_a"]), 409, "coupon_not_usable")
    listed = client.get(TILL, headers=world["headers"]["merchant_a"]).get_json()["items"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert client.get(TILL, headers=world["headers"]["merchant_b"]).get_json()["items"] == []


def test_forged_or_tampered_codes_are_invalid(client, world):
    template = new_template(world["shop_a"])
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    row = coupon_row(coupon["id"])
    code = coupon["code"]
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    wrong_secret = codes.sign(row.id, "00" * 6)
    headers = world["headers"]["merchant_a"]
    for bad in (tampered, wrong_secret, "hello", "::::", "A" * 32):
        assert_error(redeem(client, headers, bad, 20000), 404, "coupon_invalid")
    assert coupon_row(coupon["id"]).status == "unused"


@pytest.mark.parametrize("body", [
    {}, {"code": "X"}, {"order_amount_fen": 100}, {"code": "X", "order_amount_fen": 0},
    {"code": "X", "order_amount_fen": -1}, {"code": "X", "order_amount_fen": "lots"},
    {"code": "", "order_amount_fen": 100}, {"code": "X", "order_amount_fen": 100, "tip": 1},
    {"code": "X", "order_amount_fen": 10**12},
])
def test_bad_redemption_input(client, world, body):
    response = client.post(TILL, headers=world["headers"]["merchant_a"], json=body)
    answer = response.get_json()
    assert response.status_code == 422, answer
    assert set(answer) <= ERROR_KEYS and answer["errors"]


def test_minimum_spend(client, world):
    template = new_template(world["shop_a"], min_spend_fen=10000)
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    body = assert_error(redeem(client, world["headers"]["merchant_a"], coupon["code"], 9999),
                        422, "min_spend_not_met")
    assert "order_amount_fen" in body["errors"]
    assert coupon_row(coupon["id"]).status == "unused"
    response = redeem(client, world["headers"]["merchant_a"], coupon["code"], 10000)
    assert response.status_code == 201 and response.get_json()["paid_fen"] == 8000


def test_percentage_with_a_cap(client, world):
    template = new_template(world["shop_a"], kind="percent", amount_fen=None,
                            percent_off_bp=1500, cap_fen=3000, min_spend_fen=0,
                            per_person_limit=2)
    headers = world["headers"]["villager_a"]
    small, large = claimed(client, headers, template.id), claimed(client, headers, template.id)
    till = world["headers"]["merchant_a"]
    assert redeem(client, till, small["code"], 10000).get_json()["discount_fen"] == 1500
    body = redeem(client, till, large["code"], 100000).get_json()
    assert (body["discount_fen"], body["paid_fen"]) == (3000, 97000)


@pytest.mark.parametrize(("terms", "order", "discount"), [
    ({"kind": "fixed", "amount_fen": 2000}, 10000, 2000),
    ({"kind": "fixed", "amount_fen": 2000}, 1500, 1500),  # never more than the order
    ({"kind": "percent", "percent_off_bp": 1500}, 10000, 1500),
    ({"kind": "percent", "percent_off_bp": 1500}, 999, 149),  # rounds down, for the villager
    ({"kind": "percent", "percent_off_bp": 1500, "cap_fen": 1000}, 10000, 1000),
    ({"kind": "percent", "percent_off_bp": 1500, "cap_fen": None}, 10000, 1500),
])
def test_coupon_discount(terms, order, discount):
    assert coupon_discount(terms, order) == discount


@pytest.mark.parametrize(("kind", "bp", "promo", "price"), [
    ("percent", 1500, None, 8500), ("fixed_price", None, 7000, 7000),
    ("fixed_price", None, 12000, 10000), ("percent", None, None, 10000),
])
def test_promotional_price(kind, bp, promo, price):
    assert promotional_price(10000, kind=kind, percent_off_bp=bp, promo_price_fen=promo) == price


def test_scope_shop_category_products(client, world, make, tile):
    shop = world["shop_a"]
    brick = make.product(shop, category="bricks")
    other = make.product(world["shop_b"])
    decoration = new_template(shop, scope="category", min_spend_fen=0, per_person_limit=10,
                              category_id=_category("decoration"))
    masonry = new_template(shop, scope="category", min_spend_fen=0, per_person_limit=10,
                           category_id=_category("masonry"))
    listed = new_template(shop, scope="products", product_ids=[tile.id], min_spend_fen=0,
                          per_person_limit=10)
    whole = new_template(shop, min_spend_fen=0, per_person_limit=10)
    villager, till = world["headers"]["villager_a"], world["headers"]["merchant_a"]

    def attempt(template, product_id):
        return redeem(client, till, claimed(client, villager, template.id)["code"], 50000,
                      product_id)

    cases = [
        (decoration, tile.id, 201, None),  # ceramic tiles sit under decoration
        (decoration, brick.id, 422, "coupon_out_of_scope"),
        (decoration, None, 422, "product_required"),
        (masonry, brick.id, 201, None),  # bricks sit under masonry
        (masonry, tile.id, 422, "coupon_out_of_scope"),
        (listed, tile.id, 201, None),
        (listed, brick.id, 422, "coupon_out_of_scope"),
        (listed, other.id, 422, "product_not_in_shop"),
        (listed, 999_999, 422, "product_not_in_shop"),
        (whole, None, 201, None),
        (whole, brick.id, 201, None),
        (whole, other.id, 422, "product_not_in_shop"),
    ]
    for template, product_id, status, error in cases:
        response = attempt(template, product_id)
        assert response.status_code == status, (template.scope, product_id, response.get_json())
        if error:
            assert response.get_json()["error"] == error
        else:
            assert response.get_json()["product_id"] == product_id


def _category(slug: str) -> int:
    from app.catalog.services import category_by_slug

    return category_by_slug(slug).id


# ---- validity ----------------------------------------------------------------------------

def test_fixed_dates(client, world):
    now = utcnow()
    template = new_template(world["shop_a"], validity_kind="fixed", valid_days=None,
                            valid_from=now + timedelta(days=1),
                            valid_until=now + timedelta(days=10), min_spend_fen=0)
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    row = coupon_row(coupon["id"])
    assert (row.valid_from, row.valid_until) == (template.valid_from, template.valid_until)
    till = world["headers"]["merchant_a"]
    assert_error(redeem(client, till, coupon["code"], 5000), 409, "coupon_not_yet_valid")
    redemption = coupons.redeem(code=coupon["code"], order_amount_fen=5000,
                                cashier=world["users"]["merchant_a"],
                                now=now + timedelta(days=2))
    assert redemption.discount_fen == 2000


def test_expired_coupon_cannot_be_redeemed_and_shows_expired(client, world):
    template = new_template(world["shop_a"], valid_days=3, per_person_limit=2, min_spend_fen=0)
    headers = world["headers"]["villager_a"]
    lapsed, fresh = claimed(client, headers, template.id), claimed(client, headers, template.id)
    with pytest.raises(ApiError) as caught:
        coupons.redeem(code=lapsed["code"], order_amount_fen=5000,
                       cashier=world["users"]["merchant_a"], now=utcnow() + timedelta(days=4))
    assert caught.value.error == "coupon_expired"
    db.session.rollback()

    shift_coupon(lapsed["id"], valid_until=utcnow() - timedelta(minutes=1))
    mine = my_coupons(client, headers)
    assert (mine[lapsed["id"]]["status"], mine[fresh["id"]]["status"]) == ("expired", "unused")
    assert my_coupons(client, headers, "?status=expired").keys() == {lapsed["id"]}
    assert my_coupons(client, headers, "?status=unused").keys() == {fresh["id"]}
    assert_error(redeem(client, world["headers"]["merchant_a"], lapsed["code"], 5000), 409,
                 "coupon_expired")
    assert_error(client.get(f"/api/mp/v1/me/coupons/{lapsed['id']}/qr.png", headers=headers),
                 409, "coupon_not_usable")
    assert coupon_row(lapsed["id"]).status == "unused"  # until the job marks it


def test_expire_and_remind(client, world, make):
    template = new_template(world["shop_a"], per_person_limit=3)
    headers = world["headers"]["villager_a"]
    lapsed, soon, later = (claimed(client, headers, template.id) for _ in range(3))
    now = utcnow()
    shift_coupon(lapsed["id"], valid_until=now - timedelta(hours=1))
    shift_coupon(soon["id"], valid_until=now + timedelta(hours=20))
    other = claimed(client, world["headers"]["villager_b"], template.id)
    shift_coupon(other["id"], valid_until=now + timedelta(hours=5), status="used")

    assert coupons.expire_and_remind(now) == {"expired": 1, "reminded": 1}
    db.session.commit()
    assert coupon_row(lapsed["id"]).status == "expired"
    assert coupon_row(soon["id"]).reminded_at is not None
    assert coupon_row(later["id"]).reminded_at is None
    notes = db.session.scalars(sa.select(Notification).where(
        Notification.kind == "coupon_expiring")).all()
    assert [(n.user_id, n.data["coupon_id"]) for n in notes] == [
        (world["users"]["villager_a"].id, soon["id"])]
    assert notes[0].data["title"] == "满100减20"

    assert coupons.expire_and_remind(now + timedelta(hours=1)) == {"expired": 0, "reminded": 0}
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == "coupon_expiring")) == 1
    assert my_coupons(client, headers)[lapsed["id"]]["status"] == "expired"
    assert_error(redeem(client, world["headers"]["merchant_a"], lapsed["code"], 20000), 409,
                 "coupon_expired")


# ---- the negative list -------------------------------------------------------------------

def test_negative_listed_product_cannot_take_a_coupon(client, world, tile):
    template = new_template(world["shop_a"], scope="products", product_ids=[tile.id],
                            min_spend_fen=0)
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    listed = client.post("/api/v1/admin/negative-list", headers=world["headers"]["county_here"],
                         json={"product_id": tile.id, "reason": "虚假宣传绿色建材认证"})
    assert listed.status_code == 201, listed.get_json()
    assert_error(redeem(client, world["headers"]["merchant_a"], coupon["code"], 30000, tile.id),
                 422, "product_not_eligible")
    assert coupon_row(coupon["id"]).status == "unused"
    detail = client.get(f"/api/mp/v1/products/{tile.id}").get_json()
    assert detail["coupons"] == [] and detail["promotions"] == []


# ---- reversal ----------------------------------------------------------------------------

def _redeemed(client, world) -> tuple[dict, dict]:
    template = new_template(world["shop_a"], min_spend_fen=0)
    coupon = claimed(client, world["headers"]["villager_a"], template.id)
    response = redeem(client, world["headers"]["merchant_a"], coupon["code"], 5000)
    assert response.status_code == 201, response.get_json()
    return coupon, response.get_json()


def _reverse(client, headers, redemption_id, reason="收银员扫错了券"):
    return client.post(f"{TILL}/{redemption_id}/reverse", headers=headers,
                       json={"reason": reason})


def test_reversal_within_30_minutes_gives_the_coupon_back(client, world):
    coupon, redemption = _redeemed(client, world)
    response = _reverse(client, world["headers"]["merchant_a"], redemption["id"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["reversed_at"] and body["reverse_reason"] == "收银员扫错了券"
    assert my_coupons(client, world["headers"]["villager_a"])[coupon["id"]]["status"] == "unused"
    assert_error(_reverse(client, world["headers"]["merchant_a"], redemption["id"]), 409,
                 "already_reversed")
    again = redeem(client, world["headers"]["merchant_a"], coupon["code"], 5000)
    assert again.status_code == 201, again.get_json()


def test_reversal_after_30_minutes_is_refused(client, world):
    coupon, redemption = _redeemed(client, world)
    db.session.execute(sa.update(Redemption).where(Redemption.id == redemption["id"])
                       .values(created_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    assert_error(_reverse(client, world["headers"]["merchant_a"], redemption["id"]), 409,
                 "reversal_window_passed")
    assert coupon_row(coupon["id"]).status == "used"


def test_reversal_window_edges_in_the_service(client, world):
    _, redemption = _redeemed(client, world)
    row = db.session.get(Redemption, redemption["id"])
    owner = world["users"]["merchant_a"]
    with pytest.raises(ApiError) as caught:
        coupons.reverse(row.id, owner=owner, reason="晚了",
                        now=row.created_at + timedelta(minutes=30, seconds=1))
    assert caught.value.error == "reversal_window_passed"
    db.session.rollback()
    done = coupons.reverse(row.id, owner=owner, reason="刚好",
                           now=row.created_at + timedelta(minutes=30))
    assert done.reversed_by == owner.id


def test_only_the_owner_of_the_shop_reverses(client, world, make):
    _, redemption = _redeemed(client, world)
    staff = make.merchant(world["shop_a"], role=auth.MERCHANT_STAFF)
    assert_error(_reverse(client, make.headers(staff), redemption["id"]), 403, "owner_only")
    assert_error(_reverse(client, world["headers"]["merchant_b"], redemption["id"]), 404,
                 "redemption_not_found")
    assert_error(_reverse(client, world["headers"]["merchant_a"], 999_999), 404,
                 "redemption_not_found")
    response = _reverse(client, world["headers"]["merchant_a"], redemption["id"], "x")
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]
    assert db.session.get(Redemption, redemption["id"]).reversed_at is None


@pytest.mark.parametrize("ref", ["ceramic-tiles", "by-id"])
def test_a_category_scope_takes_the_slug_or_the_id_shown_by_the_category_tree(client, world,
                                                                              ref):
    tree = client.get("/api/mp/v1/categories").get_json()
    decoration = next(c for c in tree if c["slug"] == "decoration")
    tiles = next(c for c in decoration["children"] if c["slug"] == "ceramic-tiles")
    value = tiles["slug"] if ref != "by-id" else tiles["id"]
    response = client.post(CONSOLE, headers=world["headers"]["merchant_a"],
                           json=coupon_body(scope="category", category_id=value))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["category_id"] == tiles["id"]
    unknown = client.post(CONSOLE, headers=world["headers"]["merchant_a"],
                          json=coupon_body(scope="category", category_id="no-such-thing"))
    assert unknown.status_code == 422 and unknown.get_json()["error"] == "unknown_category"
    assert unknown.get_json()["errors"]["category_id"] == ["未知的分类：no-such-thing"]
