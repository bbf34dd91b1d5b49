"""Subsidies: programmes and their ledger, claims, review, negative-list flags, payment."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from PIL import Image

from app.accounts.services import update_profile
from app.catalog import admin_services
from app.catalog.eligibility import today
from app.catalog.services import category_by_slug
from app.core.validators import id_card_check_char
from app.extensions import db
from app.integrations import storage
from app.notifications.models import Notification
from app.subsidies import claims, programs
from app.subsidies.models import (
    BudgetMovement,
    ClaimEvent,
    PersonTotal,
    SubsidyClaim,
    SubsidyProgram,
)
from tests.test_images import gps_exif, jpeg_bytes

ERROR_KEYS = {"code", "status", "error", "message", "errors", "reason"}
ADMIN_PROGRAMS = "/api/v1/admin/subsidy-programs"
ADMIN_CLAIMS = "/api/v1/admin/subsidy-claims"
MP_PROGRAMS = "/api/mp/v1/subsidy-programs"
MP_CLAIMS = "/api/mp/v1/subsidy-claims"
MY_CLAIMS = "/api/mp/v1/me/subsidy-claims"
PRICE = 1_000_000  # ¥10,000 paid → 15 % = ¥1,500, under the ¥2,000 cap per item
AMOUNT = 150_000


# ---- helpers shared by the subsidy test modules ------------------------------------------

def days(n: int) -> date:
    """Today (China time) shifted by n days."""
    return today() + timedelta(days=n)


def id_number(n: int, *, born: date = date(1980, 1, 1), region: str = "410105") -> str:
    """A valid 18-digit ID number, distinct for each n below 1000 (per birth date)."""
    first17 = f"{region}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + id_card_check_char(first17)


def complete_profile(user, *, name: str = "王小明", id_no: str | None = None,
                     region_code: str | None = None):
    """Real name, ID number and residence, as PATCH /api/mp/v1/me sets them."""
    update_profile(user, real_name=name, id_card_no=id_no or id_number(user.id),
                   region_code=region_code or user.region_code or "410105001")
    db.session.commit()
    return user


def program_values(**over) -> dict:
    """Service-level values: 金水区, decoration (and its sub-categories), 15 %, ¥2,000 an
    item, ¥5,000 a person, ¥100,000 budget, open from 60 days ago to 60 days ahead."""
    values = {"region_code": "410105", "title": "金水区绿色建材下乡补贴",
              "category_ids": [category_by_slug("decoration").id], "rate_bp": 1500,
              "cap_per_item_fen": 200_000, "cap_per_person_fen": 500_000,
              "budget_fen": 10_000_000, "starts_on": days(-60), "ends_on": days(60)}
    values.update(over)
    return values


def program_body(**over) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v
            for k, v in program_values(**over).items()}


def new_program(admin, **over) -> SubsidyProgram:
    program = programs.create_program(admin, **program_values(**over))
    db.session.commit()
    return program


def claim_body(program_id: int, product, *, invoice: str = "0441-2300 1234",
               price: int = PRICE, on: date | None = None, **over) -> dict:
    body = {"program_id": program_id, "merchant_id": product.shop_id,
            "product_id": product.id, "price_paid_fen": price, "invoice_no": invoice,
            "purchase_date": (on or days(-10)).isoformat()}
    body.update(over)
    return body


def submitted(client, headers: dict, body: dict) -> dict:
    response = client.post(MP_CLAIMS, headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["claim"]


def reserve(user, program, product, *, invoice: str, price: int = PRICE,
            on: date | None = None) -> SubsidyClaim:
    """A claim made through the service, committed (to the test's savepoint)."""
    claim = claims.submit_claim(user, program_id=program.id, merchant_id=product.shop_id,
                                product_id=product.id, price_paid_fen=price,
                                invoice_no=invoice, purchase_date=on or days(-10))
    db.session.commit()
    return claim


def assert_error(response, status: int, error: str, reason: str | None = None) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) <= ERROR_KEYS and body["code"] == status, body
    assert body["error"] == error, body
    assert body["message"]
    if reason is not None:
        assert body["reason"] == reason and "errors" not in body, body
    return body


def ledger_of(program_id: int) -> dict:
    db.session.expire_all()
    return programs.ledger(db.session.get(SubsidyProgram, program_id))


def claim_row(claim_id: int) -> SubsidyClaim:
    db.session.expire_all()
    return db.session.get(SubsidyClaim, claim_id)


def person_total(program_id: int, user) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(PersonTotal.committed_fen).where(
        PersonTotal.program_id == program_id, PersonTotal.person_hash == user.id_card_hash)) or 0


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def decide(client, headers: dict, claim_id: int, approve: bool, note: str | None = None):
    body = {"approve": approve} if note is None else {"approve": approve, "note": note}
    return client.post(f"{ADMIN_CLAIMS}/{claim_id}/decision", headers=headers, json=body)


def notifications(user_id: int, kind: str) -> list[dict]:
    return list(db.session.scalars(sa.select(Notification.data).where(
        Notification.user_id == user_id, Notification.kind == kind).order_by(Notification.id)))


@pytest.fixture
def scene(world, make):
    """A ¥10,000 tile at shop A (410105), a programme of 金水区, villager A's full profile."""
    admin = world["users"]["county_here"]
    tile = make.product(world["shop_a"], name="仿古砖", price_fen=PRICE)
    villager = complete_profile(world["users"]["villager_a"])
    return SimpleNamespace(program=new_program(admin), tile=tile, villager=villager,
                           admin=admin, va=world["headers"]["villager_a"],
                           here=world["headers"]["county_here"],
                           elsewhere=world["headers"]["county_elsewhere"],
                           province=world["headers"]["province"])


# ---- programmes ---------------------------------------------------------------------------

def test_a_county_admin_creates_a_programme_and_its_budget_opens_the_ledger(client, world):
    response = client.post(ADMIN_PROGRAMS, headers=world["headers"]["county_here"],
                           json=program_body())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["region_code"] == "410105" and body["status"] == "open"
    assert body["budget_fen"] == 10_000_000 and body["committed_fen"] == 0
    assert body["remaining_fen"] == 10_000_000 and body["rate_bp"] == 1500
    ledger = client.get(f"{ADMIN_PROGRAMS}/{body['id']}/ledger",
                        headers=world["headers"]["county_here"]).get_json()
    assert ledger["movements"]["top_up"] == 10_000_000 and ledger["reconciles"] is True
    movement = db.session.scalars(sa.select(BudgetMovement)
                                  .where(BudgetMovement.program_id == body["id"])).one()
    assert movement.kind == "top_up" and movement.by_user_id == world["users"]["county_here"].id


@pytest.mark.parametrize(("who", "over", "status", "error"), [
    ("province", {"region_code": "410122"}, 201, None),  # a county inside the province
    ("province", {"region_code": "410100"}, 201, None),
    ("county_here", {"region_code": "410100"}, 403, "region_out_of_scope"),  # its city
    ("county_here", {"region_code": "410122"}, 403, "region_out_of_scope"),
    ("county_here", {"region_code": "999999"}, 422, "unknown_region"),
    ("county_here", {"ends_on": days(-61)}, 422, "invalid_dates"),
    ("county_here", {"category_ids": [999_999]}, 422, "unknown_category"),
])
def test_programme_region_dates_and_categories(client, world, who, over, status, error):
    response = client.post(ADMIN_PROGRAMS, headers=world["headers"][who],
                           json=program_body(**over))
    if error is None:
        assert response.status_code == status, response.get_json()
    else:
        assert_error(response, status, error)
        assert count(SubsidyProgram) == 0 and count(BudgetMovement) == 0


def test_admins_list_the_programmes_of_their_region(client, world, scene):
    province_programme = new_program(world["users"]["province"], region_code="410000",
                                     title="河南省绿色建材下乡补贴")
    seen = {who: {p["id"] for p in client.get(ADMIN_PROGRAMS, headers=world["headers"][who])
                  .get_json()["items"]}
            for who in ("county_here", "county_elsewhere", "province")}
    assert seen == {"county_here": {scene.program.id}, "county_elsewhere": set(),
                    "province": {scene.program.id, province_programme.id}}


def test_a_top_up_raises_the_budget_and_is_in_the_ledger(client, scene):
    url = f"{ADMIN_PROGRAMS}/{scene.program.id}/top-ups"
    response = client.post(url, headers=scene.here, json={"amount_fen": 5_000_000,
                                                          "note": "第二批资金"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["budget_fen"] == 15_000_000
    assert response.get_json()["remaining_fen"] == 15_000_000
    ledger = ledger_of(scene.program.id)
    assert ledger["movements"]["top_up"] == 15_000_000 and ledger["reconciles"]
    notes = db.session.scalars(sa.select(BudgetMovement.note).where(
        BudgetMovement.program_id == scene.program.id).order_by(BudgetMovement.id)).all()
    assert notes == ["初始预算", "第二批资金"]


def test_a_top_up_beyond_what_the_budget_column_holds_is_refused(client, scene):
    url = f"{ADMIN_PROGRAMS}/{scene.program.id}/top-ups"
    response = client.post(url, headers=scene.here, json={"amount_fen": programs.MAX_FEN - 1})
    assert_error(response, 422, "budget_too_large")
    ledger = ledger_of(scene.program.id)
    assert ledger["budget_fen"] == 10_000_000 and ledger["movements"]["top_up"] == 10_000_000


def test_villagers_see_open_programmes_of_their_region(client, world, scene):
    admin = scene.admin
    closed = new_program(admin, title="已结束的补贴")
    closed.status = "closed"
    new_program(admin, title="去年的补贴", starts_on=days(-400), ends_on=days(-35))
    upcoming = new_program(admin, title="下月开始", starts_on=days(20), ends_on=days(80))
    zhongmou = new_program(world["users"]["county_elsewhere"], region_code="410122",
                           title="中牟县补贴")
    province = new_program(world["users"]["province"], region_code="410000", title="全省补贴")
    db.session.commit()
    reserve(scene.villager, scene.program, scene.tile, invoice="INV-A-1")

    mine = client.get(MP_PROGRAMS, headers=scene.va).get_json()["items"]
    assert {p["id"] for p in mine} == {scene.program.id, upcoming.id, province.id}
    shown = next(p for p in mine if p["id"] == scene.program.id)
    assert shown["remaining_fen"] == 10_000_000 - AMOUNT
    theirs = client.get(MP_PROGRAMS, headers=world["headers"]["villager_b"]).get_json()["items"]
    assert {p["id"] for p in theirs} == {zhongmou.id, province.id}


# ---- claims -------------------------------------------------------------------------------

def test_a_claim_is_checked_computed_and_reserved_at_once(client, scene):
    response = client.post(MP_CLAIMS, headers=scene.va, json=claim_body(scene.program.id,
                                                                         scene.tile))
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    assert claim["status"] == "reserved" and claim["amount_fen"] == AMOUNT
    assert claim["invoice_no"] == "0441-2300 1234" and claim["merchant_id"] == scene.tile.shop_id
    assert [e["status"] for e in claim["history"]] == ["reserved"]

    ledger = ledger_of(scene.program.id)
    assert ledger["committed_fen"] == AMOUNT and ledger["remaining_fen"] == 10_000_000 - AMOUNT
    assert ledger["movements"]["reserved"] == AMOUNT and ledger["reconciles"]
    assert person_total(scene.program.id, scene.villager) == AMOUNT
    row = claim_row(claim["id"])
    assert row.invoice_key == "044123001234" and row.person_hash == scene.villager.id_card_hash
    assert row.user_id == scene.villager.id


@pytest.mark.parametrize(("prices", "amounts"), [
    ([PRICE], [150_000]),  # 15 %
    ([2_000_000], [200_000]),  # ¥20,000 × 15 % = ¥3,000 → the ¥2,000 cap per item
    ([2_000_000, 2_000_000, 2_000_000], [200_000, 200_000, 100_000]),  # ¥5,000 a person
    ([1_333], [199]),  # fen are rounded down
])
def test_amount_is_the_rate_within_the_caps(client, scene, prices, amounts):
    got = [submitted(client, scene.va, claim_body(scene.program.id, scene.tile,
                                                  invoice=f"INV-{n:04d}", price=price))
           ["amount_fen"] for n, price in enumerate(prices)]
    assert got == amounts
    assert ledger_of(scene.program.id)["committed_fen"] == sum(amounts)


def test_an_amount_of_zero_is_refused(client, scene):
    response = client.post(MP_CLAIMS, headers=scene.va,
                           json=claim_body(scene.program.id, scene.tile, price=6))
    assert_error(response, 422, "amount_zero")
    assert count(SubsidyClaim) == 0 and count(PersonTotal) == 0


def test_the_villager_sees_its_claims_with_their_history(client, world, scene):
    program_id = scene.program.id
    first = submitted(client, scene.va, claim_body(program_id, scene.tile, invoice="INV-A-1"))
    second = submitted(client, scene.va, claim_body(program_id, scene.tile, invoice="INV-A-2"))
    assert decide(client, scene.here, first["id"], False, "发票照片不清晰").status_code == 200
    mine = client.get(MY_CLAIMS, headers=scene.va).get_json()["items"]
    assert [c["id"] for c in mine] == [second["id"], first["id"]]
    rejected = mine[1]
    assert rejected["status"] == "rejected" and rejected["decision_note"] == "发票照片不清晰"
    assert [(e["status"], e["note"]) for e in rejected["history"]] == [
        ("reserved", "提交申请，预留补贴资金"), ("rejected", "发票照片不清晰")]
    assert rejected["program_title"] == "金水区绿色建材下乡补贴"
    one = client.get(f"{MP_CLAIMS}/{first['id']}", headers=scene.va)
    assert one.status_code == 200 and one.get_json()["history"] == rejected["history"]
    assert client.get(MY_CLAIMS, headers=world["headers"]["villager_b"]).get_json()["items"] == []


def test_a_retried_claim_with_one_idempotency_key_reserves_once(client, scene):
    headers = {**scene.va, "Idempotency-Key": "claim-4b1d"}
    body = claim_body(scene.program.id, scene.tile)
    first = client.post(MP_CLAIMS, headers=headers, json=body)
    again = client.post(MP_CLAIMS, headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json() == first.get_json()
    assert count(SubsidyClaim) == 1 and ledger_of(scene.program.id)["committed_fen"] == AMOUNT


# ---- the invoice photo ------------------------------------------------------------------

def _multipart(body: dict, photo: bytes | None, name: str = "invoice.jpg",
               mimetype: str = "image/jpeg") -> dict:
    data = {k: str(v) for k, v in body.items()}
    if photo is not None:
        data["invoice_photo"] = (BytesIO(photo), name, mimetype)
    return data


def _stored_files(app) -> set:
    root = storage._root() / "invoices"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_an_invoice_photo_is_stored_without_exif(app, client, scene):
    photo = jpeg_bytes((320, 240), exif=gps_exif())
    assert Image.open(BytesIO(photo)).getexif()  # the phone's GPS is in the upload
    response = client.post(MP_CLAIMS, headers=scene.va, content_type="multipart/form-data",
                           data=_multipart(claim_body(scene.program.id, scene.tile), photo))
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    url = claim["invoice_photo_url"]
    assert url.startswith("/media/invoices/") and claim["amount_fen"] == AMOUNT
    path = storage.path_for(url)
    assert path is not None and path.is_file()
    with Image.open(path) as stored:
        assert stored.size == (320, 240)
        assert not stored.getexif() and "exif" not in stored.info
    assert b"VillageCam" not in path.read_bytes()
    assert claim_row(claim["id"]).invoice_photo_url == url.partition("?")[0]  # signed link


@pytest.mark.parametrize(("photo", "mimetype", "error"), [
    (b"%PDF-1.4 not an image", "application/pdf", "image_invalid"),
    (b"GIF89a" + b"\0" * 64, "image/gif", "image_invalid"),
    (b"", "image/jpeg", "image_empty"),
])
def test_a_non_image_is_refused_and_no_claim_is_made(app, client, scene, photo, mimetype,
                                                     error):
    before = _stored_files(app)
    response = client.post(MP_CLAIMS, headers=scene.va, content_type="multipart/form-data",
                           data=_multipart(claim_body(scene.program.id, scene.tile), photo,
                                           "invoice.pdf", mimetype))
    body = assert_error(response, 422, error)
    assert "invoice_photo" in body["errors"]
    assert count(SubsidyClaim) == 0 and ledger_of(scene.program.id)["committed_fen"] == 0
    assert _stored_files(app) == before


def test_a_refused_claim_leaves_no_photo_behind(app, client, scene):
    """The photo is kept only with a claim: a refusal stores nothing."""
    submitted(client, scene.va, claim_body(scene.program.id, scene.tile))
    before = _stored_files(app)
    response = client.post(MP_CLAIMS, headers=scene.va, content_type="multipart/form-data",
                           data=_multipart(claim_body(scene.program.id, scene.tile,
                                                      invoice="04412300 1234"), jpeg_bytes()))
    assert_error(response, 409, "duplicate_invoice")
    assert _stored_files(app) == before


# ---- review -------------------------------------------------------------------------------

def test_approval_is_recorded_notified_and_in_the_ledger(client, scene):
    claim = submitted(client, scene.va, claim_body(scene.program.id, scene.tile))
    response = decide(client, scene.here, claim["id"], True, "材料齐全")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved" and body["decision_note"] == "材料齐全"
    assert body["applicant"]["real_name"] == "王小明"
    assert [e["status"] for e in body["history"]] == ["reserved", "approved"]
    row = claim_row(claim["id"])
    assert row.decided_by == scene.admin.id and row.decided_at is not None
    event = db.session.scalars(sa.select(ClaimEvent).where(ClaimEvent.claim_id == claim["id"])
                               .order_by(ClaimEvent.id.desc())).first()
    assert event.by_user_id == scene.admin.id and event.status == "approved"
    assert notifications(scene.villager.id, "subsidy_decided") == [
        {"claim_id": claim["id"], "approved": True, "amount_fen": AMOUNT, "note": "材料齐全"}]
    ledger = ledger_of(scene.program.id)
    assert ledger["movements"]["approved"] == AMOUNT and ledger["committed_fen"] == AMOUNT
    assert ledger["reconciles"]
    mine = client.get(f"{MP_CLAIMS}/{claim['id']}", headers=scene.va).get_json()
    assert mine["status"] == "approved" and mine["history"][-1]["note"] == "材料齐全"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_a_rejection_needs_a_note(client, scene, note):
    claim = submitted(client, scene.va, claim_body(scene.program.id, scene.tile))
    assert_error(decide(client, scene.here, claim["id"], False, note), 422, "note_required")
    assert claim_row(claim["id"]).status == "reserved"
    assert ledger_of(scene.program.id)["committed_fen"] == AMOUNT
    assert notifications(scene.villager.id, "subsidy_decided") == []


def test_a_rejection_releases_the_budget_and_the_persons_cap(client, scene):
    program = new_program(scene.admin, cap_per_person_fen=AMOUNT, title="每人限一件")
    claim = submitted(client, scene.va, claim_body(program.id, scene.tile, invoice="INV-A-1"))
    assert_error(client.post(MP_CLAIMS, headers=scene.va,
                             json=claim_body(program.id, scene.tile, invoice="INV-A-2")),
                 409, "personal_cap_reached")
    response = decide(client, scene.here, claim["id"], False, "发票与商品不符")
    assert response.status_code == 200 and response.get_json()["status"] == "rejected"
    ledger = ledger_of(program.id)
    assert ledger["committed_fen"] == 0 and ledger["movements"]["released"] == AMOUNT
    assert ledger["claims"]["rejected"] == AMOUNT and ledger["reconciles"]
    assert person_total(program.id, scene.villager) == 0
    assert notifications(scene.villager.id, "subsidy_decided")[0]["approved"] is False
    again = submitted(client, scene.va, claim_body(program.id, scene.tile, invoice="INV-A-2"))
    assert again["amount_fen"] == AMOUNT


@pytest.mark.parametrize(("first", "then"), [
    ((True, None), (True, None)),
    ((True, None), (False, "改判")),
    ((False, "不符"), (True, None)),
    ((False, "不符"), (False, "再驳回")),
])
def test_a_decided_claim_cannot_be_decided_again(client, scene, first, then):
    claim = submitted(client, scene.va, claim_body(scene.program.id, scene.tile))
    assert decide(client, scene.here, claim["id"], *first).status_code == 200
    before = ledger_of(scene.program.id)
    assert_error(decide(client, scene.province, claim["id"], *then), 409, "invalid_transition")
    assert ledger_of(scene.program.id) == before
    assert len(notifications(scene.villager.id, "subsidy_decided")) == 1


def test_bulk_approval_skips_flagged_and_out_of_region_claims(client, world, make, scene):
    villager_b = complete_profile(world["users"]["villager_b"], name="李四")
    door = make.product(world["shop_b"], category="coatings")
    zhongmou = new_program(world["users"]["county_elsewhere"], region_code="410122")
    ok1 = reserve(scene.villager, scene.program, scene.tile, invoice="INV-A-1")
    ok2 = reserve(scene.villager, scene.program, scene.tile, invoice="INV-A-2")
    flagged = reserve(scene.villager, scene.program, scene.tile, invoice="INV-A-3")
    flagged.flagged, flagged.flag_reason = True, "人工标记"
    theirs = reserve(villager_b, zhongmou, door, invoice="INV-B-1")
    decided = reserve(scene.villager, scene.program, scene.tile, invoice="INV-A-4")
    db.session.commit()
    assert decide(client, scene.here, decided.id, False, "重复").status_code == 200

    ids = [ok2.id, flagged.id, theirs.id, decided.id, 999_999, ok1.id, ok1.id]
    response = client.post(f"{ADMIN_CLAIMS}/bulk-approve", headers=scene.here,
                           json={"claim_ids": ids, "note": "批量审核通过"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert sorted(body["approved"]) == sorted([ok1.id, ok2.id])
    assert sorted(body["skipped"]) == sorted([flagged.id, theirs.id, decided.id, 999_999])
    statuses = {c.id: claim_row(c.id).status for c in (ok1, ok2, flagged, theirs)}
    assert statuses == {ok1.id: "approved", ok2.id: "approved", flagged.id: "reserved",
                        theirs.id: "reserved"}
    assert ledger_of(scene.program.id)["movements"]["approved"] == 2 * AMOUNT
    assert ledger_of(scene.program.id)["reconciles"] and ledger_of(zhongmou.id)["reconciles"]
    assert len(notifications(scene.villager.id, "subsidy_decided")) == 3


def test_the_review_queue_filters_and_pages(client, world, scene):
    made = [reserve(scene.villager, scene.program, scene.tile, invoice=f"INV-Q-{n}",
                    price=100_000) for n in range(5)]
    made[0].flagged = True
    db.session.commit()
    assert decide(client, scene.here, made[1].id, True).status_code == 200

    def ids(headers, query=""):
        response = client.get(f"{ADMIN_CLAIMS}?limit=100{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [c["id"] for c in response.get_json()["items"]]

    everything = [c.id for c in reversed(made)]
    assert ids(scene.here) == everything
    assert ids(scene.province) == everything
    assert ids(scene.elsewhere) == []
    assert ids(scene.here, "&status=approved") == [made[1].id]
    assert ids(scene.here, "&flagged=true") == [made[0].id]
    assert ids(scene.here, "&status=reserved&flagged=false") == [made[4].id, made[3].id,
                                                                 made[2].id]
    assert ids(scene.here, f"&program_id={scene.program.id + 1}") == []
    first = client.get(f"{ADMIN_CLAIMS}?limit=2", headers=scene.here).get_json()
    second = client.get(f"{ADMIN_CLAIMS}?limit=2&cursor={first['next_cursor']}",
                        headers=scene.here).get_json()
    assert [c["id"] for c in first["items"] + second["items"]] == everything[:4]
    one = client.get(f"{ADMIN_CLAIMS}/{made[0].id}", headers=scene.here).get_json()
    assert one["flagged"] is True and one["applicant"]["id"] == scene.villager.id


def test_claims_name_the_product_and_the_shop(client, world, scene):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="INV-NAMES",
                    price=100_000)
    db.session.commit()
    names = (scene.tile.name, world["shop_a"].name)
    [listed] = client.get(ADMIN_CLAIMS, headers=scene.here).get_json()["items"]
    one = client.get(f"{ADMIN_CLAIMS}/{claim.id}", headers=scene.here).get_json()
    mine = client.get("/api/mp/v1/me/subsidy-claims",
                      headers=scene.va).get_json()["items"]
    for shown in (listed, one, mine[0]):
        assert (shown["product_name"], shown["merchant_name"]) == names
    assert one["batch_no"] is None and "batch_no" not in mine[0]  # officers' field only
    program = client.get(f"/api/v1/admin/subsidy-programs/{scene.program.id}",
                         headers=scene.here).get_json()
    assert (program["id"], program["title"]) == (scene.program.id, scene.program.title)


# ---- the negative list ------------------------------------------------------------------

def test_negative_listing_flags_pending_claims_and_refuses_new_ones(client, world, make, scene):
    other = make.product(world["shop_a"], name="釉面砖")
    program_id = scene.program.id
    pending = submitted(client, scene.va, claim_body(program_id, scene.tile, invoice="INV-A-1"))
    approved = submitted(client, scene.va, claim_body(program_id, scene.tile, invoice="INV-A-2"))
    unrelated = submitted(client, scene.va, claim_body(program_id, other, invoice="INV-A-3"))
    assert decide(client, scene.here, approved["id"], True).status_code == 200

    response = client.post("/api/v1/admin/negative-list", headers=scene.here,
                           json={"product_id": scene.tile.id, "reason": "虚假绿色建材认证"})
    assert response.status_code == 201, response.get_json()

    flags = {c["id"]: (c["flagged"], c["flag_reason"])
             for c in client.get(MY_CLAIMS, headers=scene.va).get_json()["items"]}
    assert flags == {pending["id"]: (True, "负面清单：虚假绿色建材认证"),
                     approved["id"]: (False, None), unrelated["id"]: (False, None)}
    queue = client.get(f"{ADMIN_CLAIMS}?flagged=true", headers=scene.here).get_json()
    assert [c["id"] for c in queue["items"]] == [pending["id"]]

    # Takes effect at once: refused even for a purchase made before the listing.
    for on in (days(-10), days(0)):
        response = client.post(MP_CLAIMS, headers=scene.va,
                               json=claim_body(scene.program.id, scene.tile,
                                               invoice=f"NEW-{on}", on=on))
        assert_error(response, 422, "not_eligible", "negative_list_product")
    skipped = client.post(f"{ADMIN_CLAIMS}/bulk-approve", headers=scene.here,
                          json={"claim_ids": [pending["id"]]}).get_json()
    assert skipped == {"approved": [], "skipped": [pending["id"]]}
    assert decide(client, scene.here, pending["id"], False, "负面清单产品").status_code == 200
    assert ledger_of(scene.program.id)["reconciles"]


def test_listing_an_enterprise_flags_claims_for_all_its_products(client, world, make, scene):
    enterprise = make.enterprise("问题建材厂")
    products = [make.product(world["shop_a"], enterprise=enterprise) for _ in range(2)]
    made = [reserve(scene.villager, scene.program, p, invoice=f"INV-E-{p.id}")
            for p in products]
    clean = reserve(scene.villager, scene.program, scene.tile, invoice="INV-OK-1")
    admin_services.put_on_negative_list(enterprise, reason="抽检不合格",
                                        source_complaint_id=None, by=scene.admin)
    db.session.commit()
    assert [claim_row(c.id).flagged for c in made] == [True, True]
    assert claim_row(clean.id).flagged is False


# ---- payment ------------------------------------------------------------------------------

def _export(client, headers: dict, program_id: int):
    response = client.post(f"{ADMIN_PROGRAMS}/{program_id}/payment-batches", headers=headers)
    assert response.status_code == 200, response.get_json()
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    return response, rows


def test_payment_batch_export_then_disbursement(client, world, scene):
    approved = [reserve(scene.villager, scene.program, scene.tile, invoice=f"INV-P-{n}")
                for n in range(2)]
    pending = reserve(scene.villager, scene.program, scene.tile, invoice="INV-P-9")
    for claim in approved:
        assert decide(client, scene.here, claim.id, True).status_code == 200

    response, rows = _export(client, scene.here, scene.program.id)
    batch_no = response.headers["X-Batch-No"]
    assert response.headers["X-Claim-Count"] == "2" and batch_no.startswith("PAY")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{batch_no}.xlsx"'
    assert rows[0][:7] == ("批次号", "申请编号", "姓名", "身份证号", "手机号", "开户银行",
                           "银行账号")
    amount = rows[0].index("补贴金额(元)")
    assert [(r[0], r[1], r[2], r[amount]) for r in rows[1:]] == [
        (batch_no, c.id, "王小明", AMOUNT / 100) for c in approved]
    assert [claim_row(c.id).batch_no for c in approved] == [batch_no, batch_no]
    assert claim_row(pending.id).batch_no is None

    again, rows = _export(client, scene.here, scene.program.id)  # nothing new to pay
    assert again.headers["X-Claim-Count"] == "0" and rows[1:] == []

    url = f"{ADMIN_PROGRAMS}/{scene.program.id}/disbursements"
    response = client.post(url, headers=scene.here, json={"batch_no": batch_no})
    assert response.status_code == 200 and response.get_json() == {"disbursed": 2}
    for claim in approved:
        row = claim_row(claim.id)
        assert row.status == "disbursed" and row.disbursed_at is not None
        assert [e.status for e in row.events] == ["reserved", "approved", "disbursed"]
    assert len(notifications(scene.villager.id, "subsidy_disbursed")) == 2
    mine = client.get(MY_CLAIMS, headers=scene.va).get_json()["items"]
    assert sorted(c["status"] for c in mine) == ["disbursed", "disbursed", "reserved"]
    assert_error(client.post(url, headers=scene.here, json={"batch_no": batch_no}),
                 404, "batch_not_found")
    assert_error(decide(client, scene.here, approved[0].id, False, "追回"), 409,
                 "invalid_transition")
    ledger = ledger_of(scene.program.id)
    assert ledger["movements"]["disbursed"] == 2 * AMOUNT and ledger["reconciles"]


def test_another_programmes_batch_cannot_be_disbursed(client, world, scene):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="INV-P-1")
    assert decide(client, scene.here, claim.id, True).status_code == 200
    response, _ = _export(client, scene.here, scene.program.id)
    other = new_program(scene.admin, title="另一个项目")
    assert_error(client.post(f"{ADMIN_PROGRAMS}/{other.id}/disbursements", headers=scene.here,
                             json={"batch_no": response.headers["X-Batch-No"]}),
                 404, "batch_not_found")
    assert claim_row(claim.id).status == "approved"


def test_the_ledger_reconciles_through_every_movement(client, scene):
    program_id = scene.program.id

    def step(expected: dict) -> None:
        ledger = ledger_of(program_id)
        assert ledger["reconciles"], ledger
        assert {k: v for k, v in ledger["movements"].items() if v} == expected
        api = client.get(f"{ADMIN_PROGRAMS}/{program_id}/ledger", headers=scene.here)
        assert api.get_json() == ledger

    budget = 10_000_000
    step({"top_up": budget})
    made = [reserve(scene.villager, scene.program, scene.tile, invoice=f"INV-L-{n}")
            for n in range(3)]
    step({"top_up": budget, "reserved": 3 * AMOUNT})
    decide(client, scene.here, made[0].id, False, "不符")
    step({"top_up": budget, "reserved": 3 * AMOUNT, "released": AMOUNT})
    decide(client, scene.here, made[1].id, True)
    step({"top_up": budget, "reserved": 3 * AMOUNT, "released": AMOUNT, "approved": AMOUNT})
    response, _ = _export(client, scene.here, program_id)
    client.post(f"{ADMIN_PROGRAMS}/{program_id}/disbursements", headers=scene.here,
                json={"batch_no": response.headers["X-Batch-No"]})
    step({"top_up": budget, "reserved": 3 * AMOUNT, "released": AMOUNT, "approved": AMOUNT,
          "disbursed": AMOUNT})
    client.post(f"{ADMIN_PROGRAMS}/{program_id}/top-ups", headers=scene.here,
                json={"amount_fen": 1_000_000})
    step({"top_up": budget + 1_000_000, "reserved": 3 * AMOUNT, "released": AMOUNT,
          "approved": AMOUNT, "disbursed": AMOUNT})
    ledger = ledger_of(program_id)
    assert ledger["committed_fen"] == 2 * AMOUNT
    assert ledger["claims"] == {"reserved": AMOUNT, "approved": 0, "rejected": AMOUNT,
                                "disbursed": AMOUNT}
    assert ledger["remaining_fen"] == budget + 1_000_000 - 2 * AMOUNT


def test_the_ledger_notices_money_moved_outside_it(scene):
    reserve(scene.villager, scene.program, scene.tile, invoice="INV-X-1")
    db.session.execute(sa.update(SubsidyProgram).where(SubsidyProgram.id == scene.program.id)
                       .values(committed_fen=SubsidyProgram.committed_fen + 1))
    assert ledger_of(scene.program.id)["reconciles"] is False


def test_the_database_refuses_to_overspend(scene):
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.update(SubsidyProgram)
                           .where(SubsidyProgram.id == scene.program.id)
                           .values(committed_fen=SubsidyProgram.budget_fen + 1))
    assert ledger_of(scene.program.id)["committed_fen"] == 0


# ---- bad input ----------------------------------------------------------------------------

def _tables() -> tuple:
    db.session.expire_all()
    rows = [count(model) for model in (SubsidyProgram, SubsidyClaim, BudgetMovement, ClaimEvent,
                                       PersonTotal, Notification)]
    money = db.session.execute(sa.select(sa.func.sum(SubsidyProgram.budget_fen),
                                         sa.func.sum(SubsidyProgram.committed_fen))).one()
    return (*rows, *money)


BAD_CLAIMS = [
    pytest.param({"price_paid_fen": None}, "price_paid_fen", id="price null"),
    pytest.param({"price_paid_fen": "一万"}, "price_paid_fen", id="price text"),
    pytest.param({"price_paid_fen": 0}, "price_paid_fen", id="price zero"),
    pytest.param({"price_paid_fen": -5}, "price_paid_fen", id="price negative"),
    pytest.param({"price_paid_fen": 2**31}, "price_paid_fen", id="price beyond the column"),
    pytest.param({"invoice_no": "12"}, "invoice_no", id="invoice short"),
    pytest.param({"invoice_no": "9" * 65}, "invoice_no", id="invoice long"),
    pytest.param({"purchase_date": "2026-13-01"}, "purchase_date", id="date invalid"),
    pytest.param({"purchase_date": "昨天"}, "purchase_date", id="date text"),
    pytest.param({"program_id": "abc"}, "program_id", id="program text"),
    pytest.param({"user_id": 1}, "user_id", id="unknown field"),
    pytest.param({"amount_fen": 1}, "amount_fen", id="amount chosen by the client"),
]


@pytest.mark.parametrize(("over", "field"), BAD_CLAIMS)
def test_bad_claims_are_422_and_change_nothing(client, scene, over, field):
    before = _tables()
    body = {**claim_body(scene.program.id, scene.tile), **over}
    response = client.post(MP_CLAIMS, headers=scene.va, json=body)
    assert list(assert_error(response, 422, "validation_error")["errors"]) == [field]
    assert _tables() == before


@pytest.mark.parametrize("missing", ["program_id", "merchant_id", "product_id",
                                     "price_paid_fen", "invoice_no", "purchase_date"])
def test_each_claim_field_is_required(client, scene, missing):
    body = claim_body(scene.program.id, scene.tile)
    del body[missing]
    response = client.post(MP_CLAIMS, headers=scene.va, json=body)
    assert assert_error(response, 422, "validation_error")["errors"] == {missing: ["此项必填"]}
    assert count(SubsidyClaim) == 0


def test_a_claim_body_that_is_not_json_is_400(client, scene):
    response = client.post(MP_CLAIMS, headers={**scene.va, "Content-Type": "application/json"},
                           data="{nope")
    assert_error(response, 400, "bad_request")
    assert count(SubsidyClaim) == 0


def test_an_invoice_number_of_only_punctuation_is_refused(client, scene):
    response = client.post(MP_CLAIMS, headers=scene.va,
                           json=claim_body(scene.program.id, scene.tile, invoice="-- --"))
    assert_error(response, 422, "invalid_invoice")
    assert count(SubsidyClaim) == 0


BAD_ADMIN = [
    ("POST", ADMIN_PROGRAMS, {"rate_bp": 0}),
    ("POST", ADMIN_PROGRAMS, {"rate_bp": 10_001}),
    ("POST", ADMIN_PROGRAMS, {"budget_fen": -1}),
    ("POST", ADMIN_PROGRAMS, {"budget_fen": 2**31}),
    ("POST", ADMIN_PROGRAMS, {"category_ids": []}),
    ("POST", ADMIN_PROGRAMS, {"region_code": "41"}),
    ("POST", ADMIN_PROGRAMS, {"title": "x"}),
    ("POST", ADMIN_PROGRAMS, {"starts_on": "soon"}),
    ("POST", ADMIN_PROGRAMS, {"status": "closed"}),
    ("POST", ADMIN_PROGRAMS, {"committed_fen": 5}),
    ("POST", "{program}/top-ups", {"amount_fen": 0}),
    ("POST", "{program}/top-ups", {"amount_fen": "many"}),
    ("POST", "{program}/top-ups", {}),
    ("POST", "{program}/disbursements", {"batch_no": "P"}),
    ("POST", "{program}/disbursements", {}),
    ("POST", "{claim}/decision", {}),
    ("POST", "{claim}/decision", {"approve": "maybe"}),
    ("POST", "{claim}/decision", {"approve": False, "note": "x" * 256}),
    ("POST", "{claim}/decision", {"approve": True, "status": "approved"}),
    ("POST", f"{ADMIN_CLAIMS}/bulk-approve", {"claim_ids": []}),
    ("POST", f"{ADMIN_CLAIMS}/bulk-approve", {"claim_ids": ["one"]}),
    ("POST", f"{ADMIN_CLAIMS}/bulk-approve", {"claim_ids": list(range(1, 502))}),
    ("GET", f"{ADMIN_CLAIMS}?status=paid", None),
    ("GET", f"{ADMIN_CLAIMS}?limit=0", None),
    ("GET", f"{ADMIN_CLAIMS}?cursor=%%%", None),
]


@pytest.mark.parametrize(("method", "path", "over"), BAD_ADMIN,
                         ids=[f"{m} {p} {o}"[:80] for m, p, o in BAD_ADMIN])
def test_bad_console_input_is_422_and_changes_nothing(client, scene, method, path, over):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="INV-B-1")
    url = path.format(program=f"{ADMIN_PROGRAMS}/{scene.program.id}",
                      claim=f"{ADMIN_CLAIMS}/{claim.id}")
    body = None if over is None else (
        {**program_body(), **over} if path == ADMIN_PROGRAMS else over)
    before = _tables()
    response = client.open(url, method=method, headers=scene.here, json=body)
    payload = response.get_json()
    assert response.status_code == 422, payload
    assert set(payload) <= ERROR_KEYS and payload["error"] in ("validation_error",
                                                               "invalid_cursor")
    assert payload["errors"]
    assert _tables() == before
    assert claim_row(claim.id).status == "reserved"


def test_unknown_ids_are_404(client, scene):
    for url in (f"{ADMIN_PROGRAMS}/999999/ledger", f"{ADMIN_CLAIMS}/999999"):
        assert client.get(url, headers=scene.here).status_code == 404
    assert_error(decide(client, scene.here, 999_999, True), 404, "claim_not_found")
    assert_error(client.post(f"{ADMIN_PROGRAMS}/999999/top-ups", headers=scene.here,
                             json={"amount_fen": 100}), 404, "program_not_found")
    assert_error(client.get(f"{MP_CLAIMS}/999999", headers=scene.va), 404, "claim_not_found")
    assert_error(client.post(MP_CLAIMS, headers=scene.va,
                             json=claim_body(999_999, scene.tile)), 404, "program_not_found")
