"""Races on PostgreSQL: the budget, the personal cap, one invoice, one decision, one batch.

Every request here really commits, from its own thread, session and connection (`fire`).
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app.accounts.models import PersonalDataAccess, User
from app.accounts.services import issue_token
from app.core import auth, crypto
from app.extensions import db
from app.subsidies import programs
from app.subsidies.models import BudgetMovement, PersonTotal, SubsidyClaim, SubsidyProgram
from tests.conftest import Factory, fire
from tests.test_subsidies import (
    ADMIN_CLAIMS,
    ADMIN_PROGRAMS,
    AMOUNT,
    MP_CLAIMS,
    PRICE,
    claim_body,
    count,
    id_number,
    ledger_of,
    program_values,
    reserve,
)

pytestmark = pytest.mark.postgres

WORKERS = 40  # threads released together; PostgreSQL's 100 connections are shared


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _errors(responses) -> Counter:
    return Counter((r.status_code, (r.get_json() or {}).get("error")) for r in responses)


def _scene(budget_fen: int, **over) -> SimpleNamespace:
    """An admin of 金水区 and its programme, a ¥10,000 certified tile at an approved shop."""
    make = Factory()
    admin = make.admin("410105")
    tile = make.product(make.shop("410105"), price_fen=PRICE)
    program = programs.create_program(admin, **program_values(budget_fen=budget_fen, **over))
    db.session.commit()
    return SimpleNamespace(make=make, admin=admin, program=program, tile=tile,
                           program_id=program.id, officer=make.headers(admin))


def _villagers(n: int, prefix: str, *, id_numbers: list[str] | None = None) -> list[User]:
    """n villagers with complete profiles (distinct ID numbers unless given), in one INSERT."""
    numbers = id_numbers or [id_number(i) for i in range(n)]
    db.session.execute(sa.insert(User), [
        {"role": auth.VILLAGER, "nickname": f"{prefix}{i:04d}", "is_active": True,
         "wechat_openid": f"dev-openid-{prefix}{i:04d}", "real_name": "村民",
         "region_code": "410105001", "id_card_enc": crypto.encrypt(number),
         "id_card_hash": crypto.lookup_hash(number)} for i, number in enumerate(numbers)])
    return list(db.session.scalars(sa.select(User).where(User.nickname.startswith(prefix))
                                   .order_by(User.id)))


def _tokens(users: list[User]) -> list[str]:
    tokens = [issue_token(user) for user in users]
    db.session.commit()
    return tokens


def _claim_calls(scene, tokens: list[str], invoices: list[str], price: int = PRICE) -> list:
    body = claim_body(scene.program_id, scene.tile, price=price)
    return [("POST", MP_CLAIMS, {**body, "invoice_no": invoice}, _bearer(token))
            for token, invoice in zip(tokens, invoices, strict=True)]


def test_500_villagers_race_for_a_budget_of_100_claims(committed):
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        tokens = _tokens(_villagers(500, "crowd"))
        calls = _claim_calls(scene, tokens, [f"CROWD-{i:04d}" for i in range(500)])
    responses = fire(app, calls, workers=WORKERS)
    assert _errors(responses) == {(201, None): 100, (409, "budget_exhausted"): 400}
    with app.app_context():
        ledger = ledger_of(scene.program_id)
        assert ledger["committed_fen"] == ledger["budget_fen"] == 100 * AMOUNT
        assert ledger["remaining_fen"] == 0 and ledger["reconciles"] is True
        assert ledger["movements"]["reserved"] == 100 * AMOUNT
        assert count(SubsidyClaim) == 100 and count(PersonTotal) == 100
        assert count(BudgetMovement, BudgetMovement.kind == "reserved") == 100
        owners = db.session.scalar(sa.select(sa.func.count(sa.distinct(SubsidyClaim.user_id))))
        assert owners == 100
    granted = {r.get_json()["claim"]["id"] for r in responses if r.status_code == 201}
    assert len(granted) == 100


def test_one_person_on_two_accounts_never_passes_the_personal_cap(committed):
    """30 claims at once, 15 from each of two accounts with one ID number: ¥2,000 each
    against ¥5,000 a person → ¥2,000 + ¥2,000 + ¥1,000, then personal_cap_reached."""
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        same = id_number(7)
        phones = _villagers(2, "twin", id_numbers=[same, same])
        tokens = _tokens(phones) * 15
        calls = _claim_calls(scene, tokens, [f"TWIN-{i:04d}" for i in range(30)],
                             price=2_000_000)
    responses = fire(app, calls, workers=30)
    assert _errors(responses) == {(201, None): 3, (409, "personal_cap_reached"): 27}
    amounts = sorted(r.get_json()["claim"]["amount_fen"] for r in responses
                     if r.status_code == 201)
    assert amounts == [100_000, 200_000, 200_000]
    with app.app_context():
        person = db.session.scalars(sa.select(PersonTotal)).one()
        assert person.committed_fen == 500_000
        assert db.session.scalar(sa.select(sa.func.sum(SubsidyClaim.amount_fen))) == 500_000
        assert ledger_of(scene.program_id)["reconciles"]


def test_two_villagers_race_with_one_invoice(committed):
    """25 invoices, each claimed at once by two villagers, written two ways."""
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        tokens = _tokens(_villagers(50, "pair"))
        invoices = [spelling for n in range(25)
                    for spelling in (f"0441-2300 {n:04d}", f"04412300{n:04d}")]
        calls = _claim_calls(scene, tokens, invoices)
    responses = fire(app, calls, workers=50)
    for first, second in zip(responses[::2], responses[1::2], strict=True):
        assert sorted([first.status_code, second.status_code]) == [201, 409]
        loser = first if first.status_code == 409 else second
        assert loser.get_json()["error"] == "duplicate_invoice"
    with app.app_context():
        assert count(SubsidyClaim) == 25 and count(PersonTotal) == 25
        keys = db.session.scalars(sa.select(SubsidyClaim.invoice_key)).all()
        assert len(set(keys)) == 25
        ledger = ledger_of(scene.program_id)
        assert ledger["committed_fen"] == 25 * AMOUNT and ledger["reconciles"]


def test_rejections_and_top_ups_while_villagers_claim(committed):
    """Money comes back (rejections) and in (top-ups) during a rush: never overspent, every
    fen in the ledger. The first 20 in the rush are the early claimants themselves (same ID
    numbers, new accounts): a person's new claim races the rejection of their old one."""
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=20 * AMOUNT)
        early = _villagers(20, "early")
        made = [reserve(user, scene.program, scene.tile, invoice=f"EARLY-{n:04d}")
                for n, user in enumerate(early)]
        tokens = _tokens(_villagers(60, "rush"))
        calls = _claim_calls(scene, tokens, [f"RUSH-{i:04d}" for i in range(60)])
        url = f"{ADMIN_CLAIMS}/{{}}/decision"
        for n, claim in enumerate(made[:10]):
            calls.insert(n * 6, ("POST", url.format(claim.id), {"approve": False,
                                                               "note": "发票有误"},
                                 scene.officer))
        for n in range(5):
            calls.insert(n * 13 + 3, ("POST", f"{ADMIN_PROGRAMS}/{scene.program_id}/top-ups",
                                      {"amount_fen": 4 * AMOUNT}, scene.officer))
    responses = fire(app, calls, workers=WORKERS)
    errors = _errors(responses)
    assert errors[(200, None)] == 15  # 10 rejections, 5 top-ups
    assert set(errors) <= {(200, None), (201, None), (409, "budget_exhausted")}, errors
    granted = errors[(201, None)]
    with app.app_context():
        ledger = ledger_of(scene.program_id)
        assert ledger["reconciles"], ledger
        assert ledger["budget_fen"] == 40 * AMOUNT
        assert ledger["movements"]["released"] == 10 * AMOUNT
        assert ledger["committed_fen"] == (10 + granted) * AMOUNT <= ledger["budget_fen"]
        program = db.session.get(SubsidyProgram, scene.program_id)
        assert program.committed_fen <= program.budget_fen


def test_two_officers_decide_the_same_claims_at_once(committed):
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        second = scene.make.headers(scene.make.admin("410000"))
        made = [reserve(user, scene.program, scene.tile, invoice=f"DUO-{n:04d}")
                for n, user in enumerate(_villagers(20, "duo"))]
        calls = []
        for claim in made:
            url = f"{ADMIN_CLAIMS}/{claim.id}/decision"
            calls += [("POST", url, {"approve": True}, scene.officer),
                      ("POST", url, {"approve": False, "note": "驳回"}, second)]
    responses = fire(app, calls, workers=WORKERS)
    for approve, reject in zip(responses[::2], responses[1::2], strict=True):
        assert sorted([approve.status_code, reject.status_code]) == [200, 409]
        loser = approve if approve.status_code == 409 else reject
        assert loser.get_json()["error"] == "invalid_transition"
    approved = sum(r.status_code == 200 for r in responses[::2])
    with app.app_context():
        ledger = ledger_of(scene.program_id)
        assert ledger["reconciles"], ledger
        assert ledger["movements"]["approved"] == approved * AMOUNT
        assert ledger["movements"]["released"] == (20 - approved) * AMOUNT
        decided = db.session.scalar(sa.select(sa.func.count()).select_from(SubsidyClaim)
                                    .where(SubsidyClaim.status.in_(["approved", "rejected"])))
        assert decided == 20


def test_overlapping_bulk_approvals_approve_each_claim_once(committed):
    """Lists in opposite orders would deadlock if rows were locked in list order."""
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        officers = [scene.officer] + [scene.make.headers(scene.make.admin("410105"))
                                      for _ in range(3)]
        ids = [reserve(user, scene.program, scene.tile, invoice=f"BULK-{n:04d}").id
               for n, user in enumerate(_villagers(40, "bulk"))]
    url = f"{ADMIN_CLAIMS}/bulk-approve"
    lists = [ids, ids[::-1], ids[::2] + ids[1::2], ids[20:] + ids[:20]]
    calls = [("POST", url, {"claim_ids": claim_ids}, headers)
             for claim_ids, headers in zip(lists, officers, strict=True)] * 3
    responses = fire(app, calls, workers=len(calls))
    assert _errors(responses) == {(200, None): 12}
    approved = [i for r in responses for i in r.get_json()["approved"]]
    assert sorted(approved) == sorted(ids)  # each exactly once
    with app.app_context():
        ledger = ledger_of(scene.program_id)
        assert ledger["movements"]["approved"] == 40 * AMOUNT and ledger["reconciles"]


def test_two_payment_exports_at_once_put_each_claim_in_one_batch(committed):
    app = committed
    with app.app_context():
        scene = _scene(budget_fen=100 * AMOUNT)
        second = scene.make.headers(scene.make.admin("410000"))
        from app.subsidies import review

        for n, user in enumerate(_villagers(30, "pay")):
            claim = reserve(user, scene.program, scene.tile, invoice=f"PAY-{n:04d}")
            review.decide(claim, approve=True, note=None, by=scene.admin)
        db.session.commit()
    url = f"{ADMIN_PROGRAMS}/{scene.program_id}/payment-batches"
    responses = fire(app, [("POST", url, None, scene.officer), ("POST", url, None, second)] * 3,
                     workers=6)
    assert [r.status_code for r in responses] == [200] * 6
    counts = sorted(int(r.headers["X-Claim-Count"]) for r in responses)
    assert counts == [0, 0, 0, 0, 0, 30]
    with app.app_context():
        batches = db.session.scalars(sa.select(sa.distinct(SubsidyClaim.batch_no))).all()
        assert len(batches) == 1 and batches[0] is not None
        assert count(PersonalDataAccess) == 30
