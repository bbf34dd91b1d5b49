"""Villager login and phone binding: dev mode, and the live wechatpy path with HTTP mocked."""

from __future__ import annotations

import pytest
import requests
import responses
import sqlalchemy as sa

from app.accounts.models import User
from app.extensions import db

WX = "https://api.weixin.qq.com"
TOKEN_URL = f"{WX}/cgi-bin/token"
SESSION_URL = f"{WX}/sns/jscode2session"
PHONE_URL = f"{WX}/wxa/business/getuserphonenumber"


def test_dev_login_creates_then_finds_the_same_villager(client):
    first = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-wang"}).json
    second = client.post("/api/mp/v1/auth/wechat-login", json={"code": "dev-wang"}).json
    assert first["is_new"] is True and second["is_new"] is False
    assert first["user"] == second["user"] == {"id": first["user"]["id"], "nickname": "wang",
                                               "role": "villager"}
    assert first["token"] != second["token"]


def test_dev_login_refuses_other_codes(client):
    body = client.post("/api/mp/v1/auth/wechat-login", json={"code": "081abcDEF"}).json
    assert body["code"] == 401 and body["error"] == "wechat_code_invalid"


def test_dev_phone_binding_answers_masked(client, make):
    headers = make.headers(make.villager())
    body = client.post("/api/mp/v1/auth/phone", json={"code": "dev-13912345678"},
                       headers=headers).json
    assert body["phone"] == "139****5678"


@pytest.fixture
def live(app, monkeypatch):
    monkeypatch.setitem(app.config, "WECHAT_APP_ID", "wx-test-app")
    monkeypatch.setitem(app.config, "WECHAT_APP_SECRET", "test-secret")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(TOKEN_URL, json={"access_token": "ACCESS", "expires_in": 7200})
        yield mock


def test_live_login_through_wechatpy(client, live):
    live.get(SESSION_URL, json={"openid": "oLIVE123", "session_key": "SESSIONKEY==",
                                "unionid": "uLIVE"})
    response = client.post("/api/mp/v1/auth/wechat-login", json={"code": "081realcode"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["is_new"] is True
    assert "SESSIONKEY" not in response.get_data(as_text=True)
    call = next(c for c in live.calls if c.request.url.startswith(SESSION_URL))
    assert "js_code=081realcode" in call.request.url and "appid=wx-test-app" in call.request.url
    user = db.session.scalar(sa.select(User).where(User.wechat_openid == "oLIVE123"))
    assert user.wechat_unionid == "uLIVE"
    # the session key is kept, but only encrypted
    assert user.session_key_enc and "SESSIONKEY" not in user.session_key_enc
    from app.core.crypto import decrypt

    assert decrypt(user.session_key_enc) == "SESSIONKEY=="


@pytest.mark.parametrize(("wechat_answer", "status", "error"), [
    ({"errcode": 40029, "errmsg": "invalid code"}, 401, "wechat_code_invalid"),
    ({"errcode": 40163, "errmsg": "code been used"}, 401, "wechat_code_invalid"),
    ({"errcode": 45011, "errmsg": "api minute-quota reach limit"}, 429, "wechat_rate_limited"),
    ({"errcode": 40226, "errmsg": "high risk user"}, 403, "wechat_user_blocked"),
    ({"errcode": -1, "errmsg": "system error"}, 502, "wechat_unavailable"),
])
def test_live_login_errors_map_to_clear_answers(client, live, wechat_answer, status, error):
    live.get(SESSION_URL, json=wechat_answer)
    body = client.post("/api/mp/v1/auth/wechat-login", json={"code": "081bad"}).json
    assert (body["code"], body["error"]) == (status, error)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_live_login_network_failure(client, live):
    live.get(SESSION_URL, body=requests.ConnectionError("unreachable"))
    body = client.post("/api/mp/v1/auth/wechat-login", json={"code": "081x"}).json
    assert (body["code"], body["error"]) == (502, "wechat_unavailable")


def test_live_phone_binding(client, live, make):
    live.post(PHONE_URL, json={"errcode": 0, "errmsg": "ok", "phone_info": {
        "phoneNumber": "13800001234", "purePhoneNumber": "13800001234", "countryCode": "86"}})
    headers = make.headers(make.villager())
    response = client.post("/api/mp/v1/auth/phone", json={"code": "phonecode"}, headers=headers)
    assert response.json["phone"] == "138****1234"
    call = next(c for c in live.calls if c.request.url.startswith(PHONE_URL))
    assert b'"code": "phonecode"' in call.request.body
    assert "access_token=ACCESS" in call.request.url


def test_live_phone_binding_invalid_code(client, live, make):
    live.post(PHONE_URL, json={"errcode": 40029, "errmsg": "invalid code"})
    headers = make.headers(make.villager())
    body = client.post("/api/mp/v1/auth/phone", json={"code": "bad"}, headers=headers).json
    assert body["error"] == "wechat_code_invalid"
