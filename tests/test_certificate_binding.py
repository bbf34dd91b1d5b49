"""Certificates bind only to what they certify: holder or approved dealer, certified category."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.catalog import binding, eligibility
from app.catalog.models import (
    AUTHORISATION_STATUSES,
    CERTIFICATE_FLAGS,
    CERTIFICATE_STATUSES,
    PRODUCT_STATUS_LABELS,
    PRODUCT_STATUSES,
    DealerAuthorisation,
    NegativeListEntry,
    Product,
)
from app.extensions import db
from app.merchants.models import SHOP_STATUS_LABELS, SHOP_STATUSES, Shop
from app.notifications.models import Notification
from tests.conftest import matrix
from tests.test_merchant_console import P, count, product_body

ADMIN = "/api/v1/admin"


def authorise(shop: Shop, enterprise_id: int, status: str = "approved") -> DealerAuthorisation:
    """A dealer authorisation as an admin left it (the HTTP flow is tested below)."""
    row = DealerAuthorisation(shop_id=shop.id, enterprise_id=enterprise_id, status=status)
    db.session.add(row)
    db.session.commit()
    return row


def _create(client, headers, cert, category="ceramic-tiles"):
    return client.post(f"{P}/products", headers=headers,
                       json=product_body(category=category, certificate_number=cert.number))


def _refused(response, *words: str) -> dict:
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["error"] == "certificate_mismatch"
    for word in words:
        assert word in body["message"], body["message"]
    assert body["errors"]["certificate_number"]
    return body


# ---- binding at create and edit -------------------------------------------------------------

def test_another_enterprises_certificate_is_refused(client, world, make):
    holder = make.enterprise("开封绿源保温材料有限公司")
    cert = make.certificate(holder, category="ceramic-tiles")
    before = count(Product)
    _refused(_create(client, world["headers"]["merchant_a"], cert),
             "开封绿源保温材料有限公司", "经销授权")
    assert count(Product) == before  # nothing made, no enterprise silently borrowed


def test_another_categorys_certificate_is_refused(client, world, make):
    cert = make.certificate(category="insulation")
    world["shop_a"].enterprise_id = cert.enterprise_id
    db.session.commit()
    body = _refused(_create(client, world["headers"]["merchant_a"], cert, category="coatings"),
                    "保温材料", "涂料")
    assert "企业" not in body["message"]  # only the reason that applies


def test_both_reasons_are_given(client, world, make):
    cert = make.certificate(category="insulation")
    body = _refused(_create(client, world["headers"]["merchant_a"], cert, category="coatings"))
    assert len(body["errors"]["certificate_number"]) == 2


def test_certificate_without_a_category_is_refused_plainly(client, world, make):
    cert = make.certificate()
    world["shop_a"].enterprise_id = cert.enterprise_id
    db.session.commit()
    _refused(_create(client, world["headers"]["merchant_a"], cert), "尚未登记", "产品类别")


@pytest.mark.parametrize(("certified", "category", "ok"), [
    ("masonry", "bricks", True), ("masonry", "boards", True), ("basic", "bricks", True),
    ("bricks", "blocks", False), ("bricks", "bricks", True), ("decoration", "bricks", False),
])
def test_a_parent_category_covers_its_sub_categories(client, world, make, certified, category,
                                                     ok):
    cert = make.certificate(category=certified)
    world["shop_a"].enterprise_id = cert.enterprise_id
    db.session.commit()
    response = _create(client, world["headers"]["merchant_a"], cert, category=category)
    assert response.status_code == (201 if ok else 422), response.get_json()


def test_edits_are_held_to_the_rule(client, world, make):
    own = make.certificate(category="bricks")
    world["shop_a"].enterprise_id = own.enterprise_id
    db.session.commit()
    headers = world["headers"]["merchant_a"]
    created = _create(client, headers, own, category="bricks").json
    url = f"{P}/products/{created['id']}"
    _refused(client.patch(url, headers=headers, json={"category": "coatings"}), "砖")
    other = make.certificate(category="bricks")
    _refused(client.patch(url, headers=headers, json={"certificate_number": other.number}))
    db.session.expire_all()
    product = db.session.get(Product, created["id"])
    assert (product.category.slug, product.certificate_id, product.enterprise_id) == \
        ("bricks", own.id, own.enterprise_id)
    assert client.patch(url, headers=headers, json={"certificate_number": None}).status_code \
        == 200


# ---- the dealer authorisation flow -----------------------------------------------------------

def test_authorisation_applied_approved_used_then_revoked(client, world, make):
    holder = make.enterprise("河南中原绿筑新型建材有限公司")
    cert = make.certificate(holder, category="bricks")
    merchant, county = world["headers"]["merchant_a"], world["headers"]["county_here"]

    applied = client.post(f"{P}/dealer-authorisations", headers=merchant, json={
        "certificate_number": cert.number.lower(), "document_no": "SQ-001", "note": "授权两年"})
    assert applied.status_code == 201, applied.json
    assert (applied.json["status"], applied.json["status_label"]) == ("applied", "待审核")
    assert applied.json["enterprise"]["name"] == "河南中原绿筑新型建材有限公司"
    _refused(_create(client, merchant, cert, category="bricks"))  # not yet approved

    url = f"{ADMIN}/dealer-authorisations/{applied.json['id']}/decision"
    approved = client.post(url, headers=county, json={"action": "approve"})
    assert approved.status_code == 200, approved.json
    assert approved.json["status_label"] == "已核准"
    assert approved.json["decided_by"] == world["users"]["county_here"].id
    made = _create(client, merchant, cert, category="bricks")
    assert made.status_code == 201, made.json
    assert made.json["enterprise"]["id"] == holder.id
    assert made.json["certificate"]["status"] == "valid"
    product = db.session.get(Product, made.json["id"])
    product.status = "listed"
    db.session.commit()
    assert eligibility.check(product).eligible

    assert client.post(url, headers=county, json={"action": "revoke"}).json["error"] == \
        "note_required"
    revoked = client.post(url, headers=county, json={"action": "revoke", "note": "企业撤回授权"})
    assert revoked.status_code == 200 and revoked.json["status"] == "revoked"
    _refused(_create(client, merchant, cert, category="bricks"), "经销授权")
    db.session.expire_all()
    assert product.certificate_flag == "other_enterprise"
    assert eligibility.check(product).reason == "certificate_not_applicable"
    mine = client.get(f"{P}/products/{product.id}", headers=merchant).json
    assert mine["certificate"]["status"] == "not_applicable"
    assert mine["certificate"]["flag_label"]
    queue = client.get(f"{ADMIN}/products", headers=county).json["items"]
    flagged = next(p for p in queue if p["id"] == product.id)
    assert flagged["certificate_flag"] == "other_enterprise"
    assert flagged["certificate_review"]["authorisation"]["status"] == "revoked"
    kinds = db.session.scalars(sa.select(Notification.kind).where(
        Notification.user_id == world["users"]["merchant_a"].id)).all()
    assert kinds.count("dealer_authorisation") == 2


@pytest.mark.parametrize(("start", "action", "note", "status", "after"), [
    ("applied", "approve", None, 200, "approved"),
    ("applied", "reject", "授权书无企业盖章", 200, "rejected"),
    ("applied", "reject", None, 422, "applied"),
    ("applied", "revoke", "x", 409, "applied"),
    ("approved", "approve", None, 409, "approved"),
    ("approved", "revoke", "企业撤回", 200, "revoked"),
    ("rejected", "approve", None, 409, "rejected"),
    ("revoked", "approve", None, 409, "revoked"),
])
def test_decision_transitions(client, world, make, start, action, note, status, after):
    row = authorise(world["shop_a"], make.enterprise().id, status=start)
    response = client.post(f"{ADMIN}/dealer-authorisations/{row.id}/decision",
                           headers=world["headers"]["province"],
                           json={"action": action, "note": note})
    assert response.status_code == status, response.json
    db.session.expire_all()
    assert db.session.get(DealerAuthorisation, row.id).status == after
    if status == 409:
        assert response.json["error"] == "invalid_transition" and "当前状态" in \
            response.json["message"]


def test_applications_are_checked(client, world, make):
    enterprise = make.enterprise()
    headers = world["headers"]["merchant_a"]
    url = f"{P}/dealer-authorisations"

    def apply(**body):
        return client.post(url, headers=headers, json=body)

    assert apply(credit_code=enterprise.credit_code.lower()).status_code == 201
    again = apply(credit_code=enterprise.credit_code)
    assert again.status_code == 409 and again.json["error"] == "authorisation_exists"
    for body, error in (({}, "validation_error"),
                        ({"credit_code": enterprise.credit_code, "certificate_number": "X"},
                         "validation_error"),
                        ({"credit_code": "91410100MA00000000"}, "enterprise_not_found"),
                        ({"certificate_number": "NOPE-1"}, "certificate_not_found")):
        response = apply(**body)
        assert (response.status_code, response.json["error"]) == (422, error), body
    world["shop_a"].enterprise_id = enterprise.id
    db.session.commit()
    assert apply(credit_code=enterprise.credit_code).json["error"] == "own_enterprise"


def test_rejected_application_may_be_made_again(client, world, make):
    enterprise = make.enterprise()
    authorise(world["shop_a"], enterprise.id, status="rejected")
    response = client.post(f"{P}/dealer-authorisations", headers=world["headers"]["merchant_a"],
                           json={"credit_code": enterprise.credit_code})
    assert response.status_code == 201


def test_lists_are_scoped_and_paginated(client, world, make):
    mine = [authorise(world["shop_a"], make.enterprise().id, status="applied") for _ in range(3)]
    theirs = authorise(world["shop_b"], make.enterprise().id, status="applied")
    merchant = client.get(f"{P}/dealer-authorisations?limit=2",
                          headers=world["headers"]["merchant_a"]).json
    assert [a["id"] for a in merchant["items"]] == [mine[2].id, mine[1].id]
    rest = client.get(f"{P}/dealer-authorisations?limit=2&cursor={merchant['next_cursor']}",
                      headers=world["headers"]["merchant_a"]).json
    assert [a["id"] for a in rest["items"]] == [mine[0].id] and rest["next_cursor"] is None
    county = client.get(f"{ADMIN}/dealer-authorisations?status=applied",
                        headers=world["headers"]["county_here"]).json["items"]
    assert {a["id"] for a in county} == {a.id for a in mine}
    province = client.get(f"{ADMIN}/dealer-authorisations?region_code=410122",
                          headers=world["headers"]["province"]).json["items"]
    assert [a["id"] for a in province] == [theirs.id]
    assert client.get(f"{ADMIN}/dealer-authorisations?status=approved",
                      headers=world["headers"]["county_here"]).json["items"] == []


# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
CASES = [
    *matrix(f"{P}/dealer-authorisations", "POST", 401, 403, 403, 201, 201, 403, 403, 403),
    *matrix(f"{P}/dealer-authorisations", "GET", 401, 403, 403, 200, 200, 403, 403, 403),
    *matrix(f"{ADMIN}/dealer-authorisations", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(f"{ADMIN}/dealer-authorisations/{{a}}", "GET",
            401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{ADMIN}/dealer-authorisations/{{a}}/decision", "POST",
            401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_auth_matrix(client, world, make, method, path, who, expected):
    enterprise = make.enterprise()
    pending = authorise(world["shop_a"], make.enterprise().id, status="applied")
    body = ({"credit_code": enterprise.credit_code} if path.startswith(P)
            else {"action": "approve"})
    response = client.open(path.format(a=pending.id), method=method,
                           headers=world["headers"][who], json=body if method == "POST" else None)
    assert response.status_code == expected, response.get_json()
    if expected >= 400:
        assert set(response.json) <= {"code", "status", "error", "message", "errors"}


def test_staff_may_look_but_not_apply(client, world, make):
    from app.core import auth

    staff = make.headers(make.merchant(world["shop_a"], role=auth.MERCHANT_STAFF))
    assert client.get(f"{P}/dealer-authorisations", headers=staff).status_code == 200
    assert client.post(f"{P}/dealer-authorisations", headers=staff,
                       json={"credit_code": make.enterprise().credit_code}).status_code == 403


# ---- what villagers see ----------------------------------------------------------------------

@pytest.fixture
def misuse(make):
    """LB2025JC0102 of 绿筑 (bricks): its own store lists a brick; a workshop lists one under it
    without authorisation (negative-listed: misused) and a dealer one waiting for review."""
    holder = make.enterprise("河南中原绿筑新型建材有限公司")
    cert = make.certificate(holder, number="LB2025JC0102", category="bricks")
    legit = make.product(make.shop("410102", name="绿筑直营店", enterprise=holder),
                         name="烧结多孔砖", category="bricks", certificate=cert)
    fake = make.product(make.shop("410122", name="中牟建材城"), name="页岩实心砖",
                        category="bricks", certificate=cert)
    unverified = make.product(make.shop("410105", name="金水建材店"), name="空心砖",
                              category="bricks", certificate=cert)
    binding.recheck()
    db.session.add(NegativeListEntry(product_id=fake.id, reason="冒用绿筑公司证书，经核查属实"))
    db.session.commit()
    return {"cert": cert, "legit": legit, "fake": fake, "unverified": unverified}


def test_check_lists_only_legitimate_products_and_warns(client, misuse):
    body = client.get("/api/mp/v1/certificates/lb2025jc0102").json
    assert [p["id"] for p in body["listed_products"]] == [misuse["legit"].id]
    assert (body["status"], body["status_label"]) == ("valid", "有效")
    assert body["category"] == {"slug": "bricks", "name": "砖"}
    warnings = {w["product"]["id"]: w for w in body["warnings"]}
    assert set(warnings) == {misuse["fake"].id, misuse["unverified"].id}
    fake = warnings[misuse["fake"].id]
    assert fake["kind"] == "misused"
    assert "页岩实心砖" in fake["message"] and "冒用本证书" in fake["message"]
    assert "负面清单" in fake["message"] and "冒用绿筑公司证书" in fake["message"]
    assert warnings[misuse["unverified"].id]["kind"] == "unverified"


def test_misused_certificate_block_never_says_valid(client, misuse):
    items = {i["id"]: i for i in client.get("/api/mp/v1/products?limit=100").json["items"]}
    assert items[misuse["fake"].id]["certificate"]["status"] == "misused"
    assert items[misuse["fake"].id]["certificate"]["status_label"] == "冒用证书"
    assert items[misuse["unverified"].id]["certificate"]["status"] == "not_applicable"
    assert items[misuse["legit"].id]["certificate"]["status"] == "valid"
    assert not items[misuse["fake"].id]["eligible"]
    assert not items[misuse["unverified"].id]["eligible"]
    detail = client.get(f"/api/mp/v1/products/{misuse['fake'].id}").json
    assert detail["certificate"]["status"] == "misused"
    assert detail["certificate"]["certificate_status"] == "valid"  # the certificate itself
    other = client.get(f"/api/mp/v1/products/{misuse['unverified'].id}").json
    assert other["certificate"]["status"] == "not_applicable"
    assert other["eligibility"]["reason"] == "certificate_not_applicable"
    assert "不适用" in other["eligibility"]["message"]
    eligible = client.get("/api/mp/v1/products?eligible=true&limit=100").json["items"]
    assert [i["id"] for i in eligible] == [misuse["legit"].id]


def test_review_screen_shows_holder_against_merchant(client, world, misuse):
    body = client.get(f"{ADMIN}/products/{misuse['unverified'].id}",
                      headers=world["headers"]["county_here"]).json
    review = body["certificate_review"]
    assert review["holder"]["name"] == "河南中原绿筑新型建材有限公司"
    assert review["merchant"]["shop_name"] == "金水建材店"
    assert review["holder_is_merchant"] is False and review["approved_authorisation"] is False
    assert review["may_carry"] is False and review["category_matches"] is True
    assert body["certificate_flag"] == "other_enterprise" and body["certificate_flag_label"]
    own = client.get(f"{ADMIN}/products/{misuse['legit'].id}",
                     headers=world["headers"]["province"]).json["certificate_review"]
    assert own["holder_is_merchant"] is True and own["may_carry"] is True


# ---- flagging what was bound before the rule (migration 0011's data step) ----------------------

def test_flagging_marks_pre_existing_mismatches_and_clears_them(make):
    holder = make.enterprise()
    cert = make.certificate(holder)  # as migrated: no category yet
    own = make.product(make.shop(enterprise=holder), certificate=cert)
    dealer_shop = make.shop("410105")
    dealer = make.product(dealer_shop, certificate=cert)
    tiles = make.certificate(holder, category="ceramic-tiles")
    wrong = make.product(make.shop(enterprise=holder), category="coatings", certificate=tiles)
    uncertified = make.product(dealer_shop, certified=False)
    assert dealer.certificate_flag is None  # bound before the rule existed

    conn = db.session.connection()
    changes = binding.flag_mismatches(conn)  # what the migration runs
    assert changes == {dealer.id: "other_enterprise", wrong.id: "other_category"}
    assert binding.flag_mismatches(conn) == {}  # a second run changes nothing
    db.session.expire_all()
    assert own.certificate_flag is None and uncertified.certificate_flag is None
    assert not eligibility.check(dealer).eligible and eligibility.check(own).eligible

    authorise(dealer_shop, holder.id)
    assert binding.flag_mismatches(conn, product_ids=[dealer.id, own.id]) == {dealer.id: None}


def test_flagged_listed_products_wait_in_the_review_queue(client, world, make):
    cert = make.certificate()
    flagged = make.product(world["shop_a"], certificate=cert)
    fine = make.product(world["shop_a"], certified=False)
    pending = make.product(world["shop_a"], status="pending", certified=False)
    binding.recheck()
    db.session.commit()
    queue = client.get(f"{ADMIN}/products", headers=world["headers"]["county_here"]).json
    assert {p["id"] for p in queue["items"]} == {flagged.id, pending.id}
    assert fine.id not in {p["id"] for p in queue["items"]}


def test_star_filter_and_sort_ignore_certificates_a_product_may_not_carry(client, misuse):
    starred = client.get("/api/mp/v1/products?star=2&limit=100").json["items"]
    assert [i["id"] for i in starred] == [misuse["legit"].id]
    ranked = client.get("/api/mp/v1/products?sort=star&limit=100").json["items"]
    assert ranked[0]["id"] == misuse["legit"].id


@pytest.mark.parametrize(("labels", "statuses"), [
    (binding.AUTHORISATION_LABELS, AUTHORISATION_STATUSES),
    (binding.STATUS_LABELS, (*CERTIFICATE_STATUSES, "expired", "not_applicable", "misused")),
    (PRODUCT_STATUS_LABELS, PRODUCT_STATUSES),
    (SHOP_STATUS_LABELS, SHOP_STATUSES),
    (binding.FLAG_LABELS, CERTIFICATE_FLAGS),
], ids=["authorisation", "certificate", "product", "shop", "flag"])
def test_every_status_has_a_chinese_label(labels, statuses):
    assert set(labels) == set(statuses)
    assert all(re.fullmatch(r"[\u4e00-\u9fff，、]+", label) for label in labels.values())
    assert len(set(labels.values())) == len(labels)


def test_outputs_carry_status_labels(client, world, make):
    product = make.product(world["shop_a"], status="pending")
    admin = client.get(f"{ADMIN}/products", headers=world["headers"]["county_here"]).json
    item = admin["items"][0]
    assert (item["status"], item["status_label"]) == ("pending", "待审核")
    assert item["shop"]["status_label"] == "已通过"
    assert item["certificate"]["status_label"] == "有效"
    mine = client.get(f"{P}/products/{product.id}", headers=world["headers"]["merchant_a"]).json
    assert mine["status_label"] == "待审核" and mine["certificate"]["status_label"] == "有效"
    shop = client.get(f"{P}/shop", headers=world["headers"]["merchant_a"]).json
    assert shop["status_label"] == "已通过"


@pytest.mark.postgres
def test_simultaneous_applications_make_one(committed):
    from collections import Counter

    from tests.conftest import Factory, fire

    app = committed
    with app.app_context():
        make = Factory()
        shop = make.shop("410105")
        headers = make.headers(make.merchant(shop))
        body = {"credit_code": make.enterprise().credit_code}
    responses = fire(app, [("POST", f"{P}/dealer-authorisations", body, headers)] * 10,
                     workers=10)
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 9}
    assert {r.get_json()["error"] for r in responses if r.status_code == 409} == \
        {"authorisation_exists"}
