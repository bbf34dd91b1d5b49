"""ID numbers and phones in the subsidy flow: encrypted at rest, masked in answers and logs,
one person across accounts, shown in full only in the payment export, and every showing
logged (PIPL)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.accounts.models import PersonalDataAccess
from app.core.logging import configure_logging
from app.extensions import db
from app.subsidies.models import PersonTotal
from tests.test_subsidies import (
    ADMIN_CLAIMS,
    ADMIN_PROGRAMS,
    MP_CLAIMS,
    MY_CLAIMS,
    PRICE,
    assert_error,
    claim_body,
    count,
    decide,
    id_number,
    new_program,
    submitted,
)

ID_NO = "11010519491231002X"
MASKED_ID = "1101**********002X"
PHONE = "13712345678"
MASKED_PHONE = "137****5678"


def _raw_rows(table: str, **where) -> str:
    clause = " AND ".join(f"{k} = :{k}" for k in where) or "1=1"
    rows = db.session.execute(sa.text(f"SELECT * FROM {table} WHERE {clause}"), where).all()
    return " ".join(str(value) for row in rows for value in row)


@pytest.fixture
def villager(client, world):
    """Villager A: name, ID (typed with a small x) and phone, set through the API."""
    user = world["users"]["villager_a"]
    user.phone = PHONE
    db.session.commit()
    response = client.patch("/api/mp/v1/me", headers=world["headers"]["villager_a"],
                            json={"real_name": "王小明", "id_card_no": ID_NO.lower()})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["id_card_no"] == MASKED_ID
    return user


@pytest.fixture
def program(world):
    return new_program(world["users"]["county_here"])


@pytest.fixture
def tile(make, world):
    return make.product(world["shop_a"], name="仿古砖", price_fen=PRICE)


def _flow(client, world, program, tile) -> tuple[list[dict], list[tuple]]:
    """Claim, review, export and pay; returns every JSON answer and the workbook's rows."""
    va, here = world["headers"]["villager_a"], world["headers"]["county_here"]
    answers = []
    claims = [submitted(client, va, claim_body(program.id, tile, invoice=f"PD-{n:04d}"))
              for n in range(3)]
    answers += claims
    answers.append(decide(client, here, claims[0]["id"], True).get_json())
    answers.append(decide(client, here, claims[1]["id"], False, "发票不清晰").get_json())
    answers.append(client.post(f"{ADMIN_CLAIMS}/bulk-approve", headers=here,
                               json={"claim_ids": [claims[2]["id"]]}).get_json())
    answers.append(client.get(ADMIN_CLAIMS, headers=here).get_json())
    answers.append(client.get(f"{ADMIN_CLAIMS}/{claims[0]['id']}", headers=here).get_json())
    answers.append(client.get(MY_CLAIMS, headers=va).get_json())
    answers.append(client.get(f"{MP_CLAIMS}/{claims[0]['id']}", headers=va).get_json())
    answers.append(client.get("/api/mp/v1/me", headers=va).get_json())
    answers.append(client.get("/api/mp/v1/me/notifications", headers=va).get_json())
    export = client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here)
    assert export.status_code == 200
    rows = list(load_workbook(BytesIO(export.data)).active.iter_rows(values_only=True))
    paid = client.post(f"{ADMIN_PROGRAMS}/{program.id}/disbursements", headers=here,
                       json={"batch_no": export.headers["X-Batch-No"]})
    answers.append(paid.get_json())
    answers.append(client.get(f"{ADMIN_PROGRAMS}/{program.id}/ledger", headers=here).get_json())
    return answers, rows


def test_the_id_number_is_stored_encrypted_and_hashed_with_a_key(client, world, villager,
                                                                  program, tile):
    submitted(client, world["headers"]["villager_a"], claim_body(program.id, tile))
    db.session.expire_all()
    users_row = _raw_rows("users", id=villager.id)
    assert villager.id_card_enc and villager.id_card_enc in users_row
    for table in ("users", "subsidy_claims", "subsidy_person_totals"):
        raw = _raw_rows(table)
        assert ID_NO not in raw and ID_NO.lower() not in raw and ID_NO[:17] not in raw, table
    # Keyed: the hash of the bare number (what an attacker with the table would try) differs.
    assert villager.id_card_hash != hashlib.sha256(ID_NO.encode()).hexdigest()
    person = db.session.scalars(sa.select(PersonTotal)).one()
    assert person.person_hash == villager.id_card_hash


def test_no_answer_carries_the_id_number_or_the_phone(client, world, villager, program, tile):
    answers, _ = _flow(client, world, program, tile)
    text = json.dumps(answers, ensure_ascii=False)
    assert ID_NO not in text and ID_NO[:17] not in text and PHONE not in text
    assert villager.id_card_hash not in text  # not even its lookup hash
    assert MASKED_ID in text  # GET /me shows it masked
    admin_view = answers[7]
    assert admin_view["applicant"] == {"id": villager.id, "real_name": "王小明",
                                       "phone": MASKED_PHONE}


def test_two_accounts_with_one_id_number_are_one_person(client, world, make, villager,
                                                        program, tile):
    second = make.villager("second-phone", region_code="410105002")
    headers = make.headers(second)
    response = client.patch("/api/mp/v1/me", headers=headers,
                            json={"real_name": "王小明", "id_card_no": ID_NO})
    assert response.status_code == 200
    va = world["headers"]["villager_a"]
    big = 2_000_000  # ¥2,000 each, capped per item; ¥5,000 a person
    first = submitted(client, va, claim_body(program.id, tile, invoice="TW-0001", price=big))
    submitted(client, va, claim_body(program.id, tile, invoice="TW-0002", price=big))
    rest = submitted(client, headers, claim_body(program.id, tile, invoice="TW-0003",
                                                 price=big))
    assert rest["amount_fen"] == 100_000
    assert_error(client.post(MP_CLAIMS, headers=headers,
                             json=claim_body(program.id, tile, invoice="TW-0004")),
                 409, "personal_cap_reached")
    assert_error(client.post(MP_CLAIMS, headers=va,
                             json=claim_body(program.id, tile, invoice="TW-0005")),
                 409, "personal_cap_reached")
    assert count(PersonTotal) == 1
    # A rejection on one account frees the cap for the person, on either account.
    assert decide(client, world["headers"]["county_here"], first["id"], False,
                  "重复购买").status_code == 200
    again = submitted(client, headers, claim_body(program.id, tile, invoice="TW-0006",
                                                  price=big))
    assert again["amount_fen"] == 200_000
    # Each account still sees only its own claims.
    mine = client.get(MY_CLAIMS, headers=headers).get_json()["items"]
    assert {c["invoice_no"] for c in mine} == {"TW-0003", "TW-0006"}


def test_the_payment_export_shows_the_full_id_and_logs_each_showing(client, world, make,
                                                                    villager, program, tile):
    other = make.villager("other", region_code="410105001")
    other.phone = "13900001111"
    db.session.commit()
    other_headers = make.headers(other)
    other_id = id_number(11)
    assert client.patch("/api/mp/v1/me", headers=other_headers,
                        json={"real_name": "赵六", "id_card_no": other_id}).status_code == 200
    here = world["headers"]["county_here"]
    mine = [submitted(client, world["headers"]["villager_a"],
                      claim_body(program.id, tile, invoice=f"EX-{n:04d}")) for n in range(2)]
    theirs = submitted(client, other_headers, claim_body(program.id, tile, invoice="EX-0009"))
    for claim in (*mine, theirs):
        assert decide(client, here, claim["id"], True).status_code == 200
    assert count(PersonalDataAccess) == 0  # reviewing shows no full ID

    response = client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here)
    batch_no = response.headers["X-Batch-No"]
    rows = list(load_workbook(BytesIO(response.data)).active.iter_rows(values_only=True))
    by_claim = {row[1]: row for row in rows[1:]}
    assert {c: (r[2], r[3], r[4]) for c, r in by_claim.items()} == {
        mine[0]["id"]: ("王小明", ID_NO, "137****5678"),
        mine[1]["id"]: ("王小明", ID_NO, "137****5678"),
        theirs["id"]: ("赵六", other_id, "139****1111")}
    assert not any(PHONE in str(cell) or "13900001111" in str(cell)
                   for row in rows for cell in row)

    accesses = db.session.scalars(sa.select(PersonalDataAccess)
                                  .order_by(PersonalDataAccess.id)).all()
    officer = world["users"]["county_here"].id
    shown = [(a.officer_id, a.subject_user_id, a.field, a.purpose, a.detail) for a in accesses]
    export = "subsidy_payment_export"
    assert shown == [  # no bank accounts entered: only the ID numbers were shown
        (officer, villager.id, "id_card_no", export, f"{batch_no} claim {mine[0]['id']}"),
        (officer, villager.id, "id_card_no", export, f"{batch_no} claim {mine[1]['id']}"),
        (officer, other.id, "id_card_no", export, f"{batch_no} claim {theirs['id']}")]
    assert all(a.at is not None for a in accesses)
    # Exported once: a second export shows no one again and logs nothing.
    client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here)
    assert count(PersonalDataAccess) == 3


def test_text_that_looks_like_a_formula_stays_text_in_the_export(client, world, make,
                                                                 villager, program):
    shop = world["shop_a"]
    shop.name = "=HYPERLINK(\"http://x.example\",\"店\")"
    tile = make.product(shop, name="=1+2", price_fen=PRICE)
    villager.real_name = "=cmd|' /C calc'!A0"
    db.session.commit()
    claim = submitted(client, world["headers"]["villager_a"],
                      claim_body(program.id, tile, invoice="=3+4 5678"))
    here = world["headers"]["county_here"]
    assert decide(client, here, claim["id"], True).status_code == 200
    response = client.post(f"{ADMIN_PROGRAMS}/{program.id}/payment-batches", headers=here)
    sheet = load_workbook(BytesIO(response.data)).active
    cells = {c.value: c.data_type for c in sheet[2] if isinstance(c.value, str)}
    formulas = {v: t for v, t in cells.items() if v.startswith("=")}
    assert len(formulas) == 4 and set(formulas.values()) == {"s"}, cells


# ---- logs ---------------------------------------------------------------------------------

class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage() + (self.format(record) if record.exc_info
                                                 else ""))


@pytest.fixture
def sql_logged():
    """SQL statements and their parameters logged (set before the test's connection opens:
    SQLAlchemy decides per connection whether to log)."""
    engine_logger = logging.getLogger("sqlalchemy.engine")
    level = engine_logger.level
    engine_logger.setLevel(logging.INFO)
    yield engine_logger
    engine_logger.setLevel(level)


def test_the_flow_never_logs_an_id_number_or_a_phone(sql_logged, client, world, villager,
                                                     program, tile):
    """Raw records, before any masking handler: nothing to mask in the first place."""
    raw = _Capture()
    root = logging.getLogger()
    root.handlers.insert(0, raw)  # ahead of the app's masking handler, which edits records
    try:
        _flow(client, world, program, tile)
    finally:
        root.removeHandler(raw)
    text = "\n".join(raw.lines)
    assert "INSERT INTO subsidy_claims" in text  # the SQL and its parameters were logged
    assert ID_NO not in text and ID_NO[:17] not in text and PHONE not in text


@pytest.fixture
def app_log(app):
    """The handler create_app installs, writing to a string. (Alembic's fileConfig replaced
    the root handlers when conftest migrated the schema: install it again, then remove it.)"""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    configure_logging(app)
    [handler] = [h for h in root.handlers if getattr(h, "_lvjian", False)]
    stream = io.StringIO()
    handler.setStream(stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


def test_logs_show_them_masked(app, app_log, sql_logged, client, world, villager, program,
                               tile):
    """The app's handler masks what does reach a log line: here every row SQLAlchemy reads
    (users with their phones) and a message that names both."""
    sql_logged.setLevel(logging.DEBUG)  # result rows too
    _flow(client, world, program, tile)
    with app.test_request_context("/api/mp/v1/subsidy-claims"):
        logging.getLogger("app.subsidies").warning("claim by %s, ID %s", PHONE, ID_NO)
    text = app_log.getvalue()
    assert text.count(MASKED_PHONE) > 1  # the users rows read, and the message
    assert MASKED_ID in text
    assert PHONE not in text and ID_NO not in text
