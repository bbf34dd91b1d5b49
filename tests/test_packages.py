"""Solution packages (系统解决方案): proposal, review, the negative-list cascade, price shares
and the subsidy per eligible product."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.extensions import db
from app.packages.models import PackageItem, SolutionPackage
from app.packages.services import allocate
from tests.test_subsidies import complete_profile, new_program

MERCHANT = "/api/v1/merchant/packages"
ADMIN = "/api/v1/admin/packages"
MP = "/api/mp/v1/packages"


def package_body(*products, **over) -> dict:
    body = {"name": "厨卫改造套餐", "scenario": "厨卫改造", "price_fen": 800_000,
            "region_code": "410105", "description": "包安装",
            "items": [{"product_id": p.id, "quantity": n} for p, n in products],
            "services": [{"kind": "installation", "name": "上门安装"}]}
    body.update(over)
    return body


@pytest.fixture
def pack(client, world, make):
    """A listed package of shop A (410105): 10 tiles at ¥300 and 100 bricks at ¥20 (shop B,
    a partner), ¥4,000 in all at list prices, sold for ¥3,200."""
    tile = make.product(world["shop_a"], name="仿古砖", price_fen=30_000)
    brick = make.product(world["shop_b"], name="烧结砖", category="bricks", price_fen=2_000)
    headers = world["headers"]
    created = client.post(MERCHANT, headers=headers["merchant_a"], json=package_body(
        (tile, 10), (brick, 100), price_fen=320_000, partner_shop_ids=[world["shop_b"].id]))
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["status"] == "pending" and body["status_label"] == "待审核"
    decided = client.post(f"{ADMIN}/{body['id']}/decision", headers=headers["county_here"],
                          json={"action": "approve"})
    assert decided.status_code == 200, decided.get_json()
    assert decided.get_json()["status"] == "listed"
    return SimpleNamespace(id=body["id"], tile=tile, brick=brick, headers=headers,
                           world=world)


def _listed_ids(client, **query) -> list[int]:
    answer = client.get(MP, query_string={"region": "410105001", **query})
    assert answer.status_code == 200, answer.get_json()
    return [item["id"] for item in answer.get_json()["items"]]


def test_a_pending_package_is_not_in_the_storefront_until_approved(client, world, make):
    tile = make.product(world["shop_a"])
    created = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                          json=package_body((tile, 2))).get_json()
    assert created["id"] not in _listed_ids(client)
    rejected = client.post(f"{ADMIN}/{created['id']}/decision",
                           headers=world["headers"]["county_here"], json={"action": "reject"})
    assert rejected.status_code == 422  # a rejection needs a note
    rejected = client.post(f"{ADMIN}/{created['id']}/decision",
                           headers=world["headers"]["county_here"],
                           json={"action": "reject", "note": "价格说明不清"})
    assert rejected.get_json()["status_label"] == "已驳回"
    assert created["id"] not in _listed_ids(client)
    again = client.post(f"{ADMIN}/{created['id']}/decision",
                        headers=world["headers"]["county_here"], json={"action": "reject",
                                                                      "note": "再驳回"})
    assert again.status_code == 409


def test_the_package_drops_out_the_moment_a_product_is_negative_listed_and_comes_back(
        client, pack):
    assert pack.id in _listed_ids(client)
    assert pack.id in _listed_ids(client, q="厨卫") and pack.id in _listed_ids(
        client, scenario="厨卫改造")
    listed = client.post("/api/v1/admin/negative-list", headers=pack.headers["province"],
                         json={"product_id": pack.brick.id, "reason": "抽检不合格"})
    assert listed.status_code == 201, listed.get_json()
    assert pack.id not in _listed_ids(client)
    detail = client.get(f"{MP}/{pack.id}", query_string={"region": "410105001"}).get_json()
    assert detail["eligible"] is False and detail["subsidy_estimate_fen"] == 0
    brick_line = next(i for i in detail["items"] if i["product_id"] == pack.brick.id)
    assert brick_line["eligible"] is False and "负面清单" in brick_line["eligibility_message"]
    lifted = client.post(f"/api/v1/admin/negative-list/{listed.get_json()['id']}/lift",
                         headers=pack.headers["province"], json={"reason": "复检合格"})
    assert lifted.status_code == 200, lifted.get_json()
    assert pack.id in _listed_ids(client)
    assert client.get(f"{MP}/{pack.id}", query_string={"region": "410105001"}
                      ).get_json()["eligible"] is True


def test_an_enterprise_on_the_negative_list_takes_its_packages_with_it(client, pack):
    listed = client.post("/api/v1/admin/negative-list", headers=pack.headers["province"],
                         json={"enterprise_id": pack.tile.enterprise_id, "reason": "企业造假"})
    assert listed.status_code == 201, listed.get_json()
    assert pack.id not in _listed_ids(client)


def test_an_unlisted_product_or_another_region_keeps_the_package_out(client, pack):
    assert pack.id not in _listed_ids(client, region="410122101")  # valid in 410105 only
    pack.tile.status = "delisted"
    db.session.commit()
    assert pack.id not in _listed_ids(client)


def test_the_price_is_shared_by_list_value_and_adds_up(client, pack):
    package = db.session.get(SolutionPackage, pack.id)
    shares = allocate(package)
    # ¥3,000 of tiles and ¥2,000 of bricks at list prices; ¥3,200 paid: 60 % and 40 %
    assert shares == {pack.tile.id: 192_000, pack.brick.id: 128_000}
    package.price_fen = 100_001
    assert sum(allocate(package).values()) == 100_001


def test_the_subsidy_is_per_eligible_product_on_the_price_paid(client, pack):
    admin = pack.world["users"]["county_here"]
    new_program(admin)  # 金水区: decoration (tiles, not bricks) at 15 %, ¥2,000 an item
    villager = complete_profile(pack.world["users"]["villager_a"])
    detail = client.get(f"{MP}/{pack.id}", headers=pack.headers["villager_a"]).get_json()
    assert detail["region"] == villager.region_code and detail["eligible"] is True
    lines = {line["product_id"]: line for line in detail["items"]}
    assert lines[pack.tile.id]["paid_fen"] == 192_000
    assert lines[pack.tile.id]["subsidy_estimate_fen"] == 192_000 * 15 // 100
    assert lines[pack.brick.id]["subsidy_estimate_fen"] == 0  # not a covered category
    assert detail["subsidy_estimate_fen"] == 28_800
    assert detail["package"]["price_fen"] == 320_000
    assert detail["package"]["services"][0]["kind_label"] == "安装"


def test_a_merchant_may_only_package_its_own_or_its_partners_products(client, world, make):
    other = make.shop("410105")
    foreign = make.product(other)
    refused = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                          json=package_body((foreign, 1)))
    assert refused.status_code == 422 and "items" in refused.get_json()["errors"]
    own = make.product(world["shop_a"])
    twice = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                        json=package_body((own, 1), (own, 2)))
    assert twice.status_code == 422
    missing = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                          json=package_body((own, 1), region_code="999999"))
    assert missing.status_code == 422 and "region_code" in missing.get_json()["errors"]
    outside = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                          json=package_body((own, 1), region_code="440100"))
    assert outside.status_code == 422
    draft = make.product(world["shop_a"], status="draft")
    unlisted = client.post(MERCHANT, headers=world["headers"]["merchant_a"],
                           json=package_body((draft, 1)))
    assert unlisted.status_code == 422


def test_a_merchant_delists_and_an_admin_lists_it_again(client, pack):
    delisted = client.post(f"{MERCHANT}/{pack.id}/delist", headers=pack.headers["merchant_a"])
    assert delisted.get_json()["status"] == "delisted"
    assert pack.id not in _listed_ids(client)
    client.post(f"{ADMIN}/{pack.id}/decision", headers=pack.headers["county_here"],
                json={"action": "approve"})
    assert pack.id in _listed_ids(client)
    assert db.session.query(PackageItem).filter_by(package_id=pack.id).count() == 2


def test_every_package_status_has_a_chinese_label():
    import re

    from app.packages.models import PACKAGE_STATUS_LABELS, PACKAGE_STATUSES

    assert set(PACKAGE_STATUS_LABELS) == set(PACKAGE_STATUSES)
    assert all(re.match(r"^[\u4e00-\u9fff]+$", v) for v in PACKAGE_STATUS_LABELS.values())
    assert len(set(PACKAGE_STATUS_LABELS.values())) == len(PACKAGE_STATUS_LABELS)
