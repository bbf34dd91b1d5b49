"""Complaints: intake, routing, who sees what, the timeline, and consequences."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import User
from app.accounts.services import issue_token
from app.catalog.eligibility import today
from app.complaints import services
from app.complaints.models import Complaint, ComplaintEvent
from app.complaints.services import MERCHANT, OFFICER, TRANSITIONS, VILLAGER
from app.core import auth
from app.extensions import db
from app.notifications.models import Notification
from tests.conftest import fire

MP = "/api/mp/v1/complaints"
ADMIN = "/api/v1/admin/complaints"
MERCHANT_URL = "/api/v1/merchant/complaints"
SHAPE = {"code", "status", "error", "message", "errors"}

# How to bring a complaint into each state (the actions after filing).
PATHS: dict[str, list[str]] = {
    "submitted": [],
    "accepted": ["accept"],
    "awaiting_merchant": ["accept", "ask_merchant"],
    "merchant_responded": ["accept", "ask_merchant", "respond"],
    "mediated": ["accept", "mediate"],
    "declined": ["decline"],
    "resolved": ["accept", "resolve"],
    "closed": ["accept", "resolve", "close"],
}
# Who does each kind of action in the world of conftest.py.
ACTORS = {OFFICER: "county_here", MERCHANT: "merchant_a", VILLAGER: "villager_a"}


# ---- helpers (the other complaint test modules use them too) ------------------------------

def assert_error(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert set(body) <= SHAPE and body["code"] == status, body
    if error:
        assert body["error"] == error, body
    return body


def complaint_in(world, state: str = "submitted", *, category: str = "quality", product=None,
                 shop: str | None = "shop_a", description: str = "瓷砖铺了一周就开裂了",
                 ) -> Complaint:
    """A complaint by villager_a about shop_a (or `product`), moved to `state` by services."""
    users = world["users"]
    links = {"product_id": product.id} if product else {
        "merchant_id": world[shop].id if shop else None}
    complaint = services.file_complaint(users["villager_a"], category=category,
                                        description=description, photos=[], **links)
    for action in PATHS[state]:
        actor = users[ACTORS[TRANSITIONS[action].actor]]
        services.act(complaint, action, actor, note="处理说明",
                     rating=5 if action == "rate" else None)
    db.session.commit()
    return complaint


def snapshot(complaint_id: int) -> tuple:
    """What a refused request must not change: the row and its timeline."""
    db.session.expire_all()
    c = db.session.get(Complaint, complaint_id)
    events = db.session.execute(sa.select(ComplaintEvent.id, ComplaintEvent.action).where(
        ComplaintEvent.complaint_id == complaint_id).order_by(ComplaintEvent.id)).all()
    return (c.status, c.region_code, c.overdue, c.satisfaction, c.accepted_on,
            c.finish_due_on, c.resolved_at, c.closed_at, [tuple(e) for e in events])


def complaint_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Complaint))


def notifications(kind: str, user) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notification).where(
        Notification.kind == kind, Notification.user_id == user.id))


def file_via_api(client, headers, **body):
    body.setdefault("category", "quality")
    body.setdefault("description", "买的外墙涂料一个月就起皮脱落")
    return client.post(MP, json=body, headers=headers)


# ---- intake -------------------------------------------------------------------------------

def test_filing_gives_a_tracking_number_a_deadline_and_a_timeline(client, world):
    h = world["headers"]
    response = file_via_api(client, h["villager_a"], merchant_id=world["shop_a"].id,
                            phone="13800138000")
    assert response.status_code == 201, response.json
    body = response.json["complaint"]
    assert body["tracking_no"] == f"TS{today():%Y%m%d}{body['id']:06d}"
    assert body["status"] == "submitted" and body["region_code"] == "410105"
    assert body["merchant_id"] == world["shop_a"].id
    assert body["phone"] == "138****8000"  # masked, even to its author
    assert body["submitted_on"] == today().isoformat()
    assert body["accept_due_on"] == services.workdays_after(today(), 7).isoformat()
    assert body["finish_due_on"] is None and body["overdue"] is False
    assert [(e["action"], e["to_status"], e["by_role"]) for e in body["timeline"]] == [
        ("submit", "submitted", "villager")]
    stored = db.session.get(Complaint, body["id"])
    assert stored.contact_phone == "13800138000"  # officers may need it in full

    users = world["users"]
    assert notifications("complaint_received", users["county_here"]) == 1
    assert notifications("complaint_received", users["province"]) == 1
    assert notifications("complaint_received", users["county_elsewhere"]) == 0


def test_the_villagers_bound_phone_is_the_default_contact(client, world):
    villager = world["users"]["villager_a"]
    villager.phone = "13912345678"
    db.session.commit()
    body = file_via_api(client, world["headers"]["villager_a"]).json["complaint"]
    assert body["phone"] == "139****5678"


def test_officers_without_the_complaints_duty_are_not_notified(client, world, make):
    catalog_only = make.console_user("admin", region_code="410105")
    catalog_only.admin_duties = ["catalog"]
    handler = make.console_user("admin", region_code="410105")
    handler.admin_duties = ["catalog", "complaints"]
    db.session.commit()
    file_via_api(client, world["headers"]["villager_a"])
    assert notifications("complaint_received", catalog_only) == 0
    assert notifications("complaint_received", handler) == 1


# ---- routing ------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "links", "expected"), [
    ("villager_a", {"merchant": "shop_b"}, "410122"),  # the merchant's county
    ("villager_b", {"merchant": "shop_a"}, "410105"),
    ("villager_a", {"product": "shop_b"}, "410122"),  # the product's shop
    ("villager_a", {"product": "shop_b", "region_code": "410105"}, "410122"),
    ("villager_a", {}, "410105"),  # no merchant: the villager's county (from a township)
    ("villager_b", {}, "410122"),
    ("nowhere", {"region_code": "410122101201"}, "410122"),  # a village code → its county
    ("nowhere", {"region_code": "410105"}, "410105"),
], ids=lambda v: str(v))
def test_routing(client, world, make, who, links, expected):
    headers = world["headers"].get(who) or make.headers(make.villager("nowhere"))
    body = {}
    if "merchant" in links:
        body["merchant_id"] = world[links["merchant"]].id
    if "product" in links:
        body["product_id"] = make.product(world[links["product"]]).id
    if "region_code" in links:
        body["region_code"] = links["region_code"]
    response = file_via_api(client, headers, **body)
    assert response.status_code == 201, response.json
    assert response.json["complaint"]["region_code"] == expected
    if "product" in links:
        assert response.json["complaint"]["merchant_id"] == world[links["product"]].id


@pytest.mark.parametrize("region_code", [None, "419999", "410000", "410100"])
def test_without_a_county_the_complaint_is_refused(client, make, region_code):
    """No merchant, no county on the villager's profile: a county must be given (a province
    or city code does not say which county's officers handle it)."""
    headers = make.headers(make.villager("nowhere"))
    body = {"region_code": region_code} if region_code else {}
    before = complaint_count()
    body = assert_error(file_via_api(client, headers, **body), 422, "region_required")
    assert "region_code" in body["errors"]
    assert complaint_count() == before


def test_officers_of_the_county_and_above_see_it_others_do_not(client, world, make):
    complaint = complaint_in(world)
    city = make.headers(make.admin("410100"))
    for headers in (world["headers"]["county_here"], city, world["headers"]["province"]):
        assert client.get(f"{ADMIN}/{complaint.id}", headers=headers).status_code == 200
        ids = [c["id"] for c in client.get(ADMIN, headers=headers).json["items"]]
        assert complaint.id in ids
    elsewhere = world["headers"]["county_elsewhere"]
    assert_error(client.get(f"{ADMIN}/{complaint.id}", headers=elsewhere), 403,
                 "region_out_of_scope")
    assert complaint.id not in [c["id"] for c in client.get(ADMIN, headers=elsewhere).json["items"]]


def test_queue_filters_by_status(client, world):
    submitted = complaint_in(world)
    accepted = complaint_in(world, "accepted")
    h = world["headers"]["county_here"]
    ids = [c["id"] for c in client.get(f"{ADMIN}?status=accepted", headers=h).json["items"]]
    assert accepted.id in ids and submitted.id not in ids
    assert_error(client.get(f"{ADMIN}?status=lost", headers=h), 422)


def test_transfer_moves_it_and_is_recorded(client, world):
    complaint = complaint_in(world, "accepted", shop=None)
    h = world["headers"]
    response = client.post(f"{ADMIN}/{complaint.id}/transitions", headers=h["county_here"],
                           json={"action": "transfer", "region_code": "410122",
                                 "note": "村民实际居住在中牟县"})
    assert response.status_code == 200, response.json
    assert response.json["region_code"] == "410122" and response.json["status"] == "accepted"
    last = response.json["timeline"][-1]
    assert last["action"] == "transfer" and last["by_role"] == "officer"
    assert "村民实际居住在中牟县" in last["note"] and "410122" in last["note"]
    assert "410105" in last["note"]
    # It left the first county and reached the second, whose officers are told.
    assert_error(client.get(f"{ADMIN}/{complaint.id}", headers=h["county_here"]), 403)
    assert client.get(f"{ADMIN}/{complaint.id}", headers=h["county_elsewhere"]).status_code == 200
    assert notifications("complaint_received", world["users"]["county_elsewhere"]) == 1
    assert notifications("complaint_received", world["users"]["province"]) == 1  # knew it
    # The villager sees the move in its timeline.
    mine = client.get(f"{MP}/{complaint.id}", headers=h["villager_a"]).json
    assert [e["action"] for e in mine["timeline"]][-1] == "transfer"


@pytest.mark.parametrize("body", [
    {"action": "transfer", "note": "转交"},  # no county
    {"action": "transfer", "note": "转交", "region_code": "419999"},  # unknown
    {"action": "transfer", "note": "转交", "region_code": "410000"},  # a province
    {"action": "transfer", "note": "转交", "region_code": "4101"},  # malformed
    {"action": "transfer", "note": "转交", "region_code": "410105"},  # where it already is
    {"action": "transfer", "region_code": "410122"},  # no reason
])
def test_bad_transfers_change_nothing(client, world, body):
    complaint = complaint_in(world, "accepted")
    before = snapshot(complaint.id)
    response = client.post(f"{ADMIN}/{complaint.id}/transitions",
                           headers=world["headers"]["county_here"], json=body)
    assert_error(response, 422)
    assert snapshot(complaint.id) == before


# ---- who sees what ------------------------------------------------------------------------

def test_the_villager_sees_only_its_own(client, world):
    h = world["headers"]
    mine = file_via_api(client, h["villager_a"]).json["complaint"]
    theirs = file_via_api(client, h["villager_b"]).json["complaint"]
    listed = client.get("/api/mp/v1/me/complaints", headers=h["villager_a"]).json["items"]
    assert [c["id"] for c in listed] == [mine["id"]]
    assert client.get(f"{MP}/{mine['id']}", headers=h["villager_a"]).status_code == 200
    assert_error(client.get(f"{MP}/{theirs['id']}", headers=h["villager_a"]), 404,
                 "complaint_not_found")
    assert_error(client.get(f"{MP}/999999", headers=h["villager_a"]), 404)


def test_the_villager_follows_the_timeline_with_the_officers_notes(client, world):
    complaint = complaint_in(world, "resolved")
    body = client.get(f"{MP}/{complaint.id}", headers=world["headers"]["villager_a"]).json
    assert [(e["action"], e["from_status"], e["to_status"]) for e in body["timeline"]] == [
        ("submit", None, "submitted"), ("accept", "submitted", "accepted"),
        ("resolve", "accepted", "resolved")]
    assert body["timeline"][-1]["note"] == "处理说明" and body["timeline"][-1]["at"]
    assert "user_id" not in body and "by_user_id" not in body["timeline"][0]
    assert notifications("complaint_updated", world["users"]["villager_a"]) == 2


def test_the_transition_answer_carries_the_new_timeline_entry(client, world):
    complaint = complaint_in(world)
    response = client.post(f"{ADMIN}/{complaint.id}/transitions",
                           headers=world["headers"]["county_here"], json={"action": "accept"})
    assert response.status_code == 200, response.json
    assert [e["action"] for e in response.json["timeline"]] == ["submit", "accept"]


def test_the_merchant_sees_its_complaints_only_once_forwarded(client, world):
    complaint = complaint_in(world, "accepted")
    h = world["headers"]
    assert client.get(MERCHANT_URL, headers=h["merchant_a"]).json["items"] == []
    assert_error(client.get(f"{MERCHANT_URL}/{complaint.id}", headers=h["merchant_a"]), 404)

    forwarded = client.post(f"{ADMIN}/{complaint.id}/transitions", headers=h["county_here"],
                            json={"action": "ask_merchant", "note": "请商家三日内答复"})
    assert forwarded.status_code == 200, forwarded.json
    listed = client.get(MERCHANT_URL, headers=h["merchant_a"]).json["items"]
    assert [c["id"] for c in listed] == [complaint.id]
    detail = client.get(f"{MERCHANT_URL}/{complaint.id}", headers=h["merchant_a"])
    assert detail.status_code == 200 and detail.json["status"] == "awaiting_merchant"
    # The other shop never sees it.
    assert client.get(MERCHANT_URL, headers=h["merchant_b"]).json["items"] == []
    assert_error(client.get(f"{MERCHANT_URL}/{complaint.id}", headers=h["merchant_b"]), 404)


def test_the_merchants_answer_goes_on_the_timeline(client, world):
    complaint = complaint_in(world, "awaiting_merchant")
    response = client.post(f"{MERCHANT_URL}/{complaint.id}/responses",
                           headers=world["headers"]["merchant_a"],
                           json={"message": "已联系村民，明天上门更换"})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "merchant_responded"
    last = response.json["timeline"][-1]
    assert (last["action"], last["by_role"], last["note"]) == (
        "respond", "merchant", "已联系村民，明天上门更换")
    assert notifications("complaint_updated", world["users"]["villager_a"]) == 3


def test_merchant_staff_may_answer_too(client, world, make):
    complaint = complaint_in(world, "awaiting_merchant")
    staff = make.merchant(world["shop_a"], role="merchant_staff")
    response = client.post(f"{MERCHANT_URL}/{complaint.id}/responses",
                           headers=make.headers(staff), json={"message": "马上处理"})
    assert response.status_code == 200, response.json


# ---- idempotency --------------------------------------------------------------------------

def test_the_same_idempotency_key_files_one_complaint(client, world):
    headers = {**world["headers"]["villager_a"], "Idempotency-Key": "complaint-retry-1"}
    before = complaint_count()
    first = file_via_api(client, headers)
    again = file_via_api(client, headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json["complaint"]["id"] == first.json["complaint"]["id"]
    assert complaint_count() == before + 1
    # Another key is another complaint.
    other = file_via_api(client, {**headers, "Idempotency-Key": "complaint-retry-2"})
    assert other.json["complaint"]["id"] != first.json["complaint"]["id"]


def test_a_refused_filing_does_not_burn_its_key(client, make):
    headers = {**make.headers(make.villager("nowhere")), "Idempotency-Key": "k-422"}
    assert_error(file_via_api(client, headers), 422, "region_required")
    fixed = file_via_api(client, headers, region_code="410105")
    assert fixed.status_code == 201, fixed.json


@pytest.mark.postgres
def test_ten_retries_at_once_file_one_complaint(committed):
    app = committed
    with app.app_context():
        villager = User(role=auth.VILLAGER, nickname="retry", region_code="410105001",
                        wechat_openid="dev-openid-retry", is_active=True)
        db.session.add(villager)
        db.session.flush()
        headers = {"Authorization": f"Bearer {issue_token(villager)}",
                   "Idempotency-Key": "flaky-network-1"}
        db.session.commit()
    body = {"category": "quality", "description": "信号不好，提交按钮点了十次"}
    responses = fire(app, [("POST", MP, body, headers)] * 10, workers=10)
    assert [r.status_code for r in responses] == [201] * 10, [r.get_json() for r in responses]
    assert len({r.get_json()["complaint"]["id"] for r in responses}) == 1
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 9
    with app.app_context():
        assert complaint_count() == 1


# ---- bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "field"), [
    ({"category": "weather"}, "category"),
    ({"description": "差"}, "description"),
    ({"description": "长" * 2001}, "description"),
    ({"phone": "12345"}, "phone"),
    ({"region_code": "41-01"}, "region_code"),
    ({"merchant_id": "abc"}, "merchant_id"),
    ({"user_id": 1}, "user_id"),
    ({"status": "resolved"}, "status"),
    ({"merchant_id": 999999}, "merchant_id"),
    ({"product_id": 999999}, "product_id"),
    ({"expo_id": 999999}, "expo_id"),
    ({"coupon_id": 999999}, "coupon_id"),
    ({"subsidy_claim_id": 999999}, "subsidy_claim_id"),
])
def test_bad_complaints_are_refused_and_nothing_is_filed(client, world, body, field):
    before = complaint_count()
    response = file_via_api(client, world["headers"]["villager_a"], **body)
    assert field in assert_error(response, 422)["errors"]
    assert complaint_count() == before


def test_missing_fields_and_bodies_that_are_not_json(client, world):
    h = world["headers"]["villager_a"]
    body = assert_error(client.post(MP, json={}, headers=h), 422)
    assert {"category", "description"} <= set(body["errors"])
    assert_error(client.post(MP, data="not json", content_type="application/json",
                             headers=h), 400)
    assert_error(client.post(MP, json=["quality"], headers=h), 400)
    assert complaint_count() == 0


def test_a_product_of_another_shop_is_refused(client, world, make):
    product = make.product(world["shop_b"])
    response = file_via_api(client, world["headers"]["villager_a"],
                            merchant_id=world["shop_a"].id, product_id=product.id)
    assert "product_id" in assert_error(response, 422, "product_not_in_shop")["errors"]
    assert complaint_count() == 0


# ---- consequences: the negative list ------------------------------------------------------

def _product_detail(client, product) -> dict:
    response = client.get(f"/api/mp/v1/products/{product.id}")
    assert response.status_code == 200, response.json
    return response.json


def test_fake_certification_sends_the_product_to_the_negative_list(client, world, make):
    product = make.product(world["shop_a"])
    assert _product_detail(client, product)["eligible"] is True
    complaint = complaint_in(world, "accepted", category="fake_certification", product=product)
    response = client.post(f"{ADMIN}/{complaint.id}/negative-list",
                           headers=world["headers"]["county_here"],
                           json={"target": "product", "reason": "认证证书系伪造"})
    assert response.status_code == 201, response.json
    entry = response.json
    assert entry["source_complaint_id"] == complaint.id
    assert entry["target"] == "product" and entry["product"]["id"] == product.id
    assert entry["active"] is True and entry["listed_by"] == world["users"]["county_here"].id
    detail = _product_detail(client, product)
    assert detail["eligible"] is False
    assert detail["eligibility"]["reason"] == "negative_list_product"
    timeline = client.get(f"{ADMIN}/{complaint.id}",
                          headers=world["headers"]["county_here"]).json["timeline"]
    assert timeline[-1]["action"] == "negative_list" and "认证证书系伪造" in timeline[-1]["note"]
    assert timeline[-1]["from_status"] == timeline[-1]["to_status"] == "accepted"


def test_or_its_enterprise_by_the_province(client, world, make):
    product = make.product(world["shop_a"])
    sibling = make.product(world["shop_b"], enterprise=product.enterprise,
                           certificate=product.certificate)
    complaint = complaint_in(world, "mediated", category="fake_certification", product=product)
    url = f"{ADMIN}/{complaint.id}/negative-list"
    body = {"target": "enterprise", "reason": "企业伪造认证"}
    # The enterprise is registered in the city: not a county officer's to list.
    assert_error(client.post(url, headers=world["headers"]["county_here"], json=body), 403)
    response = client.post(url, headers=world["headers"]["province"], json=body)
    assert response.status_code == 201, response.json
    assert response.json["target"] == "enterprise"
    assert response.json["source_complaint_id"] == complaint.id
    for each in (product, sibling):
        detail = _product_detail(client, each)
        assert detail["eligible"] is False
        assert detail["eligibility"]["reason"] == "negative_list_enterprise"


@pytest.mark.parametrize(("setup", "who", "status", "error"), [
    ({"category": "price"}, "county_here", 409, "not_applicable"),
    ({"state": "submitted"}, "county_here", 409, "invalid_transition"),
    ({"state": "declined"}, "county_here", 409, "invalid_transition"),
    ({"no_product": True}, "county_here", 409, "no_product"),
    ({}, "county_elsewhere", 403, "region_out_of_scope"),
    ({}, "merchant_a", 403, "role_not_allowed"),
])
def test_the_negative_list_step_is_refused_when_it_does_not_apply(client, world, make, setup,
                                                                  who, status, error):
    product = make.product(world["shop_a"])
    complaint = complaint_in(world, setup.get("state", "accepted"),
                             category=setup.get("category", "fake_certification"),
                             product=None if setup.get("no_product") else product)
    before = snapshot(complaint.id)
    response = client.post(f"{ADMIN}/{complaint.id}/negative-list",
                           headers=world["headers"][who],
                           json={"target": "product", "reason": "认证证书系伪造"})
    assert_error(response, status, error)
    assert snapshot(complaint.id) == before
    assert _product_detail(client, product)["eligible"] is True


def test_the_same_product_is_not_listed_twice(client, world, make):
    product = make.product(world["shop_a"])
    complaint = complaint_in(world, "accepted", category="fake_certification", product=product)
    url = f"{ADMIN}/{complaint.id}/negative-list"
    body = {"target": "product", "reason": "认证证书系伪造"}
    h = world["headers"]["county_here"]
    assert client.post(url, headers=h, json=body).status_code == 201
    before = snapshot(complaint.id)
    assert_error(client.post(url, headers=h, json=body), 409, "already_on_negative_list")
    assert snapshot(complaint.id) == before


@pytest.mark.parametrize("body", [
    {"target": "shop", "reason": "认证证书系伪造"},
    {"target": "product"},
    {"target": "product", "reason": "x"},
    {"target": "product", "reason": "认证证书系伪造", "extra": 1},
])
def test_bad_negative_list_requests(client, world, make, body):
    product = make.product(world["shop_a"])
    complaint = complaint_in(world, "accepted", category="fake_certification", product=product)
    assert_error(client.post(f"{ADMIN}/{complaint.id}/negative-list",
                             headers=world["headers"]["county_here"], json=body), 422)
    assert _product_detail(client, product)["eligible"] is True
