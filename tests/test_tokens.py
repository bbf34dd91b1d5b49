"""Bearer tokens: issued, expiring, revocable, unforgeable; console login and throttling."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.accounts.models import AuthToken, User
from app.core.db import utcnow
from app.extensions import db


def _login(client, username, password="secret-pass-1"):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_console_login_returns_role_region_and_shop(client, make):
    shop = make.shop("410105")
    owner = make.merchant(shop)
    body = _login(client, owner.username).get_json()
    assert body["user"] == {"id": owner.id, "role": "merchant_owner", "username": owner.username,
                            "nickname": owner.nickname, "region_code": "410105",
                            "region_name": "金水区", "merchant_id": shop.id, "duties": None}
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json["merchant_id"] == shop.id


def test_username_is_case_insensitive(client, make):
    make.console_user("expo_staff", username="gate-li")
    assert _login(client, "Gate-Li").status_code == 200


def test_wrong_password_and_unknown_user_look_the_same(client, make):
    make.console_user("expo_staff", username="gate-wang")
    wrong = _login(client, "gate-wang", "nope").get_json()
    unknown = _login(client, "nobody-here", "nope").get_json()
    assert wrong == unknown and wrong["error"] == "bad_credentials"


def test_passwords_are_hashed(make):
    user = make.console_user("expo_staff", username="gate-zhao", password="plain-text-pw")
    assert "plain-text-pw" not in user.password_hash
    assert user.password_hash.startswith("pbkdf2:")  # fast method: test config only


def test_successful_logins_do_not_count_towards_throttle(client, make):
    make.console_user("expo_staff", username="busy-gate")
    for _ in range(8):
        assert _login(client, "busy-gate").status_code == 200


def test_throttle_is_per_username(client, make):
    make.console_user("expo_staff", username="victim")
    make.console_user("expo_staff", username="bystander")
    for _ in range(5):
        _login(client, "victim", "guess")
    assert _login(client, "victim").status_code == 429
    assert _login(client, "bystander").status_code == 200


def test_forged_token_rejected(client):
    for token in ("lj_forged-token-value", "not-even-ours", "lj_" + "A" * 200):
        body = client.get("/api/mp/v1/me", headers={"Authorization": f"Bearer {token}"}).json
        assert body["code"] == 401 and body["error"] == "token_invalid"


def test_tampered_token_rejected(client, make):
    token = make.headers(make.villager())["Authorization"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get("/api/mp/v1/me", headers={"Authorization": tampered}).status_code == 401


def test_wrong_scheme_is_missing_token(client, make):
    token = make.headers(make.villager())["Authorization"].split()[1]
    body = client.get("/api/mp/v1/me", headers={"Authorization": f"Basic {token}"}).json
    assert body["error"] == "token_missing"


def test_expired_token(client, make):
    headers = make.headers(make.villager())
    db.session.execute(sa.update(AuthToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    body = client.get("/api/mp/v1/me", headers=headers).json
    assert body["code"] == 401 and body["error"] == "token_expired"


def test_logout_revokes_only_that_token(client, make):
    user = make.villager()
    first, second = make.headers(user), make.headers(user)
    assert client.post("/api/mp/v1/auth/logout", headers=first).status_code == 204
    assert client.get("/api/mp/v1/me", headers=first).json["error"] == "token_invalid"
    assert client.get("/api/mp/v1/me", headers=second).status_code == 200


def test_console_logout(client, make):
    headers = make.headers(make.admin("410105"))
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_disabled_account_is_refused(client, make):
    user = make.villager()
    headers = make.headers(user)
    user.is_active = False
    db.session.flush()
    assert client.get("/api/mp/v1/me", headers=headers).json["error"] == "account_disabled"


def test_tokens_stored_only_as_hashes(client):
    token = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-liu"}).json["token"]
    stored = db.session.scalars(sa.select(AuthToken.token_hash)).all()
    assert token not in stored and len(stored) == 1
    assert db.session.scalar(sa.select(User).where(User.wechat_openid == "dev-openid-liu"))
