"""The officers' dashboard series: per China-time day, computed from the records the test made
(coupons claimed/redeemed, a programme's ledger and burn-down, complaints by status)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.complaints.models import STATUS_LABELS, Complaint
from app.extensions import db
from app.promotions.models import Coupon, CouponTemplate, Redemption
from app.subsidies.models import BudgetMovement, SubsidyProgram
from tests.conftest import matrix

URL = "/api/v1/admin/reports/dashboard"
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 3)
PERIOD = f"from={FIRST}&to={LAST}"
COUNTY, OTHER = "410105", "410122"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def china_day(moment: str) -> date:
    return (utc(moment) + timedelta(hours=8)).date()


DAYS = [FIRST + timedelta(days=n) for n in range(3)]
# (county, claimed_at, redeemed_at or None, reversed)
COUPONS = [
    (COUNTY, "2026-11-30T16:30:00", "2026-12-02T02:00:00", False),  # 12-01 China; redeemed 12-02
    (COUNTY, "2026-11-30T15:30:00", "2026-12-01T03:00:00", False),  # claimed 11-30: out
    (COUNTY, "2026-12-02T17:00:00", None, False),  # 12-03 China
    (COUNTY, "2026-12-01T01:00:00", "2026-12-01T05:00:00", True),  # reversed: not counted
    (OTHER, "2026-12-01T01:00:00", "2026-12-01T05:00:00", False),  # another county
]
# (kind, amount, at): the county programme's ledger
LEDGER = [
    ("top_up", 100_000, "2026-11-01T00:00:00"), ("reserved", 10_000, "2026-11-20T00:00:00"),
    ("reserved", 20_000, "2026-11-30T16:10:00"), ("reserved", 5_000, "2026-12-01T10:00:00"),
    ("approved", 20_000, "2026-12-02T01:00:00"), ("released", 5_000, "2026-12-02T02:00:00"),
    ("top_up", 50_000, "2026-12-02T17:00:00"), ("reserved", 7_000, "2026-12-03T16:00:00"),
]
# (county, submitted_on, status, overdue flag)
COMPLAINTS = [(COUNTY, date(2026, 12, 1), "submitted", True),
              (COUNTY, date(2026, 12, 2), "accepted", False),
              (COUNTY, date(2026, 12, 3), "resolved", False),
              (COUNTY, date(2026, 11, 30), "accepted", True),  # before the period
              (OTHER, date(2026, 12, 2), "submitted", True)]


@pytest.fixture
def scene(make):
    shops = {COUNTY: make.shop(COUNTY), OTHER: make.shop(OTHER)}
    villager = make.villager()
    for n, (county, claimed, redeemed, reversed_) in enumerate(COUPONS):
        template = CouponTemplate(
            shop_id=shops[county].id, title="满减券", kind="fixed", amount_fen=500,
            total_quantity=10, validity_kind="relative", valid_days=30,
            claim_starts_at=utc("2026-11-01T00:00:00"), claim_ends_at=utc("2026-12-31T00:00:00"))
        db.session.add(template)
        db.session.flush()
        coupon = Coupon(template_id=template.id, user_id=villager.id, shop_id=shops[county].id,
                        seq=1, secret=f"d{n}", status="used" if redeemed else "unused", terms={},
                        valid_from=utc(claimed), valid_until=utc(claimed) + timedelta(days=30),
                        claimed_at=utc(claimed))
        db.session.add(coupon)
        db.session.flush()
        if redeemed:
            db.session.add(Redemption(
                coupon_id=coupon.id, shop_id=shops[county].id, cashier_id=villager.id,
                order_amount_fen=10_000, discount_fen=500, paid_fen=9_500, created_at=utc(redeemed),
                reversed_at=utc(redeemed) + timedelta(hours=1) if reversed_ else None))
    program = SubsidyProgram(region_code=COUNTY, title="金水补贴", rate_bp=1500,
                             cap_per_item_fen=200_000, cap_per_person_fen=500_000,
                             budget_fen=150_000, committed_fen=37_000,
                             starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31))
    elsewhere = SubsidyProgram(region_code=OTHER, title="中牟补贴", rate_bp=1500,
                               cap_per_item_fen=200_000, cap_per_person_fen=500_000,
                               budget_fen=1, starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31))
    db.session.add_all([program, elsewhere])
    db.session.flush()
    for kind, amount, at in LEDGER:
        db.session.add(BudgetMovement(program_id=program.id, kind=kind, amount_fen=amount,
                                      at=utc(at)))
    for n, (county, submitted, status, late) in enumerate(COMPLAINTS):
        db.session.add(Complaint(
            tracking_no=f"TS-DASH-{n}", user_id=villager.id, category="quality",
            description="漏水", region_code=county, status=status, submitted_on=submitted,
            accept_due_on=submitted + timedelta(days=9), finish_due_on=date(2027, 3, 1),
            overdue=late))
    db.session.commit()
    return program


def test_series_per_china_day_from_the_records(client, make, scene):
    admin = make.admin(COUNTY)
    response = client.get(f"{URL}?{PERIOD}", headers=make.headers(admin))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["region"]["code"] == COUNTY and (body["from"], body["to"]) == ("2026-12-01",
                                                                               "2026-12-03")
    here = [c for c in COUPONS if c[0] == COUNTY]
    assert body["coupons"] == [{
        "day": day.isoformat(),
        "claimed": sum(1 for c in here if china_day(c[1]) == day),
        "redeemed": sum(1 for c in here if c[2] and not c[3] and china_day(c[2]) == day),
    } for day in DAYS]
    assert [d["claimed"] for d in body["coupons"]] == [2, 0, 1]  # the arithmetic, spelled out

    [programme] = body["programmes"]
    assert (programme["id"], programme["name"], programme["budget"]) == (scene.id, "金水补贴",
                                                                         150_000)
    sign = {"top_up": 1, "reserved": -1, "released": 1}
    expected, left = [], sum(sign.get(k, 0) * a for k, a, at in LEDGER if china_day(at) < FIRST)
    for day in DAYS:
        moves = [(k, a) for k, a, at in LEDGER if china_day(at) == day]
        left += sum(sign.get(k, 0) * a for k, a in moves)
        expected.append({"day": day.isoformat(), "claims": sum(k == "reserved" for k, _ in moves),
                         "approved": sum(a for k, a in moves if k == "approved"),
                         "remaining": left})
    assert programme["series"] == expected
    assert [d["remaining"] for d in programme["series"]] == [65_000, 70_000, 120_000]

    complaints = body["complaints"]
    counts = {row["status"]: row["count"] for row in complaints["by_status"]}
    assert list(counts) == list(STATUS_LABELS)
    assert counts == {status: sum(1 for c in COMPLAINTS if c[0] == COUNTY and c[2] == status
                                  and FIRST <= c[1] <= LAST) for status in STATUS_LABELS}
    assert complaints["overdue"] == 1
    assert {row["label"] for row in complaints["by_status"]} == set(STATUS_LABELS.values())


def test_province_sees_both_counties(client, make, scene):
    admin = make.admin("410000")
    body = client.get(f"{URL}?{PERIOD}", headers=make.headers(admin)).get_json()
    assert sum(d["claimed"] for d in body["coupons"]) == sum(
        1 for c in COUPONS if FIRST <= china_day(c[1]) <= LAST)
    assert [p["name"] for p in body["programmes"]] == ["金水补贴", "中牟补贴"]
    assert body["complaints"]["overdue"] == 2


CASES = [
    *matrix(f"{URL}?region=410105", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{URL}?region=410000", "GET", 401, 403, 403, 403, 403, 403, 403, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "expected_status"), CASES)
def test_auth_matrix(client, world, method, path, who, expected_status):
    response = client.open(path, method=method, headers=world["headers"][who])
    assert response.status_code == expected_status
    if expected_status >= 400:
        assert "coupons" not in response.get_json()


def test_bad_period_is_422(client, make):
    admin = make.admin(COUNTY)
    response = client.get(f"{URL}?from=2026-12-10&to=2026-12-01", headers=make.headers(admin))
    assert response.status_code == 422
    assert response.get_json()["errors"]["from"] == ["开始日期不能晚于结束日期"]
