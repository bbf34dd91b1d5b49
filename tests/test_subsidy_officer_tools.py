"""What officers need on subsidies: a claimant's ID shown for a stated purpose and logged, the
acting officer named in a claim's history, Chinese beside every status, categories by slug."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess
from app.catalog.models import Category
from app.extensions import db
from app.subsidies.models import (
    CLAIM_STATUS_LABELS,
    CLAIM_STATUSES,
    PROGRAM_STATUS_LABELS,
    PROGRAM_STATUSES,
    SubsidyProgram,
)
from tests.test_subsidies import (
    ADMIN_CLAIMS,
    ADMIN_PROGRAMS,
    MP_CLAIMS,
    MP_PROGRAMS,
    MY_CLAIMS,
    PRICE,
    assert_error,
    claim_body,
    complete_profile,
    count,
    decide,
    id_number,
    new_program,
    program_body,
    reserve,
    submitted,
)

PURPOSE = "核对申请人身份，处理重复申请"
OFFICER_NAME = "金水区财政局 赵科员"
CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")


@pytest.fixture
def scene(world, make):
    """As in test_subsidies: a ¥10,000 tile at shop A (410105), a programme of 金水区, and
    villager A's full profile."""
    admin = world["users"]["county_here"]
    tile = make.product(world["shop_a"], name="仿古砖", price_fen=PRICE)
    villager = complete_profile(world["users"]["villager_a"])
    headers = world["headers"]
    return SimpleNamespace(program=new_program(admin), tile=tile, villager=villager,
                           admin=admin, va=headers["villager_a"], here=headers["county_here"],
                           elsewhere=headers["county_elsewhere"], province=headers["province"])


def accesses() -> list[tuple]:
    return [(a.officer_id, a.subject_user_id, a.field, a.purpose, a.detail)
            for a in db.session.scalars(sa.select(PersonalDataAccess)
                                        .order_by(PersonalDataAccess.id))]


def reveal(client, headers: dict, claim_id: int, body: dict | None = None):
    return client.post(f"{ADMIN_CLAIMS}/{claim_id}/reveal-id", headers=headers,
                       json={"purpose": PURPOSE} if body is None else body)


def slugs_to_ids(*slugs: str) -> list[int]:
    return sorted(db.session.scalars(sa.select(Category.id).where(Category.slug.in_(slugs))))


# ---- reveal the claimant's ID number ------------------------------------------------------

def test_an_officer_of_the_programme_sees_the_full_id_and_it_is_logged(client, world, scene):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="RV-0001")
    full = id_number(scene.villager.id)
    response = reveal(client, scene.here, claim.id)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["claim_id"], body["id_card_no"]) == (claim.id, full)
    assert body["revealed_at"].endswith("+08:00")
    assert response.headers["Cache-Control"] == "no-store"
    assert accesses() == [(scene.admin.id, scene.villager.id, "id_card_no", PURPOSE,
                           f"subsidy_claim {claim.id}")]
    assert reveal(client, scene.province, claim.id).status_code == 200
    assert [a[0] for a in accesses()] == [scene.admin.id, world["users"]["province"].id]


def test_the_id_stays_masked_everywhere_else(client, world, scene):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="RV-0002")
    assert reveal(client, scene.here, claim.id).status_code == 200
    full = id_number(scene.villager.id)
    answers = [client.get(f"{ADMIN_CLAIMS}/{claim.id}", headers=scene.here).get_json(),
               client.get(ADMIN_CLAIMS, headers=scene.here).get_json(),
               decide(client, scene.here, claim.id, True).get_json(),
               client.get(f"{MP_CLAIMS}/{claim.id}", headers=scene.va).get_json(),
               client.get(MY_CLAIMS, headers=scene.va).get_json(),
               client.get("/api/mp/v1/me", headers=scene.va).get_json()]
    text = json.dumps(answers, ensure_ascii=False)
    assert full not in text and full[:17] not in text
    assert full[:4] + "*" * 10 + full[-4:] in text  # GET /me, masked
    assert len(accesses()) == 1


@pytest.mark.parametrize("body", [
    {}, {"purpose": "查"}, {"purpose": "   "}, {"purpose": "x" * 201}, {"purpose": ["核对"]},
    {"purpose": PURPOSE, "field": "phone"},
], ids=["missing", "one-character", "blank", "201-characters", "list", "unknown-field"])
def test_a_reveal_needs_a_stated_purpose(client, scene, body):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="RV-0003")
    response = reveal(client, scene.here, claim.id, body)
    error = assert_error(response, 422, response.get_json()["error"])
    assert error["error"] in ("validation_error", "purpose_required")
    assert id_number(scene.villager.id) not in response.get_data(as_text=True)
    assert accesses() == []


def test_another_county_or_an_unknown_claim_is_refused_and_nothing_logged(client, scene):
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="RV-0004")
    response = reveal(client, scene.elsewhere, claim.id)
    assert_error(response, 403, "region_out_of_scope")
    assert id_number(scene.villager.id) not in response.get_data(as_text=True)
    assert_error(reveal(client, scene.here, 999_999), 404, "claim_not_found")
    assert accesses() == []


# ---- who acted, by name -------------------------------------------------------------------

def _who(history: list[dict]) -> list[tuple]:
    return [(e["status"], e["by_role"], e["by_role_label"], e["by_name"]) for e in history]


def test_the_history_names_the_officer_and_says_本人_to_the_villager(client, world, scene):
    scene.admin.nickname = OFFICER_NAME
    db.session.commit()
    claim = reserve(scene.villager, scene.program, scene.tile, invoice="NM-0001")
    assert decide(client, scene.here, claim.id, True).status_code == 200
    export = client.post(f"{ADMIN_PROGRAMS}/{scene.program.id}/payment-batches",
                         headers=scene.province)
    client.post(f"{ADMIN_PROGRAMS}/{scene.program.id}/disbursements", headers=scene.province,
                json={"batch_no": export.headers["X-Batch-No"]})
    province_name = world["users"]["province"].nickname
    officer_steps = [("approved", "officer", "主管部门", OFFICER_NAME),
                     ("disbursed", "officer", "主管部门", province_name)]

    mine = client.get(f"{MP_CLAIMS}/{claim.id}", headers=scene.va)
    assert _who(mine.get_json()["history"]) == [("reserved", "villager", "村民", "本人"),
                                                *officer_steps]
    theirs = client.get(f"{ADMIN_CLAIMS}/{claim.id}", headers=scene.here).get_json()
    assert _who(theirs["history"]) == [("reserved", "villager", "村民", "村民"), *officer_steps]
    assert scene.admin.username not in mine.get_data(as_text=True)


# ---- status labels ------------------------------------------------------------------------

@pytest.mark.parametrize(("labels", "statuses"), [
    (CLAIM_STATUS_LABELS, CLAIM_STATUSES), (PROGRAM_STATUS_LABELS, PROGRAM_STATUSES)],
    ids=["claim", "programme"])
def test_every_status_has_its_chinese(labels, statuses):
    assert set(labels) == set(statuses)
    assert all(CHINESE.match(label) for label in labels.values()), labels
    assert len(set(labels.values())) == len(labels)


def test_claims_carry_the_label_in_every_state(client, scene):
    made = {status: reserve(scene.villager, scene.program, scene.tile, invoice=f"LB-{status}")
            for status in CLAIM_STATUSES}
    decide(client, scene.here, made["approved"].id, True)
    decide(client, scene.here, made["rejected"].id, False, "发票不清晰")
    decide(client, scene.here, made["disbursed"].id, True)
    export = client.post(f"{ADMIN_PROGRAMS}/{scene.program.id}/payment-batches",
                         headers=scene.here)
    batch_no = export.headers["X-Batch-No"]
    client.post(f"{ADMIN_PROGRAMS}/{scene.program.id}/disbursements", headers=scene.here,
                json={"batch_no": batch_no})  # pays the one approved claim in the batch
    expected = {c.id: "disbursed" if status == "approved" else status
                for status, c in made.items()}
    expected[made["disbursed"].id] = "disbursed"
    for url, headers in ((ADMIN_CLAIMS, scene.here), (MY_CLAIMS, scene.va)):
        items = client.get(url, headers=headers).get_json()["items"]
        for item in items:
            assert item["status"] == expected[item["id"]]
            assert item["status_label"] == CLAIM_STATUS_LABELS[item["status"]]
            assert [e["status_label"] for e in item["history"]] == [
                CLAIM_STATUS_LABELS[e["status"]] for e in item["history"]]
    assert {CLAIM_STATUS_LABELS[s] for s in expected.values()} == {"已预留", "已驳回", "已发放"}


def test_programmes_carry_the_label(client, world, scene):
    response = client.post(ADMIN_PROGRAMS, headers=scene.here, json=program_body(title="第二期"))
    second = db.session.get(SubsidyProgram, response.get_json()["id"])
    second.status = "closed"
    db.session.commit()
    listed = {p["id"]: (p["status"], p["status_label"]) for p in
              client.get(ADMIN_PROGRAMS, headers=scene.here).get_json()["items"]}
    assert listed == {scene.program.id: ("open", "开放中"), second.id: ("closed", "已关闭")}
    shown = client.get(MP_PROGRAMS, headers=scene.va).get_json()["items"]
    assert [(p["id"], p["status_label"]) for p in shown] == [(scene.program.id, "开放中")]


# ---- categories by slug -------------------------------------------------------------------

def test_an_officer_names_categories_by_slug(client, scene):
    response = client.post(ADMIN_PROGRAMS, headers=scene.here, json=program_body(
        category_ids=["decoration", "doors-windows"]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["category_ids"] == slugs_to_ids("decoration", "doors-windows")
    assert body["categories"] == [
        {"id": c.id, "slug": c.slug, "name": c.name}
        for c in db.session.scalars(sa.select(Category).where(
            Category.slug.in_(["decoration", "doors-windows"])).order_by(Category.id))]
    assert {c["name"] for c in body["categories"]} == {"装饰装修材料", "节能门窗"}
    # A slug covers its sub-categories, as an id does: the ceramic tile is claimable.
    claim = submitted(client, scene.va, claim_body(body["id"], scene.tile, invoice="SL-0001"))
    assert claim["program_id"] == body["id"]


def test_ids_and_slugs_mix_into_one_set(client, scene):
    [coatings] = slugs_to_ids("coatings")
    response = client.post(ADMIN_PROGRAMS, headers=scene.here, json=program_body(
        category_ids=[coatings, "coatings", "insulation"]))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["category_ids"] == slugs_to_ids("coatings", "insulation")


@pytest.mark.parametrize(("refs", "error", "named"), [
    (["decoration", "no-such-thing"], "unknown_category", "no-such-thing"),
    ([999_999, "coatings"], "unknown_category", "999999"),
    ([], "validation_error", None),
    ([True], "validation_error", None),
    ([1.5], "validation_error", None),
    ([""], "validation_error", None),
    (["x" * 41], "validation_error", None),
    (["coat\x00ings"], "validation_error", None),
    ([{"slug": "coatings"}], "validation_error", None),
])
def test_bad_categories_are_refused_and_nothing_is_made(client, scene, refs, error, named):
    before = count(SubsidyProgram)
    body = assert_error(client.post(ADMIN_PROGRAMS, headers=scene.here,
                                    json=program_body(category_ids=refs)), 422, error)
    assert "category_ids" in body["errors"]
    if named:
        assert named in json.dumps(body["errors"], ensure_ascii=False)
    assert count(SubsidyProgram) == before
