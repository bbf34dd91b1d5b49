"""The demo campaign has a living subsidy programme: open in 金水区, with a budget, and claims in
every state by demo residents whose profiles are complete (and fictional)."""

from __future__ import annotations

import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess, User
from app.accounts.personal_data import full_bank_account, full_id_card, luhn_ok
from app.catalog import eligibility
from app.catalog.models import Product
from app.core.validators import is_valid_id_card
from app.demo import seed_all
from app.extensions import db
from app.merchants.models import Shop
from app.subsidies import programs
from app.subsidies.demo import TITLE, seed_subsidies
from app.subsidies.models import (
    CLAIM_STATUSES,
    BudgetMovement,
    ClaimEvent,
    SubsidyClaim,
    SubsidyProgram,
)


def _counts() -> tuple:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in
                 (SubsidyProgram, SubsidyClaim, ClaimEvent, BudgetMovement, PersonalDataAccess,
                  User))


def test_the_demo_programme_is_open_in_jinshui_with_claims_in_every_state(client):
    seed_all()
    db.session.commit()
    program = db.session.scalars(sa.select(SubsidyProgram)
                                 .where(SubsidyProgram.title == TITLE)).one()
    today = eligibility.today()
    assert program.region_code == "410105" and program.status == "open"
    assert program.starts_on < today < program.ends_on
    assert program.budget_fen > program.committed_fen > 0
    assert programs.ledger(program)["reconciles"]
    claims = db.session.scalars(sa.select(SubsidyClaim)
                                .where(SubsidyClaim.program_id == program.id)).all()
    assert {c.status for c in claims} == set(CLAIM_STATUSES)
    shop = db.session.scalars(sa.select(Shop).where(Shop.name == "金水绿色建材店")).one()
    for claim in claims:
        product = db.session.get(Product, claim.product_id)
        assert claim.shop_id == product.shop_id == shop.id
        assert eligibility.check(product, region_code="410105", on=claim.purchase_date).eligible
        villager = db.session.get(User, claim.user_id)
        number = full_id_card(villager)
        assert villager.real_name and villager.region_code.startswith("410105")
        # GB 11643 with its check digit, on an area code no place has: no one's real number
        assert is_valid_id_card(number) and number.startswith("410199")
        assert luhn_ok(full_bank_account(villager)) and villager.bank_name
    assert len({c.user_id for c in claims}) >= 3

    # A resident logs in with the dev code and follows the claims, the officer named.
    login = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-demo-jinshui1"})
    headers = {"Authorization": f"Bearer {login.get_json()['token']}"}
    mine = client.get("/api/mp/v1/me/subsidy-claims", headers=headers).get_json()["items"]
    paid = next(c for c in mine if c["status"] == "disbursed")
    assert paid["status_label"] == "已发放"
    assert [(e["status"], e["by_name"]) for e in paid["history"]] == [
        ("reserved", "本人"), ("approved", "金水区市场监管局（演示）"),
        ("disbursed", "金水区市场监管局（演示）")]
    me = client.get("/api/mp/v1/me", headers=headers).get_json()
    assert me["id_card_no"].startswith("4101") and "*" in me["id_card_no"]
    assert me["bank_account"].startswith("6200 ****")
    # The county's officer finds them in the review queue.
    officer = client.post("/api/v1/auth/login", json={"username": "demo-county",
                                                      "password": "lvjian-demo"}).get_json()
    queue = client.get("/api/v1/admin/subsidy-claims?status=reserved",
                       headers={"Authorization": f"Bearer {officer['token']}"}).get_json()
    assert queue["items"] and all(c["status_label"] == "已预留" for c in queue["items"])


def test_seeding_again_changes_nothing(client):
    seed_all()
    db.session.commit()
    before = _counts()
    assert seed_subsidies() == 0
    seed_all()
    db.session.commit()
    assert _counts() == before
