"""Bounds at the edge: whatever comes in, the answer is a clear 4xx in the one shape, never a
500, and nothing changes. The classes schemathesis found: big integers, NUL, lone
surrogates, deep JSON, id 0, extreme dates, numbers as text, other content types."""

from __future__ import annotations

import base64

import pytest
import sqlalchemy as sa

from app.complaints.models import Complaint
from app.extensions import db
from tests.test_expo_gate import Gate, nonce

SHAPE = {"code", "status", "error", "message"}
BIG = 2**31  # one past what an INTEGER column holds
HUGE = 9258179356479140659200


def assert_error(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) >= SHAPE and body["code"] == status
    assert not body["message"].isascii(), body  # a person reads it: Chinese
    if error:
        assert body["error"] == error, body
    return body


def complaints() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Complaint))


# ---- integers ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/api/mp/v1/products/{BIG}", f"/api/mp/v1/products/{HUGE}", "/api/mp/v1/products/0",
    f"/api/mp/v1/expos/{BIG}", f"/api/mp/v1/tickets/{BIG}/qr.svg",
    f"/api/v1/admin/subsidy-programs/{BIG}/ledger", f"/api/mp/v1/complaints/{HUGE}",
])
def test_ids_out_of_range_in_a_path_are_404(client, world, path):
    assert_error(client.get(path, headers=world["headers"]["province"]), 404, "not_found")


@pytest.mark.parametrize("query", [
    f"star={BIG}", f"min_price_fen={HUGE}", f"max_price_fen=-{BIG + 1}", "limit=1.5",
    "star=2.0", "star=true",
])
def test_integers_out_of_range_in_a_query_are_422(client, query):
    body = assert_error(client.get(f"/api/mp/v1/products?{query}"), 422, "validation_error")
    assert body["errors"]


@pytest.mark.parametrize("value", [str(BIG), str(HUGE), "0", "-5"])
def test_cursors_that_decode_to_impossible_ids_are_422(client, world, value):
    cursor = base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")
    assert_error(client.get(f"/api/mp/v1/me/notifications?cursor={cursor}",
                            headers=world["headers"]["villager_a"]), 422, "invalid_cursor")


@pytest.mark.parametrize("ids", [[HUGE], [BIG], [0], [-1], ["1"], [1.5], [True]])
def test_integers_in_a_json_body_are_checked(client, world, ids):
    response = client.post("/api/v1/admin/subsidy-claims/bulk-approve",
                           json={"claim_ids": ids}, headers=world["headers"]["province"])
    assert_error(response, 422, "validation_error")


@pytest.mark.parametrize("field", ["expo_id", "product_id", "coupon_id", "subsidy_claim_id",
                                   "merchant_id"])
@pytest.mark.parametrize("value", [0, -5, BIG, "12"])
def test_a_complaint_linking_an_impossible_id_is_422_and_files_nothing(client, world, field,
                                                                       value):
    before = complaints()
    response = client.post("/api/mp/v1/complaints", headers=world["headers"]["villager_a"],
                           json={"category": "quality", "description": "瓷砖有裂纹，商家不给换",
                                 field: value})
    body = assert_error(response, 422)
    assert field in body["errors"]
    assert complaints() == before


def test_money_is_an_integer_not_text(client, world):
    response = client.post("/api/v1/merchant/products", headers=world["headers"]["merchant_a"],
                           json={"name": "釉面砖", "category_id": 1, "price_fen": "100"})
    body = assert_error(response, 422, "validation_error")
    assert "price_fen" in body["errors"]


def test_numbers_from_a_form_or_a_query_are_still_read(client, world):
    """Text is how query strings and multipart forms carry numbers: that stays allowed."""
    assert client.get("/api/mp/v1/products?limit=2&star=1").status_code == 200
    response = client.post("/api/mp/v1/complaints", headers=world["headers"]["villager_a"],
                           data={"category": "quality", "description": "瓷砖有裂纹，商家不给换",
                                 "merchant_id": str(world["shop_a"].id)},
                           content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()


# ---- text -----------------------------------------------------------------------------------

def test_a_nul_byte_in_a_login_is_422_even_anonymously(client):
    response = client.post("/api/v1/auth/login",
                           json={"username": "demo-admin\u0000", "password": "x" * 12})
    body = assert_error(response, 422, "validation_error")
    assert "username" in body["errors"]


@pytest.mark.parametrize("raw", [b'{"nickname": "\\ud800"}', b'{"nickname": "a\\udfffb"}',
                                 b'{"nickname": "\\u0000"}'])
def test_lone_surrogates_and_nul_in_a_profile_are_422_and_change_nothing(client, world, raw):
    headers = world["headers"]["villager_a"]
    before = client.get("/api/mp/v1/me", headers=headers).get_json()
    response = client.patch("/api/mp/v1/me", data=raw, content_type="application/json",
                            headers=headers)
    assert "nickname" in assert_error(response, 422, "validation_error")["errors"]
    assert client.get("/api/mp/v1/me", headers=headers).get_json() == before


def test_a_nul_in_a_path_segment_is_404(client):
    assert_error(client.get("/api/mp/v1/certificates/LB2026%00JC"), 404)


def test_an_over_long_search_is_a_json_422(client):
    body = assert_error(client.get("/api/mp/v1/products?q=" + "瓷" * 5000), 422)
    assert "q" in body["errors"]


def test_text_without_a_stated_maximum_still_has_one(client, world):
    response = client.post("/api/mp/v1/auth/wechat-login", json={"code": "x" * 20_000})
    assert_error(response, 422, "validation_error")


# ---- JSON itself ----------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [50_000, 1_000, 33])
def test_deeply_nested_json_is_400_even_anonymously(client, depth):
    raw = "[" * depth + "]" * depth
    response = client.post("/api/v1/auth/login", data=raw, content_type="application/json")
    assert_error(response, 400, "json_too_deep")


def test_ordinary_nesting_is_fine(client):
    response = client.post("/api/v1/auth/login", data="[" * 10 + "]" * 10,
                           content_type="application/json")
    assert response.status_code == 422  # a list is not a login, but it was parsed


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml"])
def test_a_json_endpoint_given_another_content_type_is_415(client, content_type):
    response = client.post("/api/v1/auth/login", data='{"username": "a", "password": "b"}',
                           content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


def test_a_json_or_form_endpoint_given_another_content_type_is_415(client, world):
    before = complaints()
    response = client.post("/api/mp/v1/complaints", headers=world["headers"]["villager_a"],
                           data="category=quality", content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")
    assert complaints() == before


def test_malformed_json_is_400(client):
    response = client.post("/api/v1/auth/login", data='{"username": ',
                           content_type="application/json")
    assert_error(response, 400, "bad_request")


# ---- dates and times ------------------------------------------------------------------------

@pytest.mark.parametrize("scanned_at", ["9999-12-31T23:59:59+14:00", "0001-01-01T00:00:00-12:00",
                                        "1970-01-01T00:00:00+08:00", "2100-01-01T00:00:00Z"])
def test_an_extreme_scan_time_at_the_gate_is_422_and_admits_nobody(client, make, scanned_at):
    gate = Gate(client, make)
    response = client.post(f"/api/v1/expos/{gate.expo.id}/checkins", headers=gate.headers[0],
                           json={"code": gate.tickets[0]["code"], "nonce": nonce(),
                                 "scanned_at": scanned_at})
    assert "scanned_at" in assert_error(response, 422, "validation_error")["errors"]
    assert gate.scan(gate.tickets[0]["code"], nonce=nonce())["result"] == "admitted"


def test_an_extreme_date_in_a_body_is_422(client, world):
    response = client.post("/api/v1/admin/subsidy-programs", headers=world["headers"]["province"],
                           json={"name": "农房节能改造补贴", "region_code": "410000",
                                 "starts_on": "0001-01-01", "ends_on": "9999-12-31"})
    body = assert_error(response, 422, "validation_error")
    assert {"starts_on", "ends_on"} <= set(body["errors"])


# ---- the OpenAPI document says the same -----------------------------------------------------

def test_the_document_states_the_bounds(client):
    spec = client.get("/api/openapi.json").get_json()
    params = spec["paths"]["/api/mp/v1/products/{product_id}"]["parameters"]
    product_id = next(p for p in params if p["name"] == "product_id")
    assert product_id["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
