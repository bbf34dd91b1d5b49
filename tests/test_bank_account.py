"""The villager's bank account for subsidy payments: checked, encrypted at rest, masked in
every answer, and in full only in the payment batch, where each showing is logged."""

from __future__ import annotations

import json
import logging
from io import BytesIO
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.accounts.models import PersonalDataAccess, User
from app.accounts.personal_data import luhn_ok, mask_bank_account, normalise_bank_account
from app.core.errors import ApiError
from app.extensions import db
from tests.test_subsidies import (
    ADMIN_CLAIMS,
    ADMIN_PROGRAMS,
    MY_CLAIMS,
    PRICE,
    claim_body,
    complete_profile,
    decide,
    new_program,
    submitted,
)
from tests.test_subsidy_personal_data import _Capture, sql_logged  # noqa: F401  (fixture)

ME = "/api/mp/v1/me"
BANK = "中国农业银行郑州花园路支行"


def with_check_digit(body: str) -> str:
    """Luhn, written out: from the right, every second digit of the body doubled."""
    digits = [int(c) for c in reversed(body)]
    total = sum(sum(divmod(d * 2, 10)) if i % 2 == 0 else d for i, d in enumerate(digits))
    return body + str(-total % 10)


CARD = with_check_digit("622848001234567")  # 16 digits, UnionPay, check digit right
WRONG = CARD[:-1] + str((int(CARD[-1]) + 1) % 10)  # one digit off
PASSBOOK = "41050100360000012345"  # a 农商银行 passbook account: 20 digits, no check digit


def raw_users_row(user_id: int) -> str:
    row = db.session.execute(sa.text("SELECT * FROM users WHERE id = :id"), {"id": user_id})
    return " ".join(str(value) for value in row.one())


def patch(client, headers: dict, **body):
    return client.patch(ME, headers=headers, json=body)


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# ---- the rules, alone -----------------------------------------------------------------------

def test_the_luhn_digit_and_the_mask():
    assert luhn_ok(CARD) and not luhn_ok(WRONG)
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert mask_bank_account(CARD) == f"6228 **** **** {CARD[-4:]}"
    assert mask_bank_account(PASSBOOK) == "4105 **** **** 2345"
    assert mask_bank_account("123456789012") == "**** **** **** 9012"  # too short to show more
    assert mask_bank_account(None) is None


@pytest.mark.parametrize(("typed", "stored"), [
    (CARD, CARD),
    (" ".join(CARD[i:i + 4] for i in range(0, 16, 4)), CARD),  # as printed on the card
    (CARD.translate(str.maketrans("0123456789", "０１２３４５６７８９")), CARD),  # full width
    (PASSBOOK, PASSBOOK),
    ("6" + "2" * 19, "6" + "2" * 19),  # 62..., but 20 digits: an account, not a card
    (WRONG[:12], WRONG[:12]),  # 12 digits, the shortest
    ("9" * 30, "9" * 30),  # 30, the longest
])
def test_accepted_numbers(typed, stored):
    assert normalise_bank_account(typed) == stored


WRONG_19 = with_check_digit("621700" + "0" * 11 + "7")[:-1] + "0"  # 19 digits, 62: a card


@pytest.mark.parametrize("typed", [WRONG, WRONG_19, "12345678901", "1" * 31,
                                   "6228-48A0-1234-5678", "", "一二三四五六七八九〇一二",
                                   "١٢٣٤٥٦٧٨٩٠١٢"])
def test_refused_numbers(typed):
    with pytest.raises(ApiError) as refused:
        normalise_bank_account(typed)
    assert refused.value.error == "invalid_bank_account"


# ---- the profile --------------------------------------------------------------------------

def test_a_villager_enters_an_account_stored_encrypted_and_shown_masked(client, make):
    user = make.villager()
    headers = make.headers(user)
    response = patch(client, headers, bank_account=f" {CARD[:4]} {CARD[4:8]} {CARD[8:]} ",
                     bank_name=f"  {BANK} ")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["bank_account"], body["bank_name"]) == (f"6228 **** **** {CARD[-4:]}", BANK)
    assert client.get(ME, headers=headers).get_json()["bank_account"] == body["bank_account"]
    raw = raw_users_row(user.id)
    assert CARD not in raw and CARD[4:12] not in raw and BANK in raw
    assert fresh(user).bank_account_enc.startswith("v1:")


@pytest.mark.parametrize(("body", "error", "field"), [
    ({"bank_account": WRONG, "bank_name": BANK}, "invalid_bank_account", "bank_account"),
    ({"bank_account": "6228 48AB", "bank_name": BANK}, "invalid_bank_account", "bank_account"),
    ({"bank_account": "12345678901", "bank_name": BANK}, "invalid_bank_account",
     "bank_account"),
    ({"bank_account": CARD}, "bank_name_required", "bank_name"),
    ({"bank_account": None, "bank_name": BANK}, "validation_error", "bank_name"),
    ({"bank_account": CARD, "bank_name": "行"}, "validation_error", "bank_name"),
    ({"bank_account": 6228480012345678, "bank_name": BANK}, "validation_error",
     "bank_account"),
    ({"bank_account": CARD, "bank_name": BANK, "real_name": "王", "nickname": "新名字"},
     "validation_error", "real_name"),
    ({"bank_account": CARD, "bank_name": BANK, "id_card_no": "110105194912310021"},
     "invalid_id_card", "id_card_no"),
])
def test_bad_accounts_are_refused_and_nothing_changes(client, make, body, error, field):
    user = make.villager()
    response = patch(client, make.headers(user), **body)
    payload = response.get_json()
    assert response.status_code == 422 and payload["error"] == error, payload
    assert field in payload["errors"]
    assert CARD not in response.get_data(as_text=True)
    user = fresh(user)
    assert (user.bank_account_enc, user.bank_name) == (None, None)


def test_change_the_bank_keep_the_account_or_remove_both(client, make):
    user = make.villager()
    headers = make.headers(user)
    assert patch(client, headers, bank_account=CARD, bank_name=BANK).status_code == 200
    moved = patch(client, headers, bank_name="中国邮政储蓄银行金水区支行").get_json()
    assert moved["bank_account"][-4:] == CARD[-4:]
    assert moved["bank_name"] == "中国邮政储蓄银行金水区支行"
    passbook = patch(client, headers, bank_account=PASSBOOK).get_json()
    assert passbook["bank_account"] == "4105 **** **** 2345"
    removed = patch(client, headers, bank_account=None).get_json()
    assert (removed["bank_account"], removed["bank_name"]) == (None, None)
    assert (fresh(user).bank_account_enc, fresh(user).bank_name) == (None, None)
    # Others of the profile leave the account alone.
    assert patch(client, headers, bank_account=CARD, bank_name=BANK).status_code == 200
    assert patch(client, headers, nickname="老王").get_json()["bank_name"] == BANK


# ---- the payment batch ----------------------------------------------------------------------

@pytest.fixture
def payday(client, world, make):
    """Two villagers' approved claims: A with a bank account, B (also of 金水区) without."""
    users, headers = world["users"], world["headers"]
    villager_b = make.villager("vb2", region_code="410105002")
    complete_profile(users["villager_a"])
    complete_profile(villager_b, name="赵六")
    assert patch(client, headers["villager_a"], bank_account=CARD,
                 bank_name=BANK).status_code == 200
    program = new_program(users["county_here"])
    tile = make.product(world["shop_a"], name="仿古砖", price_fen=PRICE)
    here = headers["county_here"]
    claims = [submitted(client, headers["villager_a"], claim_body(program.id, tile,
                                                                  invoice="BK-0001")),
              submitted(client, make.headers(villager_b), claim_body(program.id, tile,
                                                                     invoice="BK-0002"))]
    for claim in claims:
        assert decide(client, here, claim["id"], True).status_code == 200
    return SimpleNamespace(program=program, claims=claims, here=here, a=users["villager_a"],
                           b=villager_b, officer=users["county_here"])


def test_the_payment_batch_has_the_bank_and_the_full_account_each_showing_logged(client,
                                                                               payday):
    response = client.post(f"{ADMIN_PROGRAMS}/{payday.program.id}/payment-batches",
                           headers=payday.here)
    batch_no = response.headers["X-Batch-No"]
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    bank, account = rows[0].index("开户银行"), rows[0].index("银行账号")
    by_claim = {row[1]: (row[bank], row[account]) for row in rows[1:]}
    a_claim, b_claim = (c["id"] for c in payday.claims)
    assert by_claim == {a_claim: (BANK, CARD), b_claim: (None, None)}
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet.cell(row=2, column=account + 1).data_type == "s"  # text, not 6.2E+15

    logged = [(a.officer_id, a.subject_user_id, a.field, a.purpose, a.detail)
              for a in db.session.scalars(sa.select(PersonalDataAccess)
                                          .order_by(PersonalDataAccess.id))]
    officer, export = payday.officer.id, "subsidy_payment_export"
    assert logged == [
        (officer, payday.a.id, "id_card_no", export, f"{batch_no} claim {a_claim}"),
        (officer, payday.a.id, "bank_account", export, f"{batch_no} claim {a_claim}"),
        (officer, payday.b.id, "id_card_no", export, f"{batch_no} claim {b_claim}")]


def test_no_other_answer_carries_the_account(client, world, payday):
    here, va = payday.here, world["headers"]["villager_a"]
    answers = [client.get(ME, headers=va).get_json(),
               client.get(MY_CLAIMS, headers=va).get_json(),
               client.get(ADMIN_CLAIMS, headers=here).get_json(),
               client.get(f"{ADMIN_CLAIMS}/{payday.claims[0]['id']}", headers=here).get_json(),
               client.get(f"/api/v1/admin/users/{payday.a.id}", headers=here).get_json(),
               client.get("/api/v1/admin/users?role=villager", headers=here).get_json()]
    text = json.dumps(answers, ensure_ascii=False)
    assert CARD not in text and CARD[:12] not in text and CARD[4:] not in text
    assert f"6228 **** **** {CARD[-4:]}" in text


def test_the_account_never_reaches_a_log(sql_logged, client, world, payday):  # noqa: F811
    raw = _Capture()
    root = logging.getLogger()
    root.handlers.insert(0, raw)  # before the app's masking handler: nothing to mask at all
    try:
        patch(client, world["headers"]["villager_a"], bank_account=PASSBOOK, bank_name=BANK)
        client.post(f"{ADMIN_PROGRAMS}/{payday.program.id}/payment-batches",
                    headers=payday.here)
    finally:
        root.removeHandler(raw)
    text = "\n".join(raw.lines)
    assert "UPDATE users" in text  # the statements were logged, their values not
    assert PASSBOOK not in text and CARD not in text
