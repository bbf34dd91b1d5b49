"""The audit trail: officers' actions through the real API are logged, append-only, readable
and exportable by province admins only, with no full phone or ID number anywhere."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AppendOnlyError, AuditEntry
from app.extensions import db
from tests.conftest import matrix
from tests.test_certificate_import import GOOD_ROWS, csv_bytes
from tests.test_complaints import MP as MP_COMPLAINTS
from tests.test_complaints import complaint_in
from tests.test_expos import new_expo
from tests.test_promotions import promotion_body
from tests.test_subsidies import (
    ADMIN_PROGRAMS,
    MP_CLAIMS,
    claim_body,
    complete_profile,
    decide,
    id_number,
    new_program,
    program_body,
    reserve,
)

URL = "/api/v1/admin/audit-log"
ADMIN = "/api/v1/admin"
PHONE = "13812345678"
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
FULL_ID = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")


def logged(*where) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEntry).where(*where).order_by(AuditEntry.id)))


def actions(*where) -> list[str]:
    return [e.action for e in logged(*where)]


def read(client, headers: dict, query: str = "") -> dict:
    response = client.get(f"{URL}?limit=100{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ok(response, status: int = 200):
    assert response.status_code == status, response.get_json()
    return response


def file_with_phone(client, world) -> dict:
    """A complaint villager_a files over the API, with a phone to call back."""
    response = client.post(MP_COMPLAINTS, headers=world["headers"]["villager_a"], json={
        "category": "quality", "description": "瓷砖铺了一周就开裂",
        "merchant_id": world["shop_a"].id, "phone": PHONE})
    return ok(response, 201).get_json()["complaint"]


@pytest.fixture
def tile(world, make):
    return make.product(world["shop_a"], name="仿古砖", status="pending")


# ---- what officers do is logged ---------------------------------------------------------------

def test_a_product_decision_is_logged_with_who_what_where_and_the_request(client, world, tile):
    admin = world["users"]["county_here"]
    response = ok(client.post(f"{ADMIN}/products/{tile.id}/decision",
                              headers=world["headers"]["county_here"], json={"action": "approve"}))
    (entry,) = logged()
    assert entry.action == "product.approved" and entry.subject_type == "product"
    assert entry.subject_id == str(tile.id) and entry.subject_region_code == "410105"
    assert (entry.actor_id, entry.actor_role, entry.actor_region_code) == (
        admin.id, "admin", "410105")
    assert entry.actor_name == admin.username
    assert entry.summary == "通过商品审核（上架）：商品「仿古砖」"
    assert entry.detail["changes"] == {"status": ["pending", "listed"]}
    assert entry.request_id == response.headers["X-Request-ID"]

    ok(client.post(f"{ADMIN}/products/{tile.id}/decision", headers=world["headers"]["province"],
                   json={"action": "delist", "note": "抽检不合格"}))
    last = logged()[-1]
    assert last.action == "product.delisted" and last.actor_id == world["users"]["province"].id
    assert last.summary.endswith("说明：抽检不合格")


def test_a_refused_request_logs_nothing(client, world, tile):
    headers = world["headers"]["county_here"]
    ok(client.post(f"{ADMIN}/products/{tile.id}/decision", headers=headers,
                   json={"action": "approve"}))
    again = client.post(f"{ADMIN}/products/{tile.id}/decision", headers=headers,
                        json={"action": "approve"})
    assert again.status_code == 409
    assert actions() == ["product.approved"]


def test_the_negative_list_add_and_lift(client, world, tile):
    headers = world["headers"]["province"]
    entry = ok(client.post(f"{ADMIN}/negative-list", headers=headers,
                           json={"product_id": tile.id, "reason": "虚假认证"}), 201).get_json()
    ok(client.post(f"{ADMIN}/negative-list/{entry['id']}/lift", headers=headers,
                   json={"reason": "整改复检合格"}))
    added, lifted = logged()
    assert (added.action, lifted.action) == ("negative_list.added", "negative_list.lifted")
    assert added.subject_id == lifted.subject_id == str(entry["id"])
    assert added.subject_region_code == "410105"  # the product's shop
    assert added.detail["reason"] == "虚假认证" and "虚假认证" in added.summary
    assert "整改复检合格" in lifted.summary
    assert lifted.detail["changes"]["lifted_at"][0] is None


def test_an_expo_cancelled_with_its_reason(client, world):
    admin = world["users"]["county_here"]
    expo = new_expo(admin)  # through the services, no request: nobody's action to log
    assert logged() == []
    ok(client.post(f"{ADMIN}/expos/{expo.id}/cancel", headers=world["headers"]["county_here"],
                   json={"reason": "暴雨预警"}))
    (entry,) = logged()
    assert entry.action == "expo.cancelled" and entry.subject_id == str(expo.id)
    assert entry.detail["reason"] == "暴雨预警" and entry.summary.endswith("原因：暴雨预警")
    assert entry.detail["changes"]["status"] == ["published", "cancelled"]
    assert entry.subject_region_code == "410105"


def test_subsidy_claim_decisions_and_a_refused_second_decision(client, world, make):
    admin = world["users"]["county_here"]
    product = make.product(world["shop_a"], name="仿古砖", price_fen=1_000_000)
    villager = complete_profile(world["users"]["villager_a"])
    program = new_program(admin)
    first = reserve(villager, program, product, invoice="INV-A-1")
    second = reserve(villager, program, product, invoice="INV-A-2")
    here = world["headers"]["county_here"]
    ok(decide(client, here, first.id, True))
    ok(decide(client, here, second.id, False, "发票不清晰"))
    assert decide(client, here, second.id, True).status_code == 409
    approved, rejected = logged()
    assert (approved.action, approved.subject_type, approved.subject_id) == (
        "subsidy_claim.approved", "subsidy_claim", str(first.id))
    assert rejected.action == "subsidy_claim.rejected" and "发票不清晰" in rejected.summary
    assert approved.subject_region_code == "410105"


def test_complaint_transitions_and_a_transfer(client, world):
    complaint = complaint_in(world)
    url = f"{ADMIN}/complaints/{complaint.id}/transitions"
    here = world["headers"]["county_here"]
    ok(client.post(url, headers=here, json={"action": "accept"}))
    ok(client.post(url, headers=here, json={"action": "transfer", "note": "属中牟县管辖",
                                            "region_code": "410122"}))
    accepted, transferred = logged()
    assert accepted.action == "complaint.accepted"
    assert accepted.detail["from_status"] == "submitted"
    assert accepted.detail["to_status"] == "accepted"
    assert transferred.action == "complaint.transferred"
    assert transferred.subject_id == str(complaint.id)
    assert transferred.subject_region_code == "410122"  # where it went
    assert "属中牟县管辖" in transferred.summary


def test_revealing_a_phone_is_logged_masked(client, world):
    filed = file_with_phone(client, world)
    response = client.post(f"{ADMIN}/complaints/{filed['id']}/reveal-phone",
                           headers=world["headers"]["county_here"],
                           json={"purpose": f"回访投诉人 {PHONE}"})
    assert response.get_json()["phone"] == PHONE
    (entry,) = logged()
    assert entry.action == "personal_data.revealed"
    assert (entry.subject_type, entry.subject_id) == ("user", str(world["users"]["villager_a"].id))
    assert entry.actor_id == world["users"]["county_here"].id
    assert entry.detail["field"] == "phone" and "手机号" in entry.summary
    assert "138****5678" in entry.summary and PHONE not in repr(entry.detail) + entry.summary


def test_a_payment_export_logs_the_batch_and_each_id_number_shown(client, world, make):
    admin = world["users"]["county_here"]
    product = make.product(world["shop_a"], price_fen=1_000_000)
    villager = complete_profile(world["users"]["villager_a"], id_no=id_number(7))
    program = new_program(admin)
    claims_ = [reserve(villager, program, product, invoice=f"INV-B-{n}") for n in range(2)]
    here = world["headers"]["county_here"]
    for claim in claims_:
        ok(decide(client, here, claim.id, True))
    response = ok(client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here))
    batch_no = response.headers["X-Batch-No"]
    exported = logged(AuditEntry.action == "subsidy_batch.exported")
    assert [(e.subject_type, e.subject_id) for e in exported] == [
        ("subsidy_program", str(program.id))]
    assert exported[0].detail["batch_no"] == batch_no and exported[0].detail["count"] == "2"
    assert exported[0].subject_region_code == "410105"
    shown = logged(AuditEntry.action == "personal_data.exported")
    assert len(shown) == 2 and {e.subject_id for e in shown} == {str(villager.id)}
    assert {e.detail["field"] for e in shown} == {"id_card_no"}


def test_villagers_and_merchants_leave_no_trace(client, world, make):
    product = make.product(world["shop_a"], price_fen=1_000_000)
    program = new_program(world["users"]["county_here"])
    complete_profile(world["users"]["villager_a"])
    va, merchant = world["headers"]["villager_a"], world["headers"]["merchant_a"]
    expo = new_expo(world["users"]["county_here"])
    assert client.post(f"/api/mp/v1/expos/{expo.id}/registrations",
                       headers=va).status_code in (200, 201)
    ok(client.post(MP_CLAIMS, headers=va, json=claim_body(program.id, product)), 201)
    complaint = file_with_phone(client, world)
    ok(client.patch(f"/api/v1/merchant/products/{product.id}", headers=merchant,
                    json={"price_fen": 990_000}))
    ok(client.post(f"/api/v1/merchant/products/{product.id}/delist", headers=merchant))
    assert complaint["id"] and logged() == []


def test_a_tour_of_the_other_captured_actions(client, world, make):
    """Statement-level changes (UPDATE/DELETE pinned by equality), "old>new" actions and
    collapsed imports, each through its real endpoint."""
    here, province = world["headers"]["county_here"], world["headers"]["province"]
    shop = world["shop_a"].id
    ok(client.post(f"{ADMIN}/shops/{shop}/decision", headers=here,
                   json={"action": "suspend", "note": "抽查"}))
    ok(client.post(f"{ADMIN}/shops/{shop}/decision", headers=here, json={"action": "reinstate"}))
    ok(client.put(f"{ADMIN}/holidays", headers=province,
                  json={"day": "2027-01-01", "name": "元旦"}))
    ok(client.delete(f"{ADMIN}/holidays/2027-01-01", headers=province), 204)
    expo = new_expo(world["users"]["county_here"])
    staff = make.console_user("expo_staff")
    ok(client.post(f"{ADMIN}/expos/{expo.id}/staff", headers=here, json={"user_id": staff.id}),
       201)
    ok(client.delete(f"{ADMIN}/expos/{expo.id}/staff/{staff.id}", headers=here), 204)
    ticket = client.post(f"/api/mp/v1/expos/{expo.id}/registrations",
                         headers=world["headers"]["villager_a"]).get_json()["ticket"]
    ok(client.post(f"{ADMIN}/expos/{expo.id}/tickets/{ticket['id']}/revoke", headers=here,
                   json={"reason": "冒名报名"}))
    key = ok(client.post(f"{ADMIN}/open311-keys", headers=here, json={"name": "县便民平台"}),
             201).get_json()
    ok(client.post(f"{ADMIN}/open311-keys/{key['id']}/revoke", headers=here))
    ok(client.post(f"{ADMIN}/certificates/import", headers=province,
                   content_type="multipart/form-data",
                   data={"file": (io.BytesIO(csv_bytes(GOOD_ROWS)), "certs.csv")}))

    entries = logged()
    assert [e.action for e in entries] == [
        "shop.suspended", "shop.reinstated", "holiday.set", "holiday.removed",
        "expo_staff.assigned", "expo_staff.removed", "expo_ticket.revoked",
        "open311_key.issued", "open311_key.revoked", "certificate.imported"]
    by_action = {e.action: e for e in entries}
    assert by_action["shop.reinstated"].detail["changes"]["status"] == ["suspended", "approved"]
    assert by_action["holiday.removed"].subject_id == "2027-01-01"
    assert by_action["holiday.removed"].summary == "删除节假日设置：2027-01-01（元旦）"
    removed = by_action["expo_staff.removed"]
    assert (removed.subject_type, removed.subject_id, removed.detail) == (
        "expo", str(expo.id), {"user_id": staff.id})
    assert by_action["expo_ticket.revoked"].detail["reason"] == "冒名报名"
    assert "key_hash" not in by_action["open311_key.issued"].detail
    imported = by_action["certificate.imported"]
    assert imported.detail["count"] == 3 and imported.subject_id is None
    assert {i["number"] for i in imported.detail["items"]} == {r[0] for r in GOOD_ROWS}
    assert imported.summary.startswith("导入认证证书：共 3 条")


def test_programmes_lists_booths_and_promotions(client, world, make):
    here = world["headers"]["county_here"]
    created = ok(client.post(ADMIN_PROGRAMS, headers=here, json=program_body()), 201).get_json()
    ok(client.post(f"{ADMIN_PROGRAMS}/{created['id']}/top-ups", headers=here,
                   json={"amount_fen": 5_000_000, "note": "第二批资金"}))
    block = make.product(world["shop_a"], name="蒸压加气砌块", certified=False)
    today = date.today()
    entry = ok(client.post(f"{ADMIN}/local-list", headers=here, json={
        "region_code": "410105", "product_id": block.id, "requirement": "农房砌块技术要求",
        "valid_from": today.isoformat(), "valid_until": today.replace(year=today.year + 1)
        .isoformat()}), 201).get_json()
    ok(client.delete(f"{ADMIN}/local-list/{entry['id']}", headers=here))
    expo = new_expo(world["users"]["county_here"])
    booth = ok(client.post(f"/api/v1/merchant/expos/{expo.id}/booths",
                           headers=world["headers"]["merchant_a"]), 201).get_json()
    ok(client.post(f"{ADMIN}/expos/{expo.id}/booths/{booth['id']}/decision", headers=here,
                   json={"approve": True, "booth_no": "A-01"}))
    promotion = ok(client.post("/api/v1/merchant/promotions",
                               headers=world["headers"]["merchant_a"],
                               json=promotion_body(make.product(world["shop_a"]))),
                   201).get_json()
    ok(client.post(f"{ADMIN}/promotions/{promotion['id']}/suspend", headers=here,
                   json={"reason": "虚标原价"}))

    entries = logged()
    assert [e.action for e in entries] == [
        "subsidy_program.created", "subsidy_program.topped_up", "subsidy_program.topped_up",
        "local_list.added", "local_list.removed", "expo_booth.approved", "promotion.suspended"]
    assert {e.subject_id for e in entries[:3]} == {str(created["id"])}
    assert entries[2].detail == {"amount_fen": 5_000_000, "note": "第二批资金"}
    assert entries[4].detail["changes"]["removed_at"][0] is None
    assert entries[5].detail["booth_no"] == "A-01"
    assert entries[6].summary == "暂停促销活动：促销「冬季让利」。原因：虚标原价"
    assert {e.subject_region_code for e in entries} == {"410105"}


# ---- append-only --------------------------------------------------------------------------

@pytest.fixture
def entry(client, world, tile) -> AuditEntry:
    ok(client.post(f"{ADMIN}/products/{tile.id}/decision",
                   headers=world["headers"]["county_here"], json={"action": "approve"}))
    return logged()[0]


def test_the_orm_refuses_to_change_or_delete_an_entry(entry):
    entry.summary = "改写"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.delete(db.session.get(AuditEntry, entry.id))
        db.session.flush()
    db.session.rollback()
    for statement in (sa.update(AuditEntry).values(summary="改写"), sa.delete(AuditEntry)):
        with pytest.raises(AppendOnlyError):
            db.session.execute(statement)
    assert logged()[0].summary.startswith("通过商品审核")


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET summary = 'x'",
                                       "DELETE FROM audit_entries"])
def test_the_database_refuses_update_and_delete(entry, statement):
    """Below the ORM: a trigger (PostgreSQL, and SQLite too) refuses the statement."""
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.connection().exec_driver_sql(statement)
    assert [e.summary[:6] for e in logged()] == ["通过商品审核"]


# ---- reading: who, filters, the cursor ---------------------------------------------------------

PROVINCE_ONLY = [
    *matrix(URL, "GET", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix(f"{URL}.csv", "GET", 401, 403, 403, 403, 403, 403, 403, 200),
    *matrix(f"{URL}.xlsx", "GET", 401, 403, 403, 403, 403, 403, 403, 200),
]


@pytest.mark.parametrize(("method", "path", "who", "expected"), PROVINCE_ONLY)
def test_auth_matrix(client, world, method, path, who, expected):
    response = client.open(path, method=method, headers=world["headers"][who])
    assert response.status_code == expected, response.get_json()
    if who in ("county_here", "county_elsewhere"):
        assert response.get_json()["error"] == "province_admin_only"


def _scene(client, world, make) -> dict:
    """Entries by two officers on several subjects."""
    here, province = world["headers"]["county_here"], world["headers"]["province"]
    first = make.product(world["shop_a"], name="仿古砖", status="pending")
    second = make.product(world["shop_b"], name="铝合金窗", status="pending")
    ok(client.post(f"{ADMIN}/products/{first.id}/decision", headers=here,
                   json={"action": "approve"}))
    ok(client.post(f"{ADMIN}/products/{second.id}/decision", headers=province,
                   json={"action": "reject", "note": "资料不全"}))
    entry = ok(client.post(f"{ADMIN}/negative-list", headers=province, json={
        "product_id": first.id, "reason": "虚假认证"}), 201).get_json()
    ok(client.post(f"{ADMIN}/negative-list/{entry['id']}/lift", headers=province,
                   json={"reason": "整改"}))
    return {"first": first, "second": second, "entry": entry}


def test_filters_by_officer_subject_and_action(client, world, make):
    scene = _scene(client, world, make)
    province = world["headers"]["province"]
    every = read(client, province)["items"]
    assert [e["action"] for e in every] == ["negative_list.lifted", "negative_list.added",
                                            "product.rejected", "product.approved"]
    assert every[3]["action_label"] == "通过商品审核（上架）"
    assert every[3]["subject_label"] == "商品" and every[3]["at"].endswith("+08:00")
    here_id = world["users"]["county_here"].id
    assert [e["action"] for e in read(client, province, f"&actor={here_id}")["items"]] == [
        "product.approved"]
    by_subject = read(client, province, f"&subject_type=product&subject_id={scene['first'].id}")
    assert [e["action"] for e in by_subject["items"]] == ["product.approved"]
    assert [e["action"] for e in read(client, province, "&action=product.rejected")[
        "items"]] == ["product.rejected"]
    assert [e["action"] for e in read(client, province, "&action=negative_list.*")[
        "items"]] == ["negative_list.lifted", "negative_list.added"]
    assert read(client, province, "&action=expo.*")["items"] == []


def test_the_cursor_walks_every_entry_once(client, world, make):
    _scene(client, world, make)
    province = world["headers"]["province"]
    whole = read(client, province)["items"]
    walked, cursor = [], None
    for _ in range(10):
        page = client.get(f"{URL}?limit=1" + (f"&cursor={cursor}" if cursor else ""),
                          headers=province).get_json()
        walked += page["items"]
        if (cursor := page["next_cursor"]) is None:
            break
    assert walked == whole and len(whole) == 4


def _entry_at(moment: datetime, action: str = "holiday.set") -> AuditEntry:
    entry = AuditEntry(at=moment, actor_id=1, actor_role="admin", actor_name="测试",
                       actor_region_code="410000", action=action, subject_type="holiday",
                       subject_id="x", summary="设置节假日", detail={})
    db.session.add(entry)
    db.session.flush()
    return entry


def test_days_are_china_days_and_moments_are_exact(client, world):
    late = _entry_at(datetime(2026, 3, 1, 15, 30, tzinfo=UTC))  # 23:30 on 1 March in China
    early = _entry_at(datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 00:30 on 2 March in China
    province = world["headers"]["province"]

    def ids(query: str) -> list[int]:
        return [e["id"] for e in read(client, province, query)["items"]]

    assert ids("&from=2026-03-01&to=2026-03-01") == [late.id]
    assert ids("&from=2026-03-02") == [early.id]
    assert ids("&to=2026-02-28") == []
    assert ids("&from=2026-03-01T23:45:00&to=2026-03-02T00:30:00") == [early.id]
    assert ids("&from=2026-03-01T15:00:00Z&to=2026-03-01T15:30:00Z") == [late.id]


@pytest.mark.parametrize("query", [
    "actor=abc", "actor=0", "action=PRODUCT", "action=product.approved.x", "from=2026-13-01",
    "from=1999-12-31", "to=tomorrow", "from=2026-03-02&to=2026-03-01", "cursor=%%%",
    "subject_id=" + "9" * 65, "limit=101"])
def test_bad_filters_are_422(client, world, query):
    response = client.get(f"{URL}?{query}", headers=world["headers"]["province"])
    assert response.status_code == 422, response.get_json()
    assert re.search(r"[\u4e00-\u9fff]", response.get_json()["message"])


def test_another_provinces_admin_sees_none_of_it(client, world, make):
    _scene(client, world, make)
    jilin = make.headers(make.admin("220000"))
    assert read(client, jilin)["items"] == []
    assert len(read(client, world["headers"]["province"])["items"]) == 4


# ---- exports --------------------------------------------------------------------------------

def _csv_rows(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_export_has_the_filtered_entries_and_is_itself_logged(client, world, make):
    _scene(client, world, make)
    province = world["headers"]["province"]
    response = ok(client.get(f"{URL}.csv?action=product.*", headers=province))
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    header, *rows = _csv_rows(response)
    assert header[:8] == ["编号", "时间", "操作人编号", "操作人", "角色", "操作人地区", "操作",
                          "操作代码"]
    assert [r[7] for r in rows] == ["product.rejected", "product.approved"]
    assert rows[1][6] == "通过商品审核（上架）" and rows[1][1].endswith("+08:00")
    assert response.headers["X-Row-Count"] == "2"

    (export,) = logged(AuditEntry.action == "audit_log.exported")
    assert export.actor_id == world["users"]["province"].id
    assert export.detail["query"] == {"action": "product.*"} and export.detail["count"] == "2"
    assert export.detail["file"] == "audit-log.csv"
    # ... and the next reader sees that export
    assert read(client, province)["items"][0]["action"] == "audit_log.exported"
    ok(client.get(f"{URL}.csv?from=2026-03-01T15:00:00Z", headers=province))
    assert logged()[-1].detail["query"] == {"from": "2026-03-01T23:00:00+08:00"}  # China time


def test_exports_keep_formulas_as_text(client, world):
    db.session.add(AuditEntry(actor_id=1, actor_role="admin", actor_name="=HYPERLINK(\"x\")",
                              actor_region_code="410000", action="holiday.set",
                              subject_type="holiday", subject_id="-1+1", summary="@SUM(A1)",
                              detail={}))
    db.session.flush()
    province = world["headers"]["province"]
    rows = _csv_rows(ok(client.get(f"{URL}.csv", headers=province)))
    formula = rows[1]
    assert formula[3] == "'=HYPERLINK(\"x\")" and formula[9] == "'-1+1"
    assert formula[11] == "'@SUM(A1)"
    workbook = load_workbook(io.BytesIO(ok(client.get(f"{URL}.xlsx", headers=province)).data))
    sheet = workbook.active
    assert sheet.title == "审计日志" and sheet.cell(1, 1).value == "编号"
    assert sheet.cell(2, 8).value == "audit_log.exported"  # the CSV export, logged meanwhile
    cell = sheet.cell(3, 4)
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"
    assert actions(AuditEntry.action == "audit_log.exported") == ["audit_log.exported"] * 2


def test_attendee_downloads_are_exports_too(client, world):
    expo = new_expo(world["users"]["county_here"])
    ok(client.get(f"{ADMIN}/expos/{expo.id}/attendees.csv",
                  headers=world["headers"]["county_here"]))
    (entry,) = logged()
    assert (entry.action, entry.subject_type, entry.subject_id) == (
        "expo_attendees.exported", "expo", str(expo.id))
    assert entry.subject_region_code == "410105"


# ---- no personal data in the log ----------------------------------------------------------------

def test_no_full_phone_or_id_number_anywhere_in_the_log(client, world, make):
    admin = world["users"]["county_here"]
    here = world["headers"]["county_here"]
    product = make.product(world["shop_a"], price_fen=1_000_000)
    villager = complete_profile(world["users"]["villager_a"], id_no=id_number(9))
    program = new_program(admin)
    first = reserve(villager, program, product, invoice="INV-C-1")
    second = reserve(villager, program, product, invoice="INV-C-2")
    ok(decide(client, here, first.id, True))
    ok(decide(client, here, second.id, False, f"请联系 {PHONE}，身份证 {id_number(9)}"))
    ok(client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here))
    filed = file_with_phone(client, world)
    ok(client.post(f"{ADMIN}/complaints/{filed['id']}/reveal-phone", headers=here,
                   json={"purpose": f"回访 {PHONE}"}))
    ok(client.post(f"{ADMIN}/complaints/{filed['id']}/transitions", headers=here,
                   json={"action": "decline", "note": f"已电话 {PHONE} 说明"}))

    entries = logged()
    assert {"subsidy_claim.rejected", "personal_data.exported", "personal_data.revealed",
            "complaint.declined", "subsidy_batch.exported"} <= {e.action for e in entries}
    province = world["headers"]["province"]
    everything = " ".join(
        [repr((e.summary, e.detail, e.actor_name)) for e in entries]
        + [client.get(f"{URL}?limit=100", headers=province).get_data(as_text=True),
           client.get(f"{URL}.csv", headers=province).get_data(as_text=True)])
    assert "138****5678" in everything
    assert not FULL_PHONE.search(everything) and not FULL_ID.search(everything)
