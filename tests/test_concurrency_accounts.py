"""Races on PostgreSQL: simultaneous first logins of one villager create one account."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app.accounts.models import AuthToken, User
from app.extensions import db, limiter
from tests.conftest import fire

pytestmark = pytest.mark.postgres


def test_200_simultaneous_first_logins_make_one_villager(committed, monkeypatch):
    """In live mode these are 200 single-use wx.login codes of one WeChat user; dev mode names
    the user in the code, which the per-code rate limit would stop at 10 (tested in
    test_rate_limits). The subject here is the race on the account: limits off."""
    monkeypatch.setattr(limiter, "enabled", False)
    app = committed
    calls = [("POST", "/api/mp/v1/auth/wechat-login", {"code": "dev-double-tap"}, None)] * 200
    responses = fire(app, calls)
    assert Counter(r.status_code for r in responses) == {200: 200}
    assert sum(r.get_json()["is_new"] for r in responses) == 1
    with app.app_context():
        users = db.session.scalars(
            sa.select(User).where(User.wechat_openid == "dev-openid-double-tap")).all()
        assert len(users) == 1
        tokens = db.session.scalar(sa.select(sa.func.count()).select_from(AuthToken)
                                   .where(AuthToken.user_id == users[0].id))
        assert tokens == 200


def test_300_logins_of_100_villagers(committed):
    app = committed
    calls = [("POST", "/api/mp/v1/auth/wechat-login", {"code": f"dev-v{i % 100}"}, None)
             for i in range(300)]
    responses = fire(app, calls)
    assert all(r.status_code == 200 for r in responses)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 100
