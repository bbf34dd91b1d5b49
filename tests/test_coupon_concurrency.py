"""Races on PostgreSQL: first come first served, per-person limits, one key, one redemption.

Every request here really commits, from its own thread, session and connection (`fire`).
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import AuthToken, User
from app.accounts.services import TOKEN_PREFIX, _hash_token, issue_token
from app.core import auth
from app.core.db import utcnow
from app.extensions import db, limiter
from app.merchants.models import Shop, ShopMember
from app.promotions import coupons
from app.promotions.models import Coupon, CouponTemplate, Redemption
from tests.conftest import fire
from tests.test_coupons import coupon_values

pytestmark = pytest.mark.postgres

WORKERS = 40  # threads released together; PostgreSQL's 100 connections are shared


def _claim_url(template_id: int) -> str:
    return f"/api/mp/v1/coupons/{template_id}/claim"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _villagers(n: int, prefix: str) -> list[str]:
    """n villagers and a bearer token each, in two INSERT statements; returns the tokens.

    Tokens are made the way issue_token makes them (it would cost two round trips each).
    """
    db.session.execute(sa.insert(User), [
        {"role": auth.VILLAGER, "nickname": f"{prefix}{i}", "is_active": True,
         "wechat_openid": f"dev-openid-{prefix}{i}"} for i in range(n)])
    user_ids = db.session.scalars(sa.select(User.id).where(User.nickname.startswith(prefix))
                                  .order_by(User.id)).all()
    tokens = [TOKEN_PREFIX + secrets.token_urlsafe(32) for _ in user_ids]
    expires_at = utcnow() + timedelta(hours=1)
    db.session.execute(sa.insert(AuthToken), [
        {"token_hash": _hash_token(token), "user_id": user_id, "expires_at": expires_at}
        for token, user_id in zip(tokens, user_ids, strict=True)])
    db.session.commit()
    return tokens


def _shop_with_owner() -> tuple[int, str]:
    from app.accounts.services import create_console_user

    shop = Shop(name="金水瓷砖店", region_code="410105", status="approved")
    db.session.add(shop)
    owner = create_console_user(username="race-owner", password="secret-pass-1",
                                role=auth.MERCHANT_OWNER, region_code="410105")
    db.session.flush()
    db.session.add(ShopMember(shop_id=shop.id, user_id=owner.id, role=auth.MERCHANT_OWNER))
    token = issue_token(owner)
    db.session.commit()
    return shop.id, token


def _template(shop_id: int, **over) -> int:
    template = coupons.create_template(shop_id, **coupon_values(**over))
    db.session.commit()
    return template.id


def _counts(template_id: int) -> tuple[int, int]:
    """(claimed_count, coupon rows) as the database has them."""
    db.session.expire_all()
    claimed_count = db.session.get(CouponTemplate, template_id).claimed_count
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(Coupon)
                             .where(Coupon.template_id == template_id))
    return claimed_count, rows


def _errors(responses) -> Counter:
    return Counter((r.status_code, (r.get_json() or {}).get("error")) for r in responses)


def test_1000_villagers_race_for_100_coupons(committed):
    app = committed
    with app.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100)
        tokens = _villagers(1000, "crowd")
    calls = [("POST", _claim_url(template_id), None, _bearer(token)) for token in tokens]
    responses = fire(app, calls, workers=WORKERS)
    assert _errors(responses) == {(201, None): 100, (409, "coupon_sold_out"): 900}
    with app.app_context():
        assert _counts(template_id) == (100, 100)
        owners = db.session.scalar(sa.select(sa.func.count(sa.distinct(Coupon.user_id)))
                                   .where(Coupon.template_id == template_id))
        assert owners == 100
    granted = {r.get_json()["coupon"]["id"] for r in responses if r.status_code == 201}
    assert len(granted) == 100


def test_one_villager_200_taps_with_the_rate_limit_on(committed):
    """The claim limit (30 a minute per villager) answers 429 beyond 30; of the 30 that get
    through, the database grants exactly one."""
    app = committed
    with app.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100, per_person_limit=1)
        [token] = _villagers(1, "tapper")
    calls = [("POST", _claim_url(template_id), None, _bearer(token))] * 200
    responses = fire(app, calls, workers=WORKERS)
    answers = _errors(responses)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("redis"):  # an atomic INCR: exactly 30
        assert answers == {(201, None): 1, (409, "coupon_limit_reached"): 29,
                           (429, "rate_limited"): 170}
    else:  # the in-memory counter may over-count under threads, never under-count
        assert answers[(201, None)] == 1 and answers[(429, "rate_limited")] >= 170
        assert set(answers) <= {(201, None), (409, "coupon_limit_reached"),
                                (429, "rate_limited")}
    with app.app_context():
        assert _counts(template_id) == (1, 1)


def test_one_villager_200_taps_with_the_rate_limit_off(committed, monkeypatch):
    """The database alone holds the per-person limit. (The app reads RATELIMIT_ENABLED only
    at start-up; at run time the limiter's own `enabled` flag is what switches it.)"""
    app = committed
    monkeypatch.setattr(limiter, "enabled", False)
    with app.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100, per_person_limit=1)
        [token] = _villagers(1, "tapper")
    calls = [("POST", _claim_url(template_id), None, _bearer(token))] * 200
    responses = fire(app, calls, workers=WORKERS)
    assert _errors(responses) == {(201, None): 1, (409, "coupon_limit_reached"): 199}
    with app.app_context():
        assert _counts(template_id) == (1, 1)


def test_a_limit_of_three_grants_exactly_three(committed):
    """Racing taps of one villager don't stop at the first coupon when three are allowed."""
    app = committed
    with app.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100, per_person_limit=3)
        [token] = _villagers(1, "triple")
    calls = [("POST", _claim_url(template_id), None, _bearer(token))] * 30
    responses = fire(app, calls, workers=30)
    assert _errors(responses) == {(201, None): 3, (409, "coupon_limit_reached"): 27}
    with app.app_context():
        assert _counts(template_id) == (3, 3)
        seqs = db.session.scalars(sa.select(Coupon.seq).where(Coupon.template_id == template_id)
                                  .order_by(Coupon.seq)).all()
        assert seqs == [1, 2, 3]


def test_20_retries_with_one_idempotency_key(committed):
    app = committed
    with app.app_context():
        shop_id, _ = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100, per_person_limit=5)
        [token] = _villagers(1, "retry")
    headers = {**_bearer(token), "Idempotency-Key": "claim-7f3a9c"}
    responses = fire(app, [("POST", _claim_url(template_id), None, headers)] * 20, workers=20)
    assert Counter(r.status_code for r in responses) == {201: 20}
    bodies = [r.get_json() for r in responses]
    assert all(body == bodies[0] for body in bodies)
    assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in responses) == 19
    with app.app_context():
        assert _counts(template_id) == (1, 1)


def test_two_tills_redeem_one_coupon(committed):
    app = committed
    with app.app_context():
        shop_id, owner_token = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=100, min_spend_fen=0)
        tokens = _villagers(10, "shopper")
    claims = fire(app, [("POST", _claim_url(template_id), None, _bearer(t)) for t in tokens],
                  workers=10)
    codes = [r.get_json()["coupon"]["code"] for r in claims]
    till = _bearer(owner_token)
    calls = [("POST", "/api/v1/merchant/redemptions",
              {"code": code, "order_amount_fen": 20000}, till) for code in codes for _ in (1, 2)]
    responses = fire(app, calls, workers=20)
    for first, second in zip(responses[::2], responses[1::2], strict=True):
        assert sorted([first.status_code, second.status_code]) == [201, 409]
        loser = first if first.status_code == 409 else second
        assert loser.get_json()["error"] == "coupon_already_used"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Redemption)) == 10
        used = db.session.scalar(sa.select(sa.func.count()).select_from(Coupon)
                                 .where(Coupon.status == "used"))
        assert used == 10


def test_shrinking_the_quantity_while_villagers_claim(committed):
    """The merchant lowers the quantity during a rush: never below what was claimed."""
    app = committed
    with app.app_context():
        shop_id, owner_token = _shop_with_owner()
        template_id = _template(shop_id, total_quantity=50)
        tokens = _villagers(39, "rush")
    calls = [("POST", _claim_url(template_id), None, _bearer(t)) for t in tokens]
    calls.insert(20, ("PATCH", f"/api/v1/merchant/coupons/{template_id}",
                      {"total_quantity": 20}, _bearer(owner_token)))
    responses = fire(app, calls, workers=WORKERS)
    patch = responses[20]
    assert patch.status_code in (200, 409), patch.get_json()
    with app.app_context():
        claimed_count, rows = _counts(template_id)
        total = db.session.get(CouponTemplate, template_id).total_quantity
        assert claimed_count == rows <= total
        assert total == (20 if patch.status_code == 200 else 50)
    claims = responses[:20] + responses[21:]
    assert all(r.status_code in (201, 409) for r in claims), _errors(claims)
    assert claimed_count == sum(r.status_code == 201 for r in claims)
    if patch.status_code == 409:
        assert patch.get_json()["error"] == "quantity_below_claimed"
