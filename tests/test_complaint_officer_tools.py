"""What officers need on a complaint: the complainant's phone shown for a stated purpose and
logged, the acting officer named on the timeline, and the Chinese beside every status."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess
from app.accounts.services import create_console_user
from app.complaints.models import ACTION_LABELS, STATUS_LABELS, STATUSES
from app.complaints.services import TRANSITIONS
from app.extensions import db
from tests.test_complaints import ADMIN, MERCHANT_URL, MP, PATHS, assert_error, complaint_in

PHONE, MASKED = "13712345678", "137****5678"
PURPOSE = "电话回访投诉人，核实诉求"
OFFICER_NAME = "金水区市场监管局 张科员"
CHINESE = re.compile(r"^[\u4e00-\u9fff]+$")


def accesses() -> list[PersonalDataAccess]:
    return list(db.session.scalars(sa.select(PersonalDataAccess).order_by(PersonalDataAccess.id)))


def reveal(client, headers: dict, complaint_id: int, body: dict | None = None):
    return client.post(f"{ADMIN}/{complaint_id}/reveal-phone", headers=headers,
                       json={"purpose": PURPOSE} if body is None else body)


@pytest.fixture
def complaint(world):
    """Villager A's complaint about shop A, with A's bound phone as the contact."""
    world["users"]["villager_a"].phone = PHONE
    db.session.commit()
    return complaint_in(world, "submitted")


# ---- reveal the complainant's phone -------------------------------------------------------

def test_an_officer_sees_the_full_phone_and_the_showing_is_logged(client, world, complaint):
    response = reveal(client, world["headers"]["county_here"], complaint.id)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["complaint_id"], body["phone"]) == (complaint.id, PHONE)
    assert body["revealed_at"].endswith("+08:00")
    assert response.headers["Cache-Control"] == "no-store"
    [row] = accesses()
    assert body["access_id"] == row.id
    assert (row.officer_id, row.subject_user_id, row.field, row.purpose, row.detail) == (
        world["users"]["county_here"].id, world["users"]["villager_a"].id, "phone", PURPOSE,
        f"complaint {complaint.id} {complaint.tracking_no}")
    # An officer above the county may too; every showing is a row of its own.
    assert reveal(client, world["headers"]["province"], complaint.id,
                  {"purpose": "  复核  处理结果 "}).status_code == 200
    assert [(a.officer_id, a.purpose) for a in accesses()][1:] == [
        (world["users"]["province"].id, "复核 处理结果")]


def test_the_phone_typed_in_the_complaint_is_the_one_shown(client, world):
    world["users"]["villager_a"].phone = PHONE
    db.session.commit()
    response = client.post(MP, headers=world["headers"]["villager_a"], json={
        "category": "quality", "description": "瓷砖铺了一周就开裂了",
        "merchant_id": world["shop_a"].id, "phone": "13800138000"})
    complaint_id = response.get_json()["complaint"]["id"]
    shown = reveal(client, world["headers"]["county_here"], complaint_id).get_json()
    assert shown["phone"] == "13800138000"


def test_the_phone_stays_masked_everywhere_else(client, world, complaint):
    here, merchant = world["headers"]["county_here"], world["headers"]["merchant_a"]
    assert reveal(client, here, complaint.id).status_code == 200
    client.post(f"{ADMIN}/{complaint.id}/transitions", headers=here, json={"action": "accept"})
    client.post(f"{ADMIN}/{complaint.id}/transitions", headers=here,
                json={"action": "ask_merchant"})
    answers = [client.get(f"{ADMIN}/{complaint.id}", headers=here),
               client.get(ADMIN, headers=here),
               client.get(f"{MP}/{complaint.id}", headers=world["headers"]["villager_a"]),
               client.get("/api/mp/v1/me/complaints", headers=world["headers"]["villager_a"]),
               client.get(f"{MERCHANT_URL}/{complaint.id}", headers=merchant),
               client.get(MERCHANT_URL, headers=merchant)]
    for answer in answers:
        assert answer.status_code == 200
        text = answer.get_data(as_text=True)
        assert PHONE not in text and MASKED in text
    assert len(accesses()) == 1  # reading the complaint is not a showing


@pytest.mark.parametrize("body", [
    {}, {"purpose": ""}, {"purpose": "看"}, {"purpose": " \n\t "}, {"purpose": "用途" * 101},
    {"purpose": 12}, {"purpose": None}, {"purpose": PURPOSE, "phone": PHONE},
], ids=["missing", "empty", "one-character", "blank", "201-characters", "number", "null",
        "unknown-field"])
def test_a_reveal_needs_a_stated_purpose(client, world, complaint, body):
    response = reveal(client, world["headers"]["county_here"], complaint.id, body)
    error = assert_error(response, 422)
    assert error["error"] in ("validation_error", "purpose_required")
    assert re.search(r"[\u4e00-\u9fff]", error["message"])
    assert PHONE not in response.get_data(as_text=True)
    assert accesses() == []


def test_without_a_phone_there_is_nothing_to_reveal(client, world):
    complaint = complaint_in(world, "submitted")  # villager A has bound no phone
    assert_error(reveal(client, world["headers"]["county_here"], complaint.id), 409, "no_phone")
    assert accesses() == []


@pytest.mark.parametrize(("who", "status", "error"), [
    ("county_elsewhere", 403, "region_out_of_scope"),
    ("expos_officer", 403, "duty_not_assigned"),
    ("merchant_a", 403, "role_not_allowed"),
    ("villager_a", 403, "role_not_allowed"),
])
def test_only_an_officer_handling_it_may_reveal(client, world, make, complaint, who, status,
                                               error):
    if who == "expos_officer":  # the county's officer for expos, not complaints
        officer = create_console_user(username="expos-officer", password="secret-pass-1",
                                      role="admin", region_code="410105", duties=["expos"])
        db.session.commit()
        headers = make.headers(officer)
    else:
        headers = world["headers"][who]
    response = reveal(client, headers, complaint.id)
    assert_error(response, status, error)
    assert PHONE not in response.get_data(as_text=True)
    assert accesses() == []


def test_an_unknown_complaint_is_404(client, world):
    assert_error(reveal(client, world["headers"]["county_here"], 999_999), 404,
                 "complaint_not_found")
    assert accesses() == []


# ---- who acted, by name -------------------------------------------------------------------

def _who(timeline: list[dict]) -> list[tuple]:
    return [(e["action"], e["by_role"], e["by_role_label"], e["by_name"]) for e in timeline]


def test_the_timeline_names_the_officer_and_the_shop_never_the_villager(client, world):
    users = world["users"]
    users["county_here"].nickname = OFFICER_NAME
    users["villager_a"].real_name, users["villager_a"].phone = "王小明", PHONE
    db.session.commit()
    complaint = complaint_in(world, "merchant_responded")
    officer_steps = [("accept", "officer", "主管部门", OFFICER_NAME),
                     ("ask_merchant", "officer", "主管部门", OFFICER_NAME),
                     ("respond", "merchant", "商家", "金水瓷砖店")]

    mine = client.get(f"{MP}/{complaint.id}", headers=world["headers"]["villager_a"])
    assert _who(mine.get_json()["timeline"]) == [("submit", "villager", "村民", "本人"),
                                                 *officer_steps]
    listed = client.get("/api/mp/v1/me/complaints", headers=world["headers"]["villager_a"])
    assert _who(listed.get_json()["items"][0]["timeline"])[0][3] == "本人"
    # Officers and the merchant read 村民 for the villager's entries, and nothing of theirs.
    for url, who in ((f"{ADMIN}/{complaint.id}", "county_here"),
                     (f"{MERCHANT_URL}/{complaint.id}", "merchant_a")):
        answer = client.get(url, headers=world["headers"][who])
        assert _who(answer.get_json()["timeline"]) == [("submit", "villager", "村民", "村民"),
                                                       *officer_steps]
        assert "王小明" not in answer.get_data(as_text=True)
    # The villager learns the officer's display name, not the account's login name.
    assert users["county_here"].username not in mine.get_data(as_text=True)


def test_the_answer_to_a_transition_names_who_made_it(client, world):
    world["users"]["province"].nickname = "河南省市场监管局 李处长"
    db.session.commit()
    complaint = complaint_in(world, "submitted")
    answer = client.post(f"{ADMIN}/{complaint.id}/transitions",
                         headers=world["headers"]["province"], json={"action": "accept"})
    assert _who(answer.get_json()["timeline"])[-1] == (
        "accept", "officer", "主管部门", "河南省市场监管局 李处长")


# ---- status labels ------------------------------------------------------------------------

def test_every_status_and_action_has_its_chinese():
    assert set(STATUS_LABELS) == set(STATUSES)
    assert set(ACTION_LABELS) == {*TRANSITIONS, "submit", "negative_list"}
    for labels in (STATUS_LABELS, ACTION_LABELS):
        assert all(CHINESE.match(label) for label in labels.values()), labels
        assert len(set(labels.values())) == len(labels)


@pytest.mark.parametrize("state", list(PATHS))
def test_every_output_carries_the_label_beside_the_status(client, world, state):
    complaint = complaint_in(world, state)
    headers = world["headers"]
    for url, who in ((f"{ADMIN}/{complaint.id}", "county_here"),
                     (f"{ADMIN}?status={state}", "county_here"),
                     (f"{MP}/{complaint.id}", "villager_a")):
        body = client.get(url, headers=headers[who]).get_json()
        body = body["items"][0] if "items" in body else body
        assert (body["status"], body["status_label"]) == (state, STATUS_LABELS[state])
        last = body["timeline"][-1]
        assert last["to_status_label"] == STATUS_LABELS[last["to_status"]]
        assert last["action_label"] == ACTION_LABELS[last["action"]]


def test_some_labels_read_as_officers_say_them():
    assert STATUS_LABELS["submitted"] == "已提交" and STATUS_LABELS["accepted"] == "已受理"
    assert STATUS_LABELS["declined"] == "不予受理" and STATUS_LABELS["resolved"] == "已办结"
    assert STATUS_LABELS["awaiting_merchant"] == "待商家答复"


# ---- the work queue: by deadline, with what may be done next ------------------------------

def test_the_queue_by_deadline_lists_open_complaints_earliest_first_across_pages(client, world):
    from datetime import date, timedelta

    from app.complaints.models import Complaint

    made = [complaint_in(world, state) for state in
            ("submitted", "accepted", "submitted", "resolved", "accepted", "submitted")]
    # deadlines spread out and tied, whichever status decides them
    base = date(2026, 12, 10)
    dues = [base + timedelta(days=n) for n in (3, 1, 1, 0, 5, 2)]
    for complaint, due in zip(made, dues, strict=True):
        if complaint.status == "submitted":
            complaint.accept_due_on = due
        else:
            complaint.finish_due_on = due
    db.session.commit()
    expected = sorted(((due, c.id) for c, due in zip(made, dues, strict=True)
                       if c.status != "resolved"))
    headers = world["headers"]["county_here"]
    seen, cursor = [], None
    while True:
        query = "?sort=deadline&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"{ADMIN}{query}", headers=headers).get_json()
        seen += [(date.fromisoformat(item["due_on"]), item["id"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected and len(seen) == 5  # the resolved one is not in the work queue
    assert db.session.get(Complaint, made[3].id).status == "resolved"
    assert_error(client.get(f"{ADMIN}?sort=deadline&cursor=bm9wZQ", headers=headers), 422,
                 "invalid_cursor")
    assert_error(client.get(f"{ADMIN}?sort=oldest", headers=headers), 422)


@pytest.mark.parametrize("state", ["submitted", "accepted", "awaiting_merchant", "resolved",
                                   "closed"])
def test_the_officer_is_told_which_actions_apply_now(client, world, state):
    complaint = complaint_in(world, state)
    body = client.get(f"{ADMIN}/{complaint.id}", headers=world["headers"]["county_here"]).json
    expected = [action for action, rule in TRANSITIONS.items() if rule.actor == "officer"
                and state in rule.sources]
    assert body["actions"] == expected
    # each one offered is accepted by the state machine (no drift between the two)
    for action in body["actions"]:
        assert state in TRANSITIONS[action].sources


def test_asking_the_merchant_is_offered_only_when_a_shop_is_named(client, world):
    complaint = complaint_in(world, "accepted", shop=None)
    body = client.get(f"{ADMIN}/{complaint.id}", headers=world["headers"]["county_here"]).json
    assert "ask_merchant" not in body["actions"] and "resolve" in body["actions"]


def test_complaints_name_the_shop_and_the_product(client, world, make):
    product = make.product(world["shop_a"], name="仿古砖")
    about_product = complaint_in(world, "submitted", product=product)
    about_shop = complaint_in(world, "submitted")
    no_one = complaint_in(world, "submitted", shop=None)
    here = world["headers"]["county_here"]
    listed = {c["id"]: c for c in client.get(f"{ADMIN}?limit=100", headers=here).json["items"]}
    mine = {c["id"]: c for c in client.get("/api/mp/v1/me/complaints",
                                           headers=world["headers"]["villager_a"]).json["items"]}
    for shown in (listed, mine):
        assert (shown[about_product.id]["product_name"],
                shown[about_product.id]["merchant_name"]) == ("仿古砖", "金水瓷砖店")
        assert (shown[about_shop.id]["product_name"],
                shown[about_shop.id]["merchant_name"]) == (None, "金水瓷砖店")
        assert (shown[no_one.id]["product_name"], shown[no_one.id]["merchant_name"]) == (None,
                                                                                       None)
    one = client.get(f"{ADMIN}/{about_product.id}", headers=here).json
    assert one["product_name"] == "仿古砖"
