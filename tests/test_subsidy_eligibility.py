"""Every reason a claim is refused, as a table; a refusal changes nothing."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.catalog import admin_services
from app.catalog.models import LocalListEntry, NegativeListEntry
from app.catalog.services import category_by_slug
from app.core import crypto
from app.core.db import utcnow
from app.extensions import db
from app.subsidies.claims import normalise_invoice
from app.subsidies.models import BudgetMovement, PersonTotal, SubsidyClaim, SubsidyProgram
from tests.test_subsidies import (
    AMOUNT,
    MP_CLAIMS,
    PRICE,
    assert_error,
    claim_body,
    complete_profile,
    count,
    days,
    ledger_of,
    new_program,
    reserve,
)


@pytest.fixture
def s(world, make):
    """Villager A (complete profile, 金水区), a ¥10,000 certified tile at shop A, and the
    金水区 programme (decoration, 60 days either side of today); the claim is for a purchase
    10 days ago. Each case below changes one thing."""
    admin = world["users"]["county_here"]
    return SimpleNamespace(make=make, world=world, admin=admin,
                           villager=complete_profile(world["users"]["villager_a"]),
                           tile=make.product(world["shop_a"], name="仿古砖", price_fen=PRICE),
                           program=new_program(admin))


def _product(p) -> dict:
    return {"product_id": p.id, "merchant_id": p.shop_id}


def _set(obj, **values) -> dict:
    for name, value in values.items():
        setattr(obj, name, value)
    return {}


def _negative(s, *, days_ago: int, lifted_days_ago: int | None = None,
              enterprise: bool = False) -> dict:
    at = utcnow() - timedelta(days=days_ago)
    target = ({"enterprise_id": s.tile.enterprise_id} if enterprise
              else {"product_id": s.tile.id})
    db.session.add(NegativeListEntry(
        reason="抽检不合格", listed_by=s.admin.id, listed_at=at, **target,
        lifted_at=None if lifted_days_ago is None else utcnow() - timedelta(
            days=lifted_days_ago)))
    return {}


def _certificate(s, **values) -> dict:
    cert = s.make.certificate(**values)
    return _product(s.make.product(s.world["shop_a"], certificate=cert))


def _on_local_list(s) -> dict:
    product = s.make.product(s.world["shop_a"], category="coatings", certified=False)
    db.session.add(LocalListEntry(region_code="410105", product_id=product.id,
                                  requirement="符合本县技术要求", valid_from=days(-30),
                                  valid_until=days(30)))
    return _product(product)


def _claimed_before(s, invoice: str = "0441-2300 1234", **body) -> dict:
    reserve(s.villager, s.program, s.tile, invoice=invoice)
    return body


def _other_account_same_person(s) -> dict:
    """The cap is per ID number: another account of the same person has claimed."""
    twin = s.make.villager("twin", region_code="410105002")
    complete_profile(twin, id_no=crypto.decrypt(s.villager.id_card_enc))
    return _claims(s, 3, user=twin)


def _claims(s, n: int, *, user=None) -> dict:
    """n claims of ¥20,000 purchases: ¥2,000, ¥2,000, ¥1,000 of the ¥5,000 cap."""
    for i in range(n):
        reserve(user or s.villager, s.program, s.tile, invoice=f"CAP-{i}", price=2_000_000)
    return {}


def _listed_today(s) -> dict:
    admin_services.put_on_negative_list(s.tile, reason="虚假认证", source_complaint_id=None,
                                        by=s.admin)
    return {}


def _small_budget(s, left: int) -> dict:
    program = new_program(s.admin, budget_fen=AMOUNT + left, title="小额预算")
    other = s.make.villager("early", region_code="410105001")
    complete_profile(other)
    reserve(other, program, s.tile, invoice="EARLY-1")
    return {"program_id": program.id}


NOT_ELIGIBLE = (422, "not_eligible")
CASES = [
    # the villager's profile
    pytest.param(lambda s: _set(s.villager, real_name=None), *NOT_ELIGIBLE,
                 "profile_incomplete", id="no real name"),
    pytest.param(lambda s: _set(s.villager, id_card_enc=None, id_card_hash=None),
                 *NOT_ELIGIBLE, "profile_incomplete", id="no ID number"),
    pytest.param(lambda s: _set(s.villager, region_code=None), *NOT_ELIGIBLE,
                 "profile_incomplete", id="no residence"),
    # the programme
    pytest.param(lambda s: _set(s.program, status="closed"), *NOT_ELIGIBLE, "program_closed",
                 id="programme closed"),
    pytest.param(lambda s: {"purchase_date": days(-61).isoformat()}, *NOT_ELIGIBLE,
                 "outside_window", id="bought before the window"),
    pytest.param(lambda s: _set(s.program, ends_on=days(-20)), *NOT_ELIGIBLE,
                 "outside_window", id="bought after the window"),
    pytest.param(lambda s: {"purchase_date": days(1).isoformat()}, *NOT_ELIGIBLE,
                 "purchase_in_future", id="bought tomorrow"),
    pytest.param(lambda s: _set(s.villager, region_code="410122101"), *NOT_ELIGIBLE,
                 "not_resident", id="lives in another county"),
    pytest.param(lambda s: _set(s.villager, region_code="410184101"), *NOT_ELIGIBLE,
                 "not_resident", id="lives elsewhere in the city"),
    # the merchant and the product
    pytest.param(lambda s: _set(s.world["shop_a"], status="pending"), *NOT_ELIGIBLE,
                 "shop_not_participating", id="shop not approved"),
    pytest.param(lambda s: _set(s.world["shop_a"], status="suspended"), *NOT_ELIGIBLE,
                 "shop_not_participating", id="shop suspended"),
    pytest.param(lambda s: {"merchant_id": 999_999}, *NOT_ELIGIBLE,
                 "shop_not_participating", id="no such shop"),
    pytest.param(lambda s: {"merchant_id": s.world["shop_b"].id}, *NOT_ELIGIBLE,
                 "product_not_in_shop", id="product of another shop"),
    pytest.param(lambda s: {"product_id": 999_999}, *NOT_ELIGIBLE, "product_not_in_shop",
                 id="no such product"),
    pytest.param(lambda s: _product(s.make.product(s.world["shop_a"], category="doors-windows")),
                 *NOT_ELIGIBLE, "category_not_covered", id="category not covered"),
    # eligible on the purchase date?
    pytest.param(lambda s: _certificate(s, expires_on=days(-11)), *NOT_ELIGIBLE,
                 "certificate_expired", id="certificate expired before the purchase"),
    pytest.param(lambda s: _certificate(s, issued_on=days(-9)), *NOT_ELIGIBLE,
                 "certificate_not_yet_valid", id="certificate issued after the purchase"),
    pytest.param(lambda s: _certificate(s, status="suspended"), *NOT_ELIGIBLE,
                 "certificate_suspended", id="certificate suspended"),
    pytest.param(lambda s: _certificate(s, status="revoked"), *NOT_ELIGIBLE,
                 "certificate_revoked", id="certificate revoked"),
    pytest.param(lambda s: _product(s.make.product(s.world["shop_a"], certified=False)),
                 *NOT_ELIGIBLE, "not_certified", id="not certified, not on a local list"),
    pytest.param(lambda s: _negative(s, days_ago=20), *NOT_ELIGIBLE, "negative_list_product",
                 id="product on the negative list"),
    pytest.param(lambda s: _negative(s, days_ago=20, enterprise=True), *NOT_ELIGIBLE,
                 "negative_list_enterprise", id="enterprise on the negative list"),
    pytest.param(lambda s: _negative(s, days_ago=20, lifted_days_ago=0), *NOT_ELIGIBLE,
                 "negative_list_product", id="listed on the purchase date, lifted since"),
    pytest.param(_listed_today, *NOT_ELIGIBLE, "negative_list_product",
                 id="listed today, bought before"),
    # one invoice, one claim; the caps
    pytest.param(lambda s: _claimed_before(s), 409, "duplicate_invoice", None,
                 id="same invoice again"),
    pytest.param(lambda s: _claimed_before(s, invoice_no="04412300 1234"), 409,
                 "duplicate_invoice", None, id="same invoice, other spacing"),
    pytest.param(lambda s: _claimed_before(s, invoice_no="０４４１-２３００ １２３４"), 409,
                 "duplicate_invoice", None, id="same invoice, full-width digits"),
    pytest.param(lambda s: _claimed_before(s, "inv-9a", invoice_no="INV 9A"), 409,
                 "duplicate_invoice", None, id="same invoice, other case"),
    pytest.param(lambda s: _claims(s, 3), 409, "personal_cap_reached", None,
                 id="personal cap reached"),
    pytest.param(_other_account_same_person, 409, "personal_cap_reached", None,
                 id="personal cap reached by the same ID on another account"),
    pytest.param(lambda s: _small_budget(s, AMOUNT - 1), 409, "budget_exhausted", None,
                 id="budget one fen short"),
]


def _snapshot() -> tuple:
    db.session.expire_all()
    money = db.session.execute(sa.select(sa.func.sum(SubsidyProgram.committed_fen))).scalar()
    totals = db.session.execute(sa.select(sa.func.sum(PersonTotal.committed_fen))).scalar()
    return (count(SubsidyClaim), count(BudgetMovement), count(PersonTotal), money, totals)


@pytest.mark.parametrize(("setup", "status", "error", "reason"), CASES)
def test_a_claim_is_refused_with_its_reason(client, world, s, setup, status, error, reason):
    over = setup(s)
    db.session.commit()
    body = {**claim_body(s.program.id, s.tile), **over}
    before = _snapshot()
    response = client.post(MP_CLAIMS, headers=world["headers"]["villager_a"], json=body)
    assert_error(response, status, error, reason)
    assert _snapshot() == before


ACCEPTED = [
    pytest.param(lambda s: {}, AMOUNT, id="the base case"),
    pytest.param(lambda s: _certificate(s, expires_on=days(-10)), AMOUNT,
                 id="certificate expired after the purchase date"),
    pytest.param(lambda s: _certificate(s, issued_on=days(-10)), AMOUNT,
                 id="certificate issued on the purchase date"),
    pytest.param(_on_local_list, AMOUNT, id="no certificate, on the county's local list"),
    pytest.param(lambda s: _negative(s, days_ago=30, lifted_days_ago=20), AMOUNT,
                 id="negative listing lifted before the purchase"),
    pytest.param(lambda s: {"purchase_date": days(0).isoformat()}, AMOUNT, id="bought today"),
    pytest.param(lambda s: {"purchase_date": days(-60).isoformat()}, AMOUNT,
                 id="bought on the first day"),
    pytest.param(lambda s: _set(s.program, ends_on=days(-10)), AMOUNT,
                 id="bought on the last day, claimed after it"),
    pytest.param(lambda s: _set(s.villager, region_code="410105"), AMOUNT,
                 id="resident at county level"),
    pytest.param(lambda s: {"program_id": new_program(
        s.admin, category_ids=[category_by_slug("basic").id]).id,
        **_product(s.make.product(s.world["shop_a"], category="bricks"))}, AMOUNT,
        id="a sub-sub-category of a covered one"),
    pytest.param(lambda s: {"program_id": new_program(
        s.world["users"]["province"], region_code="410000").id}, AMOUNT,
        id="a province programme"),
    pytest.param(lambda s: _small_budget(s, AMOUNT), AMOUNT, id="budget exactly enough"),
    pytest.param(lambda s: _claims(s, 2), 100_000, id="what is left of the personal cap"),
]


@pytest.mark.parametrize(("setup", "amount"), ACCEPTED)
def test_a_claim_is_accepted(client, world, s, setup, amount):
    over = setup(s)
    db.session.commit()
    body = {**claim_body(s.program.id, s.tile), **over}
    response = client.post(MP_CLAIMS, headers=world["headers"]["villager_a"], json=body)
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    assert claim["status"] == "reserved" and claim["amount_fen"] == amount
    assert ledger_of(claim["program_id"])["reconciles"]


def test_the_same_invoice_at_another_shop_is_another_invoice(client, world, make, s):
    door = make.product(world["shop_b"], category="coatings")
    reserve(s.villager, s.program, s.tile, invoice="0441-2300 1234")
    response = client.post(MP_CLAIMS, headers=world["headers"]["villager_a"],
                           json=claim_body(s.program.id, door, invoice="0441-2300 1234"))
    assert response.status_code == 201, response.get_json()


def test_the_reasons_come_in_the_order_a_villager_can_act_on(client, world, make, s):
    """Profile first (fixable at once), then programme, dates, residence, shop, product."""
    _set(s.villager, real_name=None, region_code="410122101")
    _set(s.program, status="closed")
    db.session.commit()
    headers = world["headers"]["villager_a"]
    body = claim_body(s.program.id, s.tile, on=days(-90))
    expected = ["profile_incomplete", "program_closed", "outside_window", "not_resident"]
    fixes = [lambda: _set(s.villager, real_name="王小明"),
             lambda: _set(s.program, status="open"),
             lambda: body.update(purchase_date=days(-10).isoformat()),
             lambda: _set(s.villager, region_code="410105001")]
    for reason, fix in zip(expected, fixes, strict=True):
        assert_error(client.post(MP_CLAIMS, headers=headers, json=body), 422, "not_eligible",
                     reason)
        fix()
        db.session.commit()
    assert client.post(MP_CLAIMS, headers=headers, json=body).status_code == 201


@pytest.mark.parametrize(("a", "b"), [
    ("0441-2300 1234", "04412300 1234"),
    ("0441-2300 1234", "044123001234"),
    ("no.0441 2300", "NO0441-2300"),
    ("０４４１２３００１２３４", "0441 2300 1234"),
    ("Ａｂ-12", "AB12"),
])
def test_invoice_numbers_are_normalised(a, b):
    assert normalise_invoice(a) == normalise_invoice(b)
