"""H5 login by phone + SMS code: expiry, single use, per-phone limits, wrong tries, privacy."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.accounts.models import SmsLoginCode, User
from app.core import auth
from app.extensions import db
from tests.conftest import fire

PHONE = "13912345678"
CODE_URL = "/api/mp/v1/auth/sms-code"
LOGIN_URL = "/api/mp/v1/auth/sms-login"


def _send(client, phone=PHONE):
    return client.post(CODE_URL, json={"phone": phone})


def _code(client, phone=PHONE) -> str:
    answer = _send(client, phone)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["dev_code"]


def _login(client, code, phone=PHONE):
    return client.post(LOGIN_URL, json={"phone": phone, "code": code})


def _age_codes(seconds: int) -> None:
    """Move the codes' times back, as if `seconds` had passed."""
    for row in db.session.scalars(sa.select(SmsLoginCode)):
        row.created_at -= timedelta(seconds=seconds)
        row.expires_at -= timedelta(seconds=seconds)
        row.slot -= seconds // 60 + 1
    db.session.flush()


def test_code_then_login_makes_a_villager_and_the_next_login_finds_them(client, caplog):
    with caplog.at_level(logging.INFO):
        sent = _send(client)
    body = sent.get_json()
    assert sent.status_code == 200
    assert body["sent"] is True and body["phone"] == "139****5678"
    assert body["expires_in"] == 300 and body["resend_after"] == 60
    assert len(body["dev_code"]) == 6 and body["dev_code"].isdigit()
    assert PHONE not in caplog.text and "139****5678" in caplog.text  # masked in the log

    first = _login(client, body["dev_code"])
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["is_new"] is True
    assert first.get_json()["user"]["role"] == "villager"
    me = client.get("/api/mp/v1/me",
                    headers={"Authorization": f"Bearer {first.get_json()['token']}"})
    assert me.get_json()["phone"] == "139****5678"

    _age_codes(61)
    again = _login(client, _code(client))
    assert again.get_json()["is_new"] is False
    assert again.get_json()["user"]["id"] == first.get_json()["user"]["id"]


def test_the_same_villager_as_the_mini_program_when_the_phone_matches(client, make):
    villager = make.villager("小程序老王")
    villager.phone = PHONE
    db.session.flush()
    answer = _login(client, _code(client))
    assert answer.status_code == 200
    assert answer.get_json()["user"]["id"] == villager.id
    assert answer.get_json()["is_new"] is False


def test_codes_are_single_use(client):
    code = _code(client)
    assert _login(client, code).status_code == 200
    again = _login(client, code)
    assert again.status_code == 401
    assert again.get_json()["error"] == "sms_code_invalid"


def test_an_expired_code_is_refused(client):
    code = _code(client)
    _age_codes(301)
    answer = _login(client, code)
    assert answer.status_code == 401 and answer.get_json()["error"] == "sms_code_invalid"
    assert "验证码" in answer.get_json()["message"]


def test_one_code_a_minute_and_a_new_code_retires_the_old(client):
    old = _code(client)
    soon = _send(client)
    assert soon.status_code == 429
    assert soon.get_json()["error"] == "sms_rate_limited"
    assert 1 <= int(soon.headers["Retry-After"]) <= 60
    _age_codes(61)
    new = _code(client)
    if new != old:  # one in a million they are equal
        assert _login(client, old).status_code == 401
    assert _login(client, new).status_code == 200


def test_ten_codes_a_day_per_phone(client):
    for _ in range(10):
        _code(client)
        _age_codes(61)
    eleventh = _send(client)
    assert eleventh.status_code == 429
    assert "明天" in eleventh.get_json()["message"]
    assert int(eleventh.headers["Retry-After"]) > 3600
    assert _send(client, "13712345678").status_code == 200  # other phones are not affected


def test_five_wrong_tries_kill_the_code_and_count_although_they_fail(client):
    code = _code(client)
    wrong = "000000" if code != "000000" else "111111"
    for attempt in range(1, 5):
        answer = _login(client, wrong)
        assert answer.status_code == 401 and answer.get_json()["error"] == "sms_code_invalid"
        assert db.session.scalar(sa.select(SmsLoginCode.attempts)) == attempt
    fifth = _login(client, wrong)
    assert fifth.status_code == 429 and fifth.get_json()["error"] == "sms_code_attempts"
    assert _login(client, code).status_code == 401  # the right code came too late


def test_nothing_readable_is_stored(client):
    code = _code(client)
    row = db.session.scalars(sa.select(SmsLoginCode)).one()
    stored = " ".join(str(value) for value in vars(row).values())
    assert code not in stored and PHONE not in stored


@pytest.mark.parametrize(("body", "field"), [
    ({"phone": "1391234567"}, "phone"), ({"phone": "23912345678"}, "phone"),
    ({"phone": 13912345678}, "phone"), ({}, "phone"),
    ({"phone": PHONE, "code": "12345"}, "code"), ({"phone": PHONE, "code": "12a456"}, "code"),
])
def test_bad_input_is_422_in_chinese_and_sends_nothing(client, body, field):
    url = LOGIN_URL if "code" in body else CODE_URL
    answer = client.post(url, json=body)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsLoginCode)) == 0


def test_a_disabled_account_cannot_log_in(client, make):
    villager = make.villager()
    villager.phone = PHONE
    villager.is_active = False
    db.session.flush()
    answer = _login(client, _code(client))
    assert answer.status_code == 401 and answer.get_json()["error"] == "account_disabled"


def test_production_without_a_provider_sends_nothing_and_says_so(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LVJIAN_ENV", "production")
    answer = _send(client)
    assert answer.status_code == 503 and answer.get_json()["error"] == "sms_unavailable"
    assert "dev_code" not in answer.get_json()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsLoginCode)) == 0


@pytest.mark.postgres
def test_simultaneous_requests_send_one_code_and_one_login_wins(committed):
    app = committed
    answers = fire(app, [("POST", CODE_URL, {"phone": PHONE}, None)] * 60)
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {200: 1, 429: 59}, statuses
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SmsLoginCode)) == 1
    code = next(a.get_json()["dev_code"] for a in answers if a.status_code == 200)

    logins = fire(app, [("POST", LOGIN_URL, {"phone": PHONE, "code": code}, None)] * 30)
    statuses = Counter(a.status_code for a in logins)
    assert statuses == {200: 1, 401: 29}, statuses
    with app.app_context():
        villagers = db.session.scalar(sa.select(sa.func.count()).select_from(User)
                                      .where(User.phone == PHONE, User.role == auth.VILLAGER))
        assert villagers == 1
