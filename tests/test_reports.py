"""The campaign summary report (活动总结): figures checked against the records the test made,
for a county and for a province with two counties, across China-time day boundaries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.catalog.models import LocalListEntry, NegativeListEntry
from app.complaints.models import Complaint
from app.core import auth
from app.core.db import utcnow
from app.expos import organiser
from app.expos.models import Expo, ExpoTicket
from app.extensions import db
from app.promotions.models import Coupon, CouponTemplate, Promotion, Redemption
from app.subsidies.models import SubsidyClaim, SubsidyProgram
from tests.conftest import matrix

URL = "/api/v1/admin/reports/summary"
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 10)
PERIOD = f"from={FIRST}&to={LAST}"
COUNTY_A, COUNTY_B, OTHER = "410105", "410225", "410122"  # 郑州金水, 开封兰考, 郑州中牟


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# China midnight of 12-01 is 2026-11-30T16:00Z: 16:30Z is already 12-01 (in), 15:30Z is
# still 11-30 (out); 12-10T15:59Z is the last minute of the period, 16:00Z is past it.
IN_EARLY, OUT_EARLY = "2026-11-30T16:30:00", "2026-11-30T15:30:00"
IN_LATE, OUT_LATE = "2026-12-10T15:59:00", "2026-12-10T16:00:00"


def in_period(moment: str) -> bool:
    china_day = (utc(moment) + timedelta(hours=8)).date()
    return FIRST <= china_day <= LAST


def china_day(moment: str) -> date:
    return (utc(moment) + timedelta(hours=8)).date()


def workdays_between(start: date, end: date) -> int:
    """Mon-Fri after `start` up to `end`: December 2026 has no public holiday in China."""
    return sum(1 for n in range(1, (end - start).days + 1)
               if (start + timedelta(days=n)).weekday() < 5)


# ---- the records ------------------------------------------------------------------------

EXPOS = [  # township, starts_at, status, tickets as (status, admitted)
    ("410105001", IN_EARLY, "published",
     [("registered", True), ("registered", True), ("registered", False), ("waitlisted", False),
      ("cancelled", False)]),
    ("410105002", OUT_EARLY, "finished", [("registered", True), ("registered", False)]),
    ("410105001", "2026-12-05T02:00:00", "cancelled", [("registered", False)]),
    ("410105002", "2026-12-06T02:00:00", "draft", []),
    ("410225101", IN_LATE, "finished", [("registered", True), ("registered", False)]),
    ("410225102", OUT_LATE, "published", [("registered", False)]),
    ("410122101", "2026-12-03T02:00:00", "finished", [("registered", True)]),
]
CLAIMS = [  # shop key, status, amount_fen, created_at
    ("a", "reserved", 10_000, IN_EARLY), ("a", "approved", 20_000, "2026-12-02T03:00:00"),
    ("a", "disbursed", 5_000, "2026-12-04T03:00:00"), ("a", "rejected", 7_000, IN_LATE),
    ("a", "reserved", 9_999, OUT_EARLY), ("b", "approved", 3_000, "2026-12-05T03:00:00"),
    ("b", "reserved", 4_000, OUT_LATE), ("other", "approved", 1_500, "2026-12-05T03:00:00"),
]
COUPONS = [  # shop key, claimed_at, redemption as (discount, order, at, reversed) or None
    ("a", IN_EARLY, (500, 10_000, "2026-12-03T02:00:00", False)),
    ("a", OUT_EARLY, None),
    ("a", "2026-12-04T02:00:00", (800, 20_000, IN_LATE, False)),
    ("a", "2026-12-05T02:00:00", (300, 5_000, "2026-12-06T02:00:00", True)),
    ("b", IN_LATE, (200, 4_000, OUT_LATE, False)),
    ("b", "2026-12-02T02:00:00", None),
]
# region, submitted_on, status, resolved_at, closed_at, satisfaction, overdue flag
COMPLAINTS = [
    (COUNTY_A, date(2026, 12, 1), "resolved", "2026-12-03T16:30:00", None, None, False),
    (COUNTY_A, date(2026, 11, 27), "closed", "2026-12-07T01:00:00", "2026-12-08T01:00:00", 4,
     False),
    (COUNTY_A, date(2026, 12, 2), "submitted", None, None, None, True),
    (COUNTY_A, date(2026, 12, 2), "accepted", None, None, None, False),
    (COUNTY_A, date(2026, 12, 5), "declined", None, None, None, False),
    (COUNTY_A, date(2026, 11, 30), "accepted", None, None, None, True),
    (COUNTY_B, date(2026, 12, 1), "closed", "2026-12-01T02:00:00", "2026-12-01T16:30:00", 5,
     False),
    (COUNTY_B, date(2026, 12, 8), "resolved", OUT_LATE, None, None, False),
]


@pytest.fixture
def campaign(make):
    """Shops in two counties (and a third of the same city), with expos, products,
    promotions, coupons, subsidy claims and complaints on both sides of the period."""
    shops = {"a": make.shop(COUNTY_A), "b": make.shop(COUNTY_B), "other": make.shop(OTHER),
             "a_pending": make.shop(COUNTY_A, status="pending"),
             "a_township": make.shop("410105001")}
    villager = make.villager(region_code="410105001")
    cert = make.certificate(issued_on=date(2026, 1, 1), expires_on=date(2027, 12, 31))
    expired = make.certificate(issued_on=date(2024, 1, 1), expires_on=date(2026, 12, 5))
    products = {
        "certified": make.product(shops["a"], certificate=cert),
        "local": make.product(shops["a"], certified=False),
        "plain": make.product(shops["a"], certified=False),
        "delisted": make.product(shops["a"], certificate=cert, status="delisted"),
        "negative": make.product(shops["a"], certificate=cert),
        "expired": make.product(shops["a"], certificate=expired),
        "b": make.product(shops["b"], certificate=cert),
        "township": make.product(shops["a_township"], certificate=cert),
    }
    db.session.add_all([
        LocalListEntry(region_code="410100", product_id=products["local"].id, requirement="地标",
                       valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31)),
        LocalListEntry(region_code=COUNTY_B, product_id=products["plain"].id, requirement="他县",
                       valid_from=date(2026, 1, 1), valid_until=date(2026, 12, 31)),
        NegativeListEntry(product_id=products["negative"].id, reason="虚假认证",
                          listed_at=utc("2026-12-05T00:00:00")),
    ])
    for township, starts, status, tickets in EXPOS:
        expo = Expo(title="展销会", township_code=township, organiser_region_code=township[:6],
                    venue="会场", starts_at=utc(starts), ends_at=utc(starts) + timedelta(hours=8),
                    registration_opens_at=utc("2026-11-01T00:00:00"),
                    registration_closes_at=utc(starts), capacity=100, status=status,
                    signing_key_enc="-", public_key="-")
        db.session.add(expo)
        db.session.flush()
        for n, (ticket_status, admitted) in enumerate(tickets):
            holder = make.villager()
            db.session.add(ExpoTicket(
                expo_id=expo.id, user_id=holder.id, status=ticket_status, secret=f"s{n}",
                admitted_at=utc(starts) + timedelta(hours=1) if admitted else None))
        # the seats taken, as registration keeps them (app.expos.registration.take_seat)
        expo.registered_count = sum(1 for status, _ in tickets if status == "registered")
    db.session.add_all([
        Promotion(shop_id=shops["a"].id, title="冬季促销", kind="percent", percent_off_bp=1000,
                  starts_at=utc("2026-11-01T00:00:00"), ends_at=utc(IN_EARLY)),
        Promotion(shop_id=shops["a"].id, title="已结束", kind="percent", percent_off_bp=1000,
                  starts_at=utc("2026-11-01T00:00:00"), ends_at=utc(OUT_EARLY)),
        Promotion(shop_id=shops["b"].id, title="年末", kind="percent", percent_off_bp=500,
                  starts_at=utc(IN_LATE), ends_at=utc("2026-12-31T00:00:00")),
    ])
    templates = {}
    for key, quantity, opens in (("a", 100, "2026-11-01T00:00:00"), ("b", 50, OUT_LATE),
                                 ("b_open", 30, IN_LATE)):
        templates[key] = CouponTemplate(
            shop_id=shops[key[0]].id, title="满减券", kind="fixed", amount_fen=500,
            total_quantity=quantity, validity_kind="relative", valid_days=30,
            claim_starts_at=utc(opens), claim_ends_at=utc("2026-12-31T00:00:00"))
        db.session.add(templates[key])
    db.session.flush()
    for n, (key, claimed, redemption) in enumerate(COUPONS):
        coupon = Coupon(template_id=templates[key].id, user_id=villager.id,
                        shop_id=shops[key].id, seq=n + 1, secret=f"c{n}",
                        status="used" if redemption else "unused", terms={},
                        valid_from=utc(claimed), valid_until=utc(claimed) + timedelta(days=30),
                        claimed_at=utc(claimed))
        db.session.add(coupon)
        db.session.flush()
        if redemption:
            discount, order, at, reversed_ = redemption
            db.session.add(Redemption(
                coupon_id=coupon.id, shop_id=shops[key].id, cashier_id=villager.id,
                order_amount_fen=order, discount_fen=discount, paid_fen=order - discount,
                created_at=utc(at), reversed_at=utc(at) + timedelta(hours=1) if reversed_
                else None))
    programs = [
        SubsidyProgram(region_code=COUNTY_A, title="金水补贴", rate_bp=1500,
                       cap_per_item_fen=200_000, cap_per_person_fen=500_000,
                       budget_fen=1_000_000, committed_fen=30_000,
                       starts_on=date(2026, 7, 1), ends_on=date(2026, 12, 31)),
        SubsidyProgram(region_code="410000", title="全省补贴", rate_bp=1000,
                       cap_per_item_fen=200_000, cap_per_person_fen=500_000,
                       budget_fen=5_000_000, committed_fen=0,
                       starts_on=date(2026, 12, 10), ends_on=date(2027, 3, 31)),
        SubsidyProgram(region_code=COUNTY_A, title="上半年", rate_bp=1500,
                       cap_per_item_fen=200_000, cap_per_person_fen=500_000,
                       budget_fen=700_000, committed_fen=0,
                       starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)),
    ]
    db.session.add_all(programs)
    db.session.flush()
    for n, (key, status, amount, created) in enumerate(CLAIMS):
        db.session.add(SubsidyClaim(
            program_id=programs[0].id, user_id=villager.id, person_hash="p", shop_id=shops[key].id,
            product_id=products["certified"].id, price_paid_fen=amount * 10,
            invoice_no=f"INV{n}", invoice_key=f"INV{n}", purchase_date=date(2026, 12, 1),
            amount_fen=amount, status=status, created_at=utc(created)))
    for n, (region, submitted, status, resolved, closed, rating, late) in enumerate(COMPLAINTS):
        db.session.add(Complaint(
            tracking_no=f"TS-REPORT-{n}", user_id=villager.id, category="quality",
            description="漏水", region_code=region, status=status, submitted_on=submitted,
            accept_due_on=submitted + timedelta(days=9),
            finish_due_on=date(2027, 3, 1) if status != "submitted" else None,
            resolved_at=utc(resolved) if resolved else None,
            closed_at=utc(closed) if closed else None, satisfaction=rating, overdue=late))
    db.session.commit()
    return {"shops": shops, "products": products}


# ---- expected figures, computed from the lists above -------------------------------------

def expected(inside) -> dict:
    """The report's sections for the records whose region code satisfies `inside`."""
    held = [(t, s, st, tk) for t, s, st, tk in EXPOS
            if inside(t) and in_period(s) and st in ("published", "finished")]
    tickets = [tk for _, _, _, tks in held for tk in tks]
    claims = [c for c in CLAIMS if inside(SHOP_REGIONS[c[0]]) and in_period(c[3])]
    coupons = [c for c in COUPONS if inside(SHOP_REGIONS[c[0]])]
    redeemed = [c[2] for c in coupons if c[2] and in_period(c[2][2]) and not c[2][3]]
    received = [c for c in COMPLAINTS if inside(c[0]) and FIRST <= c[1] <= LAST]
    resolved = [c for c in COMPLAINTS if inside(c[0]) and c[3] and in_period(c[3])]
    rated = [c for c in COMPLAINTS if inside(c[0]) and c[4] and in_period(c[4]) and c[5]]
    handling = sum(workdays_between(c[1], china_day(c[3])) for c in resolved)
    return {
        "expos": {"held": len(held),
                  "registrations": sum(1 for s, _ in tickets if s == "registered"),
                  "admissions": sum(1 for _, a in tickets if a),
                  "waitlisted": sum(1 for s, _ in tickets if s == "waitlisted")},
        "promotions": {
            "coupons_claimed": sum(1 for c in coupons if in_period(c[1])),
            "coupons_redeemed": len(redeemed),
            "discount_fen": sum(r[0] for r in redeemed),
            "order_amount_fen": sum(r[1] for r in redeemed)},
        "subsidies": {
            "claims": len(claims),
            "claims_rejected": sum(1 for c in claims if c[1] == "rejected"),
            "reserved_fen": sum(c[2] for c in claims if c[1] == "reserved"),
            "approved_fen": sum(c[2] for c in claims if c[1] in ("approved", "disbursed")),
            "disbursed_fen": sum(c[2] for c in claims if c[1] == "disbursed")},
        "complaints": {
            "received": len(received),
            "declined": sum(1 for c in received if c[2] == "declined"),
            "overdue": sum(1 for c in received if c[6]),
            "resolved": len(resolved), "handling_workdays": handling,
            "avg_handling_workdays": round(handling / len(resolved), 1) if resolved else None,
            "rated": len(rated), "rating_total": sum(c[5] for c in rated),
            "avg_satisfaction": round(sum(c[5] for c in rated) / len(rated), 2)
            if rated else None},
    }


SHOP_REGIONS = {"a": COUNTY_A, "b": COUNTY_B, "other": OTHER}


def assert_sections(got: dict, want: dict) -> None:
    for section, figures in want.items():
        for name, value in figures.items():
            assert got[section][name] == value, (section, name, got[section][name], value)


def get(client, world, who: str, query: str):
    return client.get(f"{URL}?{query}", headers=world["headers"][who])


# ---- a county ---------------------------------------------------------------------------

def test_county_summary_counts_what_the_county_has_in_the_period(client, world, campaign):
    response = get(client, world, "county_here", PERIOD)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["region"] == {"code": COUNTY_A, "name": "金水区", "level": "county"}
    assert (body["from"], body["to"]) == ("2026-12-01", "2026-12-10")
    assert body["generated_at"].endswith("+08:00")
    total = body["total"]
    assert_sections(total, expected(lambda code: code.startswith(COUNTY_A)))
    # the boundary itself: the expo at 11-30T16:30Z (12-01 in China) is held; 15:30Z is not
    assert total["expos"] == {"held": 1, "registrations": 3, "admissions": 2, "waitlisted": 1}
    assert total["complaints"]["avg_handling_workdays"] == 4.5  # (3 + 6) / 2
    # products as they stood on 12-10: "local" is on the city's list (410100 contains 410105);
    # "plain" only on another county's; "negative" listed on 12-05; "expired" on 12-05
    assert total["merchants"] == {  # the world's 金水瓷砖店 is a third approved shop
        "shops_approved": 3, "products_listed": 6, "products_certified": 3,
        "products_local_list": 1, "products_eligible": 3, "products_negative_listed": 1}
    assert total["promotions"]["promotions"] == 1
    assert (total["promotions"]["coupon_templates"], total["promotions"]["coupons_issued"]) \
        == (1, 100)
    subsidies = total["subsidies"]
    assert (subsidies["programs"], subsidies["budget_fen"], subsidies["remaining_fen"]) \
        == (1, 1_000_000, 970_000)
    # rows: its townships, and the county's own records (本级) in a last row
    rows = {row["region"]["code"]: row for row in body["rows"]}
    assert list(rows) == ["410105001", "410105002", COUNTY_A]
    assert rows[COUNTY_A]["own_level"] is True
    assert rows[COUNTY_A]["region"]["name"] == "金水区（本级）"
    assert rows["410105001"]["expos"]["held"] == 1
    assert rows["410105001"]["merchants"]["shops_approved"] == 1  # the township's shop
    assert rows["410105002"]["expos"]["held"] == 0
    _assert_rows_sum_to_total(body)


def test_county_without_townships_has_no_rows(client, make, world):
    admin = make.admin("410102")
    body = client.get(f"{URL}?{PERIOD}", headers=make.headers(admin)).get_json()
    assert body["region"]["code"] == "410102" and body["rows"] == []
    assert body["total"]["complaints"]["avg_satisfaction"] is None


# ---- a province with two counties --------------------------------------------------------

def test_province_summary_has_a_row_per_city_and_the_total(client, world, campaign):
    response = get(client, world, "province", f"region=410000&{PERIOD}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    rows = {row["region"]["code"]: row for row in body["rows"]}
    assert list(rows) == ["410100", "410200", "410300", "411600", "410000"]
    assert rows["410000"]["own_level"] and rows["410000"]["region"]["name"] == "河南省（本级）"
    zhengzhou = lambda code: code.startswith("4101")  # noqa: E731 - counties A and OTHER
    assert_sections(rows["410100"], expected(zhengzhou))
    assert_sections(rows["410200"], expected(lambda code: code.startswith(COUNTY_B)))
    assert_sections(body["total"], expected(lambda code: code.startswith("41")))
    assert rows["410100"]["expos"]["held"] == 2  # Jinshui's at the boundary and Zhongmou's
    assert rows["410200"]["expos"] == {"held": 1, "registrations": 2, "admissions": 1,
                                       "waitlisted": 0}
    assert rows["410200"]["promotions"]["coupon_templates"] == 1  # b_open only
    # the province's own programme opens on the period's last day: it counts, on 本级
    assert rows["410000"]["subsidies"]["programs"] == 1
    assert rows["410000"]["subsidies"]["budget_fen"] == 5_000_000
    assert rows["410300"]["expos"]["held"] == 0
    _assert_rows_sum_to_total(body)


def test_city_rows_are_its_counties(client, make, world, campaign):
    admin = make.admin("410100")
    body = client.get(f"{URL}?{PERIOD}", headers=make.headers(admin)).get_json()
    rows = {row["region"]["code"]: row for row in body["rows"]}
    assert list(rows) == ["410102", "410103", "410104", COUNTY_A, OTHER, "410181", "410184"]
    assert_sections(rows[COUNTY_A], expected(lambda code: code.startswith(COUNTY_A)))
    assert_sections(rows[OTHER], expected(lambda code: code.startswith(OTHER)))
    _assert_rows_sum_to_total(body)


def _assert_rows_sum_to_total(body: dict) -> None:
    for section, figures in body["total"].items():
        for name, value in figures.items():
            if name.startswith("avg_"):
                continue
            assert sum(row[section][name] for row in body["rows"]) == value, (section, name)
    complaints = body["total"]["complaints"]
    if complaints["resolved"]:
        assert complaints["avg_handling_workdays"] == round(
            complaints["handling_workdays"] / complaints["resolved"], 1)


def test_period_defaults_to_this_years_campaign_until_today(client, world):
    from app.catalog.eligibility import today

    body = get(client, world, "county_here", "").get_json()
    day = today()
    start = date(day.year, 7, 1) if day >= date(day.year, 7, 1) else date(day.year, 1, 1)
    assert (body["from"], body["to"]) == (start.isoformat(), day.isoformat())


# ---- who may ask, and what -----------------------------------------------------------------

CASES = [
    *matrix(f"{URL}?region=410105", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{URL}?region=410000", "GET", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix(f"{URL}.xlsx?region=410105", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(f"{URL}", "GET", 401, 403, 403, 403, 403, 200, 200, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "expected_status"), CASES)
def test_auth_matrix(client, world, method, path, who, expected_status):
    response = client.open(path, method=method, headers=world["headers"][who])
    assert response.status_code == expected_status
    if expected_status >= 400:
        body = response.get_json()
        assert body["code"] == expected_status and "total" not in body


def test_expo_staff_may_not_read_reports(client, make):
    staff = make.console_user(auth.EXPO_STAFF, region_code="410105")
    for path in (URL, f"{URL}.xlsx"):
        response = client.get(path, headers=make.headers(staff))
        assert response.status_code == 403
        assert response.get_json()["error"] == "role_not_allowed"


def test_county_admin_asking_for_another_county_gets_403(client, world):
    response = get(client, world, "county_here", "region=410122")
    assert response.status_code == 403
    assert response.get_json()["message"] == "不在您的管辖区域内"


@pytest.mark.parametrize(("query", "field", "message"), [
    ("from=2026-12-10&to=2026-12-01", "from", "开始日期不能晚于结束日期"),
    ("from=2025-01-01&to=2026-12-01", "to", "统计区间最长 366 天"),
    ("from=2026-13-01", "from", "日期格式有误"),
    ("to=tomorrow", "to", "日期格式有误"),
    ("from=1999-12-31&to=2000-01-01", "from", "日期应在"),
    ("region=41", "region", "行政区划代码格式有误"),
])
def test_bad_query_is_422_in_chinese(client, world, query, field, message):
    response = get(client, world, "province", query)
    assert response.status_code == 422
    body = response.get_json()
    assert any(message in text for text in body["errors"][field]), body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_unknown_region_inside_scope_is_404(client, world):
    response = get(client, world, "province", "region=419999")
    assert response.status_code == 404
    assert response.get_json()["error"] == "region_not_found"


def test_registrations_through_the_service_are_the_tickets_registered(client, make):
    """The report reads registrations from the seats counter that registration keeps; here
    the seats are taken, queued for, handed on and given up through the API, and the report
    must agree with a count of the tickets themselves."""
    admin = make.admin("410105")
    now = utcnow()
    expo = organiser.create_expo(
        admin, title="展销会", venue="会场", township_code="410105001", capacity=2,
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=8),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=1, hours=6))
    organiser.publish(expo)
    db.session.commit()
    people = [make.headers(make.villager()) for _ in range(4)]
    tickets = [client.post(f"/api/mp/v1/expos/{expo.id}/registrations", headers=h).get_json()
               ["ticket"] for h in people]
    assert [t["status"] for t in tickets] == ["registered", "registered", "waitlisted",
                                              "waitlisted"]
    assert client.delete(f"/api/mp/v1/tickets/{tickets[0]['id']}",
                         headers=people[0]).status_code == 200  # the first in the queue moves up
    assert client.delete(f"/api/mp/v1/tickets/{tickets[3]['id']}",
                         headers=people[3]).status_code == 200  # a queued one gives up
    day = (now + timedelta(hours=8)).date()
    body = client.get(f"{URL}?from={day}&to={day + timedelta(days=2)}",
                      headers=make.headers(admin)).get_json()
    db.session.expire_all()
    registered = db.session.scalar(sa.select(sa.func.count()).select_from(ExpoTicket).where(
        ExpoTicket.expo_id == expo.id, ExpoTicket.status == "registered"))
    assert body["total"]["expos"]["registrations"] == registered == 2
    assert body["total"]["expos"]["waitlisted"] == 0


# ---- notifications --------------------------------------------------------------------------

# villager's region, status, channel, created_at
NOTIFICATIONS = [
    ("410105001", "sent", "wechat", IN_EARLY), ("410105001", "sent", "sms", "2026-12-03T02:00:00"),
    ("410105002", "sent", "inapp", "2026-12-04T02:00:00"),
    ("410105", "failed", "sms", "2026-12-05T02:00:00"),
    ("410105001", "skipped", "auto", IN_LATE), ("410105001", "pending", "auto", OUT_LATE),
    ("410105002", "sending", "sms", "2026-12-06T02:00:00"),
    ("410105001", "sent", "wechat", OUT_EARLY), ("410225101", "sent", "sms", IN_LATE),
]


@pytest.fixture
def notified(make):
    from app.notifications.models import Notification

    for n, (region, status, channel, created) in enumerate(NOTIFICATIONS):
        villager = make.villager(region_code=region)
        db.session.add(Notification(user_id=villager.id, kind="expo_reminder", data={},
                                    channel=channel, status=status, created_at=utc(created),
                                    dedupe_key=f"report-{n}"))
    db.session.commit()


def test_notifications_count_by_how_they_ended_in_the_villagers_region(client, world, notified):
    def expected(inside) -> dict:
        rows = [r for r in NOTIFICATIONS if inside(r[0]) and in_period(r[3])]
        sent = [r for r in rows if r[1] == "sent"]
        return {"notifications": len(rows), "sent": len(sent),
                "sent_wechat": sum(r[2] == "wechat" for r in sent),
                "sent_sms": sum(r[2] == "sms" for r in sent),
                "sent_inapp": sum(r[2] == "inapp" for r in sent),
                "failed": sum(r[1] == "failed" for r in rows),
                "skipped": sum(r[1] == "skipped" for r in rows),
                "pending": sum(r[1] in ("pending", "sending") for r in rows)}

    county = get(client, world, "county_here", PERIOD).get_json()
    assert county["total"]["notifications"] == expected(lambda code: code.startswith(COUNTY_A))
    assert county["total"]["notifications"] == {  # spelled out: the boundary rows are out
        "notifications": 6, "sent": 3, "sent_wechat": 1, "sent_sms": 1, "sent_inapp": 1,
        "failed": 1, "skipped": 1, "pending": 1}
    rows = {row["region"]["code"]: row["notifications"] for row in county["rows"]}
    assert rows["410105001"] == expected(lambda code: code.startswith("410105001"))
    assert rows[COUNTY_A] == expected(lambda code: code == COUNTY_A)  # 本级
    province = get(client, world, "province", f"region=410000&{PERIOD}").get_json()
    assert province["total"]["notifications"] == expected(lambda code: code.startswith("41"))
    _assert_rows_sum_to_total(province)
