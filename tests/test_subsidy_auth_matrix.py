"""Who may call which subsidy endpoint: the eight principals, then region scope in detail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess
from app.extensions import db
from app.subsidies import review
from app.subsidies.models import SubsidyClaim
from tests.conftest import matrix
from tests.test_subsidies import (
    ADMIN_CLAIMS,
    ADMIN_PROGRAMS,
    ERROR_KEYS,
    MP_CLAIMS,
    MP_PROGRAMS,
    MY_CLAIMS,
    PRICE,
    claim_body,
    claim_row,
    complete_profile,
    count,
    decide,
    new_program,
    program_body,
    reserve,
)

# The 金水区 (410105) programme has villager A's pending claim and a batch ready to pay.
# principals: anonymous, villager_a, villager_b, merchant_a, merchant_b,
#             county_here (410105), county_elsewhere (410122), province (410000)
PROGRAM = ADMIN_PROGRAMS + "/{program}"
CLAIM = ADMIN_CLAIMS + "/{claim_a}"
CASES = [
    # villagers (B lives in 中牟县: its claim to 金水区's programme is refused, not forbidden)
    *matrix(MP_PROGRAMS, "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix(MP_CLAIMS, "POST", 401, 201, 422, 403, 403, 403, 403, 403),
    *matrix(MY_CLAIMS, "GET", 401, 200, 200, 403, 403, 403, 403, 403),
    *matrix(MP_CLAIMS + "/{claim_a}", "GET", 401, 200, 404, 403, 403, 403, 403, 403),
    # officers of the programme's region
    *matrix(ADMIN_PROGRAMS, "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(ADMIN_PROGRAMS, "POST", 401, 403, 403, 403, 403, 201, 403, 201),
    *matrix(PROGRAM + "/top-ups", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(PROGRAM + "/ledger", "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(PROGRAM, "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN_CLAIMS, "GET", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(CLAIM, "GET", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(CLAIM + "/decision", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(CLAIM + "/reveal-id", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(ADMIN_CLAIMS + "/bulk-approve", "POST", 401, 403, 403, 403, 403, 200, 200, 200),
    *matrix(PROGRAM + "/payment-batches", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
    *matrix(PROGRAM + "/disbursements", "POST", 401, 403, 403, 403, 403, 200, 403, 200),
]


@pytest.fixture
def scene(world, make):
    users = world["users"]
    admin = users["county_here"]
    complete_profile(users["villager_a"])
    complete_profile(users["villager_b"], name="李四")
    tile = make.product(world["shop_a"], name="仿古砖", price_fen=PRICE)
    program = new_program(admin)
    claim_a = reserve(users["villager_a"], program, tile, invoice="MATRIX-1")
    paid = reserve(users["villager_a"], program, tile, invoice="MATRIX-2")
    review.decide(paid, approve=True, note=None, by=admin)
    paid.batch_no = "PAY20261120ABCDEF"  # as export_batch marks it (the workbook is not needed)
    db.session.commit()
    return {"program": program.id, "claim_a": claim_a.id, "batch_no": paid.batch_no,
            "tile": tile}


def body_for(method: str, path: str, scene: dict) -> dict | None:
    if method == "GET":
        return None
    return {
        MP_CLAIMS: lambda: claim_body(scene["program"], scene["tile"], invoice="NEW-0001"),
        ADMIN_PROGRAMS: program_body,
        PROGRAM + "/top-ups": lambda: {"amount_fen": 100_000, "note": "追加"},
        CLAIM + "/decision": lambda: {"approve": True, "note": "同意"},
        CLAIM + "/reveal-id": lambda: {"purpose": "核对申请人身份"},
        ADMIN_CLAIMS + "/bulk-approve": lambda: {"claim_ids": [scene["claim_a"]]},
        PROGRAM + "/payment-batches": lambda: None,
        PROGRAM + "/disbursements": lambda: {"batch_no": scene["batch_no"]},
    }[path]()


@pytest.mark.parametrize(("method", "path", "who", "expected"), CASES)
def test_subsidy_auth_matrix(client, world, scene, method, path, who, expected):
    url = path.format(**scene)
    response = client.open(url, method=method, headers=world["headers"][who],
                           json=body_for(method, path, scene))
    assert response.status_code == expected, response.get_json()
    if expected >= 400:
        body = response.get_json()
        assert set(body) <= ERROR_KEYS and body["code"] == expected
        if expected == 403:
            console_scope = who.startswith("county") and path.startswith("/api/v1/")
            assert body["error"] == ("region_out_of_scope" if console_scope
                                     else "role_not_allowed")
        if who == "villager_b" and expected == 422:
            assert body["reason"] == "not_resident"
    if path.endswith("/reveal-id"):  # logged when shown, and only then
        assert count(PersonalDataAccess) == (1 if expected == 200 else 0)


def test_villagers_see_only_their_own_claims(client, world, scene):
    headers = world["headers"]
    mine = client.get(MY_CLAIMS, headers=headers["villager_a"]).get_json()["items"]
    assert scene["claim_a"] in {c["id"] for c in mine}
    assert client.get(MY_CLAIMS, headers=headers["villager_b"]).get_json()["items"] == []
    other = client.get(f"{MP_CLAIMS}/{scene['claim_a']}", headers=headers["villager_b"])
    assert other.status_code == 404 and other.get_json()["error"] == "claim_not_found"


def test_another_county_can_neither_see_nor_decide(client, world, scene):
    headers = world["headers"]["county_elsewhere"]
    queue = client.get(ADMIN_CLAIMS, headers=headers).get_json()
    assert queue == {"items": [], "next_cursor": None}
    assert decide(client, headers, scene["claim_a"], False, "越权驳回").status_code == 403
    bulk = client.post(f"{ADMIN_CLAIMS}/bulk-approve", headers=headers,
                       json={"claim_ids": [scene["claim_a"]]}).get_json()
    assert bulk == {"approved": [], "skipped": [scene["claim_a"]]}
    url = f"{ADMIN_PROGRAMS}/{scene['program']}/payment-batches"
    before = count(PersonalDataAccess)
    assert client.post(url, headers=headers).status_code == 403
    assert count(PersonalDataAccess) == before
    assert claim_row(scene["claim_a"]).status == "reserved"


def test_the_province_reviews_any_county_a_county_not_the_province(client, world, make, scene):
    users, headers = world["users"], world["headers"]
    province_programme = new_program(users["province"], region_code="410000", title="全省补贴")
    claim = reserve(users["villager_a"], province_programme, scene["tile"], invoice="PROV-1")
    response = decide(client, headers["county_here"], claim.id, True)
    assert response.status_code == 403 and response.get_json()["error"] == "region_out_of_scope"
    here = client.get(ADMIN_CLAIMS, headers=headers["county_here"]).get_json()
    assert claim.id not in {c["id"] for c in here["items"]}
    assert decide(client, headers["province"], claim.id, True).status_code == 200
    assert decide(client, headers["province"], scene["claim_a"], True).status_code == 200
    statuses = db.session.scalars(sa.select(SubsidyClaim.status)
                                  .where(SubsidyClaim.id.in_([claim.id, scene["claim_a"]])))
    assert set(statuses) == {"approved"}


def test_merchants_see_no_claims_even_for_their_own_shop(client, world, scene):
    headers = world["headers"]["merchant_a"]
    for url in (ADMIN_CLAIMS, f"{ADMIN_CLAIMS}/{scene['claim_a']}", MY_CLAIMS,
                f"{MP_CLAIMS}/{scene['claim_a']}"):
        assert client.get(url, headers=headers).status_code == 403, url
