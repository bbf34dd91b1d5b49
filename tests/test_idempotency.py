"""Idempotency-Key: a retried write returns the first answer and does nothing twice."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa

from app.core.idempotency import IdempotencyKey
from app.extensions import db
from app.promotions.models import Coupon, CouponTemplate
from tests.test_complaints import complaint_count, file_via_api
from tests.test_coupons import assert_error, claim, new_template


def _coupons(template_id: int | None = None) -> int:
    stmt = sa.select(sa.func.count()).select_from(Coupon)
    if template_id is not None:
        stmt = stmt.where(Coupon.template_id == template_id)
    return db.session.scalar(stmt)


def test_same_key_same_answer(client, world):
    template = new_template(world["shop_a"], per_person_limit=3)
    headers = world["headers"]["villager_a"]
    first = claim(client, headers, template.id, key="tap-0001")
    assert first.status_code == 201, first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    again = claim(client, headers, template.id, key="tap-0001")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert again.mimetype == "application/json"
    assert _coupons() == 1
    assert db.session.get(CouponTemplate, template.id).claimed_count == 1
    # a new key is a new claim
    other = claim(client, headers, template.id, key="tap-0002")
    assert other.status_code == 201 and other.get_json() != first.get_json()
    assert _coupons() == 2


def test_without_a_key_a_retry_is_a_second_claim(client, world):
    template = new_template(world["shop_a"])
    headers = world["headers"]["villager_a"]
    assert claim(client, headers, template.id).status_code == 201
    assert_error(claim(client, headers, template.id), 409, "coupon_limit_reached")


def test_keys_are_scoped_per_endpoint(client, world):
    """As Stripe's are per account: one key on two endpoints is two independent keys."""
    one, two = new_template(world["shop_a"]), new_template(world["shop_a"], title="第二张券")
    headers = world["headers"]["villager_a"]
    first = claim(client, headers, one.id, key="tap-0001")
    second = claim(client, headers, two.id, key="tap-0001")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in second.headers
    assert _coupons(one.id) == _coupons(two.id) == 1


def test_the_same_key_with_another_body_is_422_and_changes_nothing(client, world):
    headers = {**world["headers"]["villager_a"], "Idempotency-Key": "complaint-1"}
    first = file_via_api(client, headers)
    assert first.status_code == 201, first.get_json()
    before = complaint_count()
    body = assert_error(file_via_api(client, headers, description="换了一段不同的描述内容"),
                        422, "idempotency_key_reused")
    assert body["message"]
    assert complaint_count() == before
    # the same body again is still the first answer
    again = file_via_api(client, headers)
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()


def test_a_multipart_retry_with_a_new_boundary_is_the_same_request(client, world):
    from tests.test_images import jpeg_bytes

    headers = {**world["headers"]["villager_a"], "Idempotency-Key": "complaint-photo-1"}

    def send(boundary_hint: str):
        # werkzeug picks a fresh random boundary for every request, as a phone's retry does
        return client.post("/api/mp/v1/complaints", headers=headers, data={
            "category": "quality", "description": "瓷砖有裂纹，商家不给换", "merchant_id":
            str(world["shop_a"].id), "photos": (BytesIO(jpeg_bytes()), f"a{boundary_hint}.jpg")},
            content_type="multipart/form-data")

    first, again = send("1"), send("2")
    assert first.status_code == 201, first.get_json()
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()


def test_a_failed_request_is_not_stored(client, world):
    template = new_template(world["shop_a"], status="paused")
    headers = world["headers"]["villager_a"]
    assert_error(claim(client, headers, template.id, key="tap-0001"), 409,
                 "coupon_not_claimable")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 0
    client.patch(f"/api/v1/merchant/coupons/{template.id}",
                 headers=world["headers"]["merchant_a"], json={"status": "active"})
    retry = claim(client, headers, template.id, key="tap-0001")
    assert retry.status_code == 201, retry.get_json()
    assert "Idempotent-Replayed" not in retry.headers
    assert _coupons() == 1


def test_a_sold_out_answer_is_not_replayed(client, world):
    template = new_template(world["shop_a"], total_quantity=1)
    assert claim(client, world["headers"]["villager_b"], template.id).status_code == 201
    headers = world["headers"]["villager_a"]
    assert_error(claim(client, headers, template.id, key="k-1"), 409, "coupon_sold_out")
    client.patch(f"/api/v1/merchant/coupons/{template.id}",
                 headers=world["headers"]["merchant_a"], json={"total_quantity": 2})
    assert claim(client, headers, template.id, key="k-1").status_code == 201


def test_keys_are_per_user(client, world):
    template = new_template(world["shop_a"])
    a = claim(client, world["headers"]["villager_a"], template.id, key="same-key")
    b = claim(client, world["headers"]["villager_b"], template.id, key="same-key")
    assert (a.status_code, b.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in b.headers
    assert a.get_json()["coupon"]["id"] != b.get_json()["coupon"]["id"]
    assert _coupons() == 2


def test_a_bad_key_is_422(client, world):
    template = new_template(world["shop_a"])
    headers = world["headers"]["villager_a"]
    for bad in ("k" * 65, "tab\there"):
        body = assert_error(claim(client, headers, template.id, key=bad), 422,
                            "invalid_idempotency_key")
        assert "Idempotency-Key" in body["errors"]
    assert _coupons() == 0


def test_unauthenticated_requests_never_reach_the_key_store(client, world):
    template = new_template(world["shop_a"])
    response = client.post(f"/api/mp/v1/coupons/{template.id}/claim",
                           headers={"Idempotency-Key": "anon-1"})
    assert response.status_code == 401
    assert db.session.scalar(sa.select(sa.func.count()).select_from(IdempotencyKey)) == 0


def test_a_success_without_a_json_body_is_replayed_too(app, world):
    """A 204 (or a view answering with a plain tuple) is stored as well: otherwise every retry
    would meet 409 idempotency_in_progress for ever."""
    from flask import g

    from app.core.idempotency import idempotent

    calls = []

    @idempotent
    def no_content():
        calls.append(1)
        return "", 204

    headers = {"Idempotency-Key": "empty-1"}
    for expected_calls, replayed in ((1, None), (1, "true")):
        with app.test_request_context("/api/v1/anything", method="POST", headers=headers):
            g.current_user = world["users"]["merchant_a"]
            response = no_content()
        assert response.status_code == 204 and response.get_data() == b""
        assert response.headers.get("Idempotent-Replayed") == replayed
        assert len(calls) == expected_calls
