"""The merchant's redemption export (CSV and Excel): content, Chinese headings, shop scoping."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from app.core import auth
from tests.conftest import PRINCIPALS
from tests.test_coupons import TILL, claimed, new_template, redeem

CSV, XLSX = f"{TILL}.csv", f"{TILL}.xlsx"
HEADINGS = ["核销编号", "核销时间", "优惠券编号", "优惠券", "商品编号", "商品", "订单金额（元）",
            "优惠金额（元）", "实付金额（元）", "状态", "收银员", "撤销时间", "撤销原因"]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())  # Excel reads the Chinese right
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _xlsx(response) -> list[list]:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.title == "核销记录"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _redeemed(client, world, shop: str, villager: str, amount: int, **template) -> dict:
    coupon = claimed(client, world["headers"][villager],
                     new_template(world[shop], **template).id)
    response = redeem(client, world["headers"][f"merchant_{shop[-1]}"], coupon["code"], amount)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_csv_and_xlsx_hold_the_shops_redemptions_newest_first(client, world):
    first = _redeemed(client, world, "shop_a", "villager_a", 25000, title="满100减20")
    second = _redeemed(client, world, "shop_a", "villager_b", 12345, title="=HYPERLINK(1)")
    owner = world["headers"]["merchant_a"]
    reversed_ = client.post(f"{TILL}/{first['id']}/reverse", headers=owner,
                            json={"reason": "收银员点错了"})
    assert reversed_.status_code == 200, reversed_.get_json()

    rows = _csv(client.get(CSV, headers=owner))
    assert rows[0] == HEADINGS
    assert [int(r[0]) for r in rows[1:]] == [second["id"], first["id"]]
    newest, oldest = rows[1], rows[2]
    assert newest[3] == "'=HYPERLINK(1)"  # text, never a formula (CWE-1236)
    assert newest[6:10] == ["123.45", "20.00", "103.45", "已核销"]
    assert newest[11:] == ["", ""]
    assert oldest[3] == "满100减20" and oldest[6:10] == ["250.00", "20.00", "230.00", "已撤销"]
    assert oldest[12] == "收银员点错了" and oldest[11].startswith("20")
    assert newest[1][:4].isdigit() and len(newest[1]) == 19  # 2026-11-20 09:30:00, China time
    assert newest[10]  # who was at the till

    response = client.get(XLSX, headers=owner)
    assert response.headers["X-Row-Count"] == "2"
    sheet = _xlsx(response)
    assert sheet[0] == HEADINGS
    assert [r[0] for r in sheet[1:]] == [second["id"], first["id"]]
    assert sheet[1][3] == "=HYPERLINK(1)"  # stored as a string cell, not a formula
    assert [float(v) for v in sheet[1][6:9]] == [123.45, 20.0, 103.45]
    assert sheet[2][9] == "已撤销"


def test_another_shops_redemptions_never_appear(client, world, make):
    mine = _redeemed(client, world, "shop_a", "villager_a", 30000)
    theirs = _redeemed(client, world, "shop_b", "villager_b", 40000)
    staff_a = make.headers(make.merchant(world["shop_a"], role=auth.MERCHANT_STAFF))
    for headers, own, other in ((world["headers"]["merchant_a"], mine, theirs),
                                (staff_a, mine, theirs),
                                (world["headers"]["merchant_b"], theirs, mine)):
        ids = [int(r[0]) for r in _csv(client.get(CSV, headers=headers))[1:]]
        assert ids == [own["id"]] and other["id"] not in ids
        assert [r[0] for r in _xlsx(client.get(XLSX, headers=headers))[1:]] == [own["id"]]


def test_a_shop_without_redemptions_gets_the_headings_only(client, world):
    assert _csv(client.get(CSV, headers=world["headers"]["merchant_b"])) == [HEADINGS]
    assert _xlsx(client.get(XLSX, headers=world["headers"]["merchant_b"])) == [HEADINGS]


def test_an_owner_without_a_shop_is_told_to_open_one(client, make):
    headers = make.headers(make.console_user(auth.MERCHANT_OWNER))
    for path in (CSV, XLSX):
        response = client.get(path, headers=headers)
        assert response.status_code == 409 and response.get_json()["error"] == "no_shop"


EXPECTED = dict(zip(PRINCIPALS, (401, 403, 403, 200, 200, 403, 403, 403), strict=True))


@pytest.mark.parametrize("path", [CSV, XLSX])
@pytest.mark.parametrize("who", PRINCIPALS)
def test_auth_matrix(client, world, path, who):
    response = client.get(path, headers=world["headers"][who])
    assert response.status_code == EXPECTED[who], response.get_data(as_text=True)[:200]
    if response.status_code != 200:
        body = response.get_json()
        assert body["error"] and any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_the_coupon_list_counts_what_was_redeemed_at_the_till(client, world):
    """The console's figures per coupon: claimed and redeemed (villagers see no till figures)."""
    template = new_template(world["shop_a"], total_quantity=10)
    owner = world["headers"]["merchant_a"]
    codes = [claimed(client, world["headers"][v], template.id)["code"]
             for v in ("villager_a", "villager_b")]
    assert redeem(client, owner, codes[0], 50000).status_code == 201
    listed = client.get("/api/v1/merchant/coupons", headers=owner).get_json()["items"]
    mine = next(t for t in listed if t["id"] == template.id)
    assert (mine["claimed_count"], mine["redeemed_count"]) == (2, 1)
    assert redeem(client, owner, codes[1], 50000).status_code == 201
    one = client.get(f"/api/v1/merchant/coupons/{template.id}", headers=owner).get_json()
    assert one["redeemed_count"] == 2
    claimable = client.get("/api/mp/v1/coupons").get_json()["items"]
    assert claimable and all("redeemed_count" not in t for t in claimable)
